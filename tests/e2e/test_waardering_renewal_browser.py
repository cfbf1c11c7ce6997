"""Asking again in one step, as the people involved meet it (issue 19): last year's
recipient gets the invitation e-mail, opens its link, forgets the tick once, ticks "Ik zorg
nog steeds voor Henk Bakker" and presses the one button; the consulent finds the request in
the queue, marked as made with the invitation. A coordinator loads the voucher supplier's
codes on the payments page. axe-core on every page."""

import datetime
import re

import time_machine
from django.core import mail

from appreciation.models import AppreciationRequest, PayoutForm, RequestState, WaarderingVoucherCode
from appreciation.tasks import invite_waardering_renewals
from tests.e2e.browser import TODAY, assert_no_axe_violations, staff_login, wait_for_text
from tests.factories import AppreciationRequestFactory, AppreciationYearFactory, CaregiverFactory
from worker.services import dispatch_queued_letters


def test_invitation_link_one_step_confirm_consulent_sees_it(page, axe):
    with time_machine.travel(datetime.datetime(2026, 9, 15, 10, 0), tick=True):
        year = AppreciationYearFactory(open_on=TODAY)
        AppreciationRequestFactory(
            year=AppreciationYearFactory(year=2025), state=RequestState.UITBETAALD,
            caregiver=CaregiverFactory(),
            submitted_at=datetime.datetime(2025, 9, 10, 10, 0, tzinfo=datetime.UTC))
        assert invite_waardering_renewals() == 1
        dispatch_queued_letters()
        [message] = [m for m in mail.outbox if "opnieuw aanvragen" in m.subject]
        link = re.search(r"/waardering/opnieuw\?code=[A-Z0-9-]+", message.body).group(0)

        page.goto(link)
        wait_for_text(page, "Mantelzorgwaardering 2026 aanvragen")
        assert_no_axe_violations(axe, page)
        assert "eindigend op 4300, op naam van R. Bakker" in page.content()
        page.get_by_role("button", name="Waardering aanvragen").click()
        wait_for_text(page, "Zet een vinkje als u nog steeds voor Henk Bakker zorgt.")
        assert_no_axe_violations(axe, page)
        assert not AppreciationRequest.objects.filter(year=year).exists()

        page.get_by_label("Ik zorg nog steeds voor Henk Bakker").check()
        page.get_by_role("button", name="Waardering aanvragen").click()
        wait_for_text(page, "Dank u wel. Uw aanvraag is verstuurd.")
        assert_no_axe_violations(axe, page)
        request = AppreciationRequest.objects.get(year=year)
        assert request.reference in page.content()

        page.goto(link)  # the link again: used
        wait_for_text(page, "Deze uitnodiging is al gebruikt.")
        assert_no_axe_violations(axe, page)
        page.context.clear_cookies()

        staff_login(page, "inge", "consulent")
        page.get_by_role("link", name="Waardering", exact=True).click()
        page.wait_for_url("**/backoffice/waardering/")
        page.get_by_role("link", name="Bakker, Riet").click()
        wait_for_text(page, request.reference)
        assert "met de uitnodiging om opnieuw aan te vragen (zelfde naaste als in 2025)" in (
            page.content())
        assert_no_axe_violations(axe, page)


def test_a_coordinator_loads_the_voucher_suppliers_codes(page, axe, tmp_path):
    with time_machine.travel(datetime.datetime(2026, 9, 15, 10, 0), tick=True):
        AppreciationYearFactory(open_on=TODAY, payout_young=PayoutForm.VOUCHER)
        staff_login(page, "kees", "coordinator")
        page.goto("/backoffice/betalingen/")
        wait_for_text(page, "Boncodes")
        assert_no_axe_violations(axe, page)
        wrong = tmp_path / "fout.csv"
        wrong.write_text("BON-1\nBON 2\n")
        page.get_by_label("Bestand met boncodes (CSV)").set_input_files(str(wrong))
        page.get_by_role("button", name="Boncodes laden").click()
        wait_for_text(page, "Regel 2: Gebruik alleen letters, cijfers en - _ . /")
        assert_no_axe_violations(axe, page)
        good = tmp_path / "codes.csv"
        good.write_text("code\nBON-1\nBON-2\n")
        page.get_by_label("Bestand met boncodes (CSV)").set_input_files(str(good))
        page.get_by_role("button", name="Boncodes laden").click()
        wait_for_text(page, "2 nieuwe boncodes toegevoegd")
        assert_no_axe_violations(axe, page)
        assert WaarderingVoucherCode.objects.count() == 2
