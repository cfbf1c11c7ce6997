"""Benchmark: the registry import of 10,000 caregivers with 12,000 naasten. Not a test.

Creates the database `bench_import` on the PostgreSQL server of DATABASE_URL (dropped at the
end unless BENCH_KEEP_DB=1), migrates it, and writes a CSV as Excel writes it (semicolons,
UTF-8 with BOM): 8,000 caregivers with one naaste and 2,000 with two (one line per naaste),
each with a number from the old system, an e-mail address for 85%, a phone number, and
dates typed in three ways. Then, each timed, with the peak RSS of this process (VmHWM, reset
before each phase through /proc/self/clear_refs):

- upload: the whole-file checks and the guessed mapping (`services.upload`);
- dry run: `jobs.check_import` (read, clean, match, one verdict per line);
- import: `jobs.run_import` (everything in one transaction, the letters queued);
- a second dry run of the same file (everything "ongewijzigd");
- baseline: the same people one by one through `registrations.services.register` (the
  intake's service) for a sample of BENCH_BASELINE_SAMPLE caregivers, rolled back,
  extrapolated to all of them; `ratio` = baseline_s / import_s.

BENCH_CAREGIVERS changes the size. Targets (issue 18): dry run and import each under 30 s
and under 400 MB. The last line is `BENCH import rows=… dry_run_s=… import_s=… peak_mb=…
baseline_s=… ratio=…`.
"""

import datetime
import os
import random
import resource
import sys
import time
from pathlib import Path

from benchdb import drop_database, open_benchmark_database, reset_peak_rss, setup_django, status_kb

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
CAREGIVERS = int(os.environ.get("BENCH_CAREGIVERS", "10000"))
TWO_NAASTEN = CAREGIVERS // 5
SAMPLE = int(os.environ.get("BENCH_BASELINE_SAMPLE", "500"))
DB_NAME = os.environ.get("BENCH_DB", "bench_import")
KEEP_DB = os.environ.get("BENCH_KEEP_DB") == "1"
HEADERS = ["Klantnummer", "Voornaam", "Tussenvoegsel", "Achternaam", "Geboortedatum",
           "Straat", "Huisnummer", "Toevoeging", "Postcode", "Woonplaats", "E-mailadres",
           "Telefoon", "Naaste", "Relatie", "Uren per week", "Sinds", "Ingeschreven op",
           "Nieuwsbrief"]
FIRST = ["Jan", "Riet", "Henk", "Truus", "Ahmed", "Fatima", "Kees", "Anja", "Willem", "Sanne"]
LAST = ["Bakker", "Visser", "Smit", "Mulder", "Bos", "Vos", "Peters", "Hendriks", "Dekker"]
RELATIONS = ["moeder", "vader", "partner", "zoon", "dochter", "buurvrouw", "zus"]


def people(rng) -> list[list[str]]:
    """One line per naaste: CAREGIVERS people, TWO_NAASTEN of them with two."""
    lines = []
    for n in range(CAREGIVERS):
        born = datetime.date(1935, 1, 1) + datetime.timedelta(days=rng.randrange(365 * 70))
        typed = [born.strftime("%d-%m-%Y"), born.strftime("%-d/%-m/%Y"), born.isoformat()][n % 3]
        postcode = f"38{40 + n % 10}{chr(65 + n // 26 % 26)}{chr(65 + n % 26)}"
        email = f"mantelzorger{n}@example.nl" if rng.random() < 0.85 else ""
        phone = f"06{rng.randrange(1, 6)}{rng.randrange(10**6, 10**7)}"
        base = [f"HW{n:06d}", rng.choice(FIRST), "van" if n % 7 == 0 else "",
                rng.choice(LAST), typed, "Lindenlaan", str(1 + n // 676), "a" if n % 9 == 0
                else "", postcode, "Harderwijk", email, phone]
        for k in range(2 if n < TWO_NAASTEN else 1):
            since = datetime.date(2015, 1, 1) + datetime.timedelta(days=rng.randrange(3000))
            lines.append(base + [f"{rng.choice(FIRST)} {base[3]} {k}", rng.choice(RELATIONS),
                                 str(rng.randrange(2, 40)), since.strftime("%d-%m-%Y"),
                                 "2022-01-15", "ja" if rng.random() < 0.6 else "nee"])
    return lines


def csv_content(lines) -> bytes:
    text = "\r\n".join(";".join(line) for line in [HEADERS, *lines]) + "\r\n"
    return text.encode("utf-8-sig")


def timed(label, work):
    reset = reset_peak_rss()
    started = time.perf_counter()
    result = work()
    seconds = time.perf_counter() - started
    peak_kb = status_kb("VmHWM") if reset else None
    peak_mb = peak_kb / 1024 if peak_kb else resource.getrusage(
        resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{label:<22} {seconds:7.2f} s   peak {peak_mb:6.0f} MB", flush=True)
    return result, seconds, peak_mb


def baseline(lines) -> float:
    """The first SAMPLE caregivers through the intake's service, one by one, rolled back."""
    from django.db import transaction

    from registrations.imports.cleaning import clean_line
    from registrations.imports.mapping import guess_mapping
    from registrations.models import RegistrationRules, Source
    from registrations.services import RegistrationData, register

    mapping, rules = guess_mapping(HEADERS), RegistrationRules.current()
    by_person: dict[str, list[dict]] = {}
    for number, cells in enumerate(lines, start=2):
        data = clean_line(number, cells, HEADERS, mapping, rules).data
        if len(by_person) < SAMPLE or data["external_id"] in by_person:
            by_person.setdefault(data["external_id"], []).append(data)
    keys = ["first_name", "last_name", "date_of_birth", "street", "house_number", "postcode",
            "city", "email", "phone", "channel", "wants_newsletter"]

    class RolledBack(Exception):
        pass

    started = time.perf_counter()
    try:
        with transaction.atomic():
            for rows in by_person.values():
                first = rows[0]
                caregiver = {key: first.get(key, "") for key in keys}
                caregiver["date_of_birth"] = datetime.date.fromisoformat(first["date_of_birth"])
                caregiver["wants_newsletter"] = bool(first.get("wants_newsletter"))
                recipients = [{
                    "name": r["recipient_name"], "relationship": r["recipient_relationship"],
                    "hours_per_week": r["hours_per_week"],
                    "care_since": datetime.date.fromisoformat(r["care_since"]),
                    "lives_in_municipality": True, "living_together": False,
                    "care_kinds": []} for r in rows]
                register(RegistrationData(caregiver=caregiver, care_recipients=recipients),
                         source=Source.CONSULENT)
            raise RolledBack
    except RolledBack:
        pass
    return (time.perf_counter() - started) * CAREGIVERS / len(by_person)


def main() -> None:
    admin_url = open_benchmark_database(DB_NAME, "bench-import")
    try:
        setup_django()
        from django.core.files.uploadedfile import SimpleUploadedFile

        from registrations.imports import jobs, services
        from registrations.models import Caregiver, CareRecipient, ImportState
        from worker.models import Letter

        lines = people(random.Random(18))
        content = csv_content(lines)
        print(f"{CAREGIVERS} caregivers, {len(lines)} lines, {len(content) / 1e6:.1f} MB CSV")
        registry_import, upload_s, upload_mb = timed("upload", lambda: services.upload(
            SimpleUploadedFile("bestand.csv", content), by=None))
        registry_import.state = ImportState.CHECKING
        registry_import.save(update_fields=["state"])
        _r, dry_run_s, dry_mb = timed("dry run", lambda: jobs.check_import(registry_import.pk))
        registry_import.refresh_from_db()
        print("  summary:", registry_import.summary)
        registry_import.state = ImportState.QUEUED
        registry_import.save(update_fields=["state"])
        _r, import_s, import_mb = timed("import", lambda: jobs.run_import(registry_import.pk))
        registry_import.refresh_from_db()
        assert registry_import.state == ImportState.DONE, registry_import.message
        print(f"  written: {Caregiver.objects.count()} caregivers, "
              f"{CareRecipient.objects.count()} naasten, {Letter.objects.count()} letters")
        again = services.upload(SimpleUploadedFile("bestand.csv", content), by=None)
        again.state = ImportState.CHECKING
        again.save(update_fields=["state"])
        _r, second_s, second_mb = timed("second dry run", lambda: jobs.check_import(again.pk))
        again.refresh_from_db()
        print("  summary:", again.summary)
        baseline_s, baseline_seconds, _mb = timed(
            f"baseline ({SAMPLE} of them)", lambda: baseline(lines))
        print(f"  baseline extrapolated to {CAREGIVERS}: {baseline_s:.1f} s")
        peak_mb = max(upload_mb, dry_mb, import_mb, second_mb)
        print(f"BENCH import rows={len(lines)} caregivers={CAREGIVERS} upload_s={upload_s:.2f} "
              f"dry_run_s={dry_run_s:.2f} import_s={import_s:.2f} peak_mb={peak_mb:.0f} "
              f"second_dry_run_s={second_s:.2f} baseline_s={baseline_s:.1f} "
              f"ratio={baseline_s / import_s:.1f}")
    finally:
        if not KEEP_DB:
            from django.db import connections

            connections.close_all()
            drop_database(admin_url, DB_NAME)


if __name__ == "__main__":
    main()
