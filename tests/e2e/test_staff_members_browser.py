"""Medewerkers in a real browser (issue 14, item 11): the list, an invitation and a reset of
the second factor, reachable by keyboard and without axe-core violations."""

from django.contrib.auth.models import User
from django.core import mail
from django_otp.plugins.otp_totp.models import TOTPDevice

from mantelzorg.services_staff import create_staff_user
from tests.e2e.browser import assert_no_axe_violations, staff_login, wait_for_text


def test_a_coordinator_resets_a_lost_phone_and_invites_a_colleague(page, axe, inline_tasks):
    colleague = create_staff_user("inge", "een-lang-test-wachtwoord-42", "consulent",
                                  first_name="Inge", last_name="de Boer")
    TOTPDevice.objects.create(user=colleague, name="oude telefoon", confirmed=True)
    staff_login(page, username="carla", role="coordinator")

    page.get_by_role("link", name="Medewerkers", exact=True).focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/backoffice/medewerkers/")
    assert page.get_by_role("heading", level=1).inner_text() == "Medewerkers"
    assert_no_axe_violations(axe, page)

    page.get_by_role("button", name="Tweestapsverificatie opnieuw instellen voor Inge de Boer"
                     ).click()
    wait_for_text(page, "stelt bij de volgende keer inloggen een nieuwe authenticator-app in")
    assert not TOTPDevice.objects.filter(user=colleague).exists()
    assert "Tweestapsverificatie opnieuw ingesteld" in page.content()  # the log on the page
    assert_no_axe_violations(axe, page)

    page.get_by_role("link", name="Nieuwe medewerker uitnodigen").click()
    page.wait_for_url("**/backoffice/medewerkers/nieuw/")
    page.get_by_role("button", name="Uitnodiging sturen").click()  # empty: messages
    wait_for_text(page, "Vul de voornaam in.")
    assert_no_axe_violations(axe, page)
    page.get_by_label("Voornaam").fill("Noor")
    page.get_by_label("Achternaam").fill("Jansen")
    page.get_by_label("E-mailadres").fill("noor@example.nl")
    page.get_by_label("Consulent").check()
    page.get_by_role("button", name="Uitnodiging sturen").click()
    page.wait_for_url("**/backoffice/medewerkers/")
    wait_for_text(page, "Uitnodiging gestuurd naar noor@example.nl")
    assert User.objects.filter(username="noor@example.nl", is_active=True).exists()
    assert any(m.to == ["noor@example.nl"] for m in mail.outbox)
