"""Hostile input on every public form (issue 8, item 3), property-based with hypothesis.

Each test sends at least 1,000 generated inputs to one public form through Django's test
client: arbitrary unicode (right-to-left, emoji, combining marks), huge strings (10-100 kB),
control characters and NUL, HTML/JS, SQL fragments, odd dates and tampered hidden fields
(the wizards' `*-current_step`, `wizard_goto_step`, field names we never sent). For every
example: never a 5xx; whatever got stored passes `full_clean()` (and only the final step of
a wizard can store anything); nothing typed comes back unescaped.

Speed: the wizards' sessions are filled with valid earlier steps once per test, outside the
per-example savepoint; each example runs inside `transaction.atomic()` that is rolled back,
so every example starts from the same state and a failing one replays exactly.
The magic-link, unsubscribe, confirm and consent links are in test_hostile_input_links.py;
the strategies and checks both use are in tests/security/hostile.py.
"""

import datetime

import pytest
import time_machine
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from appreciation.models import AppreciationRequest, CampaignRequest
from appreciation.waardering import confirmation
from insight.models import BurdenCheck
from tests.factories import CaregiverFactory
from tests.security.hostile import (
    PAGE_EXAMPLES,
    check_answer,
    example,
    hostile,
    mixed,
    odd_date,
    post_all,
    prefixed,
)
from tests.support import caregiver_details, request_data, submit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_rate_limits")]


# --- the registration wizard: /aanmelden/<step> -------------------------------------------
REG_PREFIX = "registration_wizard"
REG_VALID = {
    "over-mij": {"first_name": "Riet", "last_name": "Bakker", "date_of_birth": "03-04-1955",
                 "street": "Lindenlaan", "house_number": "12", "postcode": "3845 AB",
                 "city": "Harderwijk", "email": "riet@example.nl", "phone": "0612345678"},
    "naaste": {"name": "Henk Bakker", "date_of_birth": "01-02-1950", "relationship": "partner",
               "lives_in_municipality": "ja", "living_together": "ja",
               "care_kinds": ["huishouden"], "hours_per_week": "20",
               "care_since": "01-03-2019", "care_need": "dementie"},
    "contact": {"channel": "email", "wants_newsletter": "on",
                "parent_of_disabled_child": "on", "target_group_consent": "on"},
    "ouder": {"name": "Piet Bakker", "email": "piet@example.nl", "phone": "0612345678"},
    "belasting": {"statement_1": "0", "statement_2": "1", "statement_3": "2",
                  "statement_4": "3", "statement_5": "1"},
    "controleren": {"consent": "on"},
}
REG_ODD = {"date_of_birth": odd_date, "care_since": odd_date,
           "hours_per_week": st.one_of(st.integers(-10**12, 10**12).map(str), hostile),
           "care_kinds": st.lists(st.one_of(st.sampled_from(["huishouden", "vervoer"]),
                                            hostile), max_size=4),
           "statement_1": st.sampled_from(["-1", "4", "3.0", "0x1", " 2"]),
           "skip": st.just("1")}
TAMPERED_STEPS = ["", "klaar", "bogus", "../over-mij", "0", "over-mij\x00", "ouder",
                  "<script>alert(1)</script>"]


def wizard_posts(prefix: str, valid: dict, tampered_steps: bool = True):
    """1-2 posts to the wizard: a (possibly tampered) current step with mixed fields."""
    step = st.sampled_from(list(valid))
    if tampered_steps:
        step = st.one_of(step, st.sampled_from(TAMPERED_STEPS), hostile)

    @st.composite
    def one(draw):
        name = draw(step)
        fields = draw(mixed(valid[name] if name in valid else REG_VALID["over-mij"], REG_ODD))
        data = {**prefixed(name, fields), f"{prefix}-current_step": name}
        if draw(st.integers(0, 9)) == 0:
            data["wizard_goto_step"] = draw(st.one_of(st.sampled_from(list(valid)), hostile))
        if draw(st.integers(0, 9)) == 0:
            del data[f"{prefix}-current_step"]
        return data

    return st.lists(one(), min_size=1, max_size=2)


def fill_wizard(client, url_for, prefix, valid, steps):
    """Post valid data for `steps`, so the session stands at the last step."""
    client.get(url_for(steps[0]))
    for step in steps:
        response = client.post(url_for(step), {**prefixed(step, valid[step]),
                                               f"{prefix}-current_step": step})
        assert response.status_code == 302, (step, response.status_code)


@pytest.fixture
def past_registration_steps(db):
    client = Client()
    fill_wizard(client, lambda step: f"/aanmelden/{step}", REG_PREFIX, REG_VALID,
                ["over-mij", "naaste", "contact", "belasting"])
    return client


REG_STEPS_OF_AN_ADULT = {k: v for k, v in REG_VALID.items() if k != "ouder"}


@PAGE_EXAMPLES
@given(posts=wizard_posts(REG_PREFIX, REG_STEPS_OF_AN_ADULT, tampered_steps=False),
       url_step=st.one_of(st.sampled_from(list(REG_VALID)), st.just("klaar"), hostile))
def test_registration_wizard_survives_hostile_input(past_registration_steps, posts, url_step):
    client = past_registration_steps
    from urllib.parse import quote

    with example() as stored:
        for data in posts:
            post_all(client, f"/aanmelden/{quote(url_step[:200], safe='') or 'over-mij'}",
                     data)
    if stored:  # only consent on the last step, with valid steps before it, stores anything
        assert any(d.get(f"{REG_PREFIX}-current_step") == "controleren" for d in posts)


@pytest.mark.parametrize("step", ["ouder", "bogus", "klaar", "<script>alert(1)</script>"])
def test_registration_wizard_tampered_current_step_is_not_a_500(past_registration_steps,
                                                                   step):
    client = past_registration_steps
    client.raise_request_exception = True
    response = client.post("/aanmelden/over-mij", {f"{REG_PREFIX}-current_step": step})
    check_answer(response, {})


# --- the waardering wizards: /waardering/zelf/<step>, /waardering/namens/<step> -----------
WAARDERING_VALID = {
    "aanvrager": {"name": "Truus de Buur", "relation": "Iemand anders",
                  "phone": "0687654321", "email": "truus@example.nl"},
    "mantelzorger": REG_VALID["over-mij"],
    "zorg": {"recipient_name": "Henk Bakker", "recipient_postcode": "3845AB",
             "recipient_house_number": "12", "relationship": "partner",
             "living_together": "ja", "hours_per_week": "20", "care_since": "01-03-2019"},
    "betaling": {"iban": "NL91 ABNA 0417 1643 00", "account_holder": "R. Bakker"},
    "nieuwsbrief": {"wants_newsletter": "on"},
    "belasting": REG_VALID["belasting"],
    "controleren": {"consent": "on"},
}
REG_ODD.update({"iban": st.one_of(st.sampled_from(["NL91ABNA0417164301", "US12345678901",
                                                   "NL00" + "0" * 14, "GB82WEST12345698765432"
                                                   "XX"]), hostile),
                "recipient_postcode": st.one_of(st.sampled_from(["1011AB", "3845", "9999ZZ"]),
                                                hostile)})


def _waardering_client(route, steps):
    client = Client()
    valid = {k: v for k, v in WAARDERING_VALID.items()}
    fill_wizard(client, lambda step: f"/waardering/{route}/{step}", f"waardering_{route}",
                valid, steps)
    return client


@pytest.fixture
def past_self_steps(waardering_year):
    return _waardering_client("zelf", ["mantelzorger", "zorg", "betaling", "nieuwsbrief",
                                       "belasting"])


@pytest.fixture
def past_on_behalf_steps(waardering_year):
    return _waardering_client("namens", ["aanvrager", "mantelzorger", "zorg", "betaling"])


def _waardering_property(client, route, posts, url_step):
    from urllib.parse import quote

    with example() as stored:
        for data in posts:
            post_all(client, f"/waardering/{route}/{quote(url_step[:200], safe='') or 'x'}",
                     data)
    if stored:
        assert any(d.get(f"waardering_{route}-current_step") == "controleren" for d in posts)
        assert all(not isinstance(row, AppreciationRequest) or row.route == route
                   for row in stored)


@PAGE_EXAMPLES
@given(posts=wizard_posts("waardering_zelf", WAARDERING_VALID),
       url_step=st.one_of(st.sampled_from(list(WAARDERING_VALID)), hostile))
def test_waardering_self_wizard_survives_hostile_input(past_self_steps, posts, url_step):
    _waardering_property(past_self_steps, "zelf", posts, url_step)


@PAGE_EXAMPLES
@given(posts=wizard_posts("waardering_namens", WAARDERING_VALID),
       url_step=st.one_of(st.sampled_from(list(WAARDERING_VALID)), hostile))
def test_waardering_on_behalf_wizard_survives_hostile_input(past_on_behalf_steps, posts,
                                                            url_step):
    _waardering_property(past_on_behalf_steps, "namens", posts, url_step)


# --- the campaign form: /zwemkaartjes and /campagne/<id> ----------------------------------
CAMPAIGN_VALID = {"date_of_birth": "02-01-1950", "postcode": "3845 ab", "house_number": "12A"}


@pytest.fixture
def open_campaign(db, make_campaign):

    with time_machine.travel(datetime.datetime(2026, 7, 1, 10, 0), tick=False):
        CaregiverFactory(complete=True)
        yield make_campaign(codes=6)


@PAGE_EXAMPLES
@given(data=mixed(CAMPAIGN_VALID, {"date_of_birth": odd_date}),
       target=st.one_of(st.just("zwemkaartjes"), st.just("own"),
                        st.integers(-2**63, 2**63).map(str), hostile))
def test_campaign_form_survives_hostile_input(open_campaign, data, target):
    from urllib.parse import quote

    client = Client()
    url = {"zwemkaartjes": "/zwemkaartjes", "own": f"/campagne/{open_campaign.pk}"}.get(
        target, f"/campagne/{quote(target[:200], safe='')}")
    with example() as stored:
        post_all(client, url, data)
    for row in stored:  # only the one registered person, found by their exact details
        assert isinstance(row, CampaignRequest) and row.campaign_id == open_campaign.pk


# --- the confirmation code of a waardering request: /waardering/bevestigen ----------------
@pytest.fixture
def request_waiting_for_its_code(db, waardering_year):
    """A request typed with a registered caregiver's details, waiting for their code."""
    riet = CaregiverFactory(complete=True)
    request = submit(request_data(caregiver=caregiver_details(
        date_of_birth=riet.date_of_birth, house_number=riet.house_number)))
    assert confirmation.code_for(request) and request.caregiver_confirmed_at is None
    return request


@PAGE_EXAMPLES
@given(data=mixed({"code": "ABCD-EFGH"}), query=hostile)
def test_confirmation_code_page_survives_hostile_input(request_waiting_for_its_code, data,
                                                       query):
    client = Client()
    check_answer(client.get("/waardering/bevestigen", {"code": query}), {"code": query})
    with example() as stored:
        post_all(client, "/waardering/bevestigen", data)
    assert not stored
    request_waiting_for_its_code.refresh_from_db()
    assert request_waiting_for_its_code.caregiver_confirmed_at is None  # no guess confirms


# --- the burden self-check in Mijn gegevens: /mijn-gegevens/zelftest -----------------------
BURDEN_VALID = {f"belasting-statement_{n}": str(n % 4) for n in range(1, 6)}


@pytest.fixture
def signed_in(db, sign_in):

    caregiver = CaregiverFactory(complete=True)
    return sign_in(Client(), caregiver), caregiver


@PAGE_EXAMPLES
@given(data=mixed(BURDEN_VALID, {key: st.sampled_from(["-1", "4", "1.5", "", "0x2", "३"])
                                 for key in BURDEN_VALID}),
       skip=st.sampled_from([None, "1", "", "<script>alert(1)</script>"]),
       extra=st.dictionaries(st.sampled_from(["belasting-statement_6", "belasting-x",
                                              "belasting-statement_0", "statement_1"]),
                             hostile, max_size=2))
def test_burden_self_check_survives_hostile_input(signed_in, data, skip, extra):
    client, caregiver = signed_in
    data = {**data, **extra}
    if skip is not None:
        data["belasting-skip"] = skip
    with example() as stored:
        post_all(client, "/mijn-gegevens/zelftest", data)
    for row in stored:
        assert isinstance(row, BurdenCheck) and row.caregiver_id == caregiver.pk
        assert not skip, "a skipped check was stored"
        assert not any(key.startswith("belasting-") for key in extra), "tampered, yet stored"
