"""Benchmark: the daily retention job on 1,000,000 registrations. Not a test.

Creates the database `bench_retention` on the PostgreSQL server of DATABASE_URL (dropped
again at the end unless BENCH_KEEP_DB=1), migrates it with Django, fills it with set-based
SQL only (INSERT … SELECT FROM generate_series; no Python loop, no ORM objects):

- caregivers: 80% actief, 12% voormalig (end of care spread over the last 3 years), 4%
  aangemeld (registered over the last 120 days), 4% beëindigd (ended over the last 90 days:
  own request, retention, never confirmed); wijken in the proportions of the 2023 annual
  report (17% "onbekend"); ages 10 to 95; 85% with an e-mail address;
- what goes with them: a processing consent each, care recipients for 60% (a second one for
  10%), guardians for those under 16, a confirmation token for the unconfirmed ones, and the
  transition log (activate, end_care, end_registration) a real history would have;

then VACUUM ANALYZE, and times registrations.retention.run_daily() for today. Reported: wall
time, peak RSS of this Python process during run_daily (the kernel's high-water mark is reset
just before the call via /proc/self/clear_refs; ru_maxrss where that is not possible) and of
the whole script, the time per statement, and a second run the same day (nothing to do).

Issue 17: first the same on a database ten times smaller (BENCH_SMALL_ROWS, default
BENCH_ROWS / 10), where the naive baseline (retention_naive.py: the same job as a loop over
objects, rolled back) runs before the set-based job; `ratio` is the naive time over the
set-based time at that size, and `growth_x10` the set-based time at the full size over that
at the small size (10: linear; less: fixed costs weigh more at the small size).

BENCH_ROWS=… changes the size; BENCH_EXPLAIN=1 first runs the job once inside a transaction
that is rolled back, printing EXPLAIN (ANALYZE, BUFFERS) for every statement it sends.
Targets (issue): under 60 s and under 500 MB RSS on the 2-core machine.
The last line is `BENCH retention rows=… seconds=… peak_mb=… notices=… ended=… expired=…
erased=… small_rows=… small_seconds=… growth_x10=… baseline_seconds=… ratio=…`.
"""

import gc
import os
import resource
import sys
import time
from pathlib import Path

from benchdb import (
    DISTRICT_WEIGHTS,
    blank_text_defaults,
    drop_database,
    empty_tables,
    recreate_database,
    reset_peak_rss,
    server_urls,
    status_kb,
)

ROOT = Path(__file__).resolve().parent.parent
ROWS = int(os.environ.get("BENCH_ROWS", "1000000"))
SMALL_ROWS = int(os.environ.get("BENCH_SMALL_ROWS", str(ROWS // 10)))
DB_NAME = os.environ.get("BENCH_DB", "bench_retention")
KEEP_DB = os.environ.get("BENCH_KEEP_DB") == "1"
EXPLAIN = os.environ.get("BENCH_EXPLAIN") == "1"



# --- memory --------------------------------------------------------------------------------

def ru_maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux


# --- the database --------------------------------------------------------------------------

# One row of random draws per caregiver; every date is derived from them and %(today)s.
CAREGIVERS = """
INSERT INTO registrations_caregiver (
    first_name, last_name, date_of_birth, street, house_number, postcode, city, district_id,
    email, email_confirmed_at, phone, channel, wants_newsletter,
    parent_of_disabled_child, migration_background, target_group_consent_at,
    state, source, registered_on, activated_on, care_ended_on, care_end_reason,
    ended_on, end_reason, checked_by_consulent_at, created_at)
SELECT
    'Voornaam' || i, 'Achternaam' || i,
    %(today)s - floor((10 + r_age * 85) * 365.25)::int,
    'Lindenlaan', (1 + mod(i, 240))::text,
    CASE WHEN district_id = %(hierden)s THEN '3849' ELSE '384' || mod(i, 9) END
        || chr(65 + mod(i, 26)) || chr(65 + mod(i / 26, 26)),
    CASE WHEN district_id = %(hierden)s THEN 'Hierden' ELSE 'Harderwijk' END,
    district_id,
    CASE WHEN has_email THEN 'mantelzorger' || i || '@example.nl' ELSE '' END,
    CASE WHEN has_email AND st <> 'aangemeld' AND end_reason <> 'niet_bevestigd'
         THEN registered_on + time '12:00' END,
    '06' || lpad(mod(i::bigint * 7919, 100000000)::text, 8, '0'),
    CASE WHEN has_email THEN 'email' ELSE 'post' END,
    r_misc < 0.9,
    r_group BETWEEN 0.03 AND 0.04, r_group < 0.03,
    CASE WHEN r_group < 0.04 THEN registered_on + time '12:00' END,
    st, CASE WHEN r_misc < 0.7 THEN 'online' ELSE 'consulent' END,
    registered_on,
    CASE WHEN st <> 'aangemeld' AND end_reason <> 'niet_bevestigd' THEN registered_on + 3 END,
    care_ended_on,
    CASE WHEN care_ended_on IS NOT NULL
         THEN (ARRAY['overlijden', 'opname', 'hersteld', 'anders'])[1 + floor(r_misc * 4)::int]
         ELSE '' END,
    ended_on, end_reason,
    CASE WHEN NOT has_email AND st <> 'aangemeld' AND end_reason <> 'niet_bevestigd'
         THEN registered_on + time '12:00' END,
    registered_on + time '12:00'
FROM (
    SELECT *,
        CASE st
            WHEN 'voormalig' THEN care_ended_on - 30 - floor(r_misc * 3000)::int
            WHEN 'aangemeld' THEN %(today)s - floor(r_date * 120)::int
            WHEN 'beeindigd' THEN CASE WHEN end_reason = 'niet_bevestigd' THEN ended_on - 61
                                       ELSE ended_on - 800 - floor(r_misc * 2500)::int END
            ELSE %(today)s - 30 - floor(r_date * 3650)::int
        END AS registered_on
    FROM (
        SELECT *,
            CASE WHEN st = 'voormalig' THEN %(today)s - floor(r_date * 1095)::int
                 WHEN end_reason = 'bewaartermijn' THEN ended_on - 731 END AS care_ended_on
        FROM (
            SELECT *,
                CASE WHEN st <> 'beeindigd' THEN ''
                     WHEN r_reason < 0.7 THEN 'eigen_verzoek'
                     WHEN r_reason < 0.9 THEN 'bewaartermijn'
                     ELSE 'niet_bevestigd' END AS end_reason,
                CASE WHEN st = 'beeindigd' THEN %(today)s - floor(r_date * 90)::int
                     END AS ended_on
            FROM (
                SELECT i, r_date, r_age, r_misc, r_group, r_reason, r_email < 0.85 AS has_email,
                    (%(districts)s::int[])[1 + floor(r_district * %(weight_total)s)::int]
                        AS district_id,
                    CASE WHEN r_state < 0.80 THEN 'actief' WHEN r_state < 0.92 THEN 'voormalig'
                         WHEN r_state < 0.96 THEN 'aangemeld' ELSE 'beeindigd' END AS st
                FROM (
                    SELECT i, random() AS r_state, random() AS r_date, random() AS r_age,
                           random() AS r_misc, random() AS r_group, random() AS r_reason,
                           random() AS r_email, random() AS r_district
                    FROM generate_series(1, %(rows)s) AS i
                ) AS draws
            ) AS kinds
        ) AS ends
    ) AS cares
) AS registrations
"""

CARE_RECIPIENTS = """
INSERT INTO registrations_carerecipient (
    caregiver_id, name, date_of_birth, lives_in_municipality, relationship, care_kinds,
    hours_per_week, care_since, living_together, care_need)
SELECT c.id, 'Naaste ' || c.id || '-' || n, c.date_of_birth - 9000 + mod(c.id, 20000)::int,
       mod(c.id, 20) <> 0,
       (ARRAY['partner', 'ouder', 'kind', 'familie', 'vriend', 'anders'])[1 + mod(c.id, 6)],
       '["huishouden", "verzorging"]'::jsonb, 8 + mod(c.id, 30), c.registered_on - 200,
       mod(c.id, 3) = 0,
       (ARRAY['', 'ouderdom', 'dementie', 'lichamelijk', 'psychisch'])[1 + mod(c.id, 5)]
FROM registrations_caregiver AS c
CROSS JOIN generate_series(1, 2) AS n
WHERE mod(c.id * 7, 10) < CASE n WHEN 1 THEN 6 ELSE 1 END
"""

CONSENTS = """
INSERT INTO registrations_consentrecord (caregiver_id, kind, given, text_version, text,
                                         given_by, at)
SELECT id, 'verwerking', true, 'v1', %(text)s,
       CASE WHEN source = 'consulent' THEN 'consulent' ELSE 'mantelzorger' END, created_at
FROM registrations_caregiver
UNION ALL
SELECT id, 'doelgroep', true, 'v1', %(group_text)s, 'mantelzorger', target_group_consent_at
FROM registrations_caregiver WHERE target_group_consent_at IS NOT NULL
"""

GUARDIANS = """
INSERT INTO registrations_guardian (caregiver_id, name, email, phone, confirmed_at)
SELECT id, 'Ouder van ' || id, 'ouder' || id || '@example.nl', '',
       CASE WHEN state <> 'aangemeld' THEN created_at END
FROM registrations_caregiver WHERE date_of_birth > %(today)s - 16 * 365
"""

TOKENS = """
INSERT INTO registrations_accesstoken (caregiver_id, purpose, token_hash, expires_at, created_at)
SELECT id, 'email', md5(id::text) || md5('bench' || id), created_at + interval '7 days',
       created_at
FROM registrations_caregiver WHERE state = 'aangemeld' AND email <> ''
"""

STATE_LOG = """
INSERT INTO django_fsm_log_statelog (timestamp, by_id, source_state, state, transition,
                                     content_type_id, object_id, description)
SELECT activated_on + time '12:00', NULL::int, 'aangemeld', 'actief', 'activate', %(ct)s, id,
       'E-mailadres bevestigd'
FROM registrations_caregiver WHERE activated_on IS NOT NULL
UNION ALL
SELECT care_ended_on + time '12:00', NULL, 'actief', 'voormalig', 'end_care', %(ct)s, id,
       'Mijn naaste is overleden'
FROM registrations_caregiver WHERE care_ended_on IS NOT NULL
UNION ALL
SELECT ended_on + time '12:00', NULL,
       CASE end_reason WHEN 'bewaartermijn' THEN 'voormalig' WHEN 'niet_bevestigd'
            THEN 'aangemeld' ELSE 'actief' END,
       'beeindigd', 'end_registration', %(ct)s, id, 'Op eigen verzoek'
FROM registrations_caregiver WHERE state = 'beeindigd'
"""


def fill(today, rows: int = ROWS) -> dict:
    """Fill the benchmark database with `rows` caregivers; returns row counts per table."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    from registrations.models import Caregiver, District
    from registrations.services import PROCESSING_CONSENT, TARGET_GROUP_CONSENT

    ids = dict(District.objects.values_list("name", "pk"))
    districts = [ids[name] if name else None
                 for name, weight in DISTRICT_WEIGHTS.items() for _ in range(weight)]
    params = {
        "today": today, "rows": rows, "districts": districts,
        "weight_total": len(districts), "hierden": ids["Hierden"],
        "text": PROCESSING_CONSENT[1], "group_text": TARGET_GROUP_CONSENT[1],
        "ct": ContentType.objects.get_for_model(Caregiver).pk,
    }
    with connection.cursor() as cursor:
        cursor.execute("SELECT setseed(0.2026)")
        for sql in (CAREGIVERS, CARE_RECIPIENTS, CONSENTS, GUARDIANS, TOKENS, STATE_LOG):
            cursor.execute(sql, params)
        cursor.execute("VACUUM ANALYZE")
        counts = {}
        for table in ("registrations_caregiver", "registrations_carerecipient",
                      "registrations_consentrecord", "registrations_guardian",
                      "registrations_accesstoken", "django_fsm_log_statelog"):
            cursor.execute(f"SELECT count(*) FROM {table}")
            counts[table] = cursor.fetchone()[0]
        cursor.execute("SELECT state, count(*) FROM registrations_caregiver GROUP BY state "
                       "ORDER BY state")
        counts["states"] = dict(cursor.fetchall())
    return counts


# --- measuring the job ---------------------------------------------------------------------

class StatementTimer:
    """An execute_wrapper: wall time and row count of every statement the job sends."""

    def __init__(self):
        self.statements = []

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        result = execute(sql, params, many, context)
        self.statements.append((time.perf_counter() - started, " ".join(sql.split()),
                                context["cursor"].rowcount))
        return result

    def report(self, top=8):
        for seconds, sql, rows in sorted(self.statements, reverse=True)[:top]:
            print(f"  {seconds:7.3f} s  {rows:>8} rows  {sql[:110]}")


class Explainer:
    """An execute_wrapper that shows EXPLAIN (ANALYZE, BUFFERS) for each data statement,
    run in a savepoint that is rolled back, before running the statement itself."""

    def __init__(self):
        self.busy = False

    def __call__(self, execute, sql, params, many, context):
        verb = sql.lstrip().split(None, 1)[0].upper()
        if self.busy or many or verb not in {"SELECT", "INSERT", "UPDATE", "DELETE"}:
            return execute(sql, params, many, context)
        cursor = context["cursor"]
        self.busy = True
        try:
            cursor.execute("SAVEPOINT bench_explain")
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
            plan = "\n".join("    " + row[0] for row in cursor.fetchall())
            cursor.execute("ROLLBACK TO SAVEPOINT bench_explain")
        finally:
            self.busy = False
        print(f"--- {' '.join(sql.split())[:150]}\n{plan}")
        return execute(sql, params, many, context)


class _RollBack(Exception):
    pass


def explain_job(today) -> None:
    from django.db import connection, transaction

    from registrations import retention

    try:
        with transaction.atomic(), connection.execute_wrapper(Explainer()):
            retention.run_daily(today)
            raise _RollBack
    except _RollBack:
        pass


def small_run(today) -> dict:
    """The naive baseline and the set-based job on SMALL_ROWS registrations."""
    from retention_naive import run_naive

    from registrations import retention

    fill(today, SMALL_ROWS)
    naive_seconds, handled = run_naive(today)
    started = time.perf_counter()
    result = retention.run_daily(today)
    seconds = time.perf_counter() - started
    print(f"small: {SMALL_ROWS} registrations; naive per-object job {naive_seconds:.2f} s for "
          f"{handled} caregivers (rolled back), set-based {seconds:.2f} s: {result}", flush=True)
    empty_tables("registrations_caregiver", "django_fsm_log_statelog", "worker_letter")
    return {"seconds": seconds, "naive_seconds": naive_seconds}


def main() -> None:
    sys.path.insert(0, str(ROOT))
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith(("postgres://", "postgresql://")):
        sys.exit("DATABASE_URL must point at a PostgreSQL server (`make bench-retention`).")
    admin_url, bench_url = server_urls(database_url, DB_NAME)
    script_started = time.perf_counter()
    recreate_database(admin_url, DB_NAME)
    os.environ["DATABASE_URL"] = bench_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mantelzorg.settings")
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        from core import clock
        from registrations import retention

        call_command("migrate", verbosity=0)

        blank_text_defaults()
        today = clock.today()
        small = small_run(today)
        started = time.perf_counter()
        counts = fill(today)
        print(f"filled in {time.perf_counter() - started:.1f} s on {today}: "
              + ", ".join(f"{k.split('_')[-1]}={v}" for k, v in counts.items()))
        if EXPLAIN:
            explain_job(today)

        gc.collect()
        setup_peak_mb = ru_maxrss_mb()
        rss_before_mb = (status_kb("VmRSS") or 0) / 1024
        hwm_reset = reset_peak_rss()
        timer = StatementTimer()
        with connection.execute_wrapper(timer):
            started = time.perf_counter()
            result = retention.run_daily(today)
            seconds = time.perf_counter() - started
        hwm_kb = status_kb("VmHWM")
        job_peak_mb = hwm_kb / 1024 if hwm_reset and hwm_kb else ru_maxrss_mb()
        print(f"run_daily: {seconds:.2f} s, {len(timer.statements)} statements; RSS before "
              f"{rss_before_mb:.0f} MB, peak during the job {job_peak_mb:.0f} MB "
              f"({'VmHWM after reset' if hwm_reset else 'ru_maxrss of the process'}); "
              f"slowest statements:")
        timer.report()

        started = time.perf_counter()
        again = retention.run_daily(today)
        print(f"second run the same day: {time.perf_counter() - started:.2f} s, {again}")
        connection.close()
    finally:
        if not KEEP_DB:
            drop_database(admin_url, DB_NAME)
    script_peak_mb = max(setup_peak_mb, ru_maxrss_mb())
    print(f"whole script: {time.perf_counter() - script_started:.0f} s, peak RSS "
          f"{script_peak_mb:.0f} MB (ru_maxrss; includes django.setup and migrate)")
    growth = seconds / small["seconds"] * (10 * SMALL_ROWS / ROWS)
    print(f"BENCH retention rows={ROWS} seconds={seconds:.2f} peak_mb={job_peak_mb:.0f} "
          f"notices={result.notices} ended={result.ended} expired={result.expired} "
          f"erased={result.erased} small_rows={SMALL_ROWS} small_seconds={small['seconds']:.2f} "
          f"growth_x10={growth:.1f} baseline_seconds={small['naive_seconds']:.2f} "
          f"ratio={small['naive_seconds'] / small['seconds']:.1f} goal_seconds=60")


if __name__ == "__main__":
    main()
