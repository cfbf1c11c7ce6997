"""Benchmark: the first page of the waardering review queue with 200,000 requests. Not a test.

Creates the database `bench_queue` on the PostgreSQL server of DATABASE_URL (dropped again
at the end unless BENCH_KEEP_DB=1), migrates it, and fills it with set-based SQL only
(INSERT … SELECT FROM generate_series):

- four years of rules (this year and the three before), one payment batch per year;
- 200,000 caregivers, wijken in the proportions of the 2023 annual report (17% "onbekend");
- one request per caregiver: 40% this year, 20% in each earlier year; earlier years are
  decided (85% paid, 10% rejected, 5% withdrawn); this year is mixed (30% ingediend, 15% in
  behandeling, 5% aanvulling nodig, 25% goedgekeurd, 10% in een betaalbatch, 10% afgewezen,
  5% ingetrokken); 10% young caregivers; one check in five fails; the `checks` JSON has the
  seven entries a real request has.

Then VACUUM ANALYZE, and the queue page is rendered through Django's test Client as a
logged-in consulent (force_login in demo mode, so no second factor; DEBUG off), several
times: reported are median and max in ms and the number of queries, for the default page
(this year's open requests) and for a few filters. BENCH_RUNS changes the number of runs,
BENCH_ROWS the size, and BENCH_EXPLAIN=1 prints EXPLAIN ANALYZE of the queue's statements.
Target (issue): first page under 200 ms.

Issue 17: the first page is first measured with a tenth of the requests (BENCH_SMALL_ROWS,
default BENCH_ROWS / 10; `growth_x10` is the full size's median over that one: 1 means the
page does not grow with the table), and at the full size once more without the queue's
indexes (migrations 0004 and 0005, dropped inside a transaction that is rolled back): the
same queries without the indexes are the baseline, `ratio` is its median over the page's.
The last line is `BENCH queue requests=… first_page_ms=… queries=… small_requests=…
small_first_page_ms=… growth_x10=… baseline_ms=… ratio=…`.
"""

import os
import statistics
import time

from benchdb import (
    DISTRICT_WEIGHTS,
    consulent_client,
    drop_database,
    empty_tables,
    measure_page,
    open_benchmark_database,
    setup_django,
)

ROWS = int(os.environ.get("BENCH_ROWS", "200000"))
SMALL_ROWS = int(os.environ.get("BENCH_SMALL_ROWS", str(ROWS // 10)))
# The queue's indexes (migrations 0004, 0005): the baseline runs the page without them.
QUEUE_INDEXES = ("appreciatio_year_id_09311b_idx", "waardering_year_state_amount",
                 "waardering_newcomers")
RUNS = int(os.environ.get("BENCH_RUNS", "20"))
DB_NAME = os.environ.get("BENCH_DB", "bench_queue")
KEEP_DB = os.environ.get("BENCH_KEEP_DB") == "1"
EXPLAIN = os.environ.get("BENCH_EXPLAIN") == "1"




CAREGIVERS = """
INSERT INTO registrations_caregiver (
    first_name, last_name, date_of_birth, street, house_number, postcode, city, district_id,
    email, email_confirmed_at, phone, channel, wants_newsletter, parent_of_disabled_child,
    migration_background, state, source, registered_on, activated_on, care_end_reason,
    end_reason, created_at)
SELECT 'Voornaam' || i, 'Achternaam' || i,
       %(today)s - CASE WHEN mod(i, 10) = 0 THEN 12 * 365 + mod(i, 12 * 365)
                        ELSE 26 * 365 + mod(i * 7, 60 * 365) END,
       'Lindenlaan', (1 + mod(i, 240))::text, '384' || mod(i, 9) || 'AB', 'Harderwijk',
       (%(districts)s::int[])[1 + floor(random() * %(weight_total)s)::int],
       'mantelzorger' || i || '@example.nl', now(), '', 'email', true, false, false,
       'actief', 'waardering', %(today)s - 400, %(today)s - 400, '', '', now()
FROM generate_series(1, %(rows)s) AS i
"""

# One request per caregiver; r_year and r_state are the draws that decide year and state.
REQUESTS = """
INSERT INTO appreciation_appreciationrequest (
    year_id, caregiver_id, route, requester_name, requester_relation, requester_contact,
    caregiver_confirmed_at, caregiver_was_unknown, recipient_name, recipient_postcode,
    recipient_house_number, hours_per_week, care_since, age_group, payout_form, amount_cents,
    iban, account_holder, state, checks, checks_passed, rejection_reason, rejection_text,
    info_question, info_answer, info_due_on, decided_at, payment_batch_id, voucher_code,
    submitted_at)
SELECT y.id, c.id, 'zelf', '', '', '', submitted, false, 'Naaste ' || c.id, '3845AB', '12',
       8 + mod(c.id, 30), DATE '2015-01-01' + mod(c.id, 2500)::int,
       CASE WHEN young THEN 'jong' ELSE 'volwassen' END,
       CASE WHEN young THEN 'bon' ELSE 'bank' END, 7500,
       CASE WHEN young THEN '' ELSE 'NL91ABNA0417164300' END,
       CASE WHEN young THEN '' ELSE 'V. Achternaam' END,
       st, CASE WHEN failing THEN %(checks_failing)s::jsonb ELSE %(checks_ok)s::jsonb END,
       NOT failing,
       CASE WHEN st = 'afgewezen' THEN 'te_weinig_uren' ELSE '' END, '',
       CASE WHEN st = 'aanvulling_nodig' THEN 'Sinds wanneer zorgt u?' ELSE '' END, '',
       CASE WHEN st = 'aanvulling_nodig' THEN %(today)s + 14 END,
       CASE WHEN st IN ('goedgekeurd', 'afgewezen', 'in_betaalbatch', 'uitbetaald')
            THEN submitted + interval '10 days' END,
       CASE WHEN st IN ('in_betaalbatch', 'uitbetaald') THEN b.id END, '', submitted
FROM (
    SELECT c.id, c.district_id, yr, mod(c.id, 10) = 0 AS young, random() < 0.2 AS failing,
        CASE WHEN yr = %(this_year)s THEN
            CASE WHEN r_state < 0.30 THEN 'ingediend' WHEN r_state < 0.45 THEN 'in_behandeling'
                 WHEN r_state < 0.50 THEN 'aanvulling_nodig'
                 WHEN r_state < 0.75 THEN 'goedgekeurd'
                 WHEN r_state < 0.85 THEN 'in_betaalbatch'
                 WHEN r_state < 0.95 THEN 'afgewezen' ELSE 'ingetrokken' END
        ELSE
            CASE WHEN r_state < 0.85 THEN 'uitbetaald' WHEN r_state < 0.95 THEN 'afgewezen'
                 ELSE 'ingetrokken' END
        END AS st,
        make_timestamptz(yr, 9, 1, 8, 0, 0, 'Europe/Amsterdam')
            + r_time * interval '70 days' AS submitted
    FROM (
        SELECT id, district_id, random() AS r_state, random() AS r_time,
            CASE WHEN r_year < 0.4 THEN %(this_year)s WHEN r_year < 0.6 THEN %(this_year)s - 1
                 WHEN r_year < 0.8 THEN %(this_year)s - 2 ELSE %(this_year)s - 3 END AS yr
        FROM (SELECT id, district_id, random() AS r_year FROM registrations_caregiver) AS d
    ) AS c
) AS c
JOIN appreciation_appreciationyear AS y ON y.year = c.yr
LEFT JOIN appreciation_paymentbatch AS b ON b.year_id = y.id
"""


def checks_json(failing: bool) -> str:
    import json

    labels = [("hours", "Minstens 8 uur zorg per week", "Opgegeven: 20 uur"),
              ("duration", "Zorgt minstens 3 maanden", "Zorgt sinds 01-03-2019"),
              ("residence", "Naaste woont in de gemeente", "Postcode naaste: 3845AB"),
              ("duplicate", "Geen andere aanvraag dit jaar", ""),
              ("iban", "Rekeningnummer niet op te veel aanvragen",
               "Dit rekeningnummer staat op 1 aanvragen"),
              ("registered", "Ingeschreven bij het Servicepunt", "Actief"),
              ("confirmed", "Mantelzorger heeft de aanvraag bevestigd", "")]
    return json.dumps([{"code": code, "ok": not (failing and code == "iban"), "label": label,
                        "detail": detail} for code, label, detail in labels])


def fill(today, rows: int | None = None) -> dict:
    """Years, batches, caregivers and requests (`rows`, default ROWS); returns row counts."""
    import datetime

    from django.db import connection

    from appreciation.models import AppreciationYear, PaymentBatch
    from core import clock
    from registrations.models import District

    for year in range(today.year - 3, today.year + 1):
        rules = AppreciationYear.objects.create(
            year=year, window_opens=datetime.date(year, 9, 1),
            window_closes=datetime.date(year, 11, 10))
        PaymentBatch.objects.create(year=rules, payout_form="bank", created_at=clock.now())
    ids = dict(District.objects.values_list("name", "pk"))
    districts = [ids[name] if name else None
                 for name, weight in DISTRICT_WEIGHTS.items() for _ in range(weight)]
    params = {"today": today, "rows": rows or ROWS, "districts": districts,
              "weight_total": len(districts), "this_year": today.year,
              "checks_ok": checks_json(False), "checks_failing": checks_json(True)}
    with connection.cursor() as cursor:
        cursor.execute("SELECT setseed(0.2026)")
        cursor.execute(CAREGIVERS, params)
        cursor.execute(REQUESTS, params)
        cursor.execute("VACUUM ANALYZE")
        cursor.execute("SELECT state, count(*) FROM appreciation_appreciationrequest "
                       "WHERE year_id = (SELECT id FROM appreciation_appreciationyear "
                       "WHERE year = %s) GROUP BY state ORDER BY state", [today.year])
        this_year = dict(cursor.fetchall())
        cursor.execute("SELECT count(*) FROM appreciation_appreciationrequest")
        total = cursor.fetchone()[0]
    return {"requests": total, "this_year": this_year}


class _RollBack(Exception):
    pass


def without_queue_indexes(client, url) -> float:
    """Median ms of the first page with the queue's indexes dropped (then rolled back)."""
    from django.db import connection, transaction

    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                for name in QUEUE_INDEXES:
                    cursor.execute(f'DROP INDEX "{name}"')
                cursor.execute("ANALYZE appreciation_appreciationrequest")
            times, _ = measure_page(client, url, {}, RUNS)
            raise _RollBack
    except _RollBack:
        pass
    return statistics.median(times)


def small_first_page(today, url) -> float:
    """Median ms of the first page with SMALL_ROWS requests; the tables are emptied after."""
    fill(today, SMALL_ROWS)
    client = consulent_client()
    times, _ = measure_page(client, url, {}, RUNS)
    print(f"small: {SMALL_ROWS} requests, first page median {statistics.median(times):.1f} ms",
          flush=True)
    empty_tables("registrations_caregiver", "appreciation_appreciationyear", "auth_user")
    return statistics.median(times)


class Explainer:
    """An execute_wrapper printing EXPLAIN ANALYZE of the queue's own statements."""

    def __call__(self, execute, sql, params, many, context):
        if "appreciation_appreciationrequest" in sql and sql.lstrip().startswith("SELECT"):
            cursor = context["cursor"]
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
            plan = "\n".join("    " + row[0] for row in cursor.fetchall())
            print(f"--- {' '.join(sql.split())[:160]}\n{plan}")
        return execute(sql, params, many, context)


def main() -> None:
    admin_url = open_benchmark_database(DB_NAME, "bench-queue")
    try:
        setup_django()
        from django.db import connection
        from django.urls import reverse

        from core import clock
        from registrations.models import District

        today = clock.today()
        url = reverse("appreciation:review_queue")
        small_ms = small_first_page(today, url)
        started = time.perf_counter()
        counts = fill(today)
        print(f"filled in {time.perf_counter() - started:.1f} s on {today}: "
              f"{counts['requests']} requests; this year: {counts['this_year']}")

        client = consulent_client()
        if EXPLAIN:
            with connection.execute_wrapper(Explainer()):
                client.get(url)
        stadsdennen = District.objects.get(name="Stadsdennen").pk
        variants = [
            ("first page (this year, open)", {}),
            ("wijk Stadsdennen", {"year": today.year, "state": "open",
                                  "district": stadsdennen}),
            ("controles niet goed", {"year": today.year, "state": "open",
                                     "failed_checks": "on"}),
            ("all years, all states", {"year": "", "state": ""}),
            ("page 100 of all", {"year": "", "state": "", "pagina": "100"}),
        ]
        results = {}
        for name, params in variants:
            times, captured = measure_page(client, url, params, RUNS)
            queries = len(captured)
            results[name] = (statistics.median(times), max(times), queries)
            print(f"{name:32s} median {statistics.median(times):6.1f} ms  "
                  f"max {max(times):6.1f} ms  {queries} queries  ({RUNS} runs)")
        baseline_ms = without_queue_indexes(client, url)
        print(f"first page without the queue's indexes: median {baseline_ms:.1f} ms")
        connection.close()
    finally:
        if not KEEP_DB:
            drop_database(admin_url, DB_NAME)
    median_ms, max_ms, queries = results["first page (this year, open)"]
    print(f"BENCH queue requests={counts['requests']} first_page_ms={median_ms:.1f} "
          f"max_ms={max_ms:.1f} queries={queries} small_requests={SMALL_ROWS} "
          f"small_first_page_ms={small_ms:.1f} growth_x10={median_ms / small_ms:.1f} "
          f"baseline_ms={baseline_ms:.1f} ratio={baseline_ms / median_ms:.1f} goal_ms=200")


if __name__ == "__main__":
    main()
