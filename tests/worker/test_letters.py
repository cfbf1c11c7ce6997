"""Letters: the PDF's address sits in the envelope window; queued letters go out by each
caregiver's channel exactly once; postal letters end up in print batches."""

import smtplib
import subprocess

import pytest
from django.core import mail
from django.urls import reverse

from registrations.models import Channel
from tests.factories import RetentionNoticeFactory
from tests.support import assert_in_address_window
from worker.letters import render_pdf
from worker.models import Letter, LetterStatus, PrintBatch
from worker.services import create_print_batch, dispatch_queued_letters, mark_batch_printed


@pytest.mark.django_db
def test_the_address_is_inside_the_window_of_a_dutch_window_envelope(tmp_path):
    letter = RetentionNoticeFactory(caregiver__first_name="Gerrit",
                                    caregiver__postcode="3849AB", caregiver__city="Hierden")
    words = assert_in_address_window(render_pdf([letter]), tmp_path,
                                     ("Gerrit", "Lindenlaan", "3849", "HIERDEN"))
    # The letter text starts below the window.
    assert words["Beste"][1] > words["_bottom"]


@pytest.mark.django_db
def test_a_batch_pdf_has_one_page_per_letter_and_is_tagged(tmp_path):
    letters = [RetentionNoticeFactory(caregiver__first_name=name)
               for name in ("Anja", "Bert", "Carla")]
    path = tmp_path / "batch.pdf"
    path.write_bytes(render_pdf(letters))
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    assert "Pages:           3" in info and "Tagged:          yes" in info
    assert "A4" in info
    # Every letter numbers its own pages: each of the three starts at "Pagina 1".
    for page in (1, 2, 3):
        text = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), str(path), "-"],
                              capture_output=True, text=True).stdout
        assert "Pagina 1" in text, (page, text)


@pytest.mark.django_db
def test_queued_letters_go_by_channel_exactly_once():
    by_mail = RetentionNoticeFactory(caregiver__first_name="Anja")
    by_post = RetentionNoticeFactory(caregiver__first_name="Bert", caregiver__post=True)
    unconfirmed = RetentionNoticeFactory(caregiver__first_name="Carla",  # falls back to post
                                         caregiver__unconfirmed=True)
    nothing = RetentionNoticeFactory(caregiver__first_name="Dirk",
                                     caregiver__channel=Channel.NONE)
    counts = dispatch_queued_letters()
    assert counts == {"email": 1, "post": 2, "cancelled": 1, "failed": 0, "retry": 0}
    assert [m.to for m in mail.outbox] == [["anja@example.nl"]]
    assert "stopt over een maand" in mail.outbox[0].subject
    assert "U blijft ingeschreven tot en met" in mail.outbox[0].body
    html, kind = mail.outbox[0].alternatives[0]
    assert kind == "text/html" and "<p>U blijft ingeschreven tot en met" in html
    statuses = {letter.pk: Letter.objects.get(pk=letter.pk).status
                for letter in (by_mail, by_post, unconfirmed, nothing)}
    assert statuses == {by_mail.pk: LetterStatus.SENT, by_post.pk: LetterStatus.TO_PRINT,
                        unconfirmed.pk: LetterStatus.TO_PRINT,
                        nothing.pk: LetterStatus.CANCELLED}
    assert dispatch_queued_letters()["email"] == 0
    assert len(mail.outbox) == 1


@pytest.mark.django_db
@pytest.mark.parametrize("code, status", [(451, LetterStatus.QUEUED),
                                          (550, LetterStatus.FAILED)])
def test_smtp_errors_retry_or_fail(monkeypatch, code, status):
    letter = RetentionNoticeFactory(caregiver__first_name="Anja")

    def refuse(self, *args, **kwargs):
        raise smtplib.SMTPDataError(code, b"nope")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    dispatch_queued_letters()
    letter.refresh_from_db()
    assert letter.status == status
    if status == LetterStatus.FAILED:
        assert letter.error.startswith("550")


@pytest.mark.django_db
def test_print_batches_collect_postal_letters_and_staff_mark_them_printed(client, settings,
                                                                           tmp_path, login_fully):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path)}}}
    for name in ("Anja", "Bert"):
        RetentionNoticeFactory(caregiver__first_name=name, caregiver__post=True)
    dispatch_queued_letters()
    batch = create_print_batch()
    assert batch.letter_count == 2 and batch.letters.count() == 2
    assert create_print_batch() is None  # nothing left, nothing twice

    assert client.get(reverse("worker:print_batch_pdf", args=[batch.pk])).status_code == 302
    user = login_fully(client, "consulent")
    page = client.get(reverse("worker:print_batches")).content.decode()
    assert f"PDF van drukwerk {batch.pk}" in page
    pdf = client.get(reverse("worker:print_batch_pdf", args=[batch.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    client.post(reverse("worker:print_batch_printed", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.printed_by == user
    assert set(batch.letters.values_list("status", flat=True)) == {LetterStatus.SENT}
    mark_batch_printed(batch, user)  # twice changes nothing
    assert client.get(reverse("worker:print_batch_pdf", args=[987654])).status_code == 404
    assert PrintBatch.objects.count() == 1


def test_dispatch_runs_on_a_real_worker(transactional_db, empty_queue, wait_for):
    from celery.contrib.testing.worker import start_worker

    from mantelzorg.celery import app
    from worker.tasks import dispatch_letters

    letter = RetentionNoticeFactory(caregiver__first_name="Anja")
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        dispatch_letters.delay()
        wait_for(lambda: Letter.objects.get(pk=letter.pk).status == LetterStatus.SENT,
                 timeout=30, message="the worker to send the letter")


@pytest.mark.django_db
def test_the_local_outbox_shows_what_was_sent(client, settings, tmp_path, login_fully):
    from django.core.mail import send_mail

    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path / "outbox")
    send_mail("Bevestig uw e-mailadres",
              "Klik op deze link: http://x/bevestigen/abc\nU krijgt € 75,00. Tot ziens, Zoë.",
              None, ["riet@example.nl"])
    login_fully(client, "coordinator")
    page = client.get(reverse("worker:outbox")).content.decode()
    assert "Bevestig uw e-mailadres" in page and "riet@example.nl" in page
    name = page.split("?bericht=")[1].split('"')[0]
    detail = client.get(reverse("worker:outbox"), {"bericht": name.replace("%3A", ":")})
    assert "http://x/bevestigen/abc" in detail.content.decode()
    assert "U krijgt € 75,00. Tot ziens, Zoë." in detail.content.decode()


@pytest.mark.django_db
def test_consulenten_cannot_read_the_outbox(client, login_fully):
    login_fully(client, "consulent")
    assert client.get(reverse("worker:outbox")).status_code == 403


@pytest.mark.django_db
def test_a_letter_stays_dutch_with_a_summary_in_the_persons_language(tmp_path):
    """Decisions stay in Dutch, the legal version; above them a summary in the language the
    person chose, marked with that language and its direction (Arabic: right to left)."""
    from django.utils import translation

    from registrations.mail import RETENTION_SUMMARY

    letter = RetentionNoticeFactory(caregiver__first_name="Samira", caregiver__language="ar")
    dutch = RetentionNoticeFactory(caregiver__first_name="Gerrit")
    with translation.override("ar"):
        summary = str(RETENTION_SUMMARY)
    assert summary != str(RETENTION_SUMMARY)  # translated, not the Dutch text again
    dispatch_queued_letters()
    arabic = next(m for m in mail.outbox if m.to == ["samira@example.nl"])
    assert arabic.subject.startswith("Uw inschrijving")  # the subject stays Dutch
    assert arabic.body.startswith(summary)
    assert "U blijft ingeschreven tot en met" in arabic.body  # the Dutch letter follows
    html = arabic.alternatives[0][0]
    assert f'<div lang="ar" dir="rtl"><p><strong>{summary}</strong>' in html
    gerrit = next(m for m in mail.outbox if m.to == ["gerrit@example.nl"])
    assert gerrit.body.startswith("Beste") and 'lang="ar"' not in gerrit.alternatives[0][0]
    path = tmp_path / "letter.pdf"
    path.write_bytes(render_pdf([letter, dutch]))
    first = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(path), "-"],
                           capture_output=True, text=True).stdout
    second = subprocess.run(["pdftotext", "-f", "2", "-l", "2", str(path), "-"],
                            capture_output=True, text=True).stdout
    assert "Beste Samira" in first and "Beste Gerrit" in second
    assert any("\u0600" <= char <= "\u06ff" for char in first)  # Arabic glyphs in the PDF
    assert not any("\u0600" <= char <= "\u06ff" for char in second)
