"""The three campaign letters (codes, waiting list, lapsed): each goes out by e-mail with the
campaign's name in the subject and on paper with the address in the envelope window; the
codes are listed, pick-up says where to go, the attentie reads as a gift voucher, young
caregivers read "je", and what a coordinator typed is escaped."""

import datetime
import functools

import pytest
import time_machine
from django.core import mail

from appreciation.campaigns import services as campaigns
from appreciation.models import AppreciationLetter, CampaignRoute, Handout
from tests.factories import CampaignFactory, CaregiverFactory
from tests.support import assert_in_address_window, pdf_text
from worker.letters import letter_html, render_pdf
from worker.models import Letter, LetterStatus
from worker.services import dispatch_queued_letters

pytestmark = pytest.mark.django_db

CODES = ("ZWEM-AAAA-BBBB-CCCC", "ZWEM-DDDD-EEEE-FFFF")


@pytest.fixture(autouse=True)
def summer():
    with time_machine.travel(datetime.datetime(2026, 7, 1, 10, 0), tick=False):
        yield


@pytest.fixture
def make_campaign(make_campaign):
    """This module's campaigns come with two codes in stock."""
    return functools.partial(make_campaign, codes=CODES)


def ask(campaign, caregiver):
    return campaigns.ask(campaign, caregiver, route=CampaignRoute.SELF_SERVICE)


def sent_mail(subject) -> mail.EmailMessage:
    dispatch_queued_letters()
    found = [message for message in mail.outbox if message.subject == subject]
    assert len(found) == 1, [message.subject for message in mail.outbox]
    return found[0]


def test_the_codes_letter_lists_the_codes_and_the_pool_with_the_pdf_attached(make_campaign):
    request = ask(make_campaign(), CaregiverFactory())
    message = sent_mail("Zwemkaartjes zomer 2026: uw codes")
    body = message.body
    assert body.startswith("Beste Riet Bakker,")
    assert "Kaartje 1: ZWEM-AAAA-BBBB-CCCC" in body and "Kaartje 2: ZWEM-DDDD-EEEE-FFFF" in body
    assert "Uw codes voor Zwembad De Sypel" in body and "kassa van Zwembad De Sypel" in body
    assert "cadeaubon" not in body
    [(name, pdf, kind)] = message.attachments
    assert kind == "application/pdf" and pdf.startswith(b"%PDF")
    request.refresh_from_db()
    assert request.state == "verstuurd"


def test_pick_up_says_where_with_the_servicepunt_address_and_until_when(settings, make_campaign):
    settings.LETTER_SENDER = {**settings.LETTER_SENDER, "address": "Stationslaan 4",
                              "phone": "0341 123 456"}
    ask(make_campaign(handout=Handout.PICKUP, codes=["ZWEM-PICK-UP01-AAAA",
                                                     "ZWEM-PICK-UP02-BBBB"]), CaregiverFactory())
    body = sent_mail("Zwemkaartjes zomer 2026: uw codes").body
    assert "Kom naar het Servicepunt Mantelzorg: Stationslaan 4, 3840 AC Harderwijk." in body
    assert "deze ophaalnummers" in body and "- ZWEM-PICK-UP01-AAAA" in body
    assert "U krijgt dan 2 kaartjes voor Zwembad De Sypel." in body
    assert "Ophalen kan tot en met 31-08-2026." in body and "0341 123 456" in body


def test_the_attentie_reads_as_a_gift_voucher(coordinator):
    attentie = CampaignFactory(
        kind="attentie", name="Attentie december 2026", starts_on=datetime.date(2026, 7, 1),
        ends_on=datetime.date(2026, 7, 31), tickets_per_caregiver=1, requires_request=False,
        pool_name="Harderwijk Cadeaukaart",
        letter_text="De bon kunt u gebruiken in veel winkels in Harderwijk en Hierden.")
    CaregiverFactory()
    campaigns.grant_to_everyone(attentie, coordinator)
    body = sent_mail("Attentie december 2026: uw codes").body
    assert "Daarom krijgt u van ons een cadeaubon als dank." in body
    assert "Uw boncode voor Harderwijk Cadeaukaart:" in body and "\n- BON-" in body
    assert "kaartje" not in body.lower() and "zwem" not in body.lower()


def test_the_waiting_list_and_the_lapse_at_the_close(make_campaign):
    campaign = make_campaign()
    ask(campaign, CaregiverFactory(first_name="Anja"))
    waiting = ask(campaign, CaregiverFactory(first_name="Bert"))
    body = sent_mail("Zwemkaartjes zomer 2026: u staat op de wachtlijst").body
    assert "Daarom staat u op de wachtlijst." in body and "31-08-2026" in body
    campaigns.close_finished_campaigns(datetime.date(2026, 9, 1))
    body = sent_mail("Zwemkaartjes zomer 2026: uw aanvraag is vervallen").body
    assert "Er waren geen kaartjes meer voor u." in body
    waiting.refresh_from_db()
    assert waiting.state == "geannuleerd"


def test_tickets_not_picked_up_lapse_with_their_own_reason(make_campaign):
    ask(make_campaign(handout=Handout.PICKUP), CaregiverFactory())
    campaigns.close_finished_campaigns(datetime.date(2026, 9, 1))
    body = sent_mail("Zwemkaartjes zomer 2026: uw aanvraag is vervallen").body
    assert "U heeft de kaartjes niet opgehaald bij het Servicepunt." in body


def test_a_young_caregiver_reads_je(make_campaign):
    young = CaregiverFactory(first_name="Sem", date_of_birth=datetime.date(2010, 5, 6))
    campaign = make_campaign()
    request = ask(campaign, young)
    body = sent_mail("Zwemkaartjes zomer 2026: je codes").body
    assert body.startswith("Hoi Sem,")
    assert "Je codes voor Zwembad De Sypel" in body and "Heb je een vraag?" in body
    assert "Je hebt de code nodig." in body
    html = letter_html(Letter.objects.get(campaign_request=request))
    assert "Hier zijn je zwemkaartjes" in html and "Heeft u" not in html
    ask(campaign, CaregiverFactory(first_name="Noor", date_of_birth=datetime.date(2009, 1, 1)))
    body = sent_mail("Zwemkaartjes zomer 2026: je staat op de wachtlijst").body
    assert "Daarom sta je op de wachtlijst." in body and "Je hoeft niets te doen." in body


@pytest.mark.parametrize("handout, kind, expected", [
    (Handout.CODE_ON_LETTER, AppreciationLetter.CAMPAIGN_CODES, "ZWEM-AAAA-BBBB-CCCC"),
    (Handout.PICKUP, AppreciationLetter.CAMPAIGN_CODES, "ZWEM-DDDD-EEEE-FFFF"),
    (Handout.CODE_ON_LETTER, AppreciationLetter.CAMPAIGN_WAITLIST, "wachtlijst"),
    (Handout.CODE_ON_LETTER, AppreciationLetter.CAMPAIGN_CANCELLED, "vervallen"),
])
def test_on_paper_the_address_sits_in_the_window(tmp_path, handout, kind, expected, make_campaign):
    campaign = make_campaign(handout=handout)
    ask(campaign, CaregiverFactory(first_name="Anja", post=True))
    ask(campaign, CaregiverFactory(first_name="Gerrit", post=True, postcode="3849AB",
                                   city="Hierden"))
    if kind == AppreciationLetter.CAMPAIGN_CANCELLED:
        campaigns.close_finished_campaigns(datetime.date(2026, 9, 1))
    dispatch_queued_letters()
    letter = Letter.objects.get(kind=kind, caregiver__first_name="Anja" if kind ==
                                AppreciationLetter.CAMPAIGN_CODES else "Gerrit")
    assert letter.status == LetterStatus.TO_PRINT and not mail.outbox
    pdf = render_pdf([letter])
    assert_in_address_window(pdf, tmp_path, (letter.caregiver.first_name, "Lindenlaan",
                                             letter.caregiver.city.upper()))
    text = pdf_text(pdf, tmp_path)
    assert "Betreft: Zwemkaartjes zomer 2026" in text and expected in text


def test_what_a_coordinator_typed_is_escaped(make_campaign):
    campaign = make_campaign(name="<script>alert(1)</script> Zomer",
                             pool_name="Bad <b>De Sypel</b>", letter_text="Zwem <i>fijn</i>!")
    request = ask(campaign, CaregiverFactory())
    html = letter_html(Letter.objects.get(campaign_request=request))
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; Zomer" in html
    assert "<b>De Sypel" not in html and "<i>fijn" not in html
    message = sent_mail("<script>alert(1)</script> Zomer: uw codes")
    assert "Bad <b>De Sypel</b>" in message.body  # plain text stays as typed
    alternative, _ = message.alternatives[0]
    assert "<script>" not in alternative and "<b>De Sypel" not in alternative
