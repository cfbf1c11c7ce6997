"""A consulent rejects a request for "een andere reden", in the browser and by keyboard:
without the explanation the person reads, the page says so next to the field and keeps the
chosen reason; with it, the request is rejected and the letter says only the explanation.
axe finds nothing on the page before and after."""

import datetime

import time_machine
from playwright.sync_api import expect

from appreciation.models import AppreciationLetter, AppreciationRequest, RequestState
from tests.e2e.browser import TODAY, assert_no_axe_violations, staff_login
from tests.factories import AppreciationYearFactory
from tests.support import submit
from worker.letters import email_body
from worker.models import Letter

EXPLANATION = "U bent in augustus verhuisd naar Zwolle. Daarom krijgt u de waardering niet."


def test_a_consulent_rejects_for_another_reason_with_the_explanation(page, axe):
    with time_machine.travel(datetime.datetime(2026, 9, 15, 10, 0), tick=True):
        AppreciationYearFactory(open_on=TODAY)
        request = submit()
        staff_login(page, "inge", "consulent")
        page.goto(f"/backoffice/waardering/{request.pk}/")
        assert_no_axe_violations(axe, page)

        reason = page.get_by_label("Reden (deze zin staat in de brief)")
        expect(reason.locator("option", has_text="Uw naaste woont niet in Harderwijk of "
                                                 "Hierden.")).to_have_count(1)
        reason.focus()
        reason.select_option(label="Een andere reden (schrijf hieronder de uitleg)")
        page.get_by_role("button", name="Afwijzen", exact=True).focus()
        page.keyboard.press("Enter")

        explanation = page.get_by_label("Uitleg voor de mantelzorger")
        message = "Schrijf de reden op. De mantelzorger leest deze uitleg in de brief."
        expect(page.get_by_text(message, exact=True)).to_be_visible()  # next to the field
        expect(page.get_by_role("link", name=f"Uitleg voor de mantelzorger: {message}")
               ).to_be_visible()  # and in the summary at the top, linking to it
        expect(explanation).to_have_attribute("aria-invalid", "true")
        expect(page.get_by_label("Reden (deze zin staat in de brief)")).to_have_value("anders")
        assert AppreciationRequest.objects.get().state == RequestState.INGEDIEND
        assert_no_axe_violations(axe, page)

        explanation.focus()
        page.keyboard.type(EXPLANATION)
        page.keyboard.press("Tab")
        page.keyboard.press("Enter")  # the "Afwijzen" button follows the explanation
        expect(page.get_by_text("Afgewezen. De mantelzorger krijgt een brief met de reden."
                                )).to_be_visible()
        expect(page.get_by_text(EXPLANATION).first).to_be_visible()
        assert_no_axe_violations(axe, page)

    stored = AppreciationRequest.objects.get()
    assert (stored.state, stored.rejection_reason, stored.rejection_text) == (
        RequestState.AFGEWEZEN, "anders", EXPLANATION)
    body = email_body(Letter.objects.get(kind=AppreciationLetter.WAARDERING_REJECTED))
    assert f"Waarom niet?\n{EXPLANATION}" in body
    assert "andere reden" not in body.lower()
    assert "namens het college van burgemeester en wethouders" in body
