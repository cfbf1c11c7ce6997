"""Issue 14 item 8: how long the mail engine keeps what holds people's data.

Print-batch PDFs go 30 days after they were printed, error texts (SMTP answers quote
addresses) after 90 days, expired sessions every hour; erasing someone removes their part
at once, and a batch not yet printed is made again without their letters.
"""

import datetime

import pytest
import time_machine
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import transaction

from core import clock
from tests.factories import NewsletterFactory, RetentionNoticeFactory
from tests.support import pdf_text
from worker import retention
from worker.models import Delivery, DeliveryStatus, LetterStatus
from worker.services import create_print_batch, dispatch_queued_letters, mark_batch_printed
from worker.tasks import clear_expired_sessions, purge_mail_data

START = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=clock.AMSTERDAM)
DAY = datetime.timedelta(days=1)


def postal_batch(*names):
    for name in names:
        RetentionNoticeFactory(caregiver__first_name=name, caregiver__post=True)
    dispatch_queued_letters()
    return create_print_batch()


@pytest.mark.django_db
def test_a_printed_batch_pdf_goes_30_days_after_printing(media, consulent, committed):
    with time_machine.travel(START, tick=False) as traveller:
        batch = postal_batch("Anja", "Bert")
        unprinted = postal_batch("Cor")
        mark_batch_printed(batch, consulent)
        traveller.shift(29 * DAY)
        committed(purge_mail_data.apply)
        batch.refresh_from_db()
        assert batch.pdf and (media / batch.pdf.name).exists()
        traveller.shift(DAY)
        assert committed(purge_mail_data.apply).get()["pdfs"] == 1
        name = batch.pdf.name
        batch.refresh_from_db()
        assert batch.pdf.name == "" and not (media / name).exists()
        assert batch.letter_count == 2  # the row stays for the counts
        traveller.shift(365 * DAY)
        # Never marked printed: printing it is the staff's task, the PDF stays.
        assert committed(purge_mail_data.apply).get()["pdfs"] == 0
        unprinted.refresh_from_db()
        assert unprinted.pdf


@pytest.mark.django_db
def test_error_texts_go_after_90_days(committed):
    with time_machine.travel(START, tick=False) as traveller:
        letter = RetentionNoticeFactory(status=LetterStatus.FAILED,
                                        error="550 b'<anja@example.nl>: unknown'")
        delivery = Delivery.objects.create(
            newsletter=NewsletterFactory(), caregiver=letter.caregiver, channel="email",
            status=DeliveryStatus.FAILED, claimed_at=clock.now(),
            error="550 b'<anja@example.nl>: unknown'")
        traveller.shift(89 * DAY)
        committed(purge_mail_data.apply)
        letter.refresh_from_db()
        assert letter.error
        traveller.shift(DAY)
        assert committed(purge_mail_data.apply).get() == {"pdfs": 0, "letter_errors": 1,
                                                 "delivery_errors": 1}
        letter.refresh_from_db()
        delivery.refresh_from_db()
        assert (letter.error, letter.status, delivery.error, delivery.status) == (
            "", LetterStatus.FAILED, "", DeliveryStatus.FAILED)


@pytest.mark.django_db
def test_erasure_makes_an_unprinted_batch_again_without_the_person(media, tmp_path,
                                                                  committed):
    batch = postal_batch("Anja", "Bertha")
    bertha = batch.letters.get(caregiver__first_name="Bertha").caregiver
    failed = RetentionNoticeFactory(caregiver=bertha, dedupe_key="x", status="mislukt",
                                    error="550 b'<bertha@example.nl>: unknown'")
    waiting = RetentionNoticeFactory(caregiver=bertha, dedupe_key="y")
    assert "Bertha" in pdf_text(batch.pdf.read(), tmp_path)

    old = batch.pdf.name
    committed(retention.forget_recipients, [bertha.pk])
    batch.refresh_from_db()
    text = pdf_text(batch.pdf.read(), tmp_path)
    assert "Anja" in text and "Bertha" not in text
    assert not (media / old).exists()
    assert batch.letter_count == 1 == batch.letters.count()
    failed.refresh_from_db()
    waiting.refresh_from_db()
    assert failed.error == "" and waiting.status == LetterStatus.CANCELLED


@pytest.mark.django_db
def test_erasure_removes_a_printed_batch_pdf_at_once(media, consulent, committed):
    batch = postal_batch("Anja", "Bertha")
    mark_batch_printed(batch, consulent)
    name = batch.pdf.name
    others = postal_batch("Cor")
    mark_batch_printed(others, consulent)
    committed(retention.forget_recipients, batch.letters.filter(
        caregiver__first_name="Bertha").values("caregiver"))
    batch.refresh_from_db()
    assert batch.pdf.name == "" and not (media / name).exists()
    others.refresh_from_db()  # a batch without her keeps its PDF for the 30 days
    assert others.pdf.name and (media / others.pdf.name).exists()
    assert batch.letters.count() == 2  # printed and sent: the letters stay as they were


@pytest.mark.django_db
def test_expired_sessions_are_cleared_by_the_hourly_job():
    with time_machine.travel(START, tick=False) as traveller:
        session = SessionStore()
        session["wizard_waardering_zelf"] = {"step_data": {"betaling": {"iban": ["NL91…"]}}}
        session.set_expiry(30 * 60)
        session.create()
        traveller.shift(datetime.timedelta(minutes=29))
        clear_expired_sessions.apply()
        assert Session.objects.filter(pk=session.session_key).exists()
        traveller.shift(datetime.timedelta(minutes=2))
        clear_expired_sessions.apply()
        assert not Session.objects.filter(pk=session.session_key).exists()


@pytest.mark.django_db
def test_a_rolled_back_erasure_keeps_the_pdf_its_row_names(media, consulent,
                                                            django_capture_on_commit_callbacks):
    batch = postal_batch("Anja")
    mark_batch_printed(batch, consulent)
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            retention.forget_recipients(batch.letters.values("caregiver"))
            raise RuntimeError("the erasure failed later on")
    batch.refresh_from_db()
    assert batch.pdf and (media / batch.pdf.name).exists()
