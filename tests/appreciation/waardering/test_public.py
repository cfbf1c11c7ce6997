"""The public waardering request at /waardering, the caregiver's requests in Mijn gegevens,
and a consulent's paper entry: happy paths, wrong and hostile input, tampering, the window."""

import datetime
import re
import uuid

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from appreciation.models import (
    AgeGroup,
    AppreciationLetter,
    AppreciationRequest,
    PayoutForm,
    RequestState,
    Route,
)
from appreciation.waardering import services, submission, views_public
from registrations.models import Caregiver, Source
from tests.appreciation.waardering.wizard import (
    CARE,
    CAREGIVER,
    CHECK,
    ON_BEHALF,
    ON_BEHALF_STEPS,
    PAYMENT,
    REQUESTER,
    SELF,
    SELF_STEPS,
    SKIP_BURDEN,
    field_error,
    fill,
    nothing_stored,
    post_step,
    send,
)
from tests.factories import CaregiverFactory
from worker.models import Letter

TODAY = datetime.date(2026, 9, 15)
NEUTRAL = "U krijgt binnen een paar dagen een e-mail of een brief van ons."
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("waardering_year")]




# --- the start page and the happy paths --------------------------------------------------
def test_start_page_explains_this_years_rules_and_both_routes(client):
    html = client.get("/waardering").content.decode()
    for text in ["€ 75,00", "minstens 8 uur per week", "minstens 3 maanden",
                 "Harderwijk of Hierden", "van 01-09-2026 tot en met 25-10-2026",
                 "Ik vraag het aan voor mezelf", "Ik vraag het aan voor iemand anders",
                 'href="/waardering/zelf"', 'href="/waardering/namens"']:
        assert text in html
    assert 'href="/waardering"' in client.get("/").content.decode()


def test_unknown_caregiver_asks_for_themselves_and_is_registered(client):
    fill(client)
    page = client.get(f"{SELF}/controleren").content.decode()
    assert "Waardering aanvragen: stap 6 van 6" in page
    for text in ["Riet Bakker", "03-04-1955", "3845 AB", "Henk Bakker", "NL91 ABNA 0417 1643 00",
                 "€ 75,00"]:
        assert text in page
    response = send(client)
    assert response["Location"] == "/waardering/verstuurd"
    request = AppreciationRequest.objects.get()
    sent = client.get("/waardering/verstuurd").content.decode()
    assert "Uw aanvraag is verstuurd" in sent and NEUTRAL in sent
    assert request.reference not in sent  # not signed in: the same page for everyone
    assert request.route == Route.SELF and request.caregiver_was_unknown
    # Nobody else is on file for these details: registered now, checked as any registration.
    assert request.caregiver_confirmed_at is not None and not request.needs_confirmation
    assert (request.iban, request.account_holder) == ("NL91ABNA0417164300", "R. Bakker")
    assert (request.recipient_postcode, request.hours_per_week) == ("3845AB", 20)
    caregiver = request.caregiver
    assert caregiver.source == Source.WAARDERING and caregiver.wants_newsletter
    assert caregiver.postcode == "3845AB"


def test_known_caregiver_is_matched_by_birth_date_and_address(client):
    known = CaregiverFactory(complete=True)
    fill(client, **{"mantelzorger-date_of_birth": "02-01-1950",
                    "mantelzorger-house_number": "12A", "mantelzorger-first_name": "Rietje"})
    send(client)
    request = AppreciationRequest.objects.get()
    assert request.caregiver_id == known.pk and not request.caregiver_was_unknown
    assert Caregiver.objects.count() == 1


def test_someone_asks_on_behalf_and_the_caregiver_must_confirm(client):
    client.get(ON_BEHALF)
    page = client.get(f"{ON_BEHALF}/aanvrager").content.decode()
    assert "bevestigen" in page and "Wie vraagt de waardering aan?" in page
    fill(client, ON_BEHALF)
    page = client.get(f"{ON_BEHALF}/controleren").content.decode()
    assert "Anja de Vries" in page and "Nieuwsbrief" not in page
    assert send(client, ON_BEHALF)["Location"] == "/waardering/verstuurd"
    request = AppreciationRequest.objects.get()
    assert request.route == Route.ON_BEHALF and request.caregiver_confirmed_at is None
    assert (request.requester_name, request.requester_relation, request.requester_contact) == (
        "Anja de Vries", "Familie", "0612345678")
    assert not request.caregiver.wants_newsletter
    assert "bevestigen" in client.get("/waardering/verstuurd").content.decode()


def test_signed_in_caregiver_skips_their_details(client, sign_in):
    riet = CaregiverFactory(complete=True)
    other = CaregiverFactory(complete=True, first_name="Bram", email="bram@example.nl",
                             date_of_birth=datetime.date(1960, 5, 5))
    sign_in(client, riet)
    assert client.get(SELF)["Location"] == f"{SELF}/zorg"
    assert client.get(f"{SELF}/mantelzorger")["Location"] == f"{SELF}/zorg"
    # Details posted anyway (tampered) are not part of this request and change nothing.
    tampered = {**CAREGIVER, "mantelzorger-date_of_birth": "05-05-1960"}
    assert post_step(client, SELF, "mantelzorger", tampered)["Location"] == f"{SELF}/zorg"
    fill(client, steps=[("zorg", CARE), ("betaling", PAYMENT)])
    assert "Riet Bakker" in client.get(f"{SELF}/controleren").content.decode()
    send(client)
    request = AppreciationRequest.objects.get()
    assert request.caregiver_id == riet.pk and request.caregiver_id != other.pk
    assert Caregiver.objects.count() == 2
    assert request.reference in client.get("/mijn-gegevens/waardering/").content.decode()


def test_young_caregiver_gets_money_by_default_and_the_account_step(client):
    """As in Harderwijk (155 young caregivers paid): money, so the account is asked."""
    born = TODAY.replace(year=TODAY.year - 20).strftime("%d-%m-%Y")
    fill(client, steps=[("mantelzorger", {**CAREGIVER, "mantelzorger-date_of_birth": born}),
                        ("zorg", CARE), ("betaling", PAYMENT), ("nieuwsbrief", {})])
    send(client)
    request = AppreciationRequest.objects.get()
    assert (request.age_group, request.payout_form, request.iban) == (
        AgeGroup.YOUNG, PayoutForm.BANK, "NL91ABNA0417164300")


def test_young_caregiver_gets_a_voucher_and_no_account_step(client, waardering_year):
    waardering_year.payout_young = PayoutForm.VOUCHER
    waardering_year.save()
    born = TODAY.replace(year=TODAY.year - 20).strftime("%d-%m-%Y")
    fill(client, steps=[("mantelzorger", {**CAREGIVER, "mantelzorger-date_of_birth": born}),
                        ("zorg", CARE), ("nieuwsbrief", {})])
    assert client.get(f"{SELF}/betaling")["Location"] == f"{SELF}/mantelzorger"
    page = client.get(f"{SELF}/controleren").content.decode()
    assert "cadeaubon of activiteit" in page and "Waardering aanvragen: stap 5 van 5" in page
    send(client)
    request = AppreciationRequest.objects.get()
    assert (request.age_group, request.payout_form, request.iban) == (
        AgeGroup.YOUNG, PayoutForm.VOUCHER, "")
    assert NEUTRAL in client.get("/waardering/verstuurd").content.decode()


def test_fifteen_year_old_needs_a_parent_or_guardian(client):
    born = (TODAY.replace(year=TODAY.year - 15) - datetime.timedelta(days=2)).strftime("%d-%m-%Y")
    young = {**CAREGIVER, "mantelzorger-date_of_birth": born}
    fill(client, steps=[("mantelzorger", young)])
    response = post_step(client, SELF, "ouder", {"ouder-name": "Anja de Vries"})
    html = response.content.decode()
    assert "Vul een e-mailadres of een telefoonnummer in." in field_error(html, "ouder", "email")
    assert 'value="Anja de Vries"' in html and nothing_stored()
    fill(client, steps=[("mantelzorger", young),
                        ("ouder", {"ouder-name": "Anja de Vries", "ouder-email": "a@example.nl"}),
                        ("zorg", {**CARE, "zorg-relationship": "ouder"}), ("betaling", PAYMENT),
                        ("nieuwsbrief", {})])
    assert "Anja de Vries" in client.get(f"{SELF}/controleren").content.decode()
    send(client)
    caregiver = AppreciationRequest.objects.get().caregiver
    assert (caregiver.guardian.name, caregiver.guardian.email) == ("Anja de Vries",
                                                                   "a@example.nl")


# --- wrong and hostile input ---------------------------------------------------------------
BAD_INPUT = [
    (SELF, "mantelzorger", "first_name", "", "Vul uw voornaam in."),
    (SELF, "mantelzorger", "first_name", "Riet\x1b[31m", "Gebruik alleen gewone letters"),
    (SELF, "mantelzorger", "last_name", "x" * 5000, "niet meer dan 150 tekens"),
    (SELF, "mantelzorger", "date_of_birth", "01-01-2030", "Deze datum ligt in de toekomst."),
    (SELF, "mantelzorger", "date_of_birth", "31-02-1950", "Vul de datum in zoals"),
    (SELF, "mantelzorger", "postcode", "<i>38</i>", "Vul een postcode in zoals 3841 AB."),
    (SELF, "mantelzorger", "city", "<script>alert(1)</script>" * 10, "niet meer dan 100"),
    (SELF, "zorg", "hours_per_week", "4", "minstens 8 uur per week"),
    (SELF, "zorg", "hours_per_week", "1000", "Een week heeft 168 uur"),
    (SELF, "zorg", "hours_per_week", "tien", "Vul een heel getal in"),
    (SELF, "zorg", "recipient_postcode", "1012 AB", "Harderwijk of Hierden"),
    (SELF, "zorg", "recipient_postcode", "38450", "Vul een postcode in zoals 3841 AB."),
    (SELF, "zorg", "care_since", "01-08-2026", "al minstens 3 maanden zorgen"),
    (SELF, "zorg", "care_since", "01-01-2027", "Deze datum ligt in de toekomst."),
    (SELF, "zorg", "recipient_name", "Henk\x00", "Gebruik alleen gewone letters"),
    (SELF, "zorg", "relationship", "koning", "Selecteer een geldige keuze"),
    (SELF, "betaling", "iban", "NL91ABNA0417164301", "Dit rekeningnummer klopt niet"),
    (SELF, "betaling", "iban", "BR1800360305000010009795493C1", "rekening in Europa (SEPA)"),
    (SELF, "betaling", "iban", "", "Vul het rekeningnummer (IBAN) in."),
    (SELF, "betaling", "iban", "<img src=x onerror=alert(1)>", "Dit rekeningnummer klopt"),
    (SELF, "controleren", "consent", "", "Zonder deze toestemming"),
    (ON_BEHALF, "aanvrager", "phone", "", "Vul een telefoonnummer of een e-mailadres in."),
    (ON_BEHALF, "aanvrager", "email", "geen-adres", "Vul een e-mailadres in zoals"),
    (ON_BEHALF, "aanvrager", "name", "\u202eAnja", "Gebruik alleen gewone letters"),
]


@pytest.mark.parametrize(("base", "step", "name", "value", "message"), BAD_INPUT)
def test_wrong_input_gets_a_dutch_message_next_to_the_field(client, base, step, name, value,
                                                              message):
    steps = SELF_STEPS if base == SELF else ON_BEHALF_STEPS
    before = [s for s in steps[:[n for n, _d in steps].index(step)]] if step != "controleren" \
        else steps
    fill(client, base, steps=before)
    data = dict(steps)[step] if step != "controleren" else CHECK
    data = {**data, f"{step}-{name}": value}
    if step == "aanvrager" and name == "phone":
        data["aanvrager-email"] = ""
    response = post_step(client, base, step, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in field_error(html, step, name), html[:4000]
    assert "Controleer wat u heeft ingevuld" in html
    if value and name not in ("relationship", "consent"):
        assert f'value="{escape(value)}"' in html  # what was typed stays, escaped
    assert value == escape(value) or value not in html  # never reflected unescaped
    assert nothing_stored()


def test_script_in_a_name_is_shown_escaped_on_the_check_page(client):
    fill(client, **{"mantelzorger-last_name": "<script>alert('x')</script>",
                    "zorg-recipient_name": '"><b onmouseover=alert(1)>Henk'})
    html = client.get(f"{SELF}/controleren").content.decode()
    assert "<script>alert" not in html and "<b onmouseover" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html


@pytest.mark.parametrize("tampered", [
    {"waardering_zelf-current_step": "bestaat-niet"},
    {"waardering_zelf-current_step": "aanvrager", **REQUESTER},
    {},
    {"wizard_goto_step": "../../beheer"},
    {"waardering_zelf-current_step": "controleren", **CHECK},
])
def test_tampered_step_names_never_fail_and_store_nothing(client, tampered):
    client.get(SELF)
    response = client.post(f"{SELF}/mantelzorger", tampered)
    assert response.status_code == 302
    while response.status_code == 302:
        response = client.get(response["Location"])
    assert response.status_code == 200 and "Over de mantelzorger" in response.content.decode()
    assert client.get(f"{SELF}/geen-stap")["Location"] == f"{SELF}/mantelzorger"
    assert client.get(f"{SELF}/klaar", follow=True).status_code == 200
    assert nothing_stored()


def test_skipping_to_the_account_step_of_a_young_caregiver_is_refused(client):
    born = TODAY.replace(year=TODAY.year - 20).strftime("%d-%m-%Y")
    fill(client, steps=[("mantelzorger", {**CAREGIVER, "mantelzorger-date_of_birth": born})])
    response = post_step(client, SELF, "betaling", PAYMENT)
    assert response.status_code == 302 and nothing_stored()


def test_a_refusal_by_the_service_appears_next_to_its_field(client, monkeypatch):
    fill(client)

    def refuse(*args, **kwargs):
        raise submission.RequestRefused("Te weinig uren volgens de regels.",
                                      field="hours_per_week", code="hours")

    monkeypatch.setattr(views_public, "submit_request", refuse)
    response = send(client)
    html = response.content.decode()
    assert response.status_code == 200 and "Over de zorg" in html
    assert "Te weinig uren volgens de regels." in field_error(html, "zorg", "hours_per_week")
    assert 'value="20"' in html and nothing_stored()


def test_a_double_submit_stores_one_request(client):
    fill(client)
    key = client.session["wizard_waardering_zelf"]["extra_data"]["submission_key"]
    first = post_step(client, SELF, "controleren", CHECK)
    second = post_step(client, SELF, "controleren", CHECK)
    assert first["Location"] == second["Location"] == f"{SELF}/klaar"
    client.get(first["Location"])
    client.get(second["Location"])
    request = AppreciationRequest.objects.get()
    assert str(request.submission_key) == key
    again = submission.submit_request(submission.RequestData(recipient={}), route=Route.SELF,
                                    submission_key=uuid.UUID(key))
    assert again.pk == request.pk and AppreciationRequest.objects.count() == 1


@pytest.mark.parametrize("known", [False, True])
def test_a_second_request_the_same_year_is_told_by_the_caregivers_own_channel(client, known):
    if known:
        CaregiverFactory(complete=True, date_of_birth=datetime.date(1955, 4, 3), house_number="12")
    fill(client)
    send(client)
    caregivers = Caregiver.objects.count()
    fill(client, **{"zorg-recipient_name": "Truus Bakker"})
    response = send(client)
    assert response["Location"] == "/waardering/verstuurd"
    html = client.get(response["Location"]).content.decode()
    assert NEUTRAL in html and "al aangevraagd" not in html
    assert AppreciationRequest.objects.count() == 1 and Caregiver.objects.count() == caregivers
    duplicate = Letter.objects.get(kind=AppreciationLetter.WAARDERING_DUPLICATE)
    assert duplicate.about == AppreciationRequest.objects.get()
    fill(client, **{"zorg-recipient_name": "Truus Bakker"})
    send(client)  # once more the same day: no second letter
    assert Letter.objects.filter(kind=AppreciationLetter.WAARDERING_DUPLICATE).count() == 1


def test_signed_in_a_second_request_is_refused_with_the_real_reason(client, sign_in):
    riet = CaregiverFactory(complete=True)
    submitted_for(riet)
    sign_in(client, riet)
    fill(client, steps=[("zorg", CARE), ("betaling", PAYMENT), ("belasting", SKIP_BURDEN)])
    response = send(client)
    html = response.content.decode()
    assert response.status_code == 200 and "al aangevraagd" in html
    assert AppreciationRequest.objects.count() == 1


def sent_page_for(details: dict) -> tuple:
    """A visitor, not signed in, asks with these caregiver details: the answer and the page
    after it, without anything that differs per request (CSRF tokens)."""
    client = Client()
    fill(client, **details)
    response = send(client)
    page = client.get(response["Location"]) if response.status_code == 302 else response
    body = re.sub(r'(csrfmiddlewaretoken" value=|csrf-token" content=)"[^"]*"', r"\1",
                  page.content.decode())
    return response.status_code, response.get("Location"), page.status_code, body


def test_not_signed_in_every_identity_gets_the_same_answer():
    """Regression (issue 14, item 2): the page after sending said "already requested" for a
    caregiver with a request and "you were not registered" for someone unknown, so a
    stranger learned who is registered. Now unknown, ended, already asked and fresh
    identities get identical answers."""
    identities = {}
    for n, who in enumerate(["unknown", "ended", "already_asked", "fresh"]):
        born = datetime.date(1955, 4, 3) + datetime.timedelta(days=n)
        details = {"mantelzorger-date_of_birth": born.strftime("%d-%m-%Y"),
                   "mantelzorger-house_number": str(12 + n)}
        if who != "unknown":
            person = CaregiverFactory(complete=True, date_of_birth=born,
                                      house_number=str(12 + n), email=f"p{n}@example.nl")
            if who == "ended":
                Caregiver.objects.filter(pk=person.pk).update(
                    state="beeindigd", care_ended_on=TODAY, ended_on=TODAY)
            elif who == "already_asked":
                submitted_for(person)
        identities[who] = sent_page_for(details)
    for who, answer in identities.items():
        assert answer == identities["fresh"], who
    assert identities["fresh"][:3] == (302, "/waardering/verstuurd", 200)
    assert NEUTRAL in identities["fresh"][3]


def test_outside_the_window_every_page_says_when_it_opens(client, waardering_day):
    fill(client)
    waardering_day.move_to(datetime.datetime(2026, 12, 1, 10, 0))
    response = send(client)
    assert response.status_code == 200
    assert "Vanaf 01-09-2027 kunt u de waardering weer aanvragen." in response.content.decode()
    for url in ["/waardering", SELF, f"{SELF}/zorg", f"{ON_BEHALF}/aanvrager", f"{SELF}/klaar"]:
        page = client.get(url)
        assert page.status_code == 200 and "01-09-2027" in page.content.decode(), url
    assert post_step(client, SELF, "zorg", CARE).status_code == 200
    assert nothing_stored()


# --- Mijn gegevens --------------------------------------------------------------------------
def submitted_for(caregiver, route=Route.SELF, **recipient):
    from tests.support import recipient_details, request_data

    data = request_data(recipient=recipient_details(**recipient))
    if route == Route.ON_BEHALF:
        data.requester = {"name": "Anja de Vries", "relation": "Familie", "contact": "06"}
    return submission.submit_request(data, route=route, caregiver=caregiver,
                                   submission_key=uuid.uuid4())


def test_caregiver_sees_withdraws_and_cannot_withdraw_twice(client, sign_in):
    riet = CaregiverFactory(complete=True)
    request = submitted_for(riet)
    sign_in(client, riet)
    assert 'href="/mijn-gegevens/waardering/"' in client.get("/mijn-gegevens/").content.decode()
    page = client.get("/mijn-gegevens/waardering/").content.decode()
    for text in [request.reference, "<strong>Ontvangen.</strong>", "€ 75,00",
                 "Waardering: aanvraag ontvangen", "NL91 ABNA 0417 1643 00"]:
        assert text in page
    url = f"/mijn-gegevens/waardering/{request.pk}/intrekken"
    assert "Ja, trek mijn aanvraag in" in client.get(url).content.decode()
    assert client.post(url)["Location"] == "/mijn-gegevens/waardering/"
    request.refresh_from_db()
    assert request.state == RequestState.INGETROKKEN
    response = client.post(url, follow=True)
    assert response.status_code == 200 and "Intrekken lukte niet" in response.content.decode()


def test_caregiver_answers_the_consulents_question(client, make_staff, sign_in):
    riet, consulent = CaregiverFactory(complete=True), make_staff("consulent")[0]
    request = submitted_for(riet)
    services.ask_information(request, consulent, "Hoeveel uur zorgt u <echt>?")
    sign_in(client, riet)
    url = f"/mijn-gegevens/waardering/{request.pk}/antwoorden"
    page = client.get(url).content.decode()
    assert "Hoeveel uur zorgt u &lt;echt&gt;?" in page
    response = client.post(url, {"answer": ""})
    assert 'id="id_answer_error"><span>Schrijf uw antwoord op.' in response.content.decode()
    assert client.post(url, {"answer": "Zo'n 20 uur."}).status_code == 302
    request.refresh_from_db()
    assert (request.state, request.info_answer) == (RequestState.IN_BEHANDELING, "Zo'n 20 uur.")
    again = client.post(url, {"answer": "Nog iets"}, follow=True).content.decode()
    assert "Er staat geen vraag meer open" in again


def test_caregiver_confirms_a_request_made_on_their_behalf(client, sign_in):
    riet = CaregiverFactory(complete=True)
    request = submitted_for(riet, route=Route.ON_BEHALF)
    sign_in(client, riet)
    page = client.get("/mijn-gegevens/waardering/").content.decode()
    assert "Anja de Vries heeft deze waardering voor u aangevraagd" in page
    client.post(f"/mijn-gegevens/waardering/{request.pk}/bevestigen")
    request.refresh_from_db()
    assert request.caregiver_confirmed_at is not None


def test_a_caregiver_can_never_act_on_someone_elses_request(client, make_staff, sign_in):
    riet = CaregiverFactory(complete=True)
    bram = CaregiverFactory(complete=True, first_name="Bram", last_name="Visser",
                            email="bram@example.nl", date_of_birth=datetime.date(1961, 6, 7))
    theirs = submitted_for(bram, route=Route.ON_BEHALF)
    sign_in(client, riet)
    base = f"/mijn-gegevens/waardering/{theirs.pk}"
    for url in [f"{base}/intrekken", f"{base}/antwoorden"]:
        assert client.get(url).status_code == 404
    for url in [f"{base}/intrekken", f"{base}/antwoorden", f"{base}/bevestigen"]:
        assert client.post(url, {"answer": "x"}).status_code == 404
    assert client.get("/mijn-gegevens/waardering/999999/intrekken").status_code == 404
    assert theirs.reference not in client.get("/mijn-gegevens/waardering/").content.decode()
    theirs.refresh_from_db()
    assert theirs.state == RequestState.INGEDIEND and theirs.caregiver_confirmed_at is None


def test_mijn_gegevens_waardering_needs_a_sign_in(client):
    response = client.get("/mijn-gegevens/waardering/")
    assert response["Location"] == "/mijn-gegevens/inloggen"


# --- a consulent enters a paper form -------------------------------------------------------
def paper(**changes):
    data = {**CAREGIVER, **CARE, **PAYMENT, "papier-signed": "on",
            "submission_key": str(uuid.uuid4())}
    data.update(changes)
    return data


def test_consulent_enters_a_paper_form(client, login_fully):
    consulent = login_fully(client, "consulent")
    page = client.get("/backoffice/waardering-invoer/").content.decode()
    assert "Papieren aanvraag invoeren" in page and "Rekeningnummer (IBAN)" in page
    data = paper()
    response = client.post("/backoffice/waardering-invoer/", data)
    request = AppreciationRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("appreciation:review_detail", args=[request.pk])
    assert request.route == Route.CONSULENT and request.caregiver_was_unknown
    assert request.caregiver.checked_by_consulent_at is not None
    assert client.post("/backoffice/waardering-invoer/", data).status_code == 302  # twice
    assert AppreciationRequest.objects.count() == 1
    assert consulent.pk


def test_paper_form_errors_stay_next_to_their_fields(client, login_fully):
    login_fully(client, "consulent")
    response = client.post("/backoffice/waardering-invoer/", paper(**{
        "betaling-iban": "", "zorg-hours_per_week": "2", "papier-signed": ""}))
    html = response.content.decode()
    assert response.status_code == 200
    assert "minstens 8 uur" in field_error(html, "zorg", "hours_per_week")
    assert "Zet een vinkje" in field_error(html, "papier", "signed")
    response = client.post("/backoffice/waardering-invoer/", paper(**{"betaling-iban": ""}))
    assert "Vul het rekeningnummer" in field_error(response.content.decode(), "betaling", "iban")
    assert nothing_stored()


def test_paper_entry_is_for_staff_only(client):
    response = client.get("/backoffice/waardering-invoer/")
    assert response.status_code == 302 and "/backoffice/inloggen" in response["Location"]
