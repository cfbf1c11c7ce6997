"""core/oidc.py against the real demo provider process: discovery, authorization code with
PKCE, the token endpoint, the ID token checked against the JWKS."""

from urllib.parse import parse_qsl, urlsplit

import pytest

from core import oidc
from tests.oidc_provider import DIGID_CLIENT, STAFF_CLIENT, ProviderVisit

CALLBACK = "http://testserver/backoffice/inloggen/organisatie/terug"
DIGID_CALLBACK = "http://testserver/mijn-gegevens/digid/terug"


def _sign_in(provider, identity, callback, session=None):
    session = {} if session is None else session
    url = oidc.start(session, "attempts", provider, callback, next="/ergens")
    assert "code_challenge_method=S256" in url and "code_challenge=" in url
    back = ProviderVisit(url).sign_in_as(identity)
    params = dict(parse_qsl(urlsplit(back).query))
    return oidc.finish(session, "attempts", provider, callback, params)


def test_the_provider_publishes_discovery_and_keys(oidc_provider):
    provider = oidc.Provider(oidc_provider.issuer, *STAFF_CLIENT)
    document = oidc.discover(provider)
    assert document["issuer"] == oidc_provider.issuer
    assert document["code_challenge_methods_supported"] == ["S256"]
    assert document["end_session_endpoint"].startswith(oidc_provider.issuer)


def test_a_staff_sign_in_gives_verified_claims_with_groups_and_second_factor(oidc_provider):
    provider = oidc.Provider(oidc_provider.issuer, *STAFF_CLIENT,
                             scopes="openid profile email groups")
    claims, id_token, extra = _sign_in(provider, "demo-coordinator", CALLBACK)
    assert claims["sub"] == "demo-coordinator"
    assert claims["groups"] == ["medewerkers", "mantelzorg-coordinatoren"]
    assert claims["amr"] == ["pwd", "otp"]
    assert claims["acr"].endswith("/multi-factor")
    assert claims["aud"] == STAFF_CLIENT[0] and claims["iss"] == oidc_provider.issuer
    assert id_token.count(".") == 2 and extra == {"next": "/ergens"}


def test_the_digid_broker_gives_a_bsn_and_for_machtigen_the_representee(oidc_provider):
    provider = oidc.Provider(oidc_provider.issuer, *DIGID_CLIENT, scopes="openid bsn machtigen")
    claims, _token, _extra = _sign_in(provider, "digid-mantelzorger", DIGID_CALLBACK)
    assert claims["bsn"] == "999990019" and "representee_bsn" not in claims
    claims, _token, _extra = _sign_in(provider, "digid-gemachtigde", DIGID_CALLBACK)
    assert (claims["bsn"], claims["representee_bsn"]) == ("999990044", "999990056")


def test_each_state_works_once(oidc_provider):
    provider = oidc.Provider(oidc_provider.issuer, *STAFF_CLIENT)
    session = {}
    url = oidc.start(session, "attempts", provider, CALLBACK)
    back = ProviderVisit(url).sign_in_as("demo-consulent")
    params = dict(parse_qsl(urlsplit(back).query))
    oidc.finish(session, "attempts", provider, CALLBACK, params)
    with pytest.raises(oidc.SignInFailed) as failed:
        oidc.finish(session, "attempts", provider, CALLBACK, params)
    assert failed.value.reason == "state"
