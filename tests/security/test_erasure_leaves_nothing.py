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
import smtplib
import subprocess
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection
from django.test import Client

from appreciation.campaigns import services as campaigns
from appreciation.models import CampaignRoute, PayoutForm
from appreciation.waardering import payouts
from appreciation.waardering import services as waardering
from core import clock
from insight import services as insight
from insight.models import BurdenCheck, ContactKind, FollowUpTask
from mantelzorg.celery import app
from mantelzorg.schedule import beat_schedule
from registrations import services
from registrations.models import Channel, State, TokenPurpose
from tests.appreciation.waardering.wizard import SELF, post_step
from tests.factories import AppreciationYearFactory, CampaignFactory, NewsletterFactory
from tests.support import link_token, nl_iban, recipient_details, request_data, sign_in, submit
from worker import newsletters
from worker.services import create_print_batch, dispatch_queued_letters, mark_batch_printed

BORN = datetime.date(2011, 7, 19)  # 15 on the waardering day: a guardian must agree
IBAN = nl_iban(7_712_345)
IBAN_GROUPED = " ".join(IBAN[i:i + 4] for i in range(0, len(IBAN), 4))
PERSON = {
    "first_name": "Wilhelmina", "last_name": "Zandvliet-Oostergo", "date_of_birth": BORN,
    "street": "Klaproosstraat", "house_number": "77", "postcode": "3845XK",
    "city": "Harderwijk", "email": "wilhelmina.zandvliet@example.nl", "phone": "0687654321",
    "channel": Channel.EMAIL, "wants_newsletter": True, "parent_of_disabled_child": False,
    "migration_background": False,
}
GUARDIAN = {"name": "Johanna Oostergo", "email": "johanna.oostergo@example.nl",
            "phone": "0611122233"}
RECIPIENT = "Gerardus Zandvliet"

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


def bounce(address):
    """The mail server refuses the address (outside the system: the only thing faked)."""
    def send_messages(self, messages):
        raise smtplib.SMTPRecipientsRefused(
            {address: (550, f"5.1.1 <{address}>: Recipient address rejected".encode())})
    return send_messages


def abandon_waardering_wizard():
    """Someone starts the public waardering on a shared computer, types everything up to
    the bank account, and walks away."""
    client = Client()
    assert client.get(SELF).status_code == 302
    steps = [
        ("mantelzorger", {
            "mantelzorger-first_name": PERSON["first_name"],
            "mantelzorger-last_name": PERSON["last_name"],
            "mantelzorger-date_of_birth": BORN.strftime("%d-%m-%Y"),
            "mantelzorger-postcode": PERSON["postcode"],
            "mantelzorger-house_number": PERSON["house_number"],
            "mantelzorger-street": PERSON["street"], "mantelzorger-city": "Harderwijk",
            "mantelzorger-email": PERSON["email"], "mantelzorger-phone": "06 8765 4321"}),
        ("ouder", {f"ouder-{key}": value for key, value in GUARDIAN.items()}),
        ("zorg", {"zorg-recipient_name": RECIPIENT, "zorg-recipient_postcode": "3845XK",
                  "zorg-recipient_house_number": "77", "zorg-relationship": "ouder",
                  "zorg-living_together": "ja", "zorg-hours_per_week": "20",
                  "zorg-care_since": "01-03-2019"}),
        ("betaling", {"betaling-iban": IBAN_GROUPED.lower(),
                      "betaling-account_holder": "W. Zandvliet-Oostergo"}),
    ]
    for step, data in steps:
        response = post_step(client, SELF, step, data)
        assert response.status_code == 302, (step, response.content.decode()[:2000])


@pytest.mark.django_db
def test_erasure_leaves_nothing_personal_in_any_column_or_file(
        waardering_day, media, consulent, coordinator, inline_tasks, monkeypatch, tmp_path,
        django_capture_on_commit_callbacks):
    year = AppreciationYearFactory(open_on=clock.today(),
                                   payout_young=PayoutForm.BANK)
    # Registration with the person cared for and a guardian; both links used.
    caregiver = services.register(services.RegistrationData(
        caregiver=dict(PERSON), guardian=dict(GUARDIAN),
        care_recipients=[{"name": RECIPIENT, "date_of_birth": datetime.date(1970, 2, 3),
                          "relationship": "ouder", "lives_in_municipality": True,
                          "living_together": True, "care_kinds": ["verzorging"],
                          "hours_per_week": 20, "care_since": datetime.date(2019, 3, 1),
                          "care_need": "lichamelijk"}]))
    services.confirm_email(link_token(caregiver, purpose=TokenPurpose.CONFIRM_EMAIL))
    services.confirm_guardian(link_token(caregiver, purpose=TokenPurpose.GUARDIAN))
    caregiver.refresh_from_db()
    assert caregiver.state == State.ACTIEF and hasattr(caregiver, "guardian")
    sign_in(Client(), caregiver)
    services.log_staff_access(consulent, caregiver)
    services.log_staff_access(coordinator, caregiver, "gewijzigd")

    # The waardering, approved, in a SEPA payment batch, paid; its letters by e-mail.
    with django_capture_on_commit_callbacks(execute=True):
        data = request_data(caregiver={}, iban=IBAN_GROUPED,
                            recipient=recipient_details(recipient_name=RECIPIENT))
        data.account_holder = "W. Zandvliet-Oostergo"
        request = submit(data, caregiver=caregiver)
        request = waardering.approve(waardering.recheck(request), consulent)
    batch = payouts.create_payment_batch(year, PayoutForm.BANK, coordinator)
    assert IBAN.encode() in batch.export.read()
    payouts.mark_batch_paid(batch, coordinator)

    # Swimming tickets: one request cancelled by a consulent with a reason, one with a code
    # on a paper letter (the caregiver switched to post), printed in a batch.
    today = clock.today()
    cancelled = campaigns.ask(CampaignFactory(name="Attentie", starts_on=today, ends_on=today,
                                              codes=1), caregiver, route=CampaignRoute.DESK,
                              by=consulent)
    campaigns.cancel(cancelled, by=consulent,
                     reason="Mevrouw Zandvliet belde: 06 8765 4321, wil het niet meer")
    services.update_contact_details(caregiver, email=PERSON["email"], phone=PERSON["phone"],
                                    channel=Channel.POST, wants_newsletter=True)
    with django_capture_on_commit_callbacks(execute=True):
        campaigns.ask(CampaignFactory(starts_on=today, ends_on=today, codes=2), caregiver,
                      route=CampaignRoute.SELF_SERVICE)
    dispatch_queued_letters()
    print_batch = create_print_batch()
    assert print_batch is not None
    mark_batch_printed(print_batch, consulent)

    # A newsletter the mail server refused, with the address in its error text.
    services.update_contact_details(caregiver, email=PERSON["email"], phone=PERSON["phone"],
                                    channel=Channel.EMAIL, wants_newsletter=True)
    services.confirm_email(link_token(caregiver, purpose=TokenPurpose.CONFIRM_EMAIL))
    newsletter = NewsletterFactory()
    assert newsletters.prepare_deliveries(newsletter) == 1
    monkeypatch.setattr(EmailBackend, "send_messages", bounce(PERSON["email"]))
    assert newsletters.send_chunk(newsletter.pk)["failed"] == 1
    monkeypatch.undo()

    # The self-check, a call-back done with a contact moment, another one cancelled.
    caregiver.refresh_from_db()
    insight.record_burden_check(caregiver, [3, 3, 3, 2, 3], "aanmelding")
    task = FollowUpTask.objects.get(caregiver=caregiver)
    insight.record_contact(caregiver, consulent, on=today, kind=ContactKind.PHONE, task=task,
                           outcome="Wilhelmina gebeld op 0687654321, gaat goed")
    waardering_day.shift(datetime.timedelta(days=1))
    insight.record_burden_check(caregiver, [3, 3, 3, 3, 3], "mijn_gegevens")
    insight.cancel_task(FollowUpTask.objects.get(caregiver=caregiver, done_at=None),
                        "Wilhelmina Zandvliet belt zelf terug")

    abandon_waardering_wizard()
    # The scan sees the person before erasure: it can find what it looks for.
    before = scan_database() + scan_files([media])
    assert any("session" in hit for hit in before), before
    assert any(".pdf" in hit for hit in before) and any(".xml" in hit for hit in before)

    # She ends her registration; after the grace period every scheduled job runs.
    services.end_registration(caregiver)
    waardering_day.shift(datetime.timedelta(days=31))
    app.loader.import_default_modules()
    for entry in beat_schedule().values():
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
    assert (request.state, request.amount_cents, request.iban) == ("uitbetaald", 7500, "")
    assert (batch.total_cents, batch.paid_at is not None, batch.export.name) == (7500, True, "")
    assert [(c.score, c.heavy, c.answers) for c in BurdenCheck.objects.order_by("pk")] == [
        (14, True, []), (15, True, [])]

