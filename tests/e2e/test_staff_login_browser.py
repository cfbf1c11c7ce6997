"""A consulent logs in as a person would: labels, password, code from the app, dashboard."""

from tests.e2e.browser import assert_no_axe_violations
from tests.factories import STAFF_PASSWORD, CaregiverFactory, StaffUserFactory
from tests.support import totp_now


def test_first_login_sets_up_the_authenticator_then_reaches_the_dashboard(page, axe):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    StaffUserFactory(username="inge", first_name="Inge")  # password STAFF_PASSWORD
    CaregiverFactory(house_number="3", postcode="3841AB")
    page.goto("/backoffice/")
    page.get_by_label("Gebruikersnaam").fill("inge")
    page.get_by_label("Wachtwoord").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()

    page.wait_for_url("**/tweestapsverificatie/")
    assert page.get_by_role("img", name="QR-code").is_visible()
    assert_no_axe_violations(axe, page)
    device = TOTPDevice.objects.get(user__username="inge")
    page.get_by_label("Code uit je authenticator-app").fill(totp_now(device))
    page.get_by_role("button", name="Koppelen").click()

    page.wait_for_url("**/backoffice/")
    assert page.get_by_role("heading", level=1).inner_text() == "Overzicht"
    assert "Welkom, Inge." in page.content()
    assert_no_axe_violations(axe, page)

    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_url("**/backoffice/inloggen/")


def test_wrong_password_is_explained_and_username_kept(page, axe):
    StaffUserFactory(username="inge")
    page.goto("/backoffice/inloggen/")
    page.get_by_label("Gebruikersnaam").fill("inge")
    page.get_by_label("Wachtwoord").fill("verkeerd")
    page.get_by_role("button", name="Inloggen").click()
    assert page.get_by_role("alert").is_visible()
    assert "klopt niet" in page.get_by_role("alert").inner_text()
    assert page.get_by_label("Gebruikersnaam").input_value() == "inge"
    assert_no_axe_violations(axe, page)
