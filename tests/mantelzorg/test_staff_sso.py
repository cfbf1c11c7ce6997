"""Staff single sign-on against the real demo provider process (tools/oidc-provider):
accounts made or updated from the claims, roles from groups, the provider's second factor
instead of the local code, and signing out at the provider too."""

import pytest
import requests
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from mantelzorg.models import StaffIdentity
from registrations.models import StaffAccess
from tests.factories import CaregiverFactory
from tests.oidc_provider import through_provider

pytestmark = pytest.mark.django_db
START = "/backoffice/inloggen/organisatie/"
DASHBOARD = "/backoffice/"
MEDEWERKERS = "/backoffice/medewerkers/"


def sso(client, identity, start=START):
    return through_provider(client, start, identity)


def test_the_login_page_offers_the_organisation_only_when_configured(client, settings,
                                                                     staff_sso):
    assert "Inloggen via uw organisatie" in client.get("/backoffice/inloggen/").content.decode()
    settings.STAFF_SSO = {**settings.STAFF_SSO, "issuer": ""}
    page = client.get("/backoffice/inloggen/").content.decode()
    assert "Inloggen via uw organisatie" not in page
    assert client.get(START).status_code == 404


def test_a_consulent_signs_in_without_the_local_code_and_gets_an_account(client, staff_sso):
    response = sso(client, "demo-consulent")
    assert response.status_code == 302 and response["Location"] == DASHBOARD
    page = client.get(DASHBOARD)
    assert page.status_code == 200 and "Overzicht" in page.content.decode()
    user = User.objects.get(sso_identity__subject="demo-consulent")
    assert (user.first_name, user.last_name) == ("Carla", "de Consulent")
    assert user.email == "carla.consulent@organisatie.example"
    assert list(user.groups.values_list("name", flat=True)) == ["consulent"]
    assert not user.has_usable_password() and not user.is_staff
    assert client.get(MEDEWERKERS).status_code == 403  # a consulent, not a coordinator
    assert LogEntry.objects.filter(object_id=str(user.pk),
                                   change_message__contains="als Consulent").exists()


def test_a_coordinator_group_gives_the_coordinator_role(client, staff_sso):
    sso(client, "demo-coordinator")
    user = User.objects.get(sso_identity__subject="demo-coordinator")
    assert user.is_staff and list(user.groups.values_list("name", flat=True)) == ["coordinator"]
    assert client.get(MEDEWERKERS).status_code == 200


def test_signing_in_again_updates_the_same_account(client, settings, staff_sso):
    sso(client, "demo-consulent")
    # The organisation moved the colleague's group to coordinator.
    settings.STAFF_SSO = {**settings.STAFF_SSO, "coordinator_groups": ["mantelzorg-consulenten"]}
    client.logout()
    sso(client, "demo-consulent")
    assert StaffIdentity.objects.count() == 1
    user = User.objects.get(sso_identity__subject="demo-consulent")
    assert list(user.groups.values_list("name", flat=True)) == ["coordinator"]
    assert LogEntry.objects.filter(object_id=str(user.pk),
                                   change_message__contains="Coördinator").exists()


def test_an_unknown_group_gets_no_access_and_a_dutch_page(client, staff_sso):
    response = sso(client, "demo-burgerzaken")
    assert response.status_code == 403
    page = response.content.decode()
    assert "U heeft geen toegang" in page and "Terug naar inloggen" in page
    assert "_auth_user_id" not in client.session
    assert not User.objects.filter(sso_identity__subject="demo-burgerzaken").exists()
    assert client.get(DASHBOARD)["Location"].startswith("/backoffice/inloggen/")


def test_a_switched_off_account_stays_off(client, staff_sso):
    sso(client, "demo-consulent")
    client.logout()
    User.objects.filter(sso_identity__subject="demo-consulent").update(is_active=False)
    response = sso(client, "demo-consulent")
    assert response.status_code == 403 and "Uw account staat uit" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_without_the_providers_second_factor_nobody_comes_in(client, settings, staff_sso):
    response = sso(client, "demo-zonder-mfa")
    assert response.status_code == 403
    assert "in twee stappen" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # Configured by `amr` instead of `acr`: a one-time code counts, a password alone not.
    settings.STAFF_SSO = {**settings.STAFF_SSO, "acr_values": [], "amr_values": ["otp"]}
    assert sso(client, "demo-zonder-mfa").status_code == 403
    assert sso(client, "demo-consulent").status_code == 302


def test_a_local_account_still_needs_its_own_code(client, make_staff, password_step,
                                                  staff_sso):
    user, password, _device = make_staff("consulent", with_device=True)
    response = password_step(client, user, password)
    assert response["Location"] == reverse("mantelzorg:staff_verify")
    assert client.get(DASHBOARD)["Location"].startswith("/backoffice/inloggen/")


def test_local_passwords_can_be_switched_off(client, settings, make_staff, password_step,
                                             staff_sso):
    settings.STAFF_LOCAL_LOGIN = False
    page = client.get("/backoffice/inloggen/").content.decode()
    assert 'name="password"' not in page and "Inloggen via uw organisatie" in page
    user, password, _device = make_staff("consulent")
    response = password_step(client, user, password)
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


def test_sso_returns_to_the_page_asked_for(client, staff_sso):
    response = sso(client, "demo-consulent", start=f"{START}?next=/backoffice/waardering/")
    assert response["Location"] == "/backoffice/waardering/"


def test_signing_out_also_signs_out_at_the_provider(client, staff_sso):
    sso(client, "demo-consulent")
    response = client.post("/backoffice/uitloggen/")
    location = response["Location"]
    assert location.startswith(f"{staff_sso.issuer}/session/end?")
    assert "id_token_hint=" in location
    assert "post_logout_redirect_uri=http%3A%2F%2Ftestserver%2Fbackoffice%2Finloggen%2F" \
        in location
    assert "_auth_user_id" not in client.session
    assert client.get(DASHBOARD)["Location"].startswith("/backoffice/inloggen/")
    at_provider = requests.get(location, timeout=5)  # the provider accepts the request
    assert at_provider.ok and "Er ging iets mis" not in at_provider.text


def test_an_sso_coordinator_counts_as_one_who_can_still_sign_in(client, staff_sso,
                                                                 make_staff):
    """The last-coordinator rule: a local coordinator may be switched off by an SSO one."""
    local, _password, _device = make_staff("coordinator", with_device=True)
    sso(client, "demo-coordinator")
    response = client.post(f"/backoffice/medewerkers/{local.pk}/uitzetten/")
    assert response.status_code == 302
    local.refresh_from_db()
    assert not local.is_active


def test_the_providers_origin_may_end_a_form_only_for_its_sessions(client, staff_sso):
    """Signing out is a form whose redirect ends at the provider (CSP form-action)."""
    def form_action():
        policy = client.get("/backoffice/")["Content-Security-Policy"]
        return next(part for part in policy.split(";") if "form-action" in part).split()

    assert form_action() == ["form-action", "'self'"]
    sso(client, "demo-consulent")
    assert form_action() == ["form-action", "'self'", staff_sso.issuer]
    client.post("/backoffice/uitloggen/")
    assert form_action() == ["form-action", "'self'"]


def test_an_sso_consulents_views_of_a_caregiver_are_logged_as_before(client, staff_sso):
    riet = CaregiverFactory(complete=True)
    sso(client, "demo-consulent")
    assert client.get(f"/backoffice/mantelzorgers/{riet.pk}/").status_code == 200
    access = StaffAccess.objects.get(caregiver=riet)
    assert access.user.sso_identity.subject == "demo-consulent"


def test_taken_out_of_the_group_a_colleague_loses_the_role_and_every_session(staff_sso,
                                                                            settings):
    at_work, at_home = Client(), Client()
    sso(at_work, "demo-consulent")
    sso(at_home, "demo-consulent")
    settings.STAFF_SSO = {**settings.STAFF_SSO, "consulent_groups": ["iets-anders"]}
    assert sso(Client(), "demo-consulent").status_code == 403
    user = User.objects.get(sso_identity__subject="demo-consulent")
    assert not user.groups.exists()
    for client in (at_work, at_home):
        assert client.get(DASHBOARD)["Location"].startswith("/backoffice/inloggen/")
    assert LogEntry.objects.filter(object_id=str(user.pk),
                                   change_message__contains="Geen toegang meer").exists()


def test_medewerkers_shows_who_signs_in_through_the_organisation(client, staff_sso):
    sso(client, "demo-consulent")
    client.logout()
    sso(client, "demo-coordinator")
    page = client.get(MEDEWERKERS).content.decode()
    assert page.count("Niet nodig: logt in via de organisatie") == 2
    assert page.count("De rol volgt de groep bij de organisatie.") == 2
    assert "Rol opslaan" not in page  # the organisation's groups decide, not this page


def test_a_hand_made_role_change_of_an_sso_account_is_refused(client, staff_sso):
    sso(client, "demo-consulent")
    consulent = User.objects.get(sso_identity__subject="demo-consulent")
    client.logout()
    sso(client, "demo-coordinator")
    response = client.post(f"/backoffice/medewerkers/{consulent.pk}/rol/",
                           {"role": "coordinator"}, follow=True)
    assert "komt van de groep bij de organisatie" in response.content.decode()
    assert list(consulent.groups.values_list("name", flat=True)) == ["consulent"]


@pytest.mark.parametrize("elsewhere", ["https://evil.example/", "//evil.example/x",
                                       "javascript:alert(1)"])
def test_sso_never_sends_anyone_elsewhere(client, staff_sso, elsewhere):
    response = sso(client, "demo-consulent", start=f"{START}?next={elsewhere}")
    assert response["Location"] == DASHBOARD
