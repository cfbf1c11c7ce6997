"""Locks that last until the current transaction ends.

Used where two processes must not do the same work at once (two payment batches, two
imports, two submissions for one person). A killed process's lock ends with its connection.
"""

from django.db import connection


def lock_until_commit(key: int) -> None:
    """Take PostgreSQL's transaction-level advisory lock `key` (a signed 64-bit number),
    waiting while another transaction holds it. On SQLite (`make run`) nothing is taken:
    SQLite lets one transaction write at a time anyway, and has no such function."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])
