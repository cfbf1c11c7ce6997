"""DigiD sign-in when something goes wrong, against the real broker process: a Dutch page
with the e-mail link as the way back, never a 500, never a signed-in session."""

from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest

from registrations.digid import pseudonym_of
from tests.factories import CaregiverFactory
from tests.oidc_provider import ProviderVisit, free_port, local_part, through_provider

pytestmark = pytest.mark.django_db
START = "/mijn-gegevens/digid/"


@pytest.fixture(autouse=True)
def riet(digid):
    return CaregiverFactory(complete=True, bsn_pseudonym=pseudonym_of("999990019"))


def assert_refused(client, response, status, words):
    page = response.content.decode()
    assert response.status_code == status, (response.status_code, page[:300])
    assert words in page, page
    assert 'href="/mijn-gegevens/inloggen"' in page and "Stuur mij een inloglink" in page
    assert client.get("/mijn-gegevens/")["Location"].startswith("/mijn-gegevens/inloggen")


def test_cancelled_at_digid(client):
    response = through_provider(client, START, None)
    assert_refused(client, response, 200, "U heeft het inloggen met DigiD afgebroken")


def test_digid_down(client, settings):
    settings.DIGID = {**settings.DIGID, "issuer": f"http://127.0.0.1:{free_port()}"}
    assert_refused(client, client.get(START), 503, "DigiD reageert nu niet")


def test_digid_too_slow(client, settings, digid):
    settings.OIDC_TIMEOUT_SECONDS = 0.3
    back = ProviderVisit(client.get(START)["Location"]).sign_in_as("digid-mantelzorger")
    digid.misbehave(slowTokenMs=2000)
    assert_refused(client, client.get(local_part(back)), 503, "DigiD reageert nu niet")


def test_a_tampered_bsn_is_refused(client, digid):
    """The BSN changed after signing (to the next one): the signature no longer fits."""
    digid.misbehave(tamperClaim="bsn")
    back = ProviderVisit(client.get(START)["Location"]).sign_in_as("digid-mantelzorger")
    assert_refused(client, client.get(local_part(back)), 400, "niet goed controleren")


def test_a_foreign_key_is_refused(client, digid):
    digid.misbehave(foreignJwks=True)
    back = ProviderVisit(client.get(START)["Location"]).sign_in_as("digid-mantelzorger")
    assert_refused(client, client.get(local_part(back)), 400, "niet goed controleren")


def test_a_wrong_nonce_or_state_is_refused(client):
    url = urlsplit(client.get(START)["Location"])
    query = {**dict(parse_qsl(url.query)), "nonce": "anders"}
    back = ProviderVisit(url._replace(query=urlencode(query)).geturl()) \
        .sign_in_as("digid-mantelzorger")
    assert_refused(client, client.get(local_part(back)), 400, "niet goed controleren")
    assert_refused(client, client.get(local_part(back)), 400, "werkt niet meer")
