"""The optional burden self-check where caregivers meet it: the registration, the waardering
request and Mijn gegevens. Skipped stores nothing; answered stores the answers (a high score
opens one call-back task and says when a consulent calls); half-filled and hostile input get
a Dutch message next to the field, store nothing and never fail."""

import datetime
import re

import pytest
import time_machine

from core import clock
from insight.models import BurdenCheck, FollowUpTask, InsightRules, TaskKind
from registrations.burden import CheckContext
from registrations.models import Caregiver, State
from tests.appreciation.waardering import wizard as waardering
from tests.factories import CaregiverFactory
from tests.registrations import wizard as registration

LOW = [1, 0, 1, 1, 0]
HIGH = [3, 3, 2, 2, 1]
RESULT = "/mijn-gegevens/zelftest/uitslag"
MISSING = "Kies een antwoord bij deze uitspraak."
INVALID = "Kies een van de antwoorden: nooit, soms, vaak of bijna altijd."
TAMPERED = "Er ging iets mis met het formulier."


def answers(values, prefix="belasting") -> dict:
    return {f"{prefix}-statement_{i + 1}": str(v) for i, v in enumerate(values) if v != ""}


def statement_error(html, number) -> str:
    match = re.search(rf'id="id_belasting-statement_{number}_error">(.*?)</p>', html, re.S)
    return match.group(1) if match else ""


def burden_tasks():
    return FollowUpTask.objects.filter(kind=TaskKind.BURDEN)


def follow_to_the_end(client, response):
    """Follow the wizard's redirects to the confirmation or the check's result page."""
    while response.status_code == 302 and response["Location"] not in (
            RESULT, "/aanmelden/verstuurd", "/waardering/verstuurd"):
        response = client.get(response["Location"])
    return response


# --- registration ---------------------------------------------------------------------------
def register_up_to_the_check(client, about=None):
    client.get("/aanmelden/over-mij")
    steps = [("over-mij", {**registration.ABOUT, **(about or {})}),
             ("naaste", registration.RECIPIENT), ("contact", registration.CONTACT)]
    for step, data in steps:
        response = registration.post_step(client, step, data)
        assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == "/aanmelden/belasting"


def register_with(client, data):
    """Post the self-check step, then send the registration; returns the last redirect."""
    response = registration.post_step(client, "belasting", data)
    assert response["Location"] == "/aanmelden/controleren"
    return follow_to_the_end(client, registration.post_step(client, "controleren",
                                                            registration.CHECK))


@pytest.mark.django_db
def test_registration_offers_the_check_as_an_optional_step(client):
    register_up_to_the_check(client)
    html = client.get("/aanmelden/belasting").content.decode()
    assert "Aanmelden: stap 4 van 5" in html
    assert "Hoe zwaar is de zorg voor u? Dit is niet verplicht." in html
    assert html.count("<fieldset") == 5 and html.count("<legend>") == 5
    for answer in ("Nooit", "Soms", "Vaak", "Bijna altijd"):
        assert html.count(f">{answer}</label>") == 5
    assert 'name="belasting-skip"' in html and "Overslaan" in html


@pytest.mark.django_db
@pytest.mark.parametrize("data", [registration.SKIP_BURDEN, {}], ids=["button", "empty"])
def test_registration_skipped_stores_no_check(client, data):
    register_up_to_the_check(client)
    assert register_with(client, data)["Location"] == "/aanmelden/verstuurd"
    assert Caregiver.objects.count() == 1 and not BurdenCheck.objects.exists()


@pytest.mark.django_db
def test_registration_with_a_low_score_stores_it_without_a_task(client):
    register_up_to_the_check(client)
    assert register_with(client, answers(LOW))["Location"] == RESULT
    check = BurdenCheck.objects.get()
    assert check.caregiver == Caregiver.objects.get()
    assert (check.context, check.answers, check.score, check.heavy) == (
        CheckContext.REGISTRATION, LOW, 3, False)
    assert not burden_tasks().exists()
    html = client.get(RESULT).content.decode()
    assert "goed volhoudt" in html and "belt u" not in html
    assert "Respijtzorg" in html and "Mantelzorglijn" in html
    assert 'href="/aanmelden/verstuurd"' in html
    assert "U krijgt een e-mail" in client.get("/aanmelden/verstuurd").content.decode()


@pytest.mark.django_db
def test_registration_with_a_high_score_opens_one_call_back_task(client, settings):
    settings.LETTER_SENDER = {**settings.LETTER_SENDER, "phone": "0341 123 456",
                              "email": "mantelzorg@zorgdat.example"}
    InsightRules.objects.update_or_create(pk=1, defaults={"call_back_within_days": 3})
    register_up_to_the_check(client)
    assert register_with(client, answers(HIGH))["Location"] == RESULT
    check = BurdenCheck.objects.get()
    assert check.heavy and check.score == 11
    [task] = burden_tasks()
    assert task.caregiver == check.caregiver and task.burden_check == check
    html = client.get(RESULT).content.decode()
    assert ("Het lijkt erop dat de zorg zwaar voor u is. Een consulent belt u binnen "
            "3 dagen.") in html
    assert "0341 123 456" in html and "mantelzorg@zorgdat.example" in html
    assert "iemand anders neemt de zorg een tijdje van u over" in html.lower()


@pytest.mark.django_db
def test_a_young_caregiver_is_addressed_as_je(client):
    born = clock.today().replace(year=clock.today().year - 20)
    register_up_to_the_check(client, {"over-mij-date_of_birth": born.strftime("%d-%m-%Y")})
    assert "Hoe zwaar is de zorg voor jou?" in client.get("/aanmelden/belasting") \
        .content.decode()
    register_with(client, answers(HIGH))
    html = client.get(RESULT).content.decode()
    assert "zwaar voor je is. Een consulent belt je binnen 5 dagen." in html


@pytest.mark.django_db
def test_registration_half_filled_gets_a_message_next_to_each_missing_statement(client):
    register_up_to_the_check(client)
    response = registration.post_step(client, "belasting", answers([2, 1, "", 3, ""]))
    html = response.content.decode()
    assert response.status_code == 200 and "Controleer wat u heeft ingevuld" in html
    assert MISSING in statement_error(html, 3) and MISSING in statement_error(html, 5)
    assert not statement_error(html, 1)
    assert 'id="id_belasting-statement_1_2" checked' in html  # what was chosen stays
    assert not BurdenCheck.objects.exists()


HOSTILE = [
    ({"belasting-statement_1": "7"}, 1, INVALID),
    ({"belasting-statement_2": "-1"}, 2, INVALID),
    ({"belasting-statement_3": "<script>alert(1)</script>"}, 3, INVALID),
    ({"belasting-statement_4": "2.5"}, 4, INVALID),
    ({"belasting-statement_5": "3" * 5000}, 5, INVALID),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("change", "number", "message"), HOSTILE)
def test_registration_hostile_values_get_a_message(client, change, number, message):
    register_up_to_the_check(client)
    response = registration.post_step(client, "belasting", {**answers(HIGH), **change})
    html = response.content.decode()
    assert response.status_code == 200 and message in statement_error(html, number)
    assert "<script>alert(1)</script>" not in html
    assert not BurdenCheck.objects.exists() and not burden_tasks().exists()


@pytest.mark.django_db
@pytest.mark.parametrize("tampered", [
    {"belasting-statement_9": "3"},
    {"belasting-score": "15"},
    {"belasting-statement_1x": "0"},
])
def test_registration_tampered_names_get_a_message(client, tampered):
    register_up_to_the_check(client)
    response = registration.post_step(client, "belasting", {**answers(HIGH), **tampered})
    html = response.content.decode()
    assert response.status_code == 200 and TAMPERED in html
    assert not BurdenCheck.objects.exists()


@pytest.mark.django_db
def test_registration_never_blocked_by_a_check_never_posted(client):
    register_up_to_the_check(client)
    assert registration.submit(client)["Location"] == "/aanmelden/verstuurd"
    assert Caregiver.objects.count() == 1 and not BurdenCheck.objects.exists()


# --- the waardering request -----------------------------------------------------------------
SELF = waardering.SELF
BEFORE_CHECK = waardering.SELF_STEPS[:-1]


def request_with(client, data):
    waardering.fill(client, steps=BEFORE_CHECK)
    response = waardering.post_step(client, SELF, "belasting", data)
    assert response["Location"] == f"{SELF}/controleren", response.content.decode()[:2000]
    return follow_to_the_end(client, waardering.post_step(client, SELF, "controleren",
                                                          waardering.CHECK))


@pytest.mark.django_db
@pytest.mark.usefixtures("waardering_year")
@pytest.mark.parametrize("data", [waardering.SKIP_BURDEN, {}], ids=["button", "empty"])
def test_waardering_skipped_stores_no_check(client, data):
    assert request_with(client, data)["Location"] == "/waardering/verstuurd"
    assert not BurdenCheck.objects.exists()


@pytest.mark.django_db
@pytest.mark.usefixtures("waardering_year")
def test_waardering_with_a_low_score_stores_it_without_a_task(client):
    html = waardering.fill(client, steps=BEFORE_CHECK).get(f"{SELF}/belasting").content.decode()
    assert "Waardering aanvragen: stap 5 van 6" in html and "Overslaan" in html
    assert request_with(client, answers(LOW))["Location"] == RESULT
    check = BurdenCheck.objects.get()
    assert (check.context, check.answers, check.heavy) == (CheckContext.WAARDERING, LOW, False)
    assert check.caregiver.first_name == "Riet" and not burden_tasks().exists()
    assert 'href="/waardering/verstuurd"' in client.get(RESULT).content.decode()


@pytest.mark.django_db
@pytest.mark.usefixtures("waardering_year")
def test_waardering_with_a_high_score_opens_one_call_back_task(client):
    request_with(client, answers(HIGH))
    check = BurdenCheck.objects.get()
    assert check.heavy and burden_tasks().get().caregiver == check.caregiver
    assert "Een consulent belt u binnen 5 dagen." in client.get(RESULT).content.decode()


@pytest.mark.django_db
@pytest.mark.usefixtures("waardering_year")
@pytest.mark.parametrize("already_asked", [False, True], ids=["matched", "already-asked"])
def test_an_anonymous_request_for_someone_on_file_stores_no_check_about_them(client,
                                                                            already_asked):
    """Regression (issue 14 review, item 3): typed details that matched a registered
    caregiver (or her request of this year) wrote the stranger's answers on her file and
    opened a call-back task about her. Now nothing is stored; the result page is the one
    everybody with this score sees (it must not tell who is on file)."""
    riet = CaregiverFactory(first_name="Riet", last_name="Bakker",
                            date_of_birth=datetime.date(1955, 4, 3), house_number="12")
    if already_asked:
        request_with(client, waardering.SKIP_BURDEN)
        client.cookies.clear()
    assert request_with(client, answers(HIGH))["Location"] == RESULT
    assert Caregiver.objects.get() == riet
    assert not BurdenCheck.objects.exists() and not FollowUpTask.objects.exists()


@pytest.mark.django_db
@pytest.mark.usefixtures("waardering_year")
@pytest.mark.parametrize(("data", "number", "message"), [
    (answers([1, "", "", "", ""]), 2, MISSING),
    ({**answers(HIGH), "belasting-statement_4": "9"}, 4, INVALID),
    ({**answers(HIGH), "belasting-statement_6": "3"}, None, TAMPERED),
])
def test_waardering_half_filled_or_hostile_stores_nothing(client, data, number, message):
    waardering.fill(client, steps=BEFORE_CHECK)
    response = waardering.post_step(client, SELF, "belasting", data)
    html = response.content.decode()
    assert response.status_code == 200
    assert message in (statement_error(html, number) if number else html)
    assert waardering.nothing_stored() and not BurdenCheck.objects.exists()


@pytest.mark.django_db
@pytest.mark.usefixtures("waardering_year")
def test_someone_on_behalf_is_not_asked_the_caregivers_feelings(client):
    waardering.fill(client, waardering.ON_BEHALF)
    response = client.get(f"{waardering.ON_BEHALF}/belasting")
    assert response["Location"] == f"{waardering.ON_BEHALF}/aanvrager"


# --- Mijn gegevens --------------------------------------------------------------------------
PAGE = "/mijn-gegevens/zelftest"
OFFER = "Vragen over de zorg invullen"


@pytest.mark.django_db
def test_the_check_in_mijn_gegevens_needs_a_sign_in(client):
    assert client.get(PAGE)["Location"] == "/mijn-gegevens/inloggen"
    assert client.post(PAGE, answers(HIGH))["Location"] == "/mijn-gegevens/inloggen"
    assert client.get(RESULT)["Location"] == "/"
    assert not BurdenCheck.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("data", [{"belasting-skip": "1", **answers([3, ""])}, {}],
                         ids=["button", "empty"])
def test_mijn_gegevens_skipped_stores_nothing(client, data, sign_in):
    sign_in(client, CaregiverFactory(complete=True))
    html = client.get(PAGE).content.decode()
    assert "Hoe zwaar is de zorg voor u? Dit is niet verplicht." in html
    assert client.post(PAGE, data)["Location"] == "/mijn-gegevens/"
    assert not BurdenCheck.objects.exists()
    assert OFFER in client.get("/mijn-gegevens/").content.decode()  # still offered


@pytest.mark.django_db
@pytest.mark.parametrize(("values", "heavy"), [(LOW, False), (HIGH, True)])
def test_mijn_gegevens_answered_stores_the_check(client, values, heavy, sign_in):
    riet = CaregiverFactory(complete=True)
    sign_in(client, riet)
    assert client.post(PAGE, answers(values))["Location"] == RESULT
    check = BurdenCheck.objects.get()
    assert (check.caregiver, check.context, check.answers, check.heavy) == (
        riet, CheckContext.SELF_SERVICE, values, heavy)
    assert burden_tasks().count() == int(heavy)
    html = client.get(RESULT).content.decode()
    assert ("Een consulent belt u binnen 5 dagen." in html) is heavy
    assert 'href="/mijn-gegevens/"' in html


@pytest.mark.django_db
@pytest.mark.parametrize(("data", "number", "message"), [
    (answers(["", 2, 2, 2, 2]), 1, MISSING),
    ({**answers(HIGH), "belasting-statement_2": "drie"}, 2, INVALID),
    ({**answers(HIGH), "belasting-statement_5": ["3", "8"]}, 5, INVALID),
    ({**answers(HIGH), "belasting-extra": "1"}, None, TAMPERED),
])
def test_mijn_gegevens_half_filled_or_hostile_stores_nothing(client, data, number, message,
                                                             sign_in):
    sign_in(client, CaregiverFactory(complete=True))
    response = client.post(PAGE, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert message in (statement_error(html, number) if number else html)
    assert not BurdenCheck.objects.exists()


@pytest.mark.django_db
def test_mijn_gegevens_offers_the_check_once_a_year(client, sign_in):
    with time_machine.travel(datetime.datetime(2026, 3, 2, 10, 0), tick=False) as clock:
        riet = CaregiverFactory(complete=True)
        sign_in(client, riet)
        assert OFFER in client.get("/mijn-gegevens/").content.decode()
        client.post(PAGE, answers(LOW))
        assert OFFER not in client.get("/mijn-gegevens/").content.decode()
        clock.move_to(datetime.datetime(2027, 2, 27, 10, 0))
        sign_in(client, riet)
        assert OFFER not in client.get("/mijn-gegevens/").content.decode()
        clock.move_to(datetime.datetime(2027, 3, 2, 10, 0))
        sign_in(client, riet)
        assert OFFER in client.get("/mijn-gegevens/").content.decode()


@pytest.mark.django_db
def test_a_former_caregiver_is_not_offered_the_check(client, sign_in):
    sign_in(client, CaregiverFactory(complete=True, state=State.VOORMALIG,
            care_ended_on=clock.today(), care_end_reason="overlijden"))
    assert OFFER not in client.get("/mijn-gegevens/").content.decode()
