"""Helpers of the browser tests (a plain module, not a test module): axe-core checks, a
staff member's and a caregiver's sign-in, and the waardering request as a person fills it."""

import datetime
import re
from urllib.parse import urlsplit

from axe_playwright_python.base import AxeResults
from django.core import mail
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from appreciation.models import AppreciationRequest, PayoutForm
from mantelzorg.services_staff import create_staff_user
from tests.support import totp_now

TODAY = datetime.date(2026, 9, 15)  # the day the waardering browser tests request on


def assert_no_axe_violations(axe, page):
    """Run axe-core on the page once it has loaded.

    A click on a link only starts a navigation; axe started before the new document is
    there fails with "null (reading 'documentElement')". Waiting for the load event and
    running again when a navigation replaced the document mid-run checks the page the
    person lands on, never an empty one.
    """
    for attempt in range(3):
        page.wait_for_load_state("load")
        try:
            _load_axe(axe, page)
            results = AxeResults(page.evaluate(AXE_RUN))
        except PlaywrightError as error:
            if attempt == 2 or not _navigation_interrupted(error):
                raise
            continue
        assert results.violations_count == 0, results.generate_report()
        return


AXE_RUN = "axe.run({resultTypes: ['violations']})"
_contexts_with_axe = set()


def _load_axe(axe, page) -> None:
    """axe-core's 500 kB script, sent once per browser context: the browser then loads it
    into every page that context opens (an init script), which saves a third of each check
    (axe_playwright_python sends the script again for every check). Sent to the page itself
    only when it was opened before the context's first check."""
    if id(page.context) not in _contexts_with_axe:
        page.context.add_init_script(script=axe.axe_script)
        _contexts_with_axe.add(id(page.context))
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(axe.axe_script)


def _navigation_interrupted(error):
    message = str(error)
    return "documentElement" in message or "Execution context was destroyed" in message


def staff_login(page, username="inge", role="consulent"):
    """Create a staff member with an authenticator and log in with password and code."""


    user = create_staff_user(username, "een-lang-test-wachtwoord-42", role)
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    page.goto("/backoffice/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill("een-lang-test-wachtwoord-42")
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_label("Code uit je authenticator-app").fill(totp_now(device))
    page.get_by_role("button", name="Verder").click()
    # The path itself: a glob "**/backoffice/" also matches the login page's
    # "?next=/backoffice/", and a failed sign-in would then show up only on a later page.
    page.wait_for_url(lambda url: urlsplit(url).path == "/backoffice/")


def sign_in(page, axe):
    page.goto("/mijn-gegevens/inloggen")
    assert_no_axe_violations(axe, page)
    page.get_by_label("E-mailadres").fill("riet@example.nl")
    page.get_by_role("button", name="Stuur mij een link").click()
    assert_no_axe_violations(axe, page)
    link = re.search(r"/mijn-gegevens/link/\S+", mail.outbox[-1].body).group(0)
    page.goto(link)
    assert_no_axe_violations(axe, page)
    page.get_by_role("button", name="Open Mijn gegevens").click()
    page.wait_for_url("**/mijn-gegevens/")


def next_step(page):
    page.get_by_role("button", name="Volgende stap").click()


def fill_care_step(page, hours: str):
    """The waardering's care step: Henk Bakker, partner, living together, since March 2019."""
    page.get_by_label("Naam van de naaste").fill("Henk Bakker")
    page.get_by_label("Postcode van de naaste").fill("3845 AB")
    page.get_by_label("Huisnummer van de naaste").fill("12")
    page.get_by_label("Partner", exact=True).check()
    page.get_by_role("group", name="Wonen de mantelzorger en de naaste samen?") \
        .get_by_label("Ja").check()
    page.get_by_label("Hoeveel uur per week zorgt de mantelzorger ongeveer?").fill(hours)
    page.get_by_label("Sinds wanneer zorgt de mantelzorger?").fill("01-03-2019")
    next_step(page)


def request_waardering(page, axe):
    page.goto("/")
    page.get_by_role("link", name="Mantelzorgwaardering aanvragen").click()
    page.wait_for_url("**/waardering")
    assert "€ 75,00" in page.content()
    assert_no_axe_violations(axe, page)
    page.get_by_role("link", name="Ik vraag het aan voor mezelf").click()

    page.wait_for_url("**/waardering/zelf/mantelzorger")
    assert_no_axe_violations(axe, page)
    page.get_by_label("Voornaam").fill("Riet")
    page.get_by_label("Achternaam").fill("Bakker")
    page.get_by_label("Geboortedatum").fill("03-04-1955")
    page.get_by_label("Postcode").fill("3845 AB")
    page.get_by_label("Huisnummer").fill("12")
    page.get_by_label("Straat").fill("Lindenlaan")
    page.get_by_label("Woonplaats").fill("Harderwijk")
    page.get_by_label("E-mailadres (niet verplicht)", exact=True).fill("riet@example.nl")
    next_step(page)

    page.wait_for_url("**/waardering/zelf/zorg")
    assert_no_axe_violations(axe, page)
    fill_care_step(page, hours="4")
    # A mistake: the message sits next to the field, what was typed stays.
    assert "minstens 8 uur per week" in page.locator(".field-error").inner_text()
    assert page.get_by_label("Naam van de naaste").input_value() == "Henk Bakker"
    assert_no_axe_violations(axe, page)
    page.get_by_label("Hoeveel uur per week zorgt de mantelzorger ongeveer?").fill("20")
    next_step(page)

    page.wait_for_url("**/waardering/zelf/betaling")
    assert_no_axe_violations(axe, page)
    page.get_by_label("Rekeningnummer (IBAN)").fill("NL91 ABNA 0417 1643 01")
    page.get_by_label("Naam van de rekeninghouder").fill("R. Bakker")
    next_step(page)
    assert "Dit rekeningnummer klopt niet" in page.locator(".field-error").inner_text()
    assert_no_axe_violations(axe, page)
    page.get_by_label("Rekeningnummer (IBAN)").fill("nl91 abna 0417 1643 00")
    next_step(page)

    page.wait_for_url("**/waardering/zelf/nieuwsbrief")
    assert_no_axe_violations(axe, page)
    page.get_by_label("Ja, ik wil ook de nieuwsbrief krijgen").check()
    next_step(page)

    page.wait_for_url("**/waardering/zelf/belasting")
    assert_no_axe_violations(axe, page)
    page.get_by_role("button", name="Overslaan").click()  # the optional self-check

    page.wait_for_url("**/waardering/zelf/controleren")
    assert "NL91 ABNA 0417 1643 00" in page.content()
    assert_no_axe_violations(axe, page)
    page.get_by_role("button", name="Aanvraag versturen").click()
    assert "Zonder deze toestemming" in page.locator(".field-error").inner_text()
    assert_no_axe_violations(axe, page)
    page.get_by_label("Ik geef het Servicepunt Mantelzorg toestemming").check()
    page.get_by_role("button", name="Aanvraag versturen").click()

    page.wait_for_url("**/waardering/verstuurd")
    request = AppreciationRequest.objects.get()
    status = page.get_by_role("status").last.inner_text()
    assert "Uw aanvraag is verstuurd" in status and "e-mail of een brief" in status
    assert request.reference not in status  # not signed in: the same page for everyone
    assert_no_axe_violations(axe, page)
    assert request.caregiver_was_unknown and request.payout_form == PayoutForm.BANK
    assert request.caregiver.wants_newsletter


def wait_for_text(page, text):
    """Wait until the page shows `text`. click() does not wait for the page it submits or
    opens to load, so page.content() right after one may still be the old page or empty
    (seen once the suite ran in parallel)."""
    expect(page.locator("body")).to_contain_text(text, timeout=15000)
