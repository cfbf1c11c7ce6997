"""The whole waardering as the people involved would do it, in one browser: an unknown
caregiver asks online, a consulent approves, the approval letter is in the outbox, a
coordinator makes a payment batch, downloads a pain.001 that validates against its XSD and
marks it paid. The request ends `uitbetaald` and the caregiver is registered."""

import datetime
import os
from pathlib import Path

import sepaxml
import time_machine
import xmlschema
from playwright.sync_api import expect

from appreciation.models import AppreciationRequest, RequestState
from registrations.models import Source, State
from tests.e2e.browser import (
    TODAY,
    assert_no_axe_violations,
    request_waardering,
    staff_login,
    wait_for_text,
)
from tests.factories import AppreciationYearFactory

PAIN_001_XSD = Path(os.path.dirname(sepaxml.__file__)) / "schemas" / "pain.001.001.03.xsd"


def test_request_approve_letter_batch_pay(page, axe, inline_tasks, settings, tmp_path):
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    with time_machine.travel(datetime.datetime(2026, 9, 15, 10, 0), tick=True):
        AppreciationYearFactory(open_on=TODAY)
        request_waardering(page, axe)  # as an unknown caregiver, with a mistake on the way
        request = AppreciationRequest.objects.get()
        page.context.clear_cookies()

        staff_login(page, "inge", "consulent")
        page.get_by_role("link", name="Waardering", exact=True).click()
        page.wait_for_url("**/backoffice/waardering/")
        assert_no_axe_violations(axe, page)
        page.get_by_role("link", name="Bakker, Riet").click()
        wait_for_text(page, request.reference)
        assert request.reference in page.content()
        page.get_by_role("button", name="Goedkeuren", exact=True).click()
        expect(page.get_by_text("goedgekeurd", exact=False).first).to_be_visible()
        assert AppreciationRequest.objects.get().state == RequestState.GOEDGEKEURD
        page.get_by_role("button", name="Uitloggen").click()

        staff_login(page, "kees", "coordinator")
        page.get_by_role("link", name="Uitgaande mail").click()
        page.get_by_role("link", name="U krijgt de mantelzorgwaardering").click()
        body = page.locator("pre.mail-body").inner_text()
        assert "€ 75,00" in body and request.reference in body

        page.get_by_role("link", name="Betalingen", exact=True).click()
        page.get_by_role("button", name="Betaalronde voor de bank maken").click()
        assert_no_axe_violations(axe, page)
        with page.expect_download() as download_info:
            page.get_by_role("link", name="SEPA-bestand").click()
        sepa_file = tmp_path / "pain.001.xml"
        download_info.value.save_as(sepa_file)
        xml = sepa_file.read_text()
        xmlschema.XMLSchema(str(PAIN_001_XSD)).validate(xml)  # raises when invalid
        assert request.end_to_end_id in xml and "<InstdAmt Ccy=\"EUR\">75.00</InstdAmt>" in xml

        page.get_by_role("link", name="is uitbetaald").click()
        page.get_by_role("button", name="Ja, deze betaalronde is uitbetaald").click()
        expect(page.get_by_text("Uitbetaald", exact=False).first).to_be_visible()

    request = AppreciationRequest.objects.select_related("caregiver").get()
    assert request.state == RequestState.UITBETAALD
    caregiver = request.caregiver
    assert caregiver.source == Source.WAARDERING and caregiver.state == State.ACTIEF
    assert request.caregiver_was_unknown
