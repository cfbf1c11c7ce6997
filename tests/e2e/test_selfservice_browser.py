"""Mijn gegevens in a real browser: ask for a link, open it from the outbox, use every page
by its labels, and axe-core on each of them."""

import datetime

from core import clock
from registrations.models import State
from tests.e2e.browser import assert_no_axe_violations, sign_in
from tests.factories import CaregiverFactory


def test_caregiver_manages_own_data_without_a_password(page, axe, inline_tasks):
    caregiver = CaregiverFactory(recipient=True,
                                 registered_on=clock.today() - datetime.timedelta(days=30))
    sign_in(page, axe)
    assert "Henk Bakker" in page.content()
    assert_no_axe_violations(axe, page)

    page.goto("/mijn-gegevens/contact")
    assert_no_axe_violations(axe, page)
    page.get_by_label("Telefoonnummer").fill("06 8765 4321")
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_load_state("networkidle")
    caregiver.refresh_from_db()
    assert caregiver.phone == "0687654321"

    for path in ("/mijn-gegevens/overzicht", "/mijn-gegevens/zorg-gestopt",
                 "/mijn-gegevens/nieuwsbrief-stoppen", "/mijn-gegevens/uitschrijven"):
        page.goto(path)
        assert_no_axe_violations(axe, page)

    page.goto("/mijn-gegevens/zorg-gestopt")
    page.get_by_label("Op welke dag stopte de zorg?").fill(
        (clock.today() - datetime.timedelta(days=3)).strftime("%d-%m-%Y"))
    page.get_by_label("Mijn naaste is overleden").check()
    page.get_by_role("button", name="Doorgeven").click()
    page.wait_for_load_state("networkidle")
    caregiver.refresh_from_db()
    assert caregiver.state == State.VOORMALIG
    assert caregiver.care_end_reason == "overlijden"
