"""Benchmark: the Inzicht dashboard for a year with 100,000 caregivers. Not a test.

Creates the database `bench_dashboard` on the PostgreSQL server of DATABASE_URL (dropped at
the end unless BENCH_KEEP_DB=1), migrates it, and fills last year with set-based SQL only
(INSERT … SELECT FROM generate_series):

- 100,000 caregivers registered over the year, wijken in the proportions of the 2023 annual
  report (17% "onbekend"); 70% actief, 10% voormalig, 5% aangemeld, 5% beëindigd and 10%
  erased the way the retention job leaves them (names empty, birth date on 1 January);
  one in ten young;
- a waardering request for 40% (80% paid, 10% rejected, 10% still open; 15% found through
  the waardering), a swim campaign with tickets for 10%, three newsletters e-mailed to 60%
  and posted to 10%, burden self-checks for 20% (two each), contact moments for 5%;

then VACUUM ANALYZE, and renders `/backoffice/inzicht/?jaar=<last year>` through Django's
test Client as a consulent (force_login in demo mode, DEBUG off): two warm-ups, then
BENCH_RUNS (10) timed runs. Reported: the median in ms and the number of queries.
Target (issue): under 1 s.

Issue 17: the page is first measured for a year with a tenth of the caregivers
(BENCH_SMALL_ROWS, default BENCH_ROWS / 10); `growth_x10` is the full size's median over
that one (10: the page grows linearly with the year's rows). No naive baseline: every figure
is already one conditional aggregate per table, read by sequential scans of the year's
rows; there is no index or loop whose absence would be the naive version.
The last line is `BENCH dashboard caregivers=… page_ms=… queries=… small_caregivers=…
small_page_ms=… growth_x10=…`.
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

ROWS = int(os.environ.get("BENCH_ROWS", "100000"))
SMALL_ROWS = int(os.environ.get("BENCH_SMALL_ROWS", str(ROWS // 10)))
RUNS = int(os.environ.get("BENCH_RUNS", "10"))
DB_NAME = os.environ.get("BENCH_DB", "bench_dashboard")
KEEP_DB = os.environ.get("BENCH_KEEP_DB") == "1"

# k = mod(i, 20) decides the state: 0-1 gewist, 2 beeindigd, 3-4 voormalig, 5 aangemeld.
CAREGIVERS = """
INSERT INTO registrations_caregiver (
    first_name, last_name, date_of_birth, street, house_number, postcode, city, district_id,
    email, phone, channel, wants_newsletter, parent_of_disabled_child, migration_background,
    state, source, registered_on, activated_on, care_ended_on, care_end_reason, ended_on,
    end_reason, erased_on, created_at)
SELECT CASE WHEN k < 2 THEN '' ELSE 'Voornaam' || i END,
       CASE WHEN k < 2 THEN '' ELSE 'Achternaam' || i END,
       CASE WHEN k < 2 THEN make_date(extract(year FROM born)::int, 1, 1) ELSE born END,
       '', CASE WHEN k < 2 THEN '' ELSE '1' END, '384' || mod(i, 9), '',
       (%(districts)s::int[])[1 + floor(random() * %(weight_total)s)::int],
       '', '', 'email', true, false, false,
       CASE WHEN k < 2 THEN 'gewist' WHEN k = 2 THEN 'beeindigd'
            WHEN k < 5 THEN 'voormalig' WHEN k = 5 THEN 'aangemeld' ELSE 'actief' END,
       CASE WHEN mod(i, 7) = 0 THEN 'waardering' ELSE 'online' END,
       reg, CASE WHEN k <> 5 THEN reg + 3 END,
       CASE WHEN k IN (3, 4) THEN reg + 60 END,
       CASE WHEN k IN (3, 4) THEN 'overlijden' ELSE '' END,
       CASE WHEN k < 3 THEN reg + 90 END,
       CASE WHEN k < 3 THEN 'eigen_verzoek' ELSE '' END,
       CASE WHEN k < 2 THEN reg + 120 END, now()
FROM (SELECT i, mod(i, 20) AS k,
             make_date(%(year)s, 1, 1) + mod(i * 7, 365) AS reg,
             make_date(%(year)s, 6, 1) - CASE WHEN mod(i, 10) = 0 THEN 12 * 365 + mod(i, 11 * 365)
                                              ELSE 26 * 365 + mod(i * 7, 60 * 365) END AS born
      FROM generate_series(1, %(rows)s) AS i) AS g
"""

REQUESTS = """
INSERT INTO appreciation_appreciationrequest (
    year_id, caregiver_id, route, requester_name, requester_relation, requester_contact,
    caregiver_was_unknown, recipient_name, recipient_postcode, recipient_house_number,
    hours_per_week, care_since, age_group, payout_form, amount_cents, iban, account_holder,
    state, checks, checks_passed, rejection_reason, rejection_text, info_question,
    info_answer, payment_batch_id, voucher_code, submitted_at)
SELECT %(year_id)s, c.id, 'zelf', '', '', '', mod(c.id, 7) = 0, 'Naaste', '3845', '1', 12,
       DATE '2015-01-01', CASE WHEN young THEN 'jong' ELSE 'volwassen' END,
       CASE WHEN young THEN 'bon' ELSE 'bank' END, 7500, '', '', st, '[]'::jsonb, true,
       CASE WHEN st = 'afgewezen' THEN 'te_weinig_uren' ELSE '' END, '', '', '',
       CASE WHEN st = 'uitbetaald' THEN %(batch_id)s END, '',
       make_timestamptz(%(year)s, 9, 1, 8, 0, 0, 'Europe/Amsterdam')
FROM (SELECT id, mod(id, 10) = 0 AS young,
             CASE WHEN mod(id, 10) < 8 THEN 'uitbetaald' WHEN mod(id, 10) = 8 THEN 'afgewezen'
                  ELSE 'ingediend' END AS st
      FROM registrations_caregiver WHERE mod(id * 3, 5) < 2) AS c
"""

SWIM = """
INSERT INTO appreciation_campaignrequest (campaign_id, caregiver_id, route, state,
                                          requested_at, granted_at)
SELECT %(campaign_id)s, id, 'mijn_gegevens',
       (ARRAY['toegekend', 'verstuurd', 'opgehaald'])[1 + mod(id, 3)],
       make_timestamptz(%(year)s, 6, 5, 9, 0, 0, 'Europe/Amsterdam'),
       make_timestamptz(%(year)s, 6, 5, 9, 0, 0, 'Europe/Amsterdam')
FROM registrations_caregiver WHERE mod(id, 10) = 3
"""

DELIVERIES = """
INSERT INTO worker_delivery (newsletter_id, caregiver_id, channel, status, attempts, sent_at,
                             error)
SELECT n.id, c.id, 'email', 'verstuurd', 1, make_timestamptz(%(year)s, 3, 1, 9, 0, 0,
       'Europe/Amsterdam') + mod(n.id, 3) * interval '100 days', ''
FROM registrations_caregiver AS c CROSS JOIN worker_newsletter AS n WHERE mod(c.id, 10) < 6
"""

POSTAL = """
INSERT INTO worker_letter (kind, caregiver_id, newsletter_id, status, dedupe_key, created_at,
                           channel, sent_at, error)
SELECT 'nieuwsbrief', c.id, n.id, 'verstuurd', 'nieuwsbrief:' || n.id || ':' || c.id, now(),
       'post', make_timestamptz(%(year)s, 3, 2, 9, 0, 0, 'Europe/Amsterdam'), ''
FROM registrations_caregiver AS c CROSS JOIN worker_newsletter AS n WHERE mod(c.id, 10) = 6
"""

CHECKS = """
INSERT INTO insight_burdencheck (caregiver_id, answered_at, context, statements_version,
                                 answers, score, heavy)
SELECT c.id, make_timestamptz(%(year)s, 2, 1, 9, 0, 0, 'Europe/Amsterdam')
             + (mod(c.id, 100) + 150 * s) * interval '1 day',
       'mijn_gegevens', '1', '[1, 2, 3, 1, 2]', mod(c.id * s, 16), mod(c.id * s, 16) >= 10
FROM registrations_caregiver AS c CROSS JOIN generate_series(1, 2) AS s
WHERE mod(c.id, 5) = 1
"""

CONTACTS = """
INSERT INTO insight_contactmoment (caregiver_id, "on", kind, preventive, outcome, created_at)
SELECT id, make_date(%(year)s, 1, 1) + mod(id, 360)::int,
       (ARRAY['telefoon', 'huisbezoek', 'gesprek', 'anders'])[1 + mod(id, 4)],
       mod(id, 8) = 1, '', now()
FROM registrations_caregiver WHERE mod(id, 20) = 7 OR mod(id, 40) = 1
"""


def fill(year: int, rows: int = ROWS) -> int:
    import datetime

    from django.db import connection

    from appreciation.models import AppreciationYear, PaymentBatch
    from appreciation.models.campaigns import Campaign
    from core import clock
    from registrations.models import District
    from worker.models import Newsletter

    rules = AppreciationYear.objects.create(year=year, window_opens=datetime.date(year, 9, 1),
                                            window_closes=datetime.date(year, 11, 10))
    batch = PaymentBatch.objects.create(year=rules, payout_form="bank", created_at=clock.now())
    campaign = Campaign.objects.create(name=f"Zwemkaartjes {year}",
                                       starts_on=datetime.date(year, 6, 1),
                                       ends_on=datetime.date(year, 8, 31))
    for n in range(3):
        Newsletter.objects.create(subject=f"Nieuwsbrief {n + 1}", body="…", status="verstuurd")
    ids = dict(District.objects.values_list("name", "pk"))
    districts = [ids[name] if name else None
                 for name, weight in DISTRICT_WEIGHTS.items() for _ in range(weight)]
    params = {"year": year, "rows": rows, "districts": districts,
              "weight_total": len(districts), "year_id": rules.pk, "batch_id": batch.pk,
              "campaign_id": campaign.pk}
    with connection.cursor() as cursor:
        cursor.execute("SELECT setseed(0.2023)")
        for statement in (CAREGIVERS, REQUESTS, SWIM, DELIVERIES, POSTAL, CHECKS, CONTACTS):
            cursor.execute(statement, params)
        cursor.execute("VACUUM ANALYZE")
        cursor.execute("SELECT count(*) FROM registrations_caregiver")
        return cursor.fetchone()[0]


def main() -> None:
    admin_url = open_benchmark_database(DB_NAME, "bench-dashboard")
    try:
        setup_django()
        from django.db import connection
        from django.urls import reverse

        from core import clock
        from insight.reports import annual_figures

        year = clock.today().year - 1
        fill(year, SMALL_ROWS)
        small_times, _ = measure_page(consulent_client(), reverse("insight:dashboard"),
                                      {"jaar": year}, RUNS)
        small_ms = statistics.median(small_times)
        print(f"small: {SMALL_ROWS} caregivers, page median {small_ms:.1f} ms", flush=True)
        empty_tables("registrations_caregiver", "appreciation_appreciationyear",
                     "appreciation_campaign", "worker_newsletter", "auth_user")
        started = time.perf_counter()
        caregivers = fill(year)
        print(f"filled in {time.perf_counter() - started:.1f} s: {caregivers} caregivers "
              f"registered in {year}")
        figures = annual_figures(year)
        print({key: value for key, value in figures.items()
               if isinstance(value, int | float) and key != "year"})

        times, queries = measure_page(consulent_client(), reverse("insight:dashboard"),
                                      {"jaar": year}, RUNS)
        print(f"page median {statistics.median(times):.1f} ms, max {max(times):.1f} ms, "
              f"{len(queries)} queries ({RUNS} runs)")
        for query in sorted(queries, key=lambda q: -float(q["time"]))[:5]:
            print(f"  {float(query['time']) * 1000:6.1f} ms  {query['sql'][:110]}")
        connection.close()
    finally:
        if not KEEP_DB:
            drop_database(admin_url, DB_NAME)
    page_ms = statistics.median(times)
    print(f"BENCH dashboard caregivers={caregivers} page_ms={page_ms:.1f} "
          f"queries={len(queries)} small_caregivers={SMALL_ROWS} small_page_ms={small_ms:.1f} "
          f"growth_x10={page_ms / small_ms:.1f} goal_ms=1000")


if __name__ == "__main__":
    main()
