"""Benchmark: one payment batch of 10,000 bank payouts (`make bench-sepa`). Not a test.

Creates the database `bench_sepa` on the PostgreSQL server of DATABASE_URL (dropped again at
the end unless BENCH_KEEP_DB=1), migrates it, and adds 10,000 caregivers with one approved
bank request each (bulk inserts; no transitions, no letters). Files go to a temporary
MANTELZORG_VAR_DIR, removed at the end.

Then it times `appreciation.waardering.payouts.create_payment_batch` end to end, cold, as the first
batch of a fresh process: claiming the rows (SELECT … FOR UPDATE SKIP LOCKED), 10,000 logged
transitions, building the pain.001.001.03 file, parsing the XSD (once per process),
validating the file against the XSD (lxml), and storing it. The parts are timed separately by
wrapping the module's functions. Peak memory: the RSS high-water mark of this process during
the call (VmHWM, reset just before through /proc/self/clear_refs; ru_maxrss otherwise).

Issue 17: a batch ten times smaller (BENCH_SMALL_PAYMENTS, default BENCH_PAYMENTS / 10,
requests of the year before), made twice after the full one: first by the naive baseline,
one `save()` and one permission check per request as the code did before (rolled back,
its file removed), then as the product does. `ratio` is naive over product at that size,
`growth_x10` the time of the full batch over that of the small one (10: linear; the full
batch also parses the XSD, once per process, 0.1 s).

BENCH_PAYMENTS=… changes the size. Target (issue): under 10 s.
Last line: `BENCH sepa payments=… seconds=… peak_mb=… xsd_validate_s=… small_payments=…
small_seconds=… growth_x10=… baseline_seconds=… ratio=…`.
"""

import datetime
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

from benchdb import drop_database, recreate_database, reset_peak_rss, server_urls, status_kb

ROOT = Path(__file__).resolve().parent.parent
PAYMENTS = int(os.environ.get("BENCH_PAYMENTS", "10000"))
SMALL_PAYMENTS = int(os.environ.get("BENCH_SMALL_PAYMENTS", str(PAYMENTS // 10)))
DB_NAME = "bench_sepa"
KEEP_DB = os.environ.get("BENCH_KEEP_DB") == "1"


def nl_iban(number: int) -> str:
    """A valid (mod-97) Dutch IBAN for a made-up account number."""
    bban = f"INGB{number:010d}"
    digits = "".join(str(int(c, 36)) for c in bban + "NL00")
    return f"NL{98 - int(digits) % 97:02d}{bban}"


class Timed:
    """Wraps a module function and adds up the time spent in it."""

    def __init__(self, module, name):
        self.module, self.name, self.original = module, name, getattr(module, name)
        self.seconds = 0.0
        setattr(module, name, self)

    def __call__(self, *args, **kwargs):
        started = time.perf_counter()
        try:
            return self.original(*args, **kwargs)
        finally:
            self.seconds += time.perf_counter() - started


def fill(today: datetime.date, year_number: int | None = None, count: int = PAYMENTS,
         first: int = 0):
    """`count` caregivers, each with one approved bank request in `year_number` (default
    this year), numbered from `first`; returns the year's rules."""
    from appreciation.models import (
        AgeGroup,
        AppreciationRequest,
        AppreciationYear,
        PayoutForm,
        RequestState,
        Route,
    )
    from core import clock
    from registrations.models import Caregiver, State

    year_number = year_number or today.year
    year = AppreciationYear.objects.create(
        year=year_number, window_opens=datetime.date(year_number, 1, 1),
        window_closes=datetime.date(year_number, 12, 31), budget_cents=count * 7500)
    caregivers = Caregiver.objects.bulk_create((
        Caregiver(first_name=f"Voornaam{i}", last_name=f"Achternaam{i}",
                  date_of_birth=datetime.date(1940, 1, 1) + datetime.timedelta(days=i % 15000),
                  street="Lindenlaan", house_number=str(i % 240 + 1), postcode="3845AB",
                  city="Harderwijk", state=State.ACTIEF, registered_on=datetime.date(2020, 1, 1))
        for i in range(first, first + count)), batch_size=2000)
    now = clock.now()
    AppreciationRequest.objects.bulk_create((
        AppreciationRequest(
            year=year, caregiver=caregiver, route=Route.SELF, caregiver_confirmed_at=now,
            recipient_name=f"Naaste {i}", recipient_postcode="3845AB",
            recipient_house_number=str(i % 240 + 1), hours_per_week=12,
            care_since=datetime.date(2019, 1, 1), age_group=AgeGroup.ADULT,
            payout_form=PayoutForm.BANK, amount_cents=7500, iban=nl_iban(first + i + 1),
            account_holder=f"V. Achternaam{first + i}", state=RequestState.GOEDGEKEURD,
            checks_passed=True, decided_at=now, submitted_at=now - datetime.timedelta(
                seconds=count - i))
        for i, caregiver in enumerate(caregivers)), batch_size=2000)
    return year


def naive_move_into_batch(requests, batch, by) -> None:
    """The baseline: each request checked, moved and saved on its own (one permission
    query and one UPDATE each), as before the rows were written in one UPDATE."""
    from django.utils.translation import gettext as _

    from appreciation.waardering.services import require_transition_permission

    description = _("In betaalronde %(id)s") % {"id": batch.message_id}
    for request in requests:
        require_transition_permission(request.add_to_batch, by)
        request.add_to_batch(batch, by=by, description=description)
        request.save()


class _RollBack(Exception):
    pass


def small_batches(year, coordinator) -> tuple[float, float]:
    """(naive seconds, product seconds) for the small batch of `year`."""
    from django.db import transaction

    from appreciation.models import PayoutForm
    from appreciation.waardering import payouts

    product_move = payouts._move_into_batch
    payouts._move_into_batch = naive_move_into_batch
    try:
        with transaction.atomic():
            started = time.perf_counter()
            batch = payouts.create_payment_batch(year, PayoutForm.BANK, coordinator)
            naive = time.perf_counter() - started
            assert batch.request_count == SMALL_PAYMENTS
            batch.export.delete(save=False)
            raise _RollBack
    except _RollBack:
        pass
    finally:
        payouts._move_into_batch = product_move
    started = time.perf_counter()
    batch = payouts.create_payment_batch(year, PayoutForm.BANK, coordinator)
    product = time.perf_counter() - started
    assert batch.request_count == SMALL_PAYMENTS
    print(f"small batch of {SMALL_PAYMENTS}: naive (one save each) {naive:.2f} s, "
          f"as the product does {product:.2f} s", flush=True)
    return naive, product


def main() -> None:
    sys.path.insert(0, str(ROOT))
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith(("postgres://", "postgresql://")):
        sys.exit("DATABASE_URL must point at a PostgreSQL server (`make bench-sepa`).")
    admin_url, bench_url = server_urls(database_url, DB_NAME)
    recreate_database(admin_url, DB_NAME)
    var_dir = tempfile.mkdtemp(prefix="bench-sepa-")
    os.environ.update(DATABASE_URL=bench_url, MANTELZORG_VAR_DIR=var_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mantelzorg.settings")
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        from appreciation.models import PayoutForm, RequestState
        from appreciation.waardering import payouts
        from core import clock

        call_command("migrate", verbosity=0)
        from mantelzorg.services_staff import create_staff_user

        started = time.perf_counter()
        today = clock.today()
        year = fill(today)
        small_year = fill(today, today.year - 1, SMALL_PAYMENTS, first=PAYMENTS)
        coordinator = create_staff_user("bench-coordinator", "een-lang-bench-wachtwoord-42",
                                        "coordinator")
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        print(f"filled {PAYMENTS} approved bank requests in {time.perf_counter() - started:.1f} s")

        render = Timed(payouts, "render_sepa")
        validate = Timed(payouts, "validate_sepa")
        load_xsd = Timed(payouts, "_sepa_schema")
        rss_before = (status_kb("VmRSS") or 0) / 1024
        hwm_reset = reset_peak_rss()
        started = time.perf_counter()
        batch = payouts.create_payment_batch(year, PayoutForm.BANK, coordinator)
        seconds = time.perf_counter() - started
        hwm_kb = status_kb("VmHWM")
        peak_mb = (hwm_kb / 1024 if hwm_reset and hwm_kb
                   else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)

        assert batch.request_count == PAYMENTS and batch.total_cents == PAYMENTS * 7500
        assert not batch.requests.exclude(state=RequestState.IN_BETAALBATCH).exists()
        size_mb = batch.export.size / 1e6
        build = render.seconds - validate.seconds
        rows = seconds - render.seconds
        print(f"create_payment_batch: {seconds:.2f} s for {batch.request_count} payments, "
              f"file {size_mb:.1f} MB; RSS before {rss_before:.0f} MB, peak during the call "
              f"{peak_mb:.0f} MB ({'VmHWM after reset' if hwm_reset else 'ru_maxrss'})")
        print(f"  claim rows + {PAYMENTS} logged transitions + store: {rows:.2f} s")
        print(f"  build the XML with sepaxml: {build:.2f} s")
        print(f"  XSD validation (lxml): {validate.seconds:.2f} s, of which parsing "
              f"the XSD (once per process) {load_xsd.seconds:.2f} s")
        xsd_seconds = validate.seconds
        started = time.perf_counter()
        payouts.validate_sepa(batch.export.open("rb").read())
        print(f"  validating the same file again (XSD already parsed): "
              f"{time.perf_counter() - started:.2f} s")
        started = time.perf_counter()
        payouts.mark_batch_paid(batch, coordinator)
        print(f"mark_batch_paid ({PAYMENTS} logged transitions, one UPDATE): "
              f"{time.perf_counter() - started:.2f} s")
        naive, small = small_batches(small_year, coordinator)
        connection.close()
    finally:
        if not KEEP_DB:
            drop_database(admin_url, DB_NAME)
        shutil.rmtree(var_dir, ignore_errors=True)
    growth = seconds / small * (10 * SMALL_PAYMENTS / PAYMENTS)
    print(f"BENCH sepa payments={PAYMENTS} seconds={seconds:.2f} peak_mb={peak_mb:.0f} "
          f"xsd_validate_s={xsd_seconds:.2f} small_payments={SMALL_PAYMENTS} "
          f"small_seconds={small:.2f} growth_x10={growth:.1f} baseline_seconds={naive:.2f} "
          f"ratio={naive / small:.1f} goal_seconds=10")


if __name__ == "__main__":
    main()
