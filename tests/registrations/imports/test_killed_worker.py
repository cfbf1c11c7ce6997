"""A worker killed in the middle of the write leaves the registry as it was (issue 18).

A real worker process runs the import. This test holds a lock on one of the import's own
rows, which the write updates last: the worker writes the caregivers, reports progress, then
waits. Now it is killed (SIGKILL, the whole process group), mid-transaction. PostgreSQL
rolls the open transaction back: no caregiver, naaste or letter remains. Running the job
again (as the broker redelivers a task whose worker was lost) imports everyone once.
"""

import os
import signal

import pytest
from django.db import connection

from registrations.imports import jobs
from registrations.imports.services import confirm
from registrations.models import Caregiver, CareRecipient, ImportRow, ImportState
from tests.registrations.import_files import csv_bytes, dry_run, person, upload
from worker.models import Letter

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def _waiting_on_a_lock(pid_holder) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND query ILIKE %s",
            ["%registrations_importrow%"])
        row = cursor.fetchone()
    if row:
        pid_holder.append(row[0])
    return bool(row)


def _backend_gone(pid) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [pid])
        return cursor.fetchone()[0] == 0


def test_a_worker_killed_during_the_write_leaves_the_database_as_before(
        media, process_env, start_process, tmp_path, wait_for):
    lines = [person(Klantnummer=f"A{n}", **{"E-mail": f"p{n}@x.nl"}) for n in range(30)]
    registry_import = dry_run(upload(csv_bytes(lines)))
    last_row = ImportRow.objects.filter(registry_import=registry_import).order_by("-line")[0]
    with jobs.progress_connection() as blocker:
        blocker.set_autocommit(False)
        with blocker.cursor() as cursor:
            cursor.execute("SELECT id FROM registrations_importrow WHERE id = %s FOR UPDATE",
                           [last_row.pk])
        confirm(registry_import, by=None)  # queues the task on commit
        worker = start_process(["bin/entrypoint", "worker", "--concurrency", "1"],
                               process_env, tmp_path / "worker.log")
        backend = []
        wait_for(lambda: _waiting_on_a_lock(backend), timeout=90,
                 message="the worker to write and then wait for the locked row")
        registry_import.refresh_from_db()
        assert registry_import.state == ImportState.RUNNING
        assert registry_import.rows_done == 30  # progress was visible during the write
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)
        blocker.rollback()
    wait_for(lambda: _backend_gone(backend[0]), timeout=30,
             message="PostgreSQL to end the killed worker's session")
    assert not Caregiver.objects.exists()
    assert not CareRecipient.objects.exists()
    assert not Letter.objects.exists()

    jobs.run_import(registry_import.pk)  # what a redelivered task does
    registry_import.refresh_from_db()
    assert registry_import.state == ImportState.DONE
    assert Caregiver.objects.count() == 30 and Letter.objects.count() == 30
