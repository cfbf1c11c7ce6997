"""Hostile input on the renewal page /waardering/opnieuw (issue 19): the invitation's code
tampered with (a character changed, cut short, lengthened, another person's code, made up)
and hostile answers with the real code. For every example: never a 5xx, nothing typed comes
back unescaped, a request is stored only with the real code (as printed: spaces, dashes and
capitals do not matter) and only for the invited person, and what is stored passes
full_clean(). Strategies and checks: tests/security/hostile.py.
"""

import datetime
import functools

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from appreciation.models import AppreciationRequest, RenewalInvitation, RequestState
from appreciation.waardering import renewal
from tests.factories import AppreciationRequestFactory, AppreciationYearFactory, CaregiverFactory
from tests.security.hostile import PAGE_EXAMPLES, check_answer, example, hostile, mixed

pytestmark = [pytest.mark.django_db,
              pytest.mark.usefixtures("no_rate_limits", "waardering_day")]

PAGE = "/waardering/opnieuw"

@pytest.fixture
def invitations(waardering_year):
    """Two people invited: Riet (whose code is tampered with) and Ans (someone else)."""
    last_year = AppreciationYearFactory(year=2025)
    for first_name, born in (("Riet", datetime.date(1950, 1, 2)),
                             ("Ans", datetime.date(1951, 3, 4))):
        AppreciationRequestFactory(
            year=last_year, state=RequestState.UITBETAALD,
            caregiver=CaregiverFactory(first_name=first_name, date_of_birth=born),
            submitted_at=datetime.datetime(2025, 9, 10, 10, 0, tzinfo=datetime.UTC))
    renewal.send_invitations()
    riet, ans = RenewalInvitation.objects.order_by("caregiver__first_name").reverse()
    return riet, ans


@functools.cache
def tampered(real: str, other: str):
    def flip(args):
        index, char = args
        index %= len(real)
        return real[:index] + char + real[index + 1:]

    return st.one_of(
        st.tuples(st.integers(0, 10**6), st.characters()).map(flip),
        st.integers(1, len(real) - 1).map(lambda n: real[:n]),
        hostile.map(lambda extra: real + (extra or "x")),
        st.just(other),
        hostile,
        st.text(alphabet="ABCDEFGHJKLMNPQRSTUVWXYZ23456789-", min_size=12, max_size=16),
    )


@PAGE_EXAMPLES
@given(data=st.data())
def test_only_the_real_code_makes_a_request(invitations, data):
    riet, ans = invitations
    real, other = renewal.code_for(riet), renewal.code_for(ans)
    code = data.draw(tampered(real, other))
    posted = {"code": code, "stap": "bevestigen", "still_caring": "on"}
    client = Client()
    with example() as stored:
        check_answer(client.get(PAGE, {"code": code}), {"code": code})
        response = client.post(PAGE, posted)
        check_answer(response, posted)
    made = [row for row in stored if isinstance(row, AppreciationRequest)]
    # The page reads at most 30 characters; the real code may still be refused when
    # something else was typed around it (a control character), never the other way round.
    allowed = {real: riet.caregiver_id, other: ans.caregiver_id}.get(
        renewal.normalise(code[:30]))
    assert len(made) <= 1 and all(row.caregiver_id == allowed for row in made)
    if allowed is None:
        assert made == [], "a wrong code made a request"
        assert response.status_code in (400, 429), response.status_code


ANSWERS = {"stap": "bevestigen", "still_caring": "on", "iban": "NL20 INGB 0001 2345 67",
           "account_holder": "R. Bakker-Jansen"}


@PAGE_EXAMPLES
@given(answers=mixed(ANSWERS))
def test_hostile_answers_with_the_real_code_are_explained(invitations, answers):
    riet, _ans = invitations
    posted = {**answers, "code": renewal.code_for(riet)}
    client = Client()
    with example() as stored:
        response = client.post(PAGE, posted)
        check_answer(response, posted)
    made = [row for row in stored if isinstance(row, AppreciationRequest)]
    assert len(made) <= 1
    if made:
        assert answers.get("still_caring") and answers.get("stap") == "bevestigen"
        assert made[0].caregiver_id == riet.caregiver_id
        assert made[0].iban in ("NL91ABNA0417164300", "NL20INGB0001234567")
    else:
        assert response.status_code in (200, 400, 429), response.status_code
