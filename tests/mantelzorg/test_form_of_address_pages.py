"""Mijn gegevens speaks to the signed-in person in one form: a young caregiver reads "je" on
every page and in every message, an adult "u". A status is said once, without internal
words ("In betaalbatch"), and the registration's young path says "je" after step 1."""

import datetime
import re

import pytest
from django.test import Client

from appreciation.models import (
    AppreciationRequest,
    CampaignRequest,
    CampaignRequestState,
    CampaignRoute,
    RequestState,
)
from appreciation.waardering.views_selfservice import status
from core import clock
from registrations.forms_public import CareRecipientForm, ContactForm
from registrations.models import CareNeed
from tests.factories import (
    AppreciationRequestFactory,
    CampaignFactory,
    CaregiverFactory,
    years_ago,
)
from tests.support import sign_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("waardering_day")]

FORMAL = re.compile(r"\b(u|uw|uzelf)\b", re.IGNORECASE)
INFORMAL = re.compile(r"\b(je|jij|jou|jouw|jezelf)\b", re.IGNORECASE)
PAGES = ["/mijn-gegevens/", "/mijn-gegevens/contact", "/mijn-gegevens/nieuwsbrief-stoppen",
         "/mijn-gegevens/zorg-gestopt", "/mijn-gegevens/overzicht",
         "/mijn-gegevens/uitschrijven", "/mijn-gegevens/waardering/",
         "/mijn-gegevens/campagnes/", "/mijn-gegevens/zelftest"]


def main_text(response) -> str:
    """What the person reads in the page's main part (tags dropped)."""
    html = response.content.decode()
    main = html[html.index("<main"):html.index("</main>")]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))


@pytest.fixture
def signed_in(waardering_year):
    """`signed_in(young)`: Sem (19 or 60) signed in, with a naaste, the newsletter, a
    question about this year's waardering and a place on a waiting list, so that every part
    of Mijn gegevens has something to say."""
    def make(young: bool):
        caregiver = CaregiverFactory(first_name="Sem", complete=True, wants_newsletter=True,
                                     date_of_birth=years_ago(19 if young else 60))
        AppreciationRequestFactory(
            caregiver=caregiver, year=waardering_year, state=RequestState.AANVULLING_NODIG,
            info_question="Sinds wanneer is de zorg begonnen?",
            info_due_on=datetime.date(2026, 10, 13))
        CampaignRequest.objects.create(
            campaign=CampaignFactory(starts_on=datetime.date(2026, 9, 1),
                                     ends_on=datetime.date(2026, 9, 30)),
            caregiver=caregiver, route=CampaignRoute.SELF_SERVICE, requested_at=clock.now(),
            state=CampaignRequestState.WACHTLIJST)
        return sign_in(Client(), caregiver), caregiver
    return make


@pytest.mark.parametrize("young", [True, False], ids=["young", "adult"])
@pytest.mark.parametrize("url", PAGES)
def test_every_page_of_mijn_gegevens_speaks_in_one_form(signed_in, url, young):
    client, _caregiver = signed_in(young)
    text = main_text(client.get(url))
    assert (FORMAL if young else INFORMAL).findall(text) == [], text
    assert text.strip()


@pytest.mark.parametrize("young", [True, False], ids=["young", "adult"])
@pytest.mark.parametrize("page", ["waardering/{pk}/antwoorden", "waardering/{pk}/intrekken",
                                  "campagnes/aanvraag/{campaign_pk}/annuleren"])
def test_pages_about_ones_own_request_speak_in_one_form(signed_in, page, young):
    client, caregiver = signed_in(young)
    url = "/mijn-gegevens/" + page.format(
        pk=AppreciationRequest.objects.get(caregiver=caregiver).pk,
        campaign_pk=CampaignRequest.objects.get(caregiver=caregiver).pk)
    text = main_text(client.get(url))
    assert (FORMAL if young else INFORMAL).findall(text) == [], text
    empty_answer = main_text(client.post(url, {"answer": ""})) if "antwoorden" in page else ""
    assert (FORMAL if young else INFORMAL).findall(empty_answer) == [], empty_answer


@pytest.mark.parametrize("young", [True, False], ids=["young", "adult"])
def test_messages_after_an_action_follow_the_person(signed_in, young):
    client, caregiver = signed_in(young)
    request = AppreciationRequest.objects.get(caregiver=caregiver)
    page = client.post(f"/mijn-gegevens/waardering/{request.pk}/intrekken", follow=True)
    said = main_text(page)
    assert ("Je aanvraag is ingetrokken." if young else "Uw aanvraag is ingetrokken.") in said
    assert "Ingetrokken." in said
    assert (FORMAL if young else INFORMAL).findall(said) == [], said


def test_a_status_is_said_once_and_caregivers_never_read_internal_words():
    for state in RequestState:
        for young in (True, False):
            label, words = status(state, young)
            assert not words.startswith(f"{label}."), state  # "Goedgekeurd. Goedgekeurd."
            assert "batch" not in f"{label} {words}".lower()
    assert status(RequestState.IN_BETAALBATCH, False)[0] == "Wordt betaald"
    assert status(RequestState.GOEDGEKEURD, True) == ("Goedgekeurd", "Je krijgt de waardering.")


def test_the_registration_forms_young_path_says_je():
    for form_class in (CareRecipientForm, ContactForm):
        young, adult = form_class(young=True), form_class()
        for name, field in young.fields.items():
            said = f"{field.label} {field.help_text}"
            assert FORMAL.findall(said) == [], (form_class.__name__, name, said)
        assert any(FORMAL.findall(f"{f.label} {f.help_text}") for f in adult.fields.values())


def test_the_privacy_page_names_each_care_need_the_form_asks(client):
    page = client.get("/privacy").content.decode()
    for _value, label in CareNeed.choices:
        assert str(label) in page
    assert "Wij vragen niet naar ziektes of diagnoses" not in page
