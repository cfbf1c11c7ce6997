"""Requesting the waardering as a person would: by the visible labels, a mistake on the way,
the confirmation read from the page, and axe-core on every step, the closed page and the
caregiver's own waardering page in Mijn gegevens."""

import datetime

import time_machine
from playwright.sync_api import expect

from appreciation.models import AppreciationRequest
from appreciation.waardering import confirmation
from registrations import services as registrations
from registrations.models import TokenPurpose
from tests.e2e.browser import TODAY, assert_no_axe_violations, next_step, request_waardering
from tests.factories import AppreciationYearFactory, CaregiverFactory
from tests.support import caregiver_details, request_data, submit


def test_unknown_caregiver_requests_the_waardering_in_a_browser(page, axe):
    with time_machine.travel(datetime.datetime(2026, 9, 15, 10, 0), tick=True):
        _closed_page(page, axe)
        AppreciationYearFactory(open_on=TODAY)
        _on_behalf_first_step(page, axe)
        request_waardering(page, axe)
        _own_requests(page, axe)


def _closed_page(page, axe):
    AppreciationYearFactory(open_on=datetime.date(2025, 9, 15))  # last year's window is over
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


def test_the_caregiver_confirms_a_request_with_the_code_in_a_browser(page, axe):
    """Issue 14, item 1: someone typed Riet's birth date and address; Riet confirms with
    the code from her e-mail: the link fills it in, a wrong code gets its message next to
    the field, and every page passes axe-core."""
    with time_machine.travel(datetime.datetime(2026, 9, 15, 10, 0), tick=True):
        AppreciationYearFactory(open_on=TODAY)
        riet = CaregiverFactory(complete=True)
        request = submit(request_data(caregiver=caregiver_details(
            date_of_birth=riet.date_of_birth, house_number=riet.house_number)))
        code = confirmation.code_for(request)
        page.goto(f"/waardering/bevestigen?code={code}")
        assert page.get_by_label("Uw code").input_value() == code
        assert_no_axe_violations(axe, page)

        page.get_by_label("Uw code").fill("ABCD-EFGH")
        page.get_by_role("button", name="Verder").click()
        expect(page.locator(".error-message")).to_contain_text("Deze code klopt niet")
        assert_no_axe_violations(axe, page)

        page.get_by_label("Uw code").fill(code.lower())
        page.get_by_role("button", name="Verder").click()
        expect(page.locator("main")).to_contain_text("rekening eindigend op •• 4300")
        assert_no_axe_violations(axe, page)
        page.get_by_role("button", name="Aanvraag bevestigen").click()
        expect(page.get_by_role("status")).to_contain_text("U heeft de aanvraag bevestigd")
        assert_no_axe_violations(axe, page)
    request.refresh_from_db()
    assert request.caregiver_confirmed_at is not None
