"""The five waardering letters: each goes out with its subject and the request's specifics,
decisions carry the PDF, paper letters fit the window envelope, the year's edited texts
show, free text is escaped, and the full IBAN is never printed."""

import datetime

import pytest
import time_machine
from django.core import mail

from appreciation.models import AppreciationLetter, RejectionReason, Route
from appreciation.waardering import services
from tests.support import (
    VALID_IBAN,
    assert_in_address_window,
    caregiver_details,
    pdf_text,
    request_data,
)
from tests.support import submit as submit_one
from worker.letters import letter_html, render_pdf
from worker.models import Letter, LetterStatus
from worker.registry import letter_type
from worker.services import create_print_batch, dispatch_queued_letters

TODAY = datetime.date(2026, 9, 15)
IN_FOUR_WEEKS = "13-10-2026"  # TODAY + the default 4 weeks (payment and answer terms)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("waardering_day")]





def sent(kind) -> mail.EmailMessage:
    """Send what is queued; the one e-mail of this kind (its subject with "u" or "je")."""
    dispatch_queued_letters()
    spec = letter_type(kind)
    found = [message for message in mail.outbox
             if message.subject in (spec.subject, spec.subject_young)]
    assert len(found) == 1, [message.subject for message in mail.outbox]
    return found[0]


def the_letter(request, kind) -> Letter:
    return Letter.objects.get(appreciation_request=request, kind=kind)


def test_the_receipt_says_what_happens_next_without_the_care_recipient(
        waardering_year, inline_tasks, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        request = submit_one()
    message = sent(AppreciationLetter.WAARDERING_RECEIPT)  # already sent by the task after commit
    assert message.to == ["riet@example.nl"] and not message.attachments
    body = message.body
    assert request.reference in body and "mantelzorgwaardering 2026" in body
    assert waardering_year.text_receipt in body
    assert "binnen 4 weken na ons besluit" in body and "4 weken om te antwoorden" in body
    assert "Henk" not in body  # the care recipient's name is not needed
    assert "bevestigen" not in body  # only for a request made on someone's behalf
    assert the_letter(request, AppreciationLetter.WAARDERING_RECEIPT).status == LetterStatus.SENT


def test_a_request_on_behalf_asks_the_caregiver_to_confirm(waardering_year, settings):
    request = submit_one(request_data(requester={"name": "Jan de Vries", "relation": "buurman",
                                                 "contact": "0612345678"}),
                         route=Route.ON_BEHALF)
    receipt = sent(AppreciationLetter.WAARDERING_RECEIPT).body
    assert "Jan de Vries heeft de aanvraag voor u gedaan" in receipt
    assert "pas als u hem heeft bevestigd" in receipt
    confirm = sent(AppreciationLetter.WAARDERING_CONFIRM).body
    assert "Jan de Vries heeft op 15-09-2026 de mantelzorgwaardering 2026 voor u" in confirm
    assert f"{settings.SITE_URL}/mijn-gegevens/inloggen" in confirm
    assert "Of bel ons" in confirm and request.reference in confirm
    assert "pas als u hem heeft bevestigd" in confirm
    assert "0612345678" not in confirm  # the requester's contact stays with the consulent


def test_the_approval_names_the_amount_the_account_end_and_the_payment_date(
        waardering_year, consulent,
                                                                            tmp_path):
    request = services.approve(submit_one(), consulent)
    message = sent(AppreciationLetter.WAARDERING_APPROVED)
    body = message.body
    assert waardering_year.text_approved in body
    assert "U krijgt € 75,00." in body and "75.00" not in body
    assert f"uiterlijk op {IN_FOUR_WEEKS} over naar uw rekening die eindigt op 4300" in body
    assert request.reference in body and "Nogmaals dank" in body
    (name, pdf, mimetype), = message.attachments
    assert name.endswith(".pdf") and mimetype == "application/pdf" and pdf.startswith(b"%PDF")
    text = pdf_text(pdf, tmp_path)
    assert "75,00" in text and "eindigt op 4300" in text and IN_FOUR_WEEKS in text


def test_a_young_caregiver_gets_a_voucher(waardering_year, consulent):
    waardering_year.payout_young = "bon"
    waardering_year.save()
    details = caregiver_details(first_name="Sem", date_of_birth=datetime.date(2007, 5, 1),
                                email="sem@example.nl")
    request = services.approve(submit_one(request_data(caregiver=details, iban="")), consulent)
    assert request.payout_form == "bon"
    message = sent(AppreciationLetter.WAARDERING_APPROVED)
    body = message.body
    assert message.subject == "Je krijgt de mantelzorgwaardering"
    assert body.startswith("Hoi Sem,") and "Je krijgt een cadeaubon" in body
    assert waardering_year.text_approved_young in body
    assert "cadeaubon of een activiteit van € 75,00" in body
    assert f"uiterlijk op {IN_FOUR_WEEKS}" in body and "rekening" not in body


def test_the_rejection_gives_the_reason_and_how_to_object(waardering_year, consulent, tmp_path):
    request = services.reject(submit_one(), consulent, RejectionReason.TOO_FEW_HOURS,
                              "U zorgt volgens ons gesprek 4 uur per week.")
    message = sent(AppreciationLetter.WAARDERING_REJECTED)
    body = message.body
    assert waardering_year.text_rejected in body and waardering_year.text_objection in body
    assert "U zorgt minder uren per week voor uw naaste dan nodig is." in body
    assert "U zorgt volgens ons gesprek 4 uur per week." in body
    assert request.reference in body and "Postbus 149" in body
    (_, pdf, mimetype), = message.attachments
    assert mimetype == "application/pdf"
    assert "bezwaar maken" in pdf_text(pdf, tmp_path)


def test_the_question_has_its_answer_date_and_no_answer_means_buiten_behandeling(
        waardering_year, consulent,
                                                                         settings):
    request = services.ask_information(submit_one(), consulent,
                                       "Sinds wanneer zorgt u voor uw naaste?")
    body = sent(AppreciationLetter.WAARDERING_INFO).body
    assert waardering_year.text_info_request in body
    assert "Sinds wanneer zorgt u voor uw naaste?" in body
    assert f"Geef uw antwoord uiterlijk op {IN_FOUR_WEEKS}." in body
    assert f"{settings.SITE_URL}/mijn-gegevens/inloggen" in body
    assert (f"Heeft u op {IN_FOUR_WEEKS} nog niet geantwoord? Dan kunnen wij uw aanvraag "
            "buiten behandeling stellen") in body

    with time_machine.travel(datetime.datetime(2026, 10, 14, 10, 0), tick=False):
        services.set_aside(request, consulent)
        set_aside = sent(AppreciationLetter.WAARDERING_SET_ASIDE).body
    assert "uw aanvraag is buiten behandeling gesteld" in set_aside
    assert "Dit is geen afwijzing" in set_aside
    assert f"tot en met {IN_FOUR_WEEKS}" in set_aside and request.reference in set_aside


def test_a_caregiver_who_wants_post_gets_the_letter_in_a_print_batch(
        waardering_year, consulent, settings,
                                                                     tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path)}}}
    details = caregiver_details(first_name="Gerrit", email="", postcode="3849AB",
                                city="Hierden")
    request = services.approve(submit_one(request_data(caregiver=details)), consulent)
    dispatch_queued_letters()
    assert not mail.outbox
    batch = create_print_batch()
    assert batch.letter_count == 2  # the receipt and the approval
    letter = the_letter(request, AppreciationLetter.WAARDERING_APPROVED)
    assert letter.status == LetterStatus.TO_PRINT and letter.print_batch == batch

    words = assert_in_address_window(render_pdf([letter]), tmp_path,
                                     ("Gerrit", "Lindenlaan", "3849", "HIERDEN"))
    assert words["Beste"][1] > words["_bottom"]


def test_the_letter_shows_the_years_edited_text(waardering_year, consulent):
    waardering_year.text_approved = "Hartelijk dank van de wethouder.\nU doet veel voor een ander."
    waardering_year.save()
    request = services.approve(submit_one(), consulent)
    assert "Hartelijk dank van de wethouder.\nU doet veel" in sent(
        AppreciationLetter.WAARDERING_APPROVED).body
    html = letter_html(the_letter(request, AppreciationLetter.WAARDERING_APPROVED))
    assert "<p>Hartelijk dank van de wethouder.<br>U doet veel voor een ander.</p>" in html


def test_free_text_is_escaped_in_the_letter(waardering_year, consulent):
    waardering_year.text_objection = "Bezwaar? <b>Schrijf</b> ons."
    waardering_year.save()
    request = services.reject(submit_one(), consulent, RejectionReason.OTHER,
                              "<script>alert('x')</script> & meer")
    html = letter_html(the_letter(request, AppreciationLetter.WAARDERING_REJECTED))
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; meer" in html
    message = sent(AppreciationLetter.WAARDERING_REJECTED)
    alternative, _ = message.alternatives[0]
    assert "<script>" not in alternative and "&lt;script&gt;" in alternative


def test_the_full_iban_is_never_printed(waardering_year, consulent, tmp_path):
    request = services.approve(submit_one(), consulent)
    dispatch_queued_letters()
    letters = Letter.objects.filter(appreciation_request=request)
    assert letters.count() == 2
    texts = [message.body for message in mail.outbox]
    texts += [alternative for message in mail.outbox for alternative, _ in message.alternatives]
    texts += [letter_html(letter) for letter in letters]
    texts.append(pdf_text(render_pdf(list(letters)), tmp_path))
    for text in texts:
        assert VALID_IBAN not in text and "0417164300" not in text
