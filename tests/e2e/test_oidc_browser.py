"""Signing in through the real demo provider in a browser: a caregiver with DigiD (demo)
asks the waardering and it is confirmed without a link; a consulent signs in through the
organisation (demo) and approves it. axe-core checks every page of the site on the way."""

import datetime

import pytest
from playwright.sync_api import expect

from appreciation.models import AppreciationRequest, RequestState
from registrations.digid import pseudonym_of
from tests.e2e.browser import assert_no_axe_violations, fill_care_step, next_step, wait_for_text
from tests.factories import AppreciationYearFactory, CaregiverFactory
from tests.oidc_provider import digid_settings, staff_sso_settings, start_provider


@pytest.fixture(scope="module")
def provider_for_browser(live_server):
    """The provider knows the live server's address as the app's (its redirect URIs)."""
    provider = start_provider([live_server.url], test_controls=False)
    yield provider
    provider.stop()


@pytest.fixture
def demo_sign_in(settings, provider_for_browser):
    settings.STAFF_SSO = {**staff_sso_settings(provider_for_browser.issuer), "demo": True}
    settings.DIGID = {**digid_settings(provider_for_browser.issuer), "demo": True}
    settings.STAFF_2FA_REQUIRED = True


def test_digid_request_then_sso_approval(page, axe, demo_sign_in):
    # The provider signs tokens at the real time: the year's window is open today.
    AppreciationYearFactory(open_on=datetime.date.today())
    riet = CaregiverFactory(complete=True, first_name="Riet", last_name="Bakker",
                            bsn_pseudonym=pseudonym_of("999990019"))

    page.goto("/waardering")
    assert_no_axe_violations(axe, page)
    page.get_by_role("link", name="Inloggen met DigiD (demo)").click()
    page.get_by_role("button", name="Mantelzorger met DigiD (BSN 999990019)").click()
    page.wait_for_url("**/waardering")
    assert_no_axe_violations(axe, page)
    page.get_by_role("link", name="Ik vraag het aan voor mezelf").click()

    page.wait_for_url("**/waardering/zelf/zorg")  # no details to type: DigiD said who
    assert_no_axe_violations(axe, page)
    fill_care_step(page, hours="20")
    page.wait_for_url("**/waardering/zelf/betaling")
    assert_no_axe_violations(axe, page)
    page.get_by_label("Rekeningnummer (IBAN)").fill("nl91 abna 0417 1643 00")
    page.get_by_label("Naam van de rekeninghouder").fill("R. Bakker")
    next_step(page)
    page.wait_for_url("**/waardering/zelf/belasting")
    page.get_by_role("button", name="Overslaan").click()
    page.wait_for_url("**/waardering/zelf/controleren")
    assert_no_axe_violations(axe, page)
    page.get_by_label("Ik geef het Servicepunt Mantelzorg toestemming").check()
    page.get_by_role("button", name="Aanvraag versturen").click()
    page.wait_for_url("**/waardering/verstuurd")
    assert_no_axe_violations(axe, page)

    request = AppreciationRequest.objects.get(caregiver=riet)
    wait_for_text(page, request.reference)  # signed in: the caregiver sees their own request
    assert request.caregiver_confirmed_at is not None and not request.needs_confirmation
    page.goto("/mijn-gegevens/")
    assert_no_axe_violations(axe, page)
    page.get_by_role("banner").get_by_role("button", name="Uitloggen").click()  # broker too
    page.wait_for_url("**/session/end**")
    page.context.clear_cookies()

    page.goto("/backoffice/inloggen/")
    assert_no_axe_violations(axe, page)
    page.get_by_role("link", name="Inloggen via uw organisatie").click()
    page.get_by_role("button", name="Carla de Consulent", exact=False).click()
    page.wait_for_url("**/backoffice/")  # no local code: the organisation did two steps
    assert_no_axe_violations(axe, page)
    page.get_by_role("link", name="Waardering", exact=True).click()
    page.wait_for_url("**/backoffice/waardering/")
    assert_no_axe_violations(axe, page)
    page.get_by_role("link", name="Bakker, Riet").click()
    wait_for_text(page, request.reference)
    assert_no_axe_violations(axe, page)
    page.get_by_role("button", name="Goedkeuren", exact=True).click()
    expect(page.get_by_text("goedgekeurd", exact=False).first).to_be_visible()
    request.refresh_from_db()
    assert request.state == RequestState.GOEDGEKEURD
    assert request.decided_by.sso_identity.subject == "demo-consulent"
