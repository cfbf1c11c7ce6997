"""Online registration at /aanmelden: step by step, wrong and hostile input, double submit."""

import re

import pytest
from django.core import mail

from registrations.models import Caregiver, ConsentRecord, State
from tests.registrations.wizard import (
    ABOUT,
    CHECK,
    CONTACT,
    RECIPIENT,
    SKIP_BURDEN,
    fill,
    post_step,
    submit,
)


@pytest.mark.django_db
def test_every_step_renders_with_labels(client):
    response = client.get("/aanmelden", follow=True)
    html = response.content.decode()
    assert "Aanmelden: stap 1 van 5" in html
    for label in ["Voornaam", "Achternaam", "Geboortedatum", "Postcode", "Huisnummer",
                  "E-mailadres", "Telefoonnummer"]:
        assert f">{label}" in html


@pytest.mark.django_db
def test_adult_registers_and_confirms_the_email_address(client, inline_tasks,
                                                       django_capture_on_commit_callbacks):
    fill(client)
    page = client.get("/aanmelden/controleren").content.decode()
    assert "Riet Bakker" in page and "3845 AB" in page and "Henk Bakker" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = submit(client)
    assert response["Location"] == "/aanmelden/verstuurd"
    sent = client.get(response["Location"]).content.decode()
    assert "U krijgt een e-mail" in sent
    caregiver = Caregiver.objects.get()
    assert caregiver.state == State.AANGEMELD
    assert caregiver.postcode == "3845AB" and caregiver.phone == "0612345678"
    assert caregiver.email == "riet.bakker@example.nl"
    assert caregiver.care_recipients.get().care_kinds == ["huishouden", "verzorging"]
    assert ConsentRecord.objects.filter(caregiver=caregiver, kind="verwerking").exists()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["riet.bakker@example.nl"]
    link = re.search(r"http://\S+/bevestigen/\S+", mail.outbox[0].body).group(0)
    path = link.split("localhost:8000")[1]
    assert "Ja, dit is mijn e-mailadres" in client.get(path).content.decode()
    caregiver.refresh_from_db()
    assert caregiver.state == State.AANGEMELD  # opening the page alone confirms nothing
    done = client.post(path)
    assert "U bent nu ingeschreven" in done.content.decode()
    caregiver.refresh_from_db()
    assert caregiver.state == State.ACTIEF and caregiver.email_confirmed_at
    assert client.post(path).status_code == 400  # the link works once


@pytest.mark.django_db
def test_fifteen_year_old_needs_a_guardian(client, inline_tasks,
                                            django_capture_on_commit_callbacks):
    import datetime

    from core import clock

    born = clock.today().replace(year=clock.today().year - 15) - datetime.timedelta(days=2)
    fill(client, about={"over-mij-date_of_birth": born.strftime("%d-%m-%Y")},
         recipient={"naaste-relationship": "ouder"},
         guardian={"ouder-name": "Anja de Vries", "ouder-email": "anja@example.nl",
                   "ouder-phone": ""})
    page = client.get("/aanmelden/controleren").content.decode()
    assert "Aanmelden: stap 6 van 6" in page and "Anja de Vries" in page
    with django_capture_on_commit_callbacks(execute=True):
        submit(client)
    caregiver = Caregiver.objects.get()
    assert caregiver.guardian.name == "Anja de Vries"
    to = sorted(m.to[0] for m in mail.outbox)
    assert to == ["anja@example.nl", "riet.bakker@example.nl"]
    confirm = next(m for m in mail.outbox if m.to == ["riet.bakker@example.nl"])
    client.post(re.search(r"/bevestigen/\S+", confirm.body).group(0))
    caregiver.refresh_from_db()
    assert caregiver.state == State.AANGEMELD  # still waiting for the guardian
    consent = next(m for m in mail.outbox if m.to == ["anja@example.nl"])
    client.post(re.search(r"/toestemming/\S+", consent.body).group(0),
                {"consent_name": "Anja de Vries", "consent_relation": "ouder"})
    caregiver.refresh_from_db()
    assert caregiver.state == State.ACTIEF


@pytest.mark.django_db
def test_a_new_birth_date_in_step_one_changes_the_later_steps_at_once(client):
    # Step 1's answers are read once per request and kept while later steps are stored;
    # going back and giving another birth date must still add (or drop) the guardian step
    # and change "u" to "je" on the very next page.
    import datetime

    from core import clock

    fill(client)
    assert "stap 5 van 5" in client.get("/aanmelden/controleren").content.decode()
    born = clock.today().replace(year=clock.today().year - 15) - datetime.timedelta(days=2)
    changed = post_step(client, "over-mij",
                        {**ABOUT, "over-mij-date_of_birth": born.strftime("%d-%m-%Y")})
    assert changed.status_code == 302
    page = client.get(changed["Location"]).content.decode()
    assert "van 6" in page and "Voor wie zorg je?" in page
    post_step(client, "over-mij", ABOUT)
    assert "stap 5 van 5" in client.get("/aanmelden/controleren").content.decode()


@pytest.mark.django_db
def test_a_sixteen_year_old_needs_no_guardian_step(client):
    from core import clock

    born = clock.today().replace(year=clock.today().year - 16)
    fill(client, about={"over-mij-date_of_birth": born.strftime("%d-%m-%Y")})
    assert "stap 5 van 5" in client.get("/aanmelden/controleren").content.decode()


WRONG_ABOUT = [
    ("over-mij-postcode", "1234", "Vul een postcode in zoals 3841 AB."),
    ("over-mij-postcode", "ABCD 12", "Vul een postcode in zoals 3841 AB."),
    ("over-mij-date_of_birth", "31-02-1950", "Vul de datum in zoals 15-03-1958"),
    ("over-mij-date_of_birth", "01-01-2999", "Deze datum ligt in de toekomst."),
    ("over-mij-date_of_birth", "01-01-1850", "Controleer het jaar."),
    ("over-mij-email", "riet@", "Vul een e-mailadres in zoals naam@voorbeeld.nl."),
    ("over-mij-email", "a@b.c<script>", "Vul een e-mailadres in zoals naam@voorbeeld.nl."),
    ("over-mij-phone", "12345", "Vul een telefoonnummer in van 10 cijfers"),
    ("over-mij-phone", "06-abc", "Vul een telefoonnummer in van 10 cijfers"),
    ("over-mij-first_name", "", "Vul uw voornaam in."),
    ("over-mij-first_name", "Ri\x00et", "Gebruik alleen gewone letters"),
    ("over-mij-last_name", "Bak\u202eker", "Gebruik alleen gewone letters"),
    ("over-mij-last_name", "x" * 5000, "Zorg dat deze waarde"),
    ("over-mij-house_number", "'; DROP", "Vul een huisnummer in"),
    ("over-mij-house_number", "1' OR '1'='1' --", "Zorg dat deze waarde"),
]


@pytest.mark.django_db
@pytest.mark.parametrize("field, value, message", WRONG_ABOUT)
def test_wrong_input_about_me_is_explained_and_kept(client, field, value, message):
    client.get("/aanmelden/over-mij")
    response = post_step(client, "over-mij", {**ABOUT, field: value})
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    short = field.replace("over-mij-", "")
    assert f'id="id_over-mij-{short}_error"' in html
    if value and value.isprintable() and len(value) < 200 and not set(value) & set("<'"):
        assert f'value="{value}"' in html  # what was typed stays
    assert "Riet" in html or field == "over-mij-first_name"
    assert not Caregiver.objects.exists()


@pytest.mark.django_db
def test_hostile_markup_is_escaped(client):
    client.get("/aanmelden/over-mij")
    response = post_step(client, "over-mij",
                         {**ABOUT, "over-mij-email": "<script>alert(1)</script>"})
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


WRONG_RECIPIENT = [
    ("naaste-hours_per_week", "0", "Vul minstens 1 uur in."),
    ("naaste-hours_per_week", "200", "Een week heeft 168 uur."),
    ("naaste-hours_per_week", "tien", "Vul een heel getal in"),
    ("naaste-care_since", "01-01-2999", "Deze datum ligt in de toekomst."),
    ("naaste-relationship", "baas", "Selecteer een geldige keuze"),
    ("naaste-care_kinds", [], "Kies minstens één ding."),
    ("naaste-lives_in_municipality", "", "Kies ja of nee."),
]


@pytest.mark.django_db
@pytest.mark.parametrize("field, value, message", WRONG_RECIPIENT)
def test_wrong_input_about_the_person_cared_for(client, field, value, message):
    client.get("/aanmelden/over-mij")
    post_step(client, "over-mij", ABOUT)
    response = post_step(client, "naaste", {**RECIPIENT, field: value})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert 'value="Henk Bakker"' in response.content.decode()


@pytest.mark.django_db
def test_caregiver_and_recipient_both_outside_the_municipality_is_refused(client):
    client.get("/aanmelden/over-mij")
    post_step(client, "over-mij", {**ABOUT, "over-mij-postcode": "3851 AB",
                                   "over-mij-city": "Ermelo"})
    response = post_step(client, "naaste", {**RECIPIENT, "naaste-lives_in_municipality": "nee"})
    assert "Het Servicepunt helpt mantelzorgers die in Harderwijk of Hierden wonen" in (
        response.content.decode())
    ok = post_step(client, "naaste", RECIPIENT)  # recipient lives in Harderwijk: fine
    assert ok.status_code == 302


@pytest.mark.django_db
def test_email_channel_needs_an_email_address(client):
    fill(client, about={"over-mij-email": ""}, contact={"contact-channel": "post"})
    response = post_step(client, "contact", {"contact-channel": "email"})
    assert "U heeft geen e-mailadres ingevuld" in response.content.decode()


@pytest.mark.django_db
def test_target_groups_need_explicit_consent(client):
    fill(client)
    response = post_step(client, "contact", {**CONTACT, "contact-migration_background": "on"})
    assert "Zet hier een vinkje" in response.content.decode()


@pytest.mark.django_db
def test_without_consent_nothing_is_stored(client):
    fill(client)
    response = post_step(client, "controleren", {})
    assert "Zonder uw toestemming kunnen wij u niet inschrijven." in response.content.decode()
    assert not Caregiver.objects.exists()


@pytest.mark.django_db
def test_a_double_submit_stores_one_registration(client, inline_tasks,
                                                 django_capture_on_commit_callbacks):
    fill(client)
    with django_capture_on_commit_callbacks(execute=True):
        first = submit(client)
        second = submit(client)
        third = client.get("/aanmelden/klaar")
    assert first["Location"] == "/aanmelden/verstuurd"
    assert second.status_code in (200, 302) and third.status_code in (200, 302)
    assert Caregiver.objects.count() == 1


@pytest.mark.django_db
def test_back_button_keeps_what_was_typed(client):
    client.get("/aanmelden/over-mij")
    post_step(client, "over-mij", ABOUT)
    response = client.post("/aanmelden/naaste", {"registration_wizard-current_step": "naaste",
                                                  "wizard_goto_step": "over-mij"})
    page = client.get(response["Location"]).content.decode()
    assert 'value="Riet"' in page and 'value="Lindenlaan"' in page


@pytest.mark.django_db
def test_without_email_a_consulent_checks_the_registration(client):
    fill(client, about={"over-mij-email": ""}, contact={"contact-channel": "post"})
    submit(client)
    caregiver = Caregiver.objects.get()
    assert caregiver.state == State.AANGEMELD
    page = client.get("/aanmelden/verstuurd").content.decode()
    assert "Een consulent kijkt uw aanmelding na" in page


@pytest.mark.django_db
@pytest.mark.parametrize("token", ["", "x", "a" * 500, "../../etc/passwd", "' OR 1=1 --"])
def test_tampered_confirmation_links_are_refused(client, token):
    for prefix in ("/bevestigen/", "/toestemming/"):
        response = client.post(prefix + token)
        assert response.status_code in (400, 404)


@pytest.mark.django_db
def test_a_step_reads_the_rules_once(client, django_assert_max_num_queries):
    """Under load every query of a step counts (make bench-load): a step reads the session,
    the rules once and writes the session, however often the wizard needs the rules
    (deciding the guardian step, the young texts, checking the date of birth)."""
    client.get("/aanmelden/over-mij")
    for step, data in [("over-mij", ABOUT), ("naaste", RECIPIENT), ("contact", CONTACT),
                       ("belasting", SKIP_BURDEN), ("controleren", CHECK)]:
        # session, rules, session update (+ the test's savepoint pair around the update)
        with django_assert_max_num_queries(5):
            assert post_step(client, step, data).status_code == 302
