"""Campaigns for caregivers: the short public form (/zwemkaartjes, /campagne/<id>) and
Mijn gegevens › Zwemkaartjes. Both routes, every refusal with its Dutch message and nothing
stored, wrong and hostile input, and one caregiver never reaching another's request."""

import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.utils.html import escape

from appreciation.campaigns import services as campaigns
from appreciation.models import (
    AppreciationLetter,
    Campaign,
    CampaignRequest,
    CampaignRoute,
    Handout,
    TicketCode,
)
from registrations.models import Caregiver, State
from tests.factories import CaregiverFactory
from worker.models import Letter
from worker.services import dispatch_queued_letters

SUMMER = datetime.datetime(2026, 7, 1, 10, 0)
RIET = {"date_of_birth": "02-01-1950", "postcode": "3845 ab", "house_number": "12A"}
NEUTRAL = "Wij hebben uw aanvraag ontvangen"
MINE = "/mijn-gegevens/campagnes/"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def summer():
    with time_machine.travel(SUMMER, tick=False) as traveller:
        yield traveller


@pytest.fixture
def swim(make_campaign):
    return make_campaign(codes=6)


@pytest.fixture
def riet(db):
    return CaregiverFactory(complete=True)


def public_ask(client, campaign=None, **changes):
    url = f"/campagne/{campaign.pk}" if campaign else "/zwemkaartjes"
    return client.post(url, {**RIET, **changes})


def set_state(caregiver, state):
    """Move a registration to `state` with the dates the database asks for."""
    day = SUMMER.date() - datetime.timedelta(days=10)
    Caregiver.objects.filter(pk=caregiver.pk).update(state=state, care_ended_on=day,
                                                     ended_on=day)


# --- the public form: happy paths --------------------------------------------------------
def test_the_public_page_explains_the_campaign_in_plain_words(client, swim):
    html = client.get("/zwemkaartjes").content.decode()
    for text in ["Zwemkaartjes zomer 2026", "van 01-06-2026 tot en met 31-08-2026",
                 "U krijgt 2 kaartjes voor Zwembad De Sypel.", "voor elk kaartje een code",
                 "Uw geboortedatum", "Uw postcode", "Uw huisnummer", "Zwemkaartjes aanvragen"]:
        assert text in html, text
    assert client.get(f"/campagne/{swim.pk}").content.decode().count(swim.name) >= 2


def letters_to(caregiver, kind=None) -> list[str]:
    """The kinds of letter queued for a caregiver (optionally only `kind`)."""
    letters = Letter.objects.filter(caregiver=caregiver)
    if kind:
        letters = letters.filter(kind=kind)
    return list(letters.values_list("kind", flat=True))


def test_a_registered_caregiver_asks_with_the_public_form_and_gets_codes(client, swim, riet):
    response = public_ask(client)
    assert response.status_code == 302
    assert response["Location"] == f"/campagne/{swim.pk}/aangevraagd"
    html = client.get(response["Location"]).content.decode()
    assert NEUTRAL in html and "e-mail of een brief" in html
    request = CampaignRequest.objects.get()
    assert (request.caregiver, request.route, request.state) == (
        riet, CampaignRoute.PUBLIC_FORM, "toegekend")
    assert request.codes.count() == 2
    assert letters_to(riet) == [AppreciationLetter.CAMPAIGN_CODES]  # the outcome, by letter
    assert str(riet.pk) not in response["Location"]


def test_without_stock_the_public_form_puts_them_on_the_waiting_list(client, riet,
                                                                     make_campaign):
    campaign = make_campaign(codes=0, handout=Handout.PICKUP)
    [first] = [CaregiverFactory(complete=True, first_name="Bram", email="bram@example.nl",
     date_of_birth=datetime.date(1961, 6, 7))]
    campaigns.ask(campaign, first, route=CampaignRoute.DESK)
    html = client.get(public_ask(client, campaign)["Location"]).content.decode()
    assert NEUTRAL in html and "wachtlijst" not in html
    assert CampaignRequest.objects.get(caregiver=riet).state == "wachtlijst"
    assert letters_to(riet) == [AppreciationLetter.CAMPAIGN_WAITLIST]


def test_signed_in_with_their_own_details_they_see_the_real_outcome(client, riet,
                                                                    make_campaign, sign_in):
    campaign = make_campaign(codes=0, handout=Handout.PICKUP)
    campaigns.ask(campaign, CaregiverFactory(complete=True, first_name="Bram",
                                             date_of_birth=datetime.date(1961, 6, 7)),
                  route=CampaignRoute.DESK)
    sign_in(client, riet)
    html = client.get(public_ask(client, campaign)["Location"]).content.decode()
    assert "U staat op de wachtlijst" in html and "nummer 2" in html
    html = public_ask(client, campaign).content.decode()
    assert "U heeft dit al aangevraagd" in html


def test_signed_in_with_someone_elses_details_they_learn_nothing(client, swim, riet, sign_in):
    bram = CaregiverFactory(complete=True, first_name="Bram", email="bram@example.nl",
                            date_of_birth=datetime.date(1961, 6, 7))
    campaigns.ask(swim, riet, route=CampaignRoute.DESK)
    sign_in(client, bram)
    html = client.get(public_ask(client)["Location"]).content.decode()
    assert NEUTRAL in html and "al aangevraagd" not in html


def the_answer(client, url, data) -> tuple:
    """What a visitor sees after posting the form: status, where it leads, and the page it
    leads to, without anything that differs per request (CSRF tokens)."""
    response = client.post(url, data)
    followed = client.get(response["Location"]) if response.status_code == 302 else response
    body = re.sub(r'(csrfmiddlewaretoken" value=|csrf-token" content=)"[^"]*"', r"\1",
                  followed.content.decode())
    return response.status_code, response.get("Location"), followed.status_code, body


IDENTITIES = ["unknown", "not_active", "ended", "erased", "already_asked", "fresh"]


@pytest.mark.parametrize("url", ["/zwemkaartjes", "campaign"])
def test_the_public_form_answers_alike_for_every_identity(client, swim, url):
    """Regression (issue 14, item 2): the answer told a stranger who is registered, whose
    care ended and who already asked. Now the status, redirect and page are identical."""
    url = f"/campagne/{swim.pk}" if url == "campaign" else url
    answers = {}
    for n, who in enumerate(IDENTITIES):
        born = datetime.date(1950, 1, 1) + datetime.timedelta(days=n)
        details = {**RIET, "date_of_birth": born.strftime("%d-%m-%Y")}
        if who != "unknown":
            person = CaregiverFactory(complete=True, date_of_birth=born)
            if who == "not_active":
                set_state(person, State.VOORMALIG)
            elif who in ("ended", "erased"):
                set_state(person, State.BEEINDIGD if who == "ended" else State.GEWIST)
            elif who == "already_asked":
                campaigns.ask(swim, person, route=CampaignRoute.DESK)
        answers[who] = the_answer(Client(), url, details)
    for who in IDENTITIES:
        assert answers[who] == answers["fresh"], who
    assert answers["fresh"][0] == 302 and NEUTRAL in answers["fresh"][3]


@pytest.mark.parametrize("who", ["unknown", "erased", "wrong_number"])
def test_unknown_people_get_nothing_and_nothing_is_stored(client, swim, who):
    if who == "erased":
        set_state(CaregiverFactory(complete=True), State.GEWIST)
    elif who == "wrong_number":
        CaregiverFactory(complete=True)
    response = public_ask(client, house_number="14")
    assert response.status_code == 302
    assert not CampaignRequest.objects.exists() and not Letter.objects.exists()


@pytest.mark.parametrize("state", [State.AANGEMELD, State.VOORMALIG, State.BEEINDIGD])
def test_a_registration_that_is_not_active_hears_it_by_its_own_channel(client, swim, state):
    person = CaregiverFactory(complete=True)
    set_state(person, state)
    html = client.get(public_ask(client)["Location"]).content.decode()
    assert NEUTRAL in html and "niet actief" not in html
    assert not CampaignRequest.objects.exists() and campaigns.stock_left(swim) == 6
    assert letters_to(person) == [AppreciationLetter.CAMPAIGN_NOT_ACTIVE]
    public_ask(client)  # again the same day: no second letter
    assert len(letters_to(person)) == 1
    dispatch_queued_letters()
    [message] = mail.outbox
    assert message.to == [person.email] and swim.name in message.subject
    assert "Daarom kunt u dit nu niet aanvragen" in message.body
    assert ("gestopt" in message.body) == (state == State.BEEINDIGD)


def test_a_second_ask_is_told_by_its_own_channel(client, swim, riet):
    public_ask(client)
    response = public_ask(client)
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    assert NEUTRAL in html and "al aangevraagd" not in html
    assert CampaignRequest.objects.count() == 1 and campaigns.stock_left(swim) == 4
    assert letters_to(riet, AppreciationLetter.CAMPAIGN_DUPLICATE) == [
        AppreciationLetter.CAMPAIGN_DUPLICATE]


def test_before_the_period_the_page_says_when_it_opens(client, summer, riet, make_campaign):
    campaign = make_campaign(codes=4)
    summer.move_to(datetime.datetime(2026, 5, 1, 10, 0))
    html = client.get("/zwemkaartjes").content.decode()
    assert "U kunt nu geen zwemkaartjes aanvragen" in html
    assert "Vanaf 01-06-2026 kunt u weer aanvragen: Zwemkaartjes zomer 2026." in html
    response = public_ask(client, campaign)
    assert response.status_code == 200 and "Vanaf 01-06-2026" in response.content.decode()
    assert not CampaignRequest.objects.exists()


def test_after_the_period_nothing_can_be_asked(client, summer, riet, make_campaign):
    campaign = make_campaign(codes=4)
    summer.move_to(datetime.datetime(2026, 9, 1, 10, 0))
    html = public_ask(client, campaign).content.decode()
    assert "Aanvragen kon tot en met 31-08-2026. Dat is voorbij." in html
    assert "Wij weten nog niet wanneer" in client.get("/zwemkaartjes").content.decode()
    assert not CampaignRequest.objects.exists()


def test_without_an_open_swim_campaign_the_page_points_to_what_is_open(client, summer,
                                                                       make_campaign):
    other = make_campaign(name="Ontspanningsochtend", kind="anders", codes=2)
    make_campaign(name="Wandelen in de herfst", kind="anders",
                  starts_on=datetime.date(2026, 9, 1), ends_on=datetime.date(2026, 10, 31))
    html = client.get("/zwemkaartjes").content.decode()
    assert "U kunt nu geen zwemkaartjes aanvragen" in html
    assert f'href="/campagne/{other.pk}">Ontspanningsochtend</a>' in html
    assert "Vanaf 01-09-2026 kunt u weer aanvragen: Wandelen in de herfst." in html


def test_a_closed_campaign_is_closed_even_inside_its_dates(client, riet, make_campaign):
    campaign = make_campaign(codes=4)
    Campaign.objects.filter(pk=campaign.pk).update(closed_at=SUMMER.astimezone())
    assert "U kunt nu geen zwemkaartjes aanvragen" in client.get("/zwemkaartjes") \
        .content.decode()
    public_ask(client, campaign)
    assert not CampaignRequest.objects.exists()


# --- the public form: wrong and hostile input -------------------------------------------
BAD_INPUT = [
    ("date_of_birth", "31-02-1950", "Vul de datum in zoals 15-03-1958"),
    ("date_of_birth", "01-01-2027", "Deze datum ligt in de toekomst."),
    ("date_of_birth", "1950", "Vul de datum in zoals"),
    ("date_of_birth", "9" * 10_000, "Vul de datum in zoals"),
    ("date_of_birth", "02-01-1950\x00", "Vul de datum in zoals"),
    ("date_of_birth", "", "Vul een datum in."),
    ("postcode", "", "Vul uw postcode in."),
    ("postcode", "1234", "Vul een postcode in zoals 3841 AB."),
    ("postcode", "A" * 10_000, "Vul een postcode in zoals 3841 AB."),
    ("postcode", "3845\x07AB", "Gebruik alleen gewone letters"),
    ("postcode", "<script>x</script>", "Vul een postcode in zoals 3841 AB."),
    ("house_number", "", "Vul uw huisnummer in."),
    ("house_number", "0", "Vul een huisnummer in, zoals 12 of 12a."),
    ("house_number", "12\u202e", "Gebruik alleen gewone letters"),
    ("house_number", '"><img src=x onerror=alert(1)>', "Vul een huisnummer in"),
]


@pytest.mark.parametrize(("name", "value", "message"), BAD_INPUT)
def test_wrong_input_gets_a_dutch_message_and_is_never_reflected_raw(client, swim, riet, name,
                                                                     value, message):
    response = public_ask(client, **{name: value})
    assert response.status_code == 200
    html = response.content.decode()
    error = re.search(rf'id="id_{name}_error">(.*?)</p>', html, re.S)
    assert error and message in error.group(1), html[:3000]
    assert "Controleer wat u heeft ingevuld" in html
    assert value == escape(value) or value not in html
    assert "<img src=x" not in html and "<script>x" not in html
    assert not CampaignRequest.objects.exists()


def test_html_typed_in_a_field_comes_back_escaped(client, swim):
    html = public_ask(client, house_number="<b>12</b>").content.decode()
    assert 'value="&lt;b&gt;12&lt;/b&gt;"' in html and "<b>12</b>" not in html


def test_tampered_campaign_ids_are_a_404(client, swim, riet, make_campaign):
    everyone = make_campaign(name="Attentie 2026", requires_request=False, kind="attentie")
    for url in ["/campagne/999999", f"/campagne/{everyone.pk}", "/campagne/abc",
                "/campagne/-1", f"/campagne/{swim.pk}x", "/campagne/99999999999999999999"]:
        assert client.get(url).status_code == 404, url
        assert client.post(url, RIET).status_code == 404, url
    public_ask(client, swim)  # a real outcome in the session does not open another one
    assert client.get(f"/campagne/{everyone.pk}/aangevraagd").status_code == 302
    assert client.put(f"/campagne/{swim.pk}", RIET).status_code == 405
    assert CampaignRequest.objects.get().campaign == swim


# --- Mijn gegevens --------------------------------------------------------------------------
def test_mijn_gegevens_campaigns_need_a_sign_in(client, swim):
    assert client.get(MINE)["Location"] == "/mijn-gegevens/inloggen"
    response = client.post(f"{MINE}{swim.pk}/aanvragen")
    assert response["Location"] == "/mijn-gegevens/inloggen"
    assert not CampaignRequest.objects.exists()


def test_overview_and_home_link_to_the_campaign_pages(client, riet, sign_in):
    sign_in(client, riet)
    assert f'href="{MINE}"' in client.get("/mijn-gegevens/").content.decode()
    assert 'href="/zwemkaartjes"' in client.get("/").content.decode()


def test_caregiver_asks_in_mijn_gegevens_sees_the_codes_and_cannot_ask_twice(client, swim,
                                                                              riet, sign_in):
    sign_in(client, riet)
    html = client.get(MINE).content.decode()
    assert "Zwemkaartjes aanvragen" in html and "U heeft nog niets aangevraagd." in html
    response = client.post(f"{MINE}{swim.pk}/aanvragen", follow=True)
    html = response.content.decode()
    assert "Uw aanvraag is binnen. U krijgt een brief of e-mail met de codes." in html
    request = CampaignRequest.objects.get()
    assert (request.route, request.state) == (CampaignRoute.SELF_SERVICE, "toegekend")
    for code in request.codes.values_list("code", flat=True):
        assert code in html
    assert "De brief met uw codes is onderweg." in html
    assert "Zwemkaartjes aanvragen</button>" not in html  # asked: no second button
    assert "Annuleren:" not in html  # codes on a letter are on their way

    response = client.post(f"{MINE}{swim.pk}/aanvragen", follow=True)
    assert response.status_code == 200
    assert "U heeft dit al aangevraagd." in response.content.decode()
    assert CampaignRequest.objects.count() == 1 and campaigns.stock_left(swim) == 4


def test_the_letter_sent_moves_the_words_to_sent(client, swim, riet, sign_in):
    request = campaigns.ask(swim, riet, route=CampaignRoute.SELF_SERVICE)
    request.mark_sent()
    request.save()
    sign_in(client, riet)
    assert "De brief met uw codes is verstuurd." in client.get(MINE).content.decode()


def test_waiting_caregiver_sees_the_place_in_line_and_cancels(client, riet, make_campaign, sign_in):
    campaign = make_campaign(codes=0)
    others = [CaregiverFactory(complete=True, first_name=f"Ander{n}", email=f"a{n}@example.nl",
              date_of_birth=datetime.date(1960, 1, n + 1)) for n in range(2)]
    for other in others:
        campaigns.ask(campaign, other, route=CampaignRoute.DESK)
    sign_in(client, riet)
    html = client.post(f"{MINE}{campaign.pk}/aanvragen", follow=True).content.decode()
    assert "U staat op de wachtlijst, nummer 3." in html
    request = CampaignRequest.objects.get(caregiver=riet)
    cancel_url = f"{MINE}aanvraag/{request.pk}/annuleren"
    assert cancel_url in html
    html = client.get(cancel_url).content.decode()
    assert "daarna kunt u het niet opnieuw aanvragen" in html
    html = client.post(cancel_url, follow=True).content.decode()
    assert "Uw aanvraag is geannuleerd." in html
    request.refresh_from_db()
    assert request.state == "geannuleerd"
    assert client.post(cancel_url, follow=True).status_code == 200  # twice: a message
    assert "niet meer annuleren" in client.get(cancel_url, follow=True).content.decode()


def test_a_pickup_number_not_yet_collected_can_be_given_back(client, riet, make_campaign, sign_in):
    campaign = make_campaign(codes=2, handout=Handout.PICKUP)
    waiting = CaregiverFactory(complete=True, first_name="Bram", email="bram@example.nl",
                               date_of_birth=datetime.date(1961, 6, 7))
    sign_in(client, riet)
    html = client.post(f"{MINE}{campaign.pk}/aanvragen", follow=True).content.decode()
    assert "Uw nummer voor het ophalen" in html and "ophalen bij het Servicepunt" in html
    later = campaigns.ask(campaign, waiting, route=CampaignRoute.DESK)
    assert later.state == "wachtlijst"
    request = CampaignRequest.objects.get(caregiver=riet)
    client.post(f"{MINE}aanvraag/{request.pk}/annuleren")
    request.refresh_from_db()
    later.refresh_from_db()
    assert request.state == "geannuleerd" and later.state == "toegekend"


def test_codes_on_a_letter_cannot_be_cancelled(client, swim, riet, sign_in):
    request = campaigns.ask(swim, riet, route=CampaignRoute.SELF_SERVICE)
    sign_in(client, riet)
    response = client.post(f"{MINE}aanvraag/{request.pk}/annuleren", follow=True)
    assert "niet meer annuleren" in response.content.decode()
    request.refresh_from_db()
    assert request.state == "toegekend" and request.codes.count() == 2


def test_a_caregiver_can_never_see_or_cancel_someone_elses_request(client, riet, make_campaign,
                                                                   sign_in):
    campaign = make_campaign(codes=0)
    bram = CaregiverFactory(complete=True, first_name="Bram", last_name="Visser",
                            email="bram@example.nl", date_of_birth=datetime.date(1961, 6, 7))
    theirs = campaigns.ask(campaign, bram, route=CampaignRoute.DESK)
    sign_in(client, riet)
    for pk in (theirs.pk, 999999):
        url = f"{MINE}aanvraag/{pk}/annuleren"
        assert client.get(url).status_code == 404
        assert client.post(url).status_code == 404
    assert client.post(f"{MINE}999999/aanvragen").status_code == 404
    assert client.get(f"{MINE}{campaign.pk}/aanvragen").status_code == 405
    assert "Visser" not in client.get(MINE).content.decode()
    theirs.refresh_from_db()
    assert theirs.state == "wachtlijst"


def test_mijn_gegevens_refusals_are_messages_and_store_nothing(client, summer, riet, make_campaign,
                                                               sign_in):
    everyone = make_campaign(name="Attentie 2026", requires_request=False, kind="attentie")
    later = make_campaign(name="Zwemkaartjes zomer 2027", starts_on=datetime.date(2027, 6, 1),
                          ends_on=datetime.date(2027, 8, 31))
    sign_in(client, riet)
    html = client.get(MINE).content.decode()
    assert "Er is nu niets dat u kunt aanvragen." in html
    assert "Vanaf 01-06-2027 kunt u weer aanvragen: Zwemkaartjes zomer 2027." in html
    html = client.post(f"{MINE}{everyone.pk}/aanvragen", follow=True).content.decode()
    assert "Dit hoeft u niet aan te vragen" in html
    html = client.post(f"{MINE}{later.pk}/aanvragen", follow=True).content.decode()
    assert "U kunt dit aanvragen vanaf 01-06-2027." in html
    assert not CampaignRequest.objects.exists()


def test_a_registration_not_yet_active_sees_why_and_cannot_ask(client, swim, sign_in):
    person = CaregiverFactory(complete=True, state=State.AANGEMELD)
    sign_in(client, person)
    html = client.get(MINE).content.decode()
    assert "uw inschrijving is nu niet actief" in html
    assert "Zwemkaartjes aanvragen</button>" not in html
    html = client.post(f"{MINE}{swim.pk}/aanvragen", follow=True).content.decode()
    assert "Uw inschrijving bij het Servicepunt is nu niet actief." in html
    assert not CampaignRequest.objects.exists() and TicketCode.objects.filter(
        request__isnull=False).count() == 0


def test_signed_in_caregiver_on_the_public_page_is_pointed_to_mijn_gegevens(client, swim,
                                                                          riet, sign_in):
    sign_in(client, riet)
    html = client.get("/zwemkaartjes").content.decode()
    assert "U bent ingelogd bij Mijn gegevens" in html and f'href="{MINE}"' in html
