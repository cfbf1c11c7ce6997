"""Issue 14 item 8: after erasure nothing personal survives, anywhere.

One young caregiver touches every feature (registration with a care recipient and a
guardian, e-mail confirmation, Mijn gegevens, a waardering paid through a SEPA file, letters
by e-mail and on paper in a print batch, a newsletter that bounced, swimming tickets, the
self-check, follow-up with contact moments and a cancel reason, an abandoned waardering
wizard holding the IBAN, staff looking at the record). The registration ends, the grace
period passes and every job of the beat schedule runs. Then every text, JSON and binary
column of every table (from information_schema, sessions decoded) and every stored file
(PDF text, SEPA XML, CSV) is searched for the person's name, e-mail, phone, IBAN, street
and date of birth, in the ways they are stored and printed.
"""

import datetime
import json
import subprocess
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection

from insight.models import BurdenCheck
from mantelzorg.celery import app
from mantelzorg.schedule import beat_schedule
from registrations import services
from registrations.models import State
from tests.every_feature import IBAN, IBAN_GROUPED, use_every_feature

# What must not be found, in the forms it is stored, typed and printed (case-insensitive).
NEEDLES = [
    "Wilhelmina", "Zandvliet", "Oostergo", "Gerardus", "Klaproos",
    "0687654321", "06 8765 4321", "06-87654321", "87654321", "0611122233", "11122233",
    IBAN, IBAN_GROUPED, IBAN[4:],
    "2011-07-19", "19-07-2011", "19-7-2011", "19/07/2011", "19 juli 2011", "20110719",
]


def scan_database() -> list[str]:
    """Every text, varchar, JSON and bytea column of every table, and every session."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND data_type IN "
            "('text', 'character varying', 'character', 'json', 'jsonb', 'bytea')")
        columns = cursor.fetchall()
        scanned_tables = {table for table, _column, _type in columns}
        cursor.execute("SELECT table_name FROM information_schema.tables "
                       "WHERE table_schema = current_schema()")
        all_tables = {row[0] for row in cursor.fetchall()}
        model_tables = {model._meta.db_table for model in apps.get_models()}
        assert model_tables <= all_tables, model_tables - all_tables
        assert {"registrations_caregiver", "django_session", "django_fsm_log_statelog",
                "worker_delivery", "appreciation_appreciationrequest"} <= scanned_tables
        patterns = [f"%{needle}%" for needle in NEEDLES]
        found = []
        for table, column, data_type in columns:
            value = (f"encode(\"{column}\", 'escape')" if data_type == "bytea"
                     else f'"{column}"::text')
            cursor.execute(f'SELECT {value} FROM "{table}" WHERE {value} ILIKE ANY(%s)',
                           [patterns])
            found += [f"{table}.{column}: {row[0][:200]!r}" for row in cursor.fetchall()]
    for session in apps.get_model("sessions", "Session").objects.all():
        decoded = json.dumps(SessionStore().decode(session.session_data), default=str)
        found += [f"session {session.pk[:6]}…: {needle}" for needle in NEEDLES
                  if needle.lower() in decoded.lower()]
    return found


def scan_files(roots) -> list[str]:
    """Every stored file; PDFs by their text (as printed), the rest as bytes."""
    found = []
    for root in roots:
        for path in sorted(Path(root).rglob("*")):
            if not path.is_file():
                continue
            content = path.read_bytes()
            if content.startswith(b"%PDF"):
                text = subprocess.run(["pdftotext", "-layout", str(path), "-"],
                                      capture_output=True, text=True, check=True).stdout
            else:
                text = content.decode("utf-8", errors="replace")
            found += [f"{path}: {needle}" for needle in NEEDLES
                      if needle.lower() in " ".join(text.split()).lower()
                      or needle.lower() in text.lower()]
    return found


@pytest.mark.django_db
def test_erasure_leaves_nothing_personal_in_any_column_or_file(
        waardering_day, media, consulent, coordinator, inline_tasks,
        django_capture_on_commit_callbacks):
    made = use_every_feature(waardering_day, consulent, coordinator,
                             django_capture_on_commit_callbacks)
    caregiver, request, batch = made.caregiver, made.request, made.batch
    # The scan sees the person before erasure: it can find what it looks for.
    before = scan_database() + scan_files([media])
    assert any("session" in hit for hit in before), before
    assert any(".pdf" in hit for hit in before) and any(".xml" in hit for hit in before)

    # She ends her registration; after the grace period every scheduled job runs.
    services.end_registration(caregiver)
    waardering_day.shift(datetime.timedelta(days=31))
    app.loader.import_default_modules()
    for entry in beat_schedule().values():
        with django_capture_on_commit_callbacks(execute=True):  # as if each one committed
            app.tasks[entry["task"]].apply(args=entry.get("args", ()),
                                           kwargs=entry.get("kwargs", {}))
    caregiver.refresh_from_db()
    assert caregiver.state == State.GEWIST
    roots = [media, settings.VAR_DIR, settings.EMAIL_FILE_PATH]
    left = scan_database() + scan_files([root for root in roots if Path(root).exists()])
    assert not left, "still there after erasure:\n" + "\n".join(left)

    # What the bookkeeping and the annual figures need stays, without the person.
    request.refresh_from_db()
    batch.refresh_from_db()
    assert (request.state, request.amount_cents, request.iban, request.checks) == (
        "uitbetaald", 7500, "", [])
    assert (batch.total_cents, batch.paid_at is not None, batch.export.name) == (7500, True, "")
    assert [(c.score, c.heavy, c.answers) for c in BurdenCheck.objects.order_by("pk")] == [
        (14, True, []), (15, True, [])]

