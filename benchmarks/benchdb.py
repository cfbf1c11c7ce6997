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
