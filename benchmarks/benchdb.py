"""What the benchmarks share: a throwaway database on the PostgreSQL server of DATABASE_URL,
the peak memory of the process, and the wijk proportions of the 2023 annual report."""

from pathlib import Path
from urllib.parse import urlparse, urlunparse

import psycopg

# New individual cases per wijk in 2023 (annual report, chapter 12); None is "onbekend".
DISTRICT_WEIGHTS = {
    "Stadsdennen": 252, "Stadsweiden": 264, "Tweelingstad": 232, "Drielanden": 151,
    "Zeebuurt": 127, "Frankrijk": 84, "Stationsomgeving": 60, "Binnenstad": 52, "Hierden": 43,
    "Buitengebied": 35, "Slingerbos": 14, "Waterfront": 11, "De Sypel": 5, None: 279,
}


def server_urls(database_url: str, db_name: str) -> tuple[str, str]:
    """(maintenance URL on the same server, URL of the benchmark database)."""
    parts = urlparse(database_url)
    return (urlunparse(parts._replace(path="/postgres")),
            urlunparse(parts._replace(path=f"/{db_name}")))


def recreate_database(admin_url: str, db_name: str) -> None:
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{db_name}"')


def drop_database(admin_url: str, db_name: str) -> None:
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')


def status_kb(field: str) -> int | None:
    """A field of /proc/self/status in KB (VmRSS, VmHWM), or None off Linux."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return None


def reset_peak_rss() -> bool:
    """Reset the kernel's RSS high-water mark (VmHWM) to the current RSS (Linux ≥ 4.0)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def open_benchmark_database(db_name: str, make_target: str) -> str:
    """Create the benchmark database on the server of DATABASE_URL and point this process's
    Django at it (demo mode for force_login, DEBUG off). Returns the maintenance URL, to drop
    the database with afterwards; call `setup_django()` next, inside the try."""
    import os
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith(("postgres://", "postgresql://")):
        sys.exit(f"DATABASE_URL must point at a PostgreSQL server (`make {make_target}`).")
    admin_url, bench_url = server_urls(database_url, db_name)
    recreate_database(admin_url, db_name)
    os.environ.update({"DATABASE_URL": bench_url, "MANTELZORG_DEMO": "1", "DEBUG": "0",
                       "LOG_LEVEL": "WARNING"})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mantelzorg.settings")
    return admin_url


# Django keeps a field's default ("" for text, mostly False for flags) in Python; the
# set-based fills write with plain SQL and would break on every new column they do not name.
# In the benchmark database only, every NOT NULL text column without a default gets '' as its
# default, and every such boolean column false.
BLANK_TEXT_DEFAULTS = """
DO $$
DECLARE col record;
BEGIN
    FOR col IN SELECT table_name, column_name, data_type FROM information_schema.columns
               WHERE table_schema = 'public' AND is_nullable = 'NO' AND column_default IS NULL
                 AND data_type IN ('character varying', 'text', 'boolean')
    LOOP
        EXECUTE format('ALTER TABLE %I ALTER COLUMN %I SET DEFAULT %s',
                       col.table_name, col.column_name,
                       CASE col.data_type WHEN 'boolean' THEN 'false' ELSE quote_literal('') END);
    END LOOP;
END $$;
"""


def blank_text_defaults() -> None:
    """'' (false) as the database default of every NOT NULL text (boolean) column without
    one: benchmark databases only."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(BLANK_TEXT_DEFAULTS)


def empty_tables(*tables: str) -> None:
    """TRUNCATE … RESTART IDENTITY CASCADE: the small run's rows out before the next fill."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")


def setup_django() -> None:
    """django.setup() and migrate the (empty) benchmark database."""
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    blank_text_defaults()


def consulent_client():
    """A test Client logged in as a consulent (demo mode: no second factor)."""
    from django.test import Client

    from mantelzorg.services_staff import create_staff_user

    client = Client()
    client.force_login(create_staff_user("bench-consulent", "bench-wachtwoord-42",
                                         "consulent"))
    return client


def measure_page(client, url: str, params: dict, runs: int) -> tuple[list[float], list]:
    """Render a page `runs` times after two warm-ups: the times in ms, and the queries of
    one more rendering (Django's captured_queries: sql and time)."""
    import time

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(2):
        assert client.get(url, params).status_code == 200
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url, params)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as queries:
        client.get(url, params)
    return times, queries.captured_queries
