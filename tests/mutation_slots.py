"""Parallel mutants for `make mutate` (a plain module, not a test module).

mutmut tests several mutants at once, each in a process forked from the one that ran the
selected tests for its statistics. Two such processes must not share a test database or a Redis
database: one's flush or rate-limit reset would make the other's test fail, and a mutant would
count as noticed when nothing noticed it. So each mutant process takes the first free slot (a
lock file it holds until it exits) and tests in that slot's own database, test_<name>_mutantN
and Redis database 8 + N.

Each mutant starts from a freshly migrated database: the slot's database is copied anew from a
template (migrated once per set of migrations) before every mutant, since the tests of the
previous mutant flushed the rows the data migrations put there (the wijken, for one).
"""

import fcntl
import hashlib
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from django.test import override_settings
from psycopg import sql

from tests.support import redis_url_with_database

ROOT = Path(__file__).resolve().parent.parent

FIRST_REDIS_DATABASE = 8  # 0-7 are pytest-xdist's workers' (tests/conftest.py)
_held_locks = []
_slot_of_process = {}


def mutant_slot():
    """This process's slot when it tests a mutant, else None (stats, clean run, make test).

    Remembered per process id: the mutant processes are forked from one that asked before."""
    if "__mutmut_" not in os.environ.get("MUTANT_UNDER_TEST", ""):
        return None
    if os.getpid() not in _slot_of_process:
        _slot_of_process[os.getpid()] = _take_free_slot()
    return _slot_of_process[os.getpid()]


def _take_free_slot():
    folder = _slots_folder()
    for slot in range(16 - FIRST_REDIS_DATABASE):
        handle = open(folder / f"slot-{slot}", "w")  # noqa: SIM115 - held until exit
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            continue
        _held_locks.append(handle)
        return slot
    raise RuntimeError("More mutants at once than free slots: lower MUTATE_CHILDREN.")


def _slots_folder():
    folder = Path(os.environ.get("MANTELZORG_VAR_DIR") or ROOT / "var" / "test") / "mutant-slots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _redis_url(url, slot):
    return redis_url_with_database(url, FIRST_REDIS_DATABASE + slot)


def use_slot(slot, settings):
    """Point the test database, the cache and the Celery broker at this slot's own."""
    from mantelzorg.celery import app

    database = settings.DATABASES["default"]
    name = f"test_{_base_name()}_mutant{slot}"
    _copy_template_to(name, database)
    database.setdefault("TEST", {})["NAME"] = name
    caches = {name: {**config, "LOCATION": _redis_url(config["LOCATION"], slot)}
              for name, config in settings.CACHES.items()}
    override_settings(CACHES=caches).enable()  # resets the cache connections
    app.conf.broker_url = _redis_url(app.conf.broker_url, slot)
    app._pool = None  # the forked parent's connections point at its Redis database
    app.amqp._producer_pool = None


def _base_name():
    """DATABASE_URL's database: settings' NAME may still hold the parent's test database."""
    return urlsplit(os.environ["DATABASE_URL"]).path.strip("/")


def _connect(database):
    return psycopg.connect(host=database["HOST"], port=database["PORT"] or None,
                           user=database["USER"], password=database["PASSWORD"],
                           dbname=_base_name(), autocommit=True)


def _migrations_digest():
    digest = hashlib.sha256()
    for path in sorted(ROOT.glob("*/migrations/*.py")):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:12]


def _copy_template_to(name, database):
    """Drop the slot's database and copy it from the migrated template (made when missing)."""
    template = f"test_{_base_name()}_mutant_template_{_migrations_digest()}"
    with open(_slots_folder() / "template.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one process makes the template; the rest wait
        with _connect(database) as connection:
            if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                                      [template]).fetchone():
                _make_template(template, database, connection)
            connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
                               .format(sql.Identifier(name)))
            connection.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {}")
                               .format(sql.Identifier(name), sql.Identifier(template)))


def _make_template(template, database, connection):
    connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(template)))
    url = urlsplit(os.environ["DATABASE_URL"])._replace(path=f"/{template}")
    environment = {key: value for key, value in os.environ.items()
                   if key != "MUTANT_UNDER_TEST"}  # migrate with the code as written
    environment["DATABASE_URL"] = urlunsplit(url)
    subprocess.run([sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"],
                   cwd=Path.cwd(), env=environment, check=True)
