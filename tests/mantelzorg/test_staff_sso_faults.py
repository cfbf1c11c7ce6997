"""Staff SSO when something goes wrong, against the real provider process: each fault is a
Dutch page with a way back, never a 500 and never a signed-in session.

Where the provider must misbehave (slow, foreign key, tampered token, a clock that jumped)
it is switched by its test controls (tools/oidc-provider/server.js --test-controls); the
app's side is the real code throughout.
"""

from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
import requests
from django.test import Client

from mantelzorg.models import StaffIdentity
from tests.oidc_provider import STAFF_CLIENT, ProviderVisit, free_port, local_part

pytestmark = pytest.mark.django_db
START = "/backoffice/inloggen/organisatie/"
CALLBACK = "http://testserver/backoffice/inloggen/organisatie/terug"


def assert_refused(client, response, status, words):
    page = response.content.decode()
    assert response.status_code == status, (response.status_code, page[:300])
    assert words in page, page
    assert "Terug naar inloggen" in page and 'href="/backoffice/inloggen/"' in page
    assert "_auth_user_id" not in client.session
    assert not StaffIdentity.objects.exists()
    assert client.get("/backoffice/")["Location"].startswith("/backoffice/inloggen/")


def to_provider(client):
    """Press the button; the provider's authorization URL the app sends the browser to."""
    response = client.get(START)
    assert response.status_code == 302
    return response["Location"]


def with_param(url, **changes):
    parts = urlsplit(url)
    query = {**dict(parse_qsl(parts.query)), **changes}
    return parts._replace(query=urlencode(query)).geturl()


def test_provider_down_at_the_start(client, settings, staff_sso):
    settings.STAFF_SSO = {**settings.STAFF_SSO, "issuer": f"http://127.0.0.1:{free_port()}"}
    assert_refused(client, client.get(START), 503, "De inlogdienst reageert niet")


def test_provider_gone_before_the_person_comes_back(client, settings, staff_sso):
    back = ProviderVisit(to_provider(client)).sign_in_as("demo-consulent")
    settings.STAFF_SSO = {**settings.STAFF_SSO, "issuer": f"http://127.0.0.1:{free_port()}"}
    assert_refused(client, client.get(local_part(back)), 503, "De inlogdienst reageert niet")


def test_provider_too_slow(client, settings, staff_sso):
    settings.OIDC_TIMEOUT_SECONDS = 0.3
    back = ProviderVisit(to_provider(client)).sign_in_as("demo-consulent")
    staff_sso.misbehave(slowTokenMs=2000)
    assert_refused(client, client.get(local_part(back)), 503, "De inlogdienst reageert niet")


def test_a_wrong_state_is_refused(client, staff_sso):
    back = ProviderVisit(to_provider(client)).sign_in_as("demo-consulent")
    forged = with_param(back, state="een-andere-state")
    assert_refused(client, client.get(local_part(forged)), 400, "werkt niet meer")


def test_another_browsers_answer_is_refused(client, staff_sso):
    """The callback URL carried to another browser (login CSRF, a shared link)."""
    back = ProviderVisit(to_provider(client)).sign_in_as("demo-consulent")
    stranger = Client()
    assert_refused(stranger, stranger.get(local_part(back)), 400, "werkt niet meer")


def test_a_wrong_nonce_is_refused(client, staff_sso):
    url = with_param(to_provider(client), nonce="een-andere-nonce")
    back = ProviderVisit(url).sign_in_as("demo-consulent")
    assert_refused(client, client.get(local_part(back)), 400, "niet goed controleren")


def test_a_code_used_before_is_refused(client, staff_sso):
    back = ProviderVisit(to_provider(client)).sign_in_as("demo-consulent")
    params = dict(parse_qsl(urlsplit(back).query))
    verifier = client.session["staff_sso_pending"][params["state"]]["verifier"]
    stolen = requests.post(f"{staff_sso.issuer}/token", timeout=5, data={
        "grant_type": "authorization_code", "code": params["code"], "redirect_uri": CALLBACK,
        "client_id": STAFF_CLIENT[0], "client_secret": STAFF_CLIENT[1],
        "code_verifier": verifier})
    assert stolen.ok  # someone else redeemed it first
    assert_refused(client, client.get(local_part(back)), 400, "niet goed controleren")


def test_the_same_answer_twice_signs_in_once(client, staff_sso):
    back = ProviderVisit(to_provider(client)).sign_in_as("demo-consulent")
    assert client.get(local_part(back)).status_code == 302
    client.logout()
    StaffIdentity.objects.all().delete()
    assert_refused(client, client.get(local_part(back)), 400, "werkt niet meer")


def test_an_expired_code_is_refused(client, staff_sso):
    back = ProviderVisit(to_provider(client)).sign_in_as("demo-consulent")
    staff_sso.misbehave(clockAheadSeconds=120)  # codes live 60 seconds
    assert_refused(client, client.get(local_part(back)), 400, "niet goed controleren")


def test_a_token_signed_with_an_unknown_key_is_refused(client, staff_sso):
    staff_sso.misbehave(foreignJwks=True)
    back = ProviderVisit(to_provider(client)).sign_in_as("demo-consulent")
    assert_refused(client, client.get(local_part(back)), 400, "niet goed controleren")


def test_a_tampered_claim_is_refused(client, staff_sso):
    """Burgerzaken with a groups claim changed to coordinator after signing."""
    staff_sso.misbehave(tamperClaim="groups")
    back = ProviderVisit(to_provider(client)).sign_in_as("demo-burgerzaken")
    assert_refused(client, client.get(local_part(back)), 400, "niet goed controleren")


def test_cancelling_at_the_provider(client, staff_sso):
    back = ProviderVisit(to_provider(client)).cancel()
    assert "error=access_denied" in back
    assert_refused(client, client.get(local_part(back)), 200, "U heeft het inloggen afgebroken")


@pytest.mark.parametrize("query", ["", "?code=x", "?state=&code=", "?error=server_error",
                                   "?state=" + "x" * 5000, "?code=%00&state=%ff"])
def test_hand_made_answers_are_refused(client, staff_sso, query):
    to_provider(client)
    response = client.get(f"{local_part(CALLBACK)}{query}")
    assert_refused(client, response, 400, "werkt niet meer")
