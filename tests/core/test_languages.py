"""The caregivers' pages in their own language: the choice on every public page, what it
keeps and what it never does (save, fail, follow the browser, reach the back office).
Needs the compiled catalogues (scripts/bootstrap.sh compiles them)."""

import datetime
import re

import pytest
from django.core import mail

from core import clock
from registrations.models import Caregiver
from tests.factories import CaregiverFactory
from tests.registrations.wizard import ABOUT, fill, post_step, submit

COOKIE = "taal"


def choose(client, code, path="/"):
    """The language choice of a page without a form: its own small form."""
    return client.post("/taal", {"_language": code, "next": path})


@pytest.mark.django_db
def test_dutch_by_default_whatever_the_browser_asks(client):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9").content.decode()
    assert '<html lang="nl" dir="ltr"' in page
    assert "Direct naar de inhoud" in page and "Skip to content" not in page


@pytest.mark.django_db
@pytest.mark.parametrize(("code", "direction", "skip_link"), [
    ("en", "ltr", "Skip to content"),
    ("tr", "ltr", "Doğrudan içeriğe git"),
    ("pl", "ltr", None),
    ("ar", "rtl", "انتقل مباشرة إلى المحتوى"),
])
def test_the_choice_switches_the_page_and_is_remembered(client, code, direction, skip_link):
    response = choose(client, code, "/toegankelijkheid")
    assert response.status_code == 302 and response["Location"] == "/toegankelijkheid"
    assert response.cookies[COOKIE].value == code and response.cookies[COOKIE]["httponly"]
    page = client.get("/toegankelijkheid").content.decode()
    assert f'<html lang="{code}" dir="{direction}"' in page
    assert "Direct naar de inhoud" not in page
    if skip_link:
        assert skip_link in page
    # the current language is marked for screen readers, each name in its own language
    assert re.search(rf'value="{code}" lang="{code}"[^>]*aria-current="true"', page)


@pytest.mark.django_db
@pytest.mark.parametrize("tampered", ["xx", "", "../../etc/passwd", "EN-gb", "<script>",
                                      "ar" * 500])
def test_an_unknown_or_tampered_choice_falls_back_to_dutch(client, tampered):
    response = choose(client, tampered)
    assert response.status_code == 302
    client.cookies[COOKIE] = tampered
    page = client.get("/")
    assert page.status_code == 200
    assert '<html lang="nl" dir="ltr"' in page.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/",
                                    "javascript:alert(1)"])
def test_the_choice_never_sends_someone_elsewhere(client, target):
    response = choose(client, "en", target)
    assert response["Location"] == "/"


@pytest.mark.django_db
def test_opening_the_choice_without_posting_goes_home(client):
    response = client.get("/taal")
    assert response.status_code == 302 and response["Location"] == "/"


@pytest.mark.django_db
def test_the_back_office_stays_dutch(client, as_consulent):
    client.cookies[COOKIE] = "en"
    page = client.get("/backoffice/").content.decode()
    assert '<html lang="nl" dir="ltr"' in page
    assert 'class="language-choice"' not in page  # no choice that would not work


@pytest.mark.django_db
def test_switching_on_a_form_keeps_what_was_typed_and_saves_nothing(client):
    client.get("/aanmelden/over-mij")
    typed = {**ABOUT, "over-mij-email": "niet-af@", "over-mij-first_name": "Zeynep"}
    response = client.post("/aanmelden/over-mij", {
        "registration_wizard-current_step": "over-mij", **typed, "_language": "tr"})
    page = response.content.decode()
    assert response.status_code == 200
    assert response.cookies[COOKIE].value == "tr"
    assert '<html lang="tr" dir="ltr"' in page
    assert 'value="Zeynep"' in page and 'value="niet-af@"' in page
    # the same step again, without complaints about what is not finished yet
    assert "Sonraki adım" in page and 'class="error-message"' not in page
    assert Caregiver.objects.count() == 0


@pytest.mark.django_db
def test_on_a_form_page_the_choice_belongs_to_the_form(client):
    page = client.get("/aanmelden/over-mij").content.decode()
    assert '<form method="post" novalidate id="page-form">' in page
    assert page.count('form="page-form" name="_language"') == 5


@pytest.mark.django_db
def test_wrong_input_is_explained_in_the_chosen_language(client):
    choose(client, "en")
    client.get("/aanmelden/over-mij")
    page = post_step(client, "over-mij", {**ABOUT, "over-mij-email": "riet@"}).content.decode()
    assert "Fill in an e-mail address like naam@voorbeeld.nl." in page
    assert 'value="riet@"' in page


@pytest.mark.django_db
def test_the_language_of_the_registration_is_stored_and_used_for_its_e_mail(
        client, inline_tasks, django_capture_on_commit_callbacks):
    choose(client, "tr")
    fill(client)
    with django_capture_on_commit_callbacks(execute=True):
        submit(client)
    caregiver = Caregiver.objects.get()
    assert caregiver.language == "tr"
    [message] = mail.outbox
    assert "Servicepunt Mantelzorg" in message.body
    html = message.alternatives[0][0]
    assert '<html lang="tr" dir="ltr"' in html


@pytest.mark.django_db
def test_a_dutch_registration_stays_dutch(client, inline_tasks,
                                          django_capture_on_commit_callbacks):
    fill(client)
    with django_capture_on_commit_callbacks(execute=True):
        submit(client)
    assert Caregiver.objects.get().language == "nl"
    assert '<html lang="nl" dir="ltr"' in mail.outbox[0].alternatives[0][0]


@pytest.mark.django_db
def test_switching_on_the_sign_in_page_keeps_the_address_and_mails_nothing(client):
    response = client.post("/mijn-gegevens/inloggen",
                           {"email": "riet@example", "_language": "pl"})
    page = response.content.decode()
    assert response.status_code == 200 and '<html lang="pl" dir="ltr"' in page
    assert 'value="riet@example"' in page and 'form="page-form" name="_language"' in page
    assert mail.outbox == []


@pytest.mark.django_db
def test_switching_in_mijn_gegevens_changes_nothing(client, sign_in):
    riet = CaregiverFactory(complete=True)
    sign_in(client, riet)
    before = Caregiver.objects.filter(pk=riet.pk).values().get()
    contact = client.post("/mijn-gegevens/contact", {
        "email": "riet@example.nl", "phone": "0699999999", "channel": "post", "language": "ar",
        "_language": "ar"})
    assert '<html lang="ar" dir="rtl"' in contact.content.decode()
    assert 'value="0699999999"' in contact.content.decode()
    day = clock.today() - datetime.timedelta(days=10)
    ended = client.post("/mijn-gegevens/zorg-gestopt", {
        "ended_on": day.strftime("%d-%m-%Y"), "reason": "overlijden", "_language": "en"})
    assert ended.status_code == 200
    assert Caregiver.objects.filter(pk=riet.pk).values().get() == before
