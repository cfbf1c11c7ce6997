"""A consulent composes, previews and sends a newsletter and watches the progress bar."""

import datetime

from playwright.sync_api import expect

from core import clock
from registrations.models import Caregiver, State
from tests.e2e.browser import assert_no_axe_violations, staff_login, wait_for_text


def test_compose_preview_send_and_watch_progress(page, axe, inline_tasks):
    Caregiver.objects.bulk_create(
        Caregiver(first_name=f"Persoon{i}", last_name="Test", email=f"p{i}@example.nl",
                  date_of_birth=datetime.date(1960, 1, 1), house_number="1",
                  postcode="3841AB", state=State.ACTIEF, registered_on=clock.today(),
                  email_confirmed_at=clock.now()) for i in range(20))
    staff_login(page)
    page.get_by_role("link", name="Nieuwsbrieven").click()
    page.get_by_role("link", name="Nieuwe nieuwsbrief").click()
    assert_no_axe_violations(axe, page)
    page.get_by_label("Onderwerp").fill("Inloop in december")
    page.get_by_label("Tekst").fill("Beste mantelzorger,\n\n**Welkom** bij de inloop.")
    page.get_by_role("button", name="Opslaan en bekijken").click()
    wait_for_text(page, "20 per e-mail")
    assert "20 per e-mail" in page.content()
    assert page.locator(".newsletter-preview strong").inner_text() == "Welkom"
    assert_no_axe_violations(axe, page)
    page.get_by_role("button", name="Versturen").click()
    # expect() polls from Playwright's side (the page's CSP forbids evaluating strings).
    expect(page.locator("#newsletter-status")).to_have_text("Verstuurd")
    expect(page.locator("progress")).to_have_attribute("value", "100")
    assert "20 verstuurd" in page.locator("#progress-text").inner_text()
    assert page.locator("#newsletter-status").inner_text() == "Verstuurd"
    assert_no_axe_violations(axe, page)
