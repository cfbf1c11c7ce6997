"""What `make bench-mixed` measures besides latency: PostgreSQL's lock waits, each job's
time in the worker, and whether any work was lost or done twice."""

import re
import statistics
import threading
import time
from pathlib import Path

import psycopg

TASK_DONE = re.compile(r"Task ([\w.]+)\[[\w-]+\] succeeded in ([\d.]+)s")
ACCESS = re.compile(r'"(GET|POST) (\S+)" (\d{3}) ([\d.]+)s')


class LockSampler(threading.Thread):
    """Samples pg_stat_activity every `interval` s: every backend of the database waiting for
    a heavyweight lock (wait_event_type 'Lock'). A wait is one (pid, query_start) seen
    waiting; its length is from the first to the last sample that saw it, plus one interval
    (so it is known to within `interval`)."""

    def __init__(self, url: str, database: str, interval: float = 0.05):
        super().__init__(daemon=True)
        self.url, self.database, self.interval = url, database, interval
        self.phase = "idle"
        self.waits: dict = {}  # (phase, pid, query_start) -> [first, last, event, query]
        self.stopping = threading.Event()

    def run(self) -> None:
        with psycopg.connect(self.url, autocommit=True) as conn:
            while not self.stopping.is_set():
                now = time.monotonic()
                for pid, started, event, query in conn.execute(
                        "SELECT pid, query_start, wait_event, left(query, 120) "
                        "FROM pg_stat_activity WHERE datname = %s AND wait_event_type = 'Lock'",
                        [self.database]):
                    key = (self.phase, pid, started)
                    if key in self.waits:
                        self.waits[key][1] = now
                    else:
                        self.waits[key] = [now, now, event, " ".join(query.split())]
                time.sleep(self.interval)

    def stop(self) -> None:
        self.stopping.set()
        self.join(timeout=5)

    def longest(self, phase: str) -> tuple[float, str]:
        """(ms, 'wait_event: query') of the longest wait seen in `phase`, (0, '') if none."""
        waits = [(last - first + self.interval, f"{event}: {query}")
                 for (p, _, _), (first, last, event, query) in self.waits.items() if p == phase]
        if not waits:
            return 0.0, ""
        seconds, what = max(waits)
        return seconds * 1000, what

    def count(self, phase: str) -> int:
        return sum(1 for key in self.waits if key[0] == phase)


def task_times(log: Path) -> dict[str, list[float]]:
    """Seconds per succeeded Celery task, by task name, from the worker's log."""
    times: dict[str, list[float]] = {}
    for match in TASK_DONE.finditer(log.read_text(errors="replace")):
        times.setdefault(match.group(1), []).append(float(match.group(2)))
    return times


def access_counts(log: Path, start: int = 0) -> dict[tuple[str, str, str], int]:
    """(method, path pattern, status) → number of answers in gunicorn's access log; ids in
    paths become <id>."""
    counts: dict = {}
    with log.open() as handle:
        handle.seek(start)
        for line in handle:
            match = ACCESS.search(line)
            if match:
                key = (match.group(1), re.sub(r"/\d+/", "/<id>/", match.group(2)),
                       match.group(3))
                counts[key] = counts.get(key, 0) + 1
    return counts


def server_ms(log: Path, start: int, end: int) -> dict[str, float]:
    """Median server time in ms per (method path) between two offsets of the access log."""
    times: dict[str, list[float]] = {}
    with log.open() as handle:
        handle.seek(start)
        for line in handle.read(end - start).splitlines():
            match = ACCESS.search(line)
            if match:
                key = f"{match.group(1)} {re.sub(r'/[0-9]+/', '/<id>/', match.group(2))}"
                times.setdefault(key, []).append(float(match.group(4)) * 1000)
    return {key: statistics.median(values) for key, values in sorted(times.items())}


def check_work(data: dict, sink_counts: dict, access: dict, sepa_status: int) -> dict:
    """Lost and doubled work per flow and job; every figure should be 0 (or as expected)."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction
    from django.db.models import Count, F, Q, Sum
    from django_fsm_log.models import StateLog

    from appreciation.models import AppreciationRequest, PaymentBatch, RequestState
    from registrations import retention
    from registrations.models import Caregiver
    from worker.models import Delivery, DeliveryStatus, Letter, PrintBatch

    out = {}
    # Newsletter: every delivery row sent, every address exactly one message.
    rows = Delivery.objects.filter(newsletter_id=data["newsletter_id"])
    addresses = list(rows.values_list("caregiver__email", flat=True))
    out["newsletter_rows"] = len(addresses)
    out["newsletter_not_sent"] = rows.exclude(status=DeliveryStatus.SENT).count()
    out["newsletter_lost"] = sum(1 for a in addresses if sink_counts.get(a, 0) == 0)
    out["newsletter_duplicates"] = sum(max(0, sink_counts.get(a, 0) - 1) for a in addresses)
    # Print batch: every letter in exactly one batch, each batch's count right.
    letters = Letter.objects.filter(pk__in=data["letter_ids"])
    out["letters_not_printed"] = letters.filter(print_batch__isnull=True).count()
    out["print_batches_miscounted"] = PrintBatch.objects.annotate(
        n=Count("letters")).exclude(letter_count=F("n")).count()
    # Payment batch: the file's count and total agree with the rows in it.
    batches = PaymentBatch.objects.filter(year_id=data["year_id"], payout_form="bank",
                                          export__gt="")
    out["sepa_http_status"] = sepa_status
    out["sepa_batches"] = batches.count()
    out["sepa_batch_wrong"] = 0
    for batch in batches:
        rows = AppreciationRequest.objects.filter(payment_batch=batch).aggregate(
            n=Count("id"), total=Sum("amount_cents"))
        out["sepa_payments"] = rows["n"]
        out["sepa_batch_wrong"] += int(rows["n"] != batch.request_count
                                       or rows["total"] != batch.total_cents)
    out["sepa_left_waiting"] = AppreciationRequest.objects.filter(
        year_id=data["year_id"], payout_form="bank",
        state=RequestState.GOEDGEKEURD, decided_at__lt=data["jobs_queued_at"]).count()
    # Retention: a second run the same day finds nothing left (rolled back).
    try:
        with transaction.atomic():
            again = retention.run_daily()
            raise _RollBack
    except _RollBack:
        pass
    out["retention_left"] = again.notices + again.ended + again.expired + again.erased
    # Registrations and waardering requests: one row per completed round, none twice.
    for flow, pattern, klaar in (("register", "bench", "/aanmelden/klaar"),
                                 ("waardering", "waardering", "/waardering/zelf/klaar")):
        people = Caregiver.objects.filter(email__startswith=pattern,
                                          email__endswith="@example.nl")
        stored, distinct = people.count(), people.values("email").distinct().count()
        done = access.get(("GET", klaar, "302"), 0)
        out[f"{flow}_completed"] = done
        out[f"{flow}_duplicates"] = stored - distinct
        out[f"{flow}_lost"] = done - distinct
    requests = AppreciationRequest.objects.filter(caregiver__email__startswith="waardering")
    out["waardering_requests_missing"] = out["waardering_completed"] - requests.count()
    # Approvals: each approved once; every approve answered 302 did approve.
    approved = AppreciationRequest.objects.filter(
        pk__in=data["all_consulent_ids"]).filter(
        Q(state=RequestState.GOEDGEKEURD) | Q(state=RequestState.IN_BETAALBATCH)).count()
    posts = access.get(("POST", "/backoffice/waardering/<id>/goedkeuren/", "302"), 0)
    out["approved"] = approved
    out["approvals_lost"] = posts - approved
    out["approvals_doubled"] = StateLog.objects.filter(
        content_type=ContentType.objects.get_for_model(AppreciationRequest),
        transition="approve", object_id__in=data["all_consulent_ids"]).values(
        "object_id").annotate(n=Count("id")).filter(n__gt=1).count()
    return out


class _RollBack(Exception):
    pass
