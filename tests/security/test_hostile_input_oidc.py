"""Hostile answers from "the provider": whatever arrives at the staff SSO and DigiD callbacks
(a real pending state or a tampered one, hostile codes, errors and issuers, odd parameters)
is never a 5xx and never signs anyone in. The provider is the real demo process; the
callbacks are reached as a browser would, with any query string at all."""

from urllib.parse import urlencode

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from registrations.selfservice_session import CAREGIVER_KEY
from tests.security.hostile import EXAMPLES, check_answer, hostile

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_rate_limits")]
# A tenth of the other hostile tests' examples (30 in `make test`, 300 in `make fuzz`): the
# callback has one short path, and each example that matches a state calls the provider.
FEWER = settings(EXAMPLES, max_examples=max(EXAMPLES.max_examples // 10, 20))
FLOWS = {"staff": ("/backoffice/inloggen/organisatie/", "staff_sso_pending"),
         "digid": ("/mijn-gegevens/digid/", "digid_pending")}


def answers(real_state: str):
    value = st.one_of(hostile, st.just(real_state), st.just(real_state + "x"),
                      st.just(real_state[:-1]))
    known = st.fixed_dictionaries({}, optional={
        "state": value, "code": hostile, "error": st.one_of(hostile, st.just("access_denied")),
        "error_description": hostile, "iss": hostile, "session_state": hostile})
    return st.tuples(known, st.dictionaries(st.text(max_size=10), hostile, max_size=2))


@pytest.mark.parametrize("flow", FLOWS)
def test_hostile_callbacks_never_fail_and_never_sign_in(client, staff_sso, digid, flow):
    start, pending_key = FLOWS[flow]
    assert client.get(start).status_code == 302
    real_state = next(iter(client.session[pending_key]))
    callback = start + "terug"

    @FEWER
    @given(answers(real_state))
    def check(params):
        known, extra = params
        query = {**extra, **known}
        response = client.get(f"{callback}?{urlencode(query)}")
        check_answer(response, query)
        assert response.status_code in (200, 400, 403, 503), response.status_code
        assert "_auth_user_id" not in client.session
        assert CAREGIVER_KEY not in client.session

    check()
