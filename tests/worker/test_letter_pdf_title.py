"""Each letter's PDF is named after its subject: what a PDF reader shows in its title bar
and a screen reader reads first (pdfinfo reads the document's Title)."""

import subprocess

import pytest

from tests.factories import NewsletterFactory, RetentionNoticeFactory
from worker.letters import letter_subject, render_pdf
from worker.models import Letter, LetterKind
from worker.services import create_print_batch


def pdf_title(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "brief.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True,
                          check=True).stdout
    return next(line.split(":", 1)[1].strip() for line in info.splitlines()
                if line.startswith("Title:"))


@pytest.mark.django_db
def test_a_letter_pdf_has_its_subject_as_title(tmp_path):
    letter = RetentionNoticeFactory()
    assert pdf_title(render_pdf([letter]), tmp_path) == \
        "Uw inschrijving bij het Servicepunt Mantelzorg stopt over een maand"


@pytest.mark.django_db
def test_a_postal_newsletter_is_titled_with_its_own_subject(tmp_path):
    newsletter = NewsletterFactory(subject="Inloop in december")
    letter = Letter.objects.create(kind=LetterKind.NEWSLETTER, newsletter=newsletter,
                                   caregiver=RetentionNoticeFactory().caregiver,
                                   dedupe_key="n:1", created_at=newsletter.created_at)
    assert letter_subject(letter) == "Nieuwsbrief: Inloop in december"
    assert pdf_title(render_pdf([letter]), tmp_path) == "Nieuwsbrief: Inloop in december"


@pytest.mark.django_db
def test_a_print_batch_is_titled_with_its_number_of_letters(tmp_path, media):
    for name in ("Anja", "Bert"):
        RetentionNoticeFactory(caregiver__first_name=name, caregiver__post=True,
                               status="te_printen", channel="post")
    batch = create_print_batch()
    with batch.pdf.open("rb") as handle:
        assert pdf_title(handle.read(), tmp_path) == "2 brieven van het Servicepunt Mantelzorg"
