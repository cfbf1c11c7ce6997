"""The mail retention's edges that `make mutate` found untested (worker/retention.py).

Who is erased leaves an unprinted batch and is never printed later; the batch made again
keeps the post office's order; the daily job removes exactly the old error texts and
reports how many (the Celery worker logs what a task returns).
"""

import datetime

import pytest
import time_machine
from django.core.files.base import ContentFile

from core import clock
from tests.factories import CaregiverFactory, NewsletterFactory, RetentionNoticeFactory
from tests.support import pdf_text
from worker import retention
from worker.models import Delivery, DeliveryStatus, LetterStatus, PrintBatch
from worker.services import create_print_batch, dispatch_queued_letters

START = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=clock.AMSTERDAM)
DAY = datetime.timedelta(days=1)
HOUR = datetime.timedelta(hours=1)


def postal_letter(name, postcode="3845AB", **letter):
    caregiver = CaregiverFactory(first_name=name, postcode=postcode, former=True, post=True)
    return RetentionNoticeFactory(caregiver=caregiver, **letter)


def names_in_order(text, names):
    return sorted(names, key=text.index)


@pytest.mark.django_db
def test_the_only_person_of_an_unprinted_batch_erased_leaves_no_pdf_and_no_letter(
        media, committed):
    letter = postal_letter("Anja")
    dispatch_queued_letters()
    batch = create_print_batch()
    old = batch.pdf.name

    committed(retention.forget_recipients, [letter.caregiver_id])

    batch.refresh_from_db()
    assert (batch.pdf.name, batch.letter_count) == ("", 0)  # nothing left to download
    assert not (media / old).exists()
    letter.refresh_from_db()
    assert (letter.status, letter.error, letter.print_batch) == (
        LetterStatus.CANCELLED, "Gegevens gewist", None)
    assert create_print_batch() is None  # her letter is not printed in the next batch


@pytest.mark.django_db
def test_a_batch_made_again_keeps_the_post_office_order(media, tmp_path, committed):
    # Sorted by postcode, then by letter: Cor (1000AA), Anja, Bert (both 3845AB).
    # Bert registered before Anja and his letter is dated before hers, but stored after it.
    bert = CaregiverFactory(first_name="Bert", postcode="3845AB", former=True, post=True)
    with time_machine.travel(START, tick=False) as traveller:
        traveller.shift(HOUR)
        postal_letter("Anja")
        traveller.shift(-HOUR)
        RetentionNoticeFactory(caregiver=bert)
        postal_letter("Cor", postcode="1000AA")
        dirk = postal_letter("Dirk", postcode="5000AA")
        dispatch_queued_letters()
        batch = create_print_batch()
    order = ["Cor", "Anja", "Dirk", "Bert"]
    assert names_in_order(pdf_text(batch.pdf.read(), tmp_path), order) == [
        "Cor", "Anja", "Bert", "Dirk"]

    committed(retention.forget_recipients, [dirk.caregiver_id])

    batch.refresh_from_db()
    text = pdf_text(batch.pdf.read(), tmp_path)
    assert "Dirk" not in text
    assert names_in_order(text, ["Bert", "Anja", "Cor"]) == ["Cor", "Anja", "Bert"]
    assert batch.letter_count == 3


@pytest.mark.django_db
def test_the_daily_job_counts_every_printed_pdf_it_removes(media, committed):
    with time_machine.travel(START, tick=False) as traveller:
        for number in (1, 2):
            batch = PrintBatch.objects.create(created_at=clock.now(), letter_count=1,
                                              printed_at=clock.now())
            batch.pdf.save(f"printbatch-{number}.pdf", ContentFile(b"%PDF-1.7"), save=True)
        traveller.shift(30 * DAY)
        assert committed(retention.purge_old_mail_data)["pdfs"] == 2
    assert list(PrintBatch.objects.values_list("pdf", flat=True)) == ["", ""]
    assert not list((media / "printbatches").iterdir())


@pytest.mark.django_db
def test_the_daily_job_clears_only_old_error_texts_and_counts_only_those():
    error = "550 b'<anja@example.nl>: unknown'"
    with time_machine.travel(START, tick=False) as traveller:
        old_news = NewsletterFactory()
        traveller.shift(10 * DAY)
        old_letter = RetentionNoticeFactory(caregiver__first_name="Anja", error=error,
                                            status=LetterStatus.FAILED)
        sent_letter = RetentionNoticeFactory(caregiver__first_name="Ab",
                                             status=LetterStatus.SENT)

        def delivery(newsletter, name, **fields):
            return Delivery.objects.create(
                newsletter=newsletter, caregiver=CaregiverFactory(first_name=name),
                channel="email", **fields)

        # A newsletter's deliveries: one claimed and failed long ago, one sent without an
        # error, one failed before it was ever claimed.
        claimed_long_ago = delivery(old_news, "Bert", status=DeliveryStatus.FAILED,
                                    claimed_at=clock.now(), error=error)
        delivery(old_news, "Cor", status=DeliveryStatus.SENT, claimed_at=clock.now())
        never_claimed = delivery(old_news, "Dirk", status=DeliveryStatus.FAILED, error=error)
        traveller.shift(80 * DAY)
        # Of the old newsletter, claimed only recently: the 90 days count from the claim.
        claimed_lately = delivery(old_news, "Els", status=DeliveryStatus.PENDING,
                                  claimed_at=clock.now(), error=error)
        # A recent newsletter whose delivery failed before it was claimed.
        new_unclaimed = delivery(NewsletterFactory(), "Fien", status=DeliveryStatus.FAILED,
                                 error=error)
        traveller.shift(10 * DAY)

        assert retention.purge_old_mail_data() == {
            "pdfs": 0, "letter_errors": 1, "delivery_errors": 2}

    errors = {row.pk: row.error for row in Delivery.objects.all()}
    assert (errors[claimed_long_ago.pk], errors[never_claimed.pk]) == ("", "")
    assert (errors[claimed_lately.pk], errors[new_unclaimed.pk]) == (error, error)
    old_letter.refresh_from_db()
    sent_letter.refresh_from_db()
    assert (old_letter.error, old_letter.status) == ("", LetterStatus.FAILED)
    assert (sent_letter.error, sent_letter.status) == ("", LetterStatus.SENT)
