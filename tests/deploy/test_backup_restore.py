"""Backup and restore: scripts/backup.sh dumps the database, scripts/restore.sh puts the dump
into a new, empty database on the same server, and the app works on the restored copy."""

import os
import subprocess
import sys

import psycopg
import pytest
from django.db import connection

from registrations.models import Caregiver
from tests.factories import CaregiverFactory
from tests.support import ROOT, test_database_url

pytestmark = pytest.mark.django_db(transaction=True)  # pg_dump sees committed rows only


def run(args, database_url, **kwargs):
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env["DATABASE_URL"] = database_url
    env.update(kwargs.pop("env", {}))
    return subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
                          **kwargs)


@pytest.fixture
def restore_url():
    """A database beside the test database, dropped before and after the test."""
    name = f"{connection.settings_dict['NAME']}_restore"
    source = test_database_url()
    target = source.rsplit("/", 1)[0] + f"/{name}"

    def admin(sql):
        with psycopg.connect(source, autocommit=True) as conn:
            conn.execute(sql)

    admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin(f'CREATE DATABASE "{name}"')
    yield target
    admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


APP_CHECK = """
from django.test import Client
from registrations.models import Caregiver
print(Caregiver.objects.count(), sorted(Caregiver.objects.values_list("last_name", flat=True)))
print(Client().get("/").status_code, Client().get("/health").status_code)
"""


def test_a_backup_restores_into_an_empty_database_and_the_app_works_on_it(restore_url,
                                                                         tmp_path):
    CaregiverFactory(complete=True, first_name="Riet", last_name="Bakker", email="riet@example.nl")
    CaregiverFactory(complete=True, first_name="Bram", last_name="Visser", email="bram@example.nl")
    assert Caregiver.objects.count() == 2
    dump = tmp_path / "backups" / "mantelzorg.dump"

    backup = run(["scripts/backup.sh", str(dump)], test_database_url())
    assert backup.returncode == 0, backup.stderr
    assert backup.stdout.strip() == str(dump) and dump.stat().st_size > 0
    assert oct(dump.stat().st_mode & 0o777) == "0o600"  # personal data: owner only
    assert not list(dump.parent.glob("*.partial"))

    restore = run(["scripts/restore.sh", str(dump)], restore_url)
    assert restore.returncode == 0, restore.stderr

    env = {"MANTELZORG_VAR_DIR": str(tmp_path / "var")}
    manage = [sys.executable, "manage.py"]
    check = run([*manage, "check"], restore_url, env=env)
    assert check.returncode == 0, check.stdout + check.stderr
    migrations = run([*manage, "migrate", "--check"], restore_url, env=env)
    assert migrations.returncode == 0, migrations.stdout + migrations.stderr  # nothing missing
    app = run([*manage, "shell", "-v", "0", "-c", APP_CHECK], restore_url, env=env)
    assert app.returncode == 0, app.stderr
    assert app.stdout.splitlines() == ["2 ['Bakker', 'Visser']", "200 200"]


def test_restore_refuses_a_database_that_is_not_empty(tmp_path):
    CaregiverFactory(complete=True)
    dump = tmp_path / "mantelzorg.dump"
    assert run(["scripts/backup.sh", str(dump)], test_database_url()).returncode == 0
    restore = run(["scripts/restore.sh", str(dump)], test_database_url())
    assert restore.returncode == 65
    assert "not empty" in restore.stderr and "refusing" in restore.stderr
    assert Caregiver.objects.count() == 1  # the live data is untouched


def test_the_scripts_want_a_postgresql_url_and_a_file(tmp_path):
    sqlite = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    assert run(["scripts/backup.sh", str(tmp_path / "x.dump")], sqlite).returncode == 64
    missing = run(["scripts/restore.sh", str(tmp_path / "missing.dump")], test_database_url())
    assert missing.returncode == 66 and "cannot read" in missing.stderr
