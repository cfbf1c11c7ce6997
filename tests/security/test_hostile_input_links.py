"""Hostile input on the links we mail (issue 8, item 3): the Mijn gegevens sign-in request
and link, the newsletter unsubscribe, the e-mail confirmation and the guardian consent.

At least 1,000 generated tokens/addresses each (random text, tampered real tokens: a
character changed, cut short, lengthened, other case, re-signed for another purpose). For
every example: never a 5xx; no token but the real one signs anyone in or changes anything;
nothing typed comes back unescaped. Strategies and checks: tests/security/hostile.py.
"""

import datetime
import functools
from urllib.parse import quote

import pytest
from django.core import signing
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from core.fields import refuse_control_characters
from registrations import services
from registrations.models import Caregiver, Guardian, TokenPurpose
from registrations.selfservice_session import CAREGIVER_KEY
from tests.factories import CaregiverFactory
from tests.security.hostile import HUGE, PAGE_EXAMPLES, check_answer, example, hostile, mixed

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_rate_limits")]


@pytest.fixture
def riet(db):

    caregiver = CaregiverFactory(complete=True, email_confirmed_at=None, wants_newsletter=True)
    Guardian.objects.create(caregiver=caregiver, name="Piet Bakker", email="piet@example.nl")
    tokens = {purpose: services.issue_token(caregiver, purpose,
                                            datetime.timedelta(hours=1))[1]
              for purpose in (TokenPurpose.MAGIC_LINK, TokenPurpose.CONFIRM_EMAIL,
                              TokenPurpose.GUARDIAN)}
    from worker.newsletters import UNSUBSCRIBE_SALT

    tokens["unsubscribe"] = signing.dumps(caregiver.pk, salt=UNSUBSCRIBE_SALT)
    return caregiver, tokens


@functools.cache  # one strategy per token: hypothesis validates each new one, a slow walk
def tampered(real: str):
    """A real token, changed a little; or anything at all."""
    def flip(args):
        index, char = args
        index %= max(len(real), 1)
        return real[:index] + char + real[index + 1:] if real[index:index + 1] != char \
            else real[:index] + "~" + real[index + 1:]

    return st.one_of(
        st.tuples(st.integers(0, 10**6), st.characters()).map(flip),
        st.integers(1, max(len(real) - 1, 1)).map(lambda n: real[:n]),
        hostile.map(lambda extra: real + (extra or "x")),
        st.just(real.swapcase()) if real.swapcase() != real else st.just(real + "A"),
        st.builds(lambda pk: signing.dumps(pk, salt="somewhere-else"),
                  st.integers(-10, 10**6)),
        st.builds(lambda value: signing.dumps(value), st.one_of(st.integers(), hostile)),
        hostile.filter(lambda t: t != real),
        st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_",
                min_size=40, max_size=46),
    ).filter(lambda t: t != real)


def link_url(base: str, token: str) -> str:
    return f"{base}{quote(token[:3000], safe='') or 'x'}"


def unchanged(caregiver):
    fresh = Caregiver.objects.select_related("guardian").get(pk=caregiver.pk)
    assert fresh.email_confirmed_at is None, "a wrong token confirmed the e-mail address"
    assert fresh.wants_newsletter, "a wrong token stopped the newsletter"
    assert fresh.guardian.confirmed_at is None, "a wrong token gave the guardian's consent"


def _token_property(client, caregiver, url, post_data=None):
    with example() as stored:
        check_answer(client.get(url), {})
        response = client.post(url, post_data or {})
        check_answer(response, post_data or {})
        assert response.status_code in (400, 404, 429), response.status_code
        assert CAREGIVER_KEY not in client.session, "a wrong token signed someone in"
        unchanged(caregiver)
    assert not stored


@PAGE_EXAMPLES
@given(data=st.data())
def test_magic_link_never_signs_in_with_a_wrong_token(riet, data):
    caregiver, tokens = riet
    token = data.draw(tampered(tokens[TokenPurpose.MAGIC_LINK]))
    _token_property(Client(), caregiver, link_url("/mijn-gegevens/link/", token))


@PAGE_EXAMPLES
@given(data=st.data(), one_click=st.sampled_from([None, "One-Click", "<script>alert(1)"]))
def test_unsubscribe_never_works_with_a_wrong_token(riet, data, one_click):
    caregiver, tokens = riet
    token = data.draw(st.one_of(tampered(tokens["unsubscribe"]),
                                tampered(tokens[TokenPurpose.MAGIC_LINK])))
    post = {"List-Unsubscribe": one_click} if one_click else {}
    _token_property(Client(), caregiver, link_url("/afmelden/", token), post)


@PAGE_EXAMPLES
@given(data=st.data())
def test_email_confirmation_never_works_with_a_wrong_token(riet, data):
    caregiver, tokens = riet
    token = data.draw(st.one_of(tampered(tokens[TokenPurpose.CONFIRM_EMAIL]),
                                st.just(tokens[TokenPurpose.GUARDIAN]),
                                st.just(tokens[TokenPurpose.MAGIC_LINK])))
    _token_property(Client(), caregiver, link_url("/bevestigen/", token))


@PAGE_EXAMPLES
@given(data=st.data())
def test_guardian_consent_never_works_with_a_wrong_token(riet, data):
    caregiver, tokens = riet
    token = data.draw(st.one_of(tampered(tokens[TokenPurpose.GUARDIAN]),
                                st.just(tokens[TokenPurpose.CONFIRM_EMAIL]),
                                st.just(tokens[TokenPurpose.MAGIC_LINK])))
    # The consent page's questions answered well: only the token is wrong.
    _token_property(Client(), caregiver, link_url("/toestemming/", token), CONSENT_ANSWERS)


CONSENT_ANSWERS = {"consent_name": "Piet Bakker", "consent_relation": "ouder"}


@PAGE_EXAMPLES
@given(answers=mixed(CONSENT_ANSWERS))
def test_guardian_consent_page_survives_hostile_answers(riet, answers):
    """With the real link: hostile answers are explained, never a 5xx; consent is stored
    only with a name and a parent or guardian relation (issue 14, item 3)."""
    caregiver, tokens = riet
    client = Client()
    with example():
        response = client.post(f"/toestemming/{tokens[TokenPurpose.GUARDIAN]}", answers)
        check_answer(response, answers)
        guardian = Guardian.objects.get(caregiver=caregiver)
        if guardian.confirmed_at is not None:
            assert guardian.consent_relation in ("ouder", "voogd")
            assert guardian.consent_name.strip() == guardian.consent_name != ""
            refuse_control_characters(guardian.consent_name)  # raises on control characters
        else:
            assert response.status_code == 200 and guardian.consent_name == ""


@PAGE_EXAMPLES
@given(email=st.one_of(hostile, HUGE, st.builds("{}@{}".format, hostile, hostile),
                       st.sampled_from(["riet@example.nl", "RIET@EXAMPLE.NL ",
                                        "riet@example.nl\x00", "riet@example.nl\r\nBcc: x@y.nl",
                                        "<script>alert(1)</script>@example.nl"])),
       extra=st.dictionaries(st.sampled_from(["email", "next", "caregiver", "pk"]), hostile,
                             max_size=2))
def test_sign_in_request_survives_hostile_input(riet, email, extra):
    caregiver, _tokens = riet
    client = Client()
    data = {**extra, "email": email}
    with example() as stored:
        response = client.post("/mijn-gegevens/inloggen", data)
        check_answer(response, data)
        assert CAREGIVER_KEY not in client.session
    assert not stored
