"""A coordinator sets up staff SSO in Beheer (StaffSignInSettings); the environment's
settings apply until it is switched on there. The secret stays in the environment."""

import pytest
from django.contrib.admin.models import LogEntry

from mantelzorg.models import StaffSignInSettings
from tests.oidc_provider import STAFF_CLIENT, through_provider

pytestmark = pytest.mark.django_db
FORM = "/beheer/mantelzorg/staffsigninsettings/add/"
START = "/backoffice/inloggen/organisatie/"


def beheer_form(issuer, **changes):
    return {"use_sso": "on", "issuer": issuer, "client_id": STAFF_CLIENT[0],
            "scopes": "openid profile email groups", "groups_claim": "groups",
            "consulent_groups": "mantelzorg-consulenten, andere-groep",
            "coordinator_groups": "mantelzorg-coordinatoren", "acr_values": "",
            "amr_values": "otp", **changes}


def test_a_coordinator_switches_sso_on_in_beheer(client, settings, oidc_provider,
                                                 as_coordinator):
    settings.STAFF_SSO = {**settings.STAFF_SSO, "client_secret": STAFF_CLIENT[1]}
    assert "Inloggen via uw organisatie" not in client.get("/backoffice/inloggen/") \
        .content.decode()
    page = as_coordinator.get(FORM).content.decode()
    assert "client_secret" not in page and "STAFF_SSO_CLIENT_SECRET" in page
    response = as_coordinator.post(FORM, beheer_form(oidc_provider.issuer))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert LogEntry.objects.filter(object_repr="inloggen via de organisatie").exists()

    assert "Inloggen via uw organisatie" in client.get("/backoffice/inloggen/") \
        .content.decode()
    # amr "otp" as set in Beheer: the consulent (pwd + otp) comes in, as a consulent.
    assert through_provider(client, START, "demo-consulent")["Location"] == "/backoffice/"
    assert client.get("/backoffice/").status_code == 200


def test_beheer_refuses_sso_without_a_second_factor_rule(oidc_provider, as_coordinator):
    response = as_coordinator.post(FORM, beheer_form(oidc_provider.issuer, amr_values=""))
    assert response.status_code == 200
    assert "zonder bewijs van twee stappen" in response.content.decode()
    assert not StaffSignInSettings.objects.exists()


def test_switched_off_in_beheer_the_environment_applies_again(client, staff_sso):
    StaffSignInSettings.objects.create(use_sso=False, issuer="https://elders.example",
                                       client_id="x", amr_values="otp",
                                       consulent_groups="x")
    assert through_provider(client, START, "demo-consulent")["Location"] == "/backoffice/"


def test_a_consulent_cannot_reach_the_settings(as_consulent):
    """Beheer sends a consulent to its own login (which refuses them), also on a post."""
    for response in (as_consulent.get(FORM), as_consulent.post(FORM, {"use_sso": "on"})):
        assert response.status_code == 302
        assert response["Location"] == f"/beheer/login/?next={FORM}"
    assert not StaffSignInSettings.objects.exists()
