"""Issue 14, item 3: a child cannot give parental consent herself.

The guardian's e-mail address may not be the child's own (compared without capitals or
spaces), and the consent page asks who gives the consent: their name and how they are
related to the child. The consulent sees both beside the consent.
"""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils.html import escape

from core import clock
from registrations import services
from registrations.models import AccessToken, Caregiver, State, TokenPurpose
from tests.factories import GuardianFactory
from tests.registrations.wizard import ABOUT, CHECK, fill, post_step, submit

OWN_ADDRESS = "Dit is je eigen e-mailadres."


def _fifteen() -> str:
    today = clock.today()
    return (today.replace(year=today.year - 15) - datetime.timedelta(days=3)).strftime("%d-%m-%Y")


def _young_child_to_guardian_step(client):
    client.get("/aanmelden/over-mij")
    fill_about = {**ABOUT, "over-mij-date_of_birth": _fifteen()}
    fill(client, about=fill_about)  # stops before the guardian step is answered
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["Riet.Bakker@Example.nl", "  riet.bakker@example.NL  ",
                                   "RIET.BAKKER@EXAMPLE.NL"])
def test_the_wizard_refuses_the_childs_own_address_for_the_guardian(client, typed):
    _young_child_to_guardian_step(client)
    response = post_step(client, "ouder", {"ouder-name": "Mama", "ouder-email": typed,
                                           "ouder-phone": ""})
    html = response.content.decode()
    assert response.status_code == 200
    assert OWN_ADDRESS in html
    assert 'id="id_ouder-email_error"' in html and 'aria-invalid="true"' in html
    assert 'value="Mama"' in html  # what was typed stays
    submit(client, CHECK)
    assert not Caregiver.objects.exists()


@pytest.mark.django_db
def test_the_wizard_accepts_another_address_or_only_a_phone(client):
    _young_child_to_guardian_step(client)
    response = post_step(client, "ouder", {"ouder-name": "Mama", "ouder-email": "",
                                           "ouder-phone": "0612345678"})
    assert response.status_code == 302


@pytest.mark.django_db
def test_the_intake_refuses_the_childs_own_address_for_the_guardian(client, login_fully):
    login_fully(client, "consulent")
    data = {
        "over-first_name": "Sem", "over-last_name": "Mulder", "over-date_of_birth": _fifteen(),
        "over-postcode": "3849 AB", "over-house_number": "3", "over-street": "Hierderweg",
        "over-city": "Hierden", "over-email": "sem@example.nl", "over-phone": "",
        "naaste-name": "Jan Mulder", "naaste-relationship": "ouder",
        "naaste-lives_in_municipality": "ja", "naaste-living_together": "ja",
        "naaste-care_kinds": ["verzorging"], "naaste-hours_per_week": "30",
        "naaste-care_since": "01-01-2018", "contact-channel": "post",
        "ouder-name": "Anja Mulder", "ouder-email": " SEM@example.nl", "ouder-phone": "",
    }
    response = client.post(reverse("registrations:caregiver_intake"), data)
    html = response.content.decode()
    assert response.status_code == 200 and OWN_ADDRESS in html
    assert 'id="id_ouder-email_error"' in html
    assert not Caregiver.objects.exists()


@pytest.mark.django_db
def test_the_service_refuses_a_guardian_with_the_childs_address():
    data = services.RegistrationData(
        caregiver={"first_name": "Sem", "last_name": "Mulder",
                   "date_of_birth": clock.today().replace(year=clock.today().year - 15)
                   - datetime.timedelta(days=3),
                   "street": "Hierderweg", "house_number": "3", "postcode": "3849AB",
                   "city": "Hierden", "email": "sem@example.nl", "phone": "",
                   "channel": "email", "wants_newsletter": False,
                   "parent_of_disabled_child": False, "migration_background": False},
        care_recipients=[],
        guardian={"name": "Sem", "email": "Sem@Example.nl ", "phone": ""})
    with pytest.raises(ValueError):
        services.register(data)
    assert not Caregiver.objects.exists()


# --- the consent page ------------------------------------------------------------------------

@pytest.fixture
def consent_link(db):
    guardian = GuardianFactory()
    _token, raw = services.issue_token(guardian.caregiver, TokenPurpose.GUARDIAN,
                                       datetime.timedelta(days=14))
    return guardian, f"/toestemming/{raw}"


def test_the_consent_page_asks_name_and_relation(client, consent_link):
    guardian, url = consent_link
    html = client.get(url).content.decode()
    assert "Uw naam" in html and "Wie bent u van het kind?" in html
    assert "Voogd" in html


def test_consent_is_stored_with_the_name_and_relation(client, consent_link):
    guardian, url = consent_link
    response = client.post(url, {"consent_name": "Anja de Vries", "consent_relation": "voogd"})
    assert response.status_code == 200
    assert "Bedankt voor uw toestemming" in response.content.decode()
    guardian.refresh_from_db()
    assert guardian.confirmed_at is not None
    assert (guardian.consent_name, guardian.consent_relation) == ("Anja de Vries",
                                                                 "voogd")


@pytest.mark.parametrize("posted, message", [
    ({}, "Vul uw naam in."),
    ({"consent_name": "Anja"}, "Kies wie u bent van het kind."),
    ({"consent_name": "Oma Truus", "consent_relation": "anders"},
     "Alleen een ouder of voogd van het kind mag toestemming geven."),
    ({"consent_name": "Anja", "consent_relation": "<script>alert(1)</script>"},
     "Kies wie u bent van het kind."),
    ({"consent_name": "Anja\x1b[31m", "consent_relation": "ouder"}, "Gebruik alleen"),
    ({"consent_name": "x" * 5000, "consent_relation": "ouder"}, "150"),
])
def test_wrong_answers_are_explained_and_the_link_stays_unused(client, consent_link, posted,
                                                               message):
    guardian, url = consent_link
    response = client.post(url, posted)
    html = response.content.decode()
    assert response.status_code == 200
    assert escape(message) in html or message in html
    assert "<script>alert(1)</script>" not in html
    guardian.refresh_from_db()
    assert guardian.confirmed_at is None and guardian.consent_name == ""
    assert AccessToken.objects.get(purpose=TokenPurpose.GUARDIAN).used_at is None


def test_a_dead_consent_link_says_so_before_asking_anything(client, consent_link):
    guardian, url = consent_link
    AccessToken.objects.update(used_at=clock.now())
    response = client.get(url)
    assert response.status_code == 400
    assert "Deze link werkt niet meer" in response.content.decode()


def test_the_consulent_sees_who_gave_the_consent(client, consent_link, login_fully):
    guardian, url = consent_link
    client.post(url, {"consent_name": "Anja de Vries", "consent_relation": "ouder"})
    login_fully(client, "consulent")
    page = client.get(reverse("registrations:caregiver_detail", args=[guardian.caregiver.pk]))
    html = page.content.decode()
    assert "Toestemming gegeven door: Anja de Vries (Ouder)" in html


@pytest.mark.django_db
def test_a_young_registration_through_the_site_ends_with_named_consent(
        client, inline_tasks, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        fill(client, about={"over-mij-date_of_birth": _fifteen()},
             guardian={"ouder-name": "Anja", "ouder-email": "anja@example.nl",
                       "ouder-phone": ""})
        submit(client)
    consent = next(m for m in mail.outbox if m.to == ["anja@example.nl"])
    url = re.search(r"/toestemming/\S+", consent.body).group(0)
    client.post(url, {"consent_name": "Anja Bakker", "consent_relation": "ouder"})
    caregiver = Caregiver.objects.get()
    assert caregiver.guardian.consent_name == "Anja Bakker"
    assert caregiver.state == State.AANGEMELD  # the child's own address still to confirm
