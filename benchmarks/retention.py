"""Benchmark: the daily retention job on 1,000,000 registrations (`make bench-retention`).

Creates its own PostgreSQL database `bench_retention` on the server of DATABASE_URL, fills
it with set-based SQL (generate_series, no Python objects), runs
registrations.retention.run_daily() once, and prints rows, seconds and peak RSS.
Targets (issue): under 60 s and under 500 MB RSS on the 2-core machine.
"""

import os
import resource
import sys
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import psycopg

ROWS = int(os.environ.get("BENCH_ROWS", "1000000"))
DB_NAME = "bench_retention"


def recreate_database(server_url: str) -> str:
    parts = urlparse(server_url)
    admin_url = urlunparse(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME}")
        conn.execute(f"CREATE DATABASE {DB_NAME}")
    return urlunparse(parts._replace(path=f"/{DB_NAME}"))


FILL_CAREGIVERS = """
INSERT INTO registrations_caregiver (
    first_name, last_name, date_of_birth, street, house_number, postcode, city, district_id,
    email, email_confirmed_at, phone, channel, wants_newsletter, parent_of_disabled_child,
    migration_background, state, source, registered_on, activated_on, care_ended_on,
    care_end_reason, ended_on, end_reason, created_at)
SELECT
    'Voornaam' || i, 'Achternaam' || i,
    DATE '1940-01-01' + (mod(i, 25000)),
    'Lindenlaan', (1 + mod(i, 180))::text, '384' || (mod(i, 10)) || 'AB', 'Harderwijk',
    %(first_district)s + (mod(i, 15)),
    'persoon' || i || '@example.nl', now(), '0612345678', 'email', true, false, false,
    CASE WHEN mod(i, 100) < 80 THEN 'actief' WHEN mod(i, 100) < 92 THEN 'voormalig'
         WHEN mod(i, 100) < 96 THEN 'aangemeld' ELSE 'beeindigd' END,
    'online',
    CASE WHEN mod(i, 100) BETWEEN 92 AND 95 THEN %(today)s - (mod(i, 120))
         ELSE %(today)s - 2000 END,
    CASE WHEN mod(i, 100) BETWEEN 92 AND 95 THEN NULL ELSE %(today)s - 2000 END,
    CASE WHEN mod(i, 100) BETWEEN 80 AND 91 THEN %(today)s - (mod(i, 1095)) END,
    CASE WHEN mod(i, 100) BETWEEN 80 AND 91 THEN 'overlijden' ELSE '' END,
    CASE WHEN mod(i, 100) >= 96 THEN %(today)s - (mod(i, 90)) END,
    CASE WHEN mod(i, 100) >= 96 THEN 'eigen_verzoek' ELSE '' END,
    now()
FROM generate_series(1, %(rows)s) AS i
"""

FILL_RECIPIENTS = """
INSERT INTO registrations_carerecipient (
    caregiver_id, name, lives_in_municipality, relationship, care_kinds, hours_per_week,
    care_since, living_together, care_need)
SELECT id, 'Naaste ' || id, true, 'partner', '["huishouden"]'::jsonb, 10,
       DATE '2015-01-01', true, ''
FROM registrations_caregiver WHERE mod(id, 4) = 0
"""


def main() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    server = os.environ.get("DATABASE_URL", "")
    if not server.startswith("postgres"):
        sys.exit("DATABASE_URL must point at a PostgreSQL server (make bench-retention does).")
    os.environ["DATABASE_URL"] = recreate_database(server)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mantelzorg.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from mantelzorg import clock
    from registrations import retention

    call_command("migrate", verbosity=0)
    today = clock.today()
    started = time.monotonic()
    with connection.cursor() as cursor:
        # The district subquery per row is slow; use a small lookup instead.
        cursor.execute(FILL_CAREGIVERS.replace(
            "%(first_district)s + (mod(i, 15))",
            "(SELECT min(id) FROM registrations_district) + (mod(i, 15))"),
            {"today": today, "rows": ROWS})
        cursor.execute(FILL_RECIPIENTS)
        cursor.execute("ANALYZE")
    fill_seconds = time.monotonic() - started
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    started = time.monotonic()
    result = retention.run_daily(today)
    seconds = time.monotonic() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    connection.close()

    print(f"filled {ROWS} registrations in {fill_seconds:.1f} s; "
          f"process RSS before the job {rss_before:.0f} MB")
    print(f"BENCH retention rows={ROWS} seconds={seconds:.2f} peak_mb={peak_mb:.0f} "
          f"notices={result.notices} ended={result.ended} expired={result.expired} "
          f"erased={result.erased}")


if __name__ == "__main__":
    main()
