"""The Servicepunt's contact details: a coordinator edits them, and people meet them under
every page, next to every "bel ons", in every letter and in every e-mail."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from mantelzorg.services_staff import create_staff_user
from tests.factories import STAFF_PASSWORD, RetentionNoticeFactory
from tests.support import password_step, totp_now
from worker import contact
from worker.letters import email_body, letter_html
from worker.models import ServicepuntContact
from worker.services import dispatch_queued_letters

URL = "/backoffice/contactgegevens/"
VALID = {
    "phone": "0341 44 55 66",
    "email": "Servicepunt@Zorgdat.example",
    "postal_address": "Postbus 77",
    "postal_postcode_city": "3840 AB Harderwijk",
    "visiting_address": "De Aanleg, Stationsplein 5, 3844 KR Harderwijk",
    "opening_hours": "maandag tot en met donderdag van 9.00 tot 12.30 uur",
    "walk_in": "dinsdag van 10.00 tot 12.00 uur",
}
# The same, as the form cleans them (for calls of the service itself).
CLEANED = {**VALID, "phone": "0341445566", "email": "servicepunt@zorgdat.example"}


def form_version(client) -> str:
    page = client.get(URL).content.decode()
    return re.search(r'name="version" value="(\d+)"', page).group(1)


def save(client, **changes):
    return client.post(URL, {**VALID, "version": form_version(client), **changes})


def second_coordinator() -> Client:
    """Kees, a coordinator beside the one of `as_coordinator`, signed in on his own client."""
    kees, client = create_staff_user("kees", STAFF_PASSWORD, "coordinator"), Client()
    device = TOTPDevice.objects.create(user=kees, name="t", confirmed=True)
    password_step(client, kees, STAFF_PASSWORD)
    client.post(reverse("mantelzorg:staff_verify"), {"token": totp_now(device)})
    return client


def error_next_to(page: str, field: str) -> str:
    """The message shown right above the field's input (templates/includes/field.html)."""
    found = re.search(rf'id="id_{field}_error"><span>([^<]+)</span>', page)
    return found.group(1) if found else ""


@pytest.mark.django_db
def test_before_anyone_saves_the_environment_values_apply(client, settings):
    settings.LETTER_SENDER = {**settings.LETTER_SENDER, "phone": "0341-999888",
                              "email": "hallo@servicepunt.example"}
    home = client.get("/").content.decode()
    assert "0341 999 888" in home and "hallo@servicepunt.example" in home
    assert 'href="tel:+31-341-999-888"' in home


@pytest.mark.django_db
def test_a_coordinator_saves_and_every_page_shows_it_at_once(as_coordinator):
    response = save(as_coordinator)
    assert response.status_code == 302
    row = ServicepuntContact.objects.get()
    assert row.phone == "0341445566" and row.email == "servicepunt@zorgdat.example"
    assert row.updated_by.username == "coordinator-x" and row.version == 1
    for path in ("/", "/privacy", "/toegankelijkheid", "/aanmelden", "/mijn-gegevens/inloggen"):
        page = Client().get(path, follow=True).content.decode()
        assert "0341 445 566" in page, path
        assert "De Aanleg, Stationsplein 5, 3844 KR Harderwijk" in page, path
        assert "maandag tot en met donderdag van 9.00 tot 12.30 uur" in page, path
        assert "dinsdag van 10.00 tot 12.00 uur" in page, path
    # A second change shows on the next page view (nothing is cached).
    save(as_coordinator, phone="0341 77 88 99")
    assert "0341 778 899" in Client().get("/").content.decode()
    page = as_coordinator.get(URL).content.decode()
    assert "Laatst opgeslagen op" in page


@pytest.mark.django_db
def test_a_consulent_cannot_change_them(as_consulent):
    assert as_consulent.get(URL).status_code == 403
    assert as_consulent.post(URL, {**VALID, "version": "0"}).status_code == 403
    assert not ServicepuntContact.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("field", "typed", "message"), [
    ("phone", "", "Vul het telefoonnummer van het Servicepunt in."),
    ("phone", "bel maar", "Vul een telefoonnummer in van 10 cijfers, zoals 0612345678."),
    ("email", "servicepunt-at-zorgdat", "Vul een e-mailadres in zoals naam@voorbeeld.nl."),
    ("email", "zoë@zorgdat.example", "Gebruik voor de @ alleen letters zonder accent"),
    ("visiting_address", "", "Vul het bezoekadres in."),
    ("opening_hours", "x" * 201, "Gebruik hoogstens 200 tekens."),
    ("postal_address", "Postbus\u202e 77", "Gebruik alleen gewone letters, cijfers en leestekens."),
])
def test_wrong_input_gets_a_dutch_message_next_to_the_field(as_coordinator, field, typed,
                                                             message):
    response = save(as_coordinator, **{field: typed})
    assert response.status_code == 200
    page = response.content.decode()
    assert error_next_to(page, field).startswith(message)
    # What was typed stays, and nothing is saved.
    kept = "postal_address" if field == "visiting_address" else "visiting_address"
    assert re.search(rf'name="{kept}"[^>]*value="{re.escape(VALID[kept])}"', page)
    if typed and field != "opening_hours":
        assert re.search(rf'name="{field}"[^>]*value="{re.escape(typed)}"', page)
    assert not ServicepuntContact.objects.exists()


@pytest.mark.django_db
def test_walk_in_hours_may_be_empty(as_coordinator):
    assert save(as_coordinator, walk_in="").status_code == 302
    assert "Inloopspreekuur:" not in Client().get("/").content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("version", [None, "", "abc", "-1"])
def test_a_form_without_a_sound_version_saves_nothing(as_coordinator, version):
    data = {**VALID} if version is None else {**VALID, "version": version}
    page = as_coordinator.post(URL, data).content.decode()
    assert "Dit formulier is niet compleet aangekomen." in page
    assert not ServicepuntContact.objects.exists()


@pytest.mark.django_db
def test_two_coordinators_saving_at_once_never_overwrite_each_other_silently(
        as_coordinator):
    kees = second_coordinator()
    seen_by_kees = form_version(kees)
    assert save(as_coordinator, phone="0341 11 22 33").status_code == 302  # first one wins
    response = kees.post(URL, {**VALID, "phone": "0341 99 88 77", "version": seen_by_kees})
    assert response.status_code == 409
    page = response.content.decode()
    assert "Een collega heeft de contactgegevens net veranderd." in page
    assert "Uw wijziging is niet opgeslagen." in page
    assert 'value="0341 99 88 77"' in page  # what Kees typed stays
    assert "<dd>0341112233</dd>" in page  # what the colleague saved is shown
    assert ServicepuntContact.objects.get().phone == "0341112233"
    # Having seen it, Kees saves again: now it counts.
    again = re.search(r'name="version" value="(\d+)"', page).group(1)
    assert kees.post(URL, {**VALID, "phone": "0341 99 88 77", "version": again}).status_code \
        == 302
    assert ServicepuntContact.objects.get().phone == "0341998877"


@pytest.mark.django_db
def test_the_service_refuses_a_stale_version():
    contact.save_contact(version=0, user=None, **{**CLEANED, "phone": "0341112233"})
    with pytest.raises(contact.ContactChanged):
        contact.save_contact(version=0, user=None, **CLEANED)
    assert ServicepuntContact.objects.get().phone == "0341112233"


@pytest.mark.django_db
@pytest.mark.parametrize("path", [
    "/mijn-gegevens/inloggen",  # "Bel of mail het Servicepunt Mantelzorg."
    "/toegankelijkheid",  # "U kunt ons bellen, mailen of langskomen"
])
def test_a_page_that_says_to_call_gives_the_number_in_the_same_sentence(client, path):
    contact.save_contact(version=0, user=None, **CLEANED)
    page = client.get(path).content.decode()
    main = page.split("<main", 1)[1].split("</main>", 1)[0]
    assert re.search(r'[Bb]el[^<]*<span class="call-us">Telefoon: <a href="tel:'
                     r'\+31-341-445-566">0341 445 566</a>', main), path


@pytest.mark.django_db
def test_the_error_pages_give_the_contact_details_too(client):
    from mantelzorg.errors import server_error
    from mantelzorg.middleware import unavailable_response

    contact.save_contact(version=0, user=None, **CLEANED)
    client.get("/")  # this process reads them once
    for response in (server_error(None), unavailable_response()):
        assert "0341 445 566" in response.content.decode()


@pytest.mark.django_db
def test_every_letter_and_its_email_carry_the_contact_details():
    contact.save_contact(version=0, user=None, **CLEANED)
    letter = RetentionNoticeFactory(caregiver__email="anja@example.nl")
    html = letter_html(letter)
    for words in ("0341 445 566", "servicepunt@zorgdat.example", "Postbus 77",
                  "De Aanleg, Stationsplein 5", "maandag tot en met donderdag",
                  "dinsdag van 10.00 tot 12.00 uur"):
        assert words in html
    assert "0341 445 566" not in email_body(letter)  # the body as written ...
    dispatch_queued_letters()
    [sent] = mail.outbox
    # ... and the e-mail adds the details at its end, in both parts.
    assert sent.body.rstrip().endswith("Postadres: Postbus 77, 3840 AB Harderwijk")
    assert "Telefoon: 0341 445 566" in sent.body and "Bezoekadres: De Aanleg" in sent.body
    html_part = sent.alternatives[0][0]
    assert 'href="tel:+31-341-445-566"' in html_part and "Inloopspreekuur: dinsdag" in html_part


@pytest.mark.django_db
def test_the_back_office_menu_leads_coordinators_there(as_coordinator):
    page = as_coordinator.get(reverse("mantelzorg:dashboard")).content.decode()
    assert f'href="{URL}"' in page
    page = as_coordinator.get(URL).content.decode()
    assert f'href="{URL}" aria-current="page"' in page


@pytest.mark.django_db(transaction=True)
def test_two_saves_at_the_same_moment_one_wins_and_the_other_is_told():
    """Two coordinators press 'Opslaan' at once, both having seen the same version: the row
    lock lets exactly one through, the other gets ContactChanged and saves nothing."""
    import threading

    from django.db import connection

    contact.save_contact(version=0, user=None, **CLEANED)  # version 1 now
    start, outcomes = threading.Barrier(2), []

    def press_save(phone):
        try:
            start.wait()
            contact.save_contact(version=1, user=None, **{**CLEANED, "phone": phone})
            outcomes.append(("saved", phone))
        except contact.ContactChanged:
            outcomes.append(("told", phone))
        finally:
            connection.close()

    threads = [threading.Thread(target=press_save, args=(phone,))
               for phone in ("0341111111", "0341222222")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcome for outcome, _ in outcomes) == ["saved", "told"]
    [winner] = [phone for outcome, phone in outcomes if outcome == "saved"]
    row = ServicepuntContact.objects.get()
    assert row.phone == winner and row.version == 2


@pytest.mark.django_db
def test_the_demo_shows_made_up_details_and_keeps_a_coordinators_change(client):
    from worker.demo import load_contact_demo

    assert load_contact_demo()
    home = client.get("/").content.decode()
    assert "0341 123 456" in home and "De Aanleg, Stationsplein 5, 3844 KR Harderwijk" in home
    contact.save_contact(version=1, user=None, **CLEANED)
    assert not load_contact_demo()  # loading the demo again changes nothing
    assert "0341 445 566" in client.get("/").content.decode()
