"""Requesting the waardering as a person would: by the visible labels, a mistake on the way,
the confirmation read from the page, and axe-core on every step, the closed page and the
caregiver's own waardering page in Mijn gegevens."""

import datetime

import time_machine

from appreciation.models import AppreciationRequest, PayoutForm
from registrations import services as registrations
from registrations.models import TokenPurpose
from tests.appreciation_helpers import open_year
from tests.e2e.conftest import assert_no_axe_violations

TODAY = datetime.date(2026, 9, 15)


def next_step(page):
    page.get_by_role("button", name="Volgende stap").click()


def test_unknown_caregiver_requests_the_waardering_in_a_browser(page, axe):
    with time_machine.travel(datetime.datetime(2026, 9, 15, 10, 0), tick=True):
        _closed_page(page, axe)
        open_year(TODAY)
        _on_behalf_first_step(page, axe)
        _request(page, axe)
        _own_requests(page, axe)


def _closed_page(page, axe):
    open_year(datetime.date(2025, 9, 15))  # last year's window is over
    page.goto("/waardering")
    assert "Vanaf 01-09-2027 kunt u de waardering weer aanvragen." in page.content()
    assert_no_axe_violations(axe, page)


def _on_behalf_first_step(page, axe):
    page.goto("/waardering")
    page.get_by_role("link", name="Ik vraag het aan voor iemand anders").click()
    page.wait_for_url("**/waardering/namens/aanvrager")
    assert "bevestigen" in page.content()
    next_step(page)  # empty: every message next to its field
    assert "Vul uw naam in." in page.locator(".field-error").first.inner_text()
    assert_no_axe_violations(axe, page)


def _request(page, axe):
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
    page.get_by_label("Naam van de naaste").fill("Henk Bakker")
    page.get_by_label("Postcode van de naaste").fill("3845 AB")
    page.get_by_label("Huisnummer van de naaste").fill("12")
    page.get_by_label("Partner", exact=True).check()
    page.get_by_role("group", name="Wonen de mantelzorger en de naaste samen?") \
        .get_by_label("Ja").check()
    page.get_by_label("Hoeveel uur per week zorgt de mantelzorger ongeveer?").fill("4")
    page.get_by_label("Sinds wanneer zorgt de mantelzorger?").fill("01-03-2019")
    next_step(page)
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
    assert "Uw aanvraag is verstuurd" in status and request.reference in status
    assert_no_axe_violations(axe, page)
    assert request.caregiver_was_unknown and request.payout_form == PayoutForm.BANK
    assert request.caregiver.wants_newsletter


def _own_requests(page, axe):
    request = AppreciationRequest.objects.get()
    token = registrations.issue_token(request.caregiver, TokenPurpose.MAGIC_LINK,
                                      datetime.timedelta(minutes=30))[1]
    page.goto(f"/mijn-gegevens/link/{token}")
    page.get_by_role("button", name="Open Mijn gegevens").click()
    page.wait_for_url("**/mijn-gegevens/")
    page.get_by_role("link", name="Mantelzorgwaardering: aanvragen en bekijken").click()
    page.wait_for_url("**/mijn-gegevens/waardering/")
    assert request.reference in page.content() and "€ 75,00" in page.content()
    assert_no_axe_violations(axe, page)
    page.get_by_role("link", name="Deze aanvraag intrekken").click()
    assert_no_axe_violations(axe, page)
    page.get_by_role("button", name="Ja, trek mijn aanvraag in").click()
    page.wait_for_url("**/mijn-gegevens/waardering/")
    assert "Uw aanvraag is ingetrokken." in page.content()
    assert_no_axe_violations(axe, page)
    request.refresh_from_db()
    assert request.state == "ingetrokken"
