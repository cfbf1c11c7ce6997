"""A decision always reaches the person: someone who chose "Liever geen post of e-mail"
still gets decisions and gifts, by post; only the newsletter and other mail respect the
choice. The registration form says so where the choice is made."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from appreciation.campaigns import services as campaigns
from appreciation.models import AppreciationLetter
from appreciation.waardering import services
from registrations.models import Caregiver, Channel
from tests.factories import CampaignFactory, CaregiverFactory
from tests.registrations.wizard import ABOUT, RECIPIENT, post_step
from tests.support import pdf_text, sign_in
from tests.support import submit as submit_one
from worker.models import POST, Letter, LetterStatus
from worker.registry import recipients
from worker.services import create_print_batch, dispatch_queued_letters

pytestmark = pytest.mark.django_db


def no_mail(caregiver_or_request) -> None:
    caregiver_id = getattr(caregiver_or_request, "caregiver_id", None) or caregiver_or_request.pk
    Caregiver.objects.filter(pk=caregiver_id).update(channel=Channel.NONE,
                                                     wants_newsletter=False)


def letter(kind) -> Letter:
    return Letter.objects.get(kind=kind)


@pytest.mark.usefixtures("waardering_day")
def test_a_geen_post_caregivers_decision_is_printed_and_other_letters_are_not(
        waardering_year, consulent, media, tmp_path, mailoutbox):
    request = submit_one()
    no_mail(request)
    services.reject(request, consulent, "naaste_elders")
    dispatch_queued_letters()

    receipt = letter(AppreciationLetter.WAARDERING_RECEIPT)
    assert (receipt.status, receipt.error) == (LetterStatus.CANCELLED, "Wil geen post of e-mail")
    decision = letter(AppreciationLetter.WAARDERING_REJECTED)
    assert (decision.status, decision.channel) == (LetterStatus.TO_PRINT, POST)
    assert not mailoutbox

    batch = create_print_batch()
    assert batch.letter_count == 1
    text = " ".join(pdf_text(batch.pdf.read(), tmp_path).split())
    assert "Riet Bakker" in text and "Lindenlaan 12" in text
    assert "Uw naaste woont niet in Harderwijk of Hierden." in text
    assert "namens het college van burgemeester en wethouders" in text


@pytest.mark.usefixtures("waardering_day")
def test_the_question_a_decision_waits_for_is_delivered_too(waardering_year, consulent):
    request = submit_one()
    no_mail(request)
    services.ask_information(request, consulent, "Sinds wanneer zorgt u?")
    dispatch_queued_letters()
    assert letter(AppreciationLetter.WAARDERING_INFO).status == LetterStatus.TO_PRINT


def test_a_gift_reaches_a_geen_post_caregiver_by_post_and_the_newsletter_does_not():
    with time_machine.travel(datetime.datetime(2026, 7, 1, 10, 0), tick=False):
        person = CaregiverFactory(channel=Channel.NONE, wants_newsletter=True)
        campaigns.ask(CampaignFactory(codes=2), person, route="mijn_gegevens")
        dispatch_queued_letters()
    codes = letter(AppreciationLetter.CAMPAIGN_CODES)
    assert (codes.status, codes.channel) == (LetterStatus.TO_PRINT, POST)

    directory = recipients()
    newsletter_people = directory.newsletter_audience({})
    assert person not in directory.by_post(newsletter_people)
    assert person not in directory.by_email(newsletter_people)
    assert not directory.still_wants_mailing(person, service_message=True)


def test_without_an_address_a_decision_goes_to_the_confirmed_e_mail_address():
    directory = recipients()
    no_address = CaregiverFactory(channel=Channel.NONE, street="", postcode="", city="")
    assert directory.route(no_address, about_own_request=True, always_delivered=True) == (
        Channel.EMAIL, "")
    assert directory.route(no_address, about_own_request=True, always_delivered=False) == (
        "", "Wil geen post of e-mail")
    nothing = CaregiverFactory(channel=Channel.NONE, street="", postcode="", city="",
                               email="", date_of_birth=datetime.date(1951, 1, 1))
    assert directory.route(nothing, about_own_request=True, always_delivered=True)[0] == ""
    with_address = CaregiverFactory(channel=Channel.NONE, date_of_birth=datetime.date(1952, 1, 1))
    assert directory.route(with_address, about_own_request=False, always_delivered=True) == (
        Channel.POST, "")


HINT = ("Kiest u 'Liever geen post of e-mail'? Dan krijgt u geen nieuwsbrief. Een besluit "
        "over uw aanvraag (zoals de mantelzorgwaardering) en een cadeau of kaartjes van ons "
        "krijgt u wel. Die sturen wij dan per post.")


def test_the_registration_form_says_so_where_the_choice_is_made(client):
    client.get("/aanmelden/over-mij")
    post_step(client, "over-mij", ABOUT)
    post_step(client, "naaste", RECIPIENT)
    html = client.get("/aanmelden/contact").content.decode()
    assert html.count("Liever geen post of e-mail") >= 1
    assert HINT.replace("'", "&#x27;") in html
    assert 'aria-describedby="id_contact-channel_hint"' in html or "_hint" in html


def test_mijn_gegevens_says_so_too(client):
    person = CaregiverFactory()
    sign_in(client, person)
    html = client.get(reverse("registrations:edit_contact")).content.decode()
    assert HINT.replace("'", "&#x27;") in html
