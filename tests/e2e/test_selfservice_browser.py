"""Mijn gegevens in a real browser: ask for a link, open it from the outbox, use every page
by its labels, and axe-core on each of them."""

import datetime
import re

from django.core import mail

from mantelzorg import clock
from registrations.models import Caregiver, CareRecipient, State
from tests.e2e.conftest import assert_no_axe_violations


def make_active_caregiver():
    caregiver = Caregiver.objects.create(
        first_name="Riet", last_name="Bakker", date_of_birth=datetime.date(1950, 1, 2),
        street="Lindenlaan", house_number="12", postcode="3845AB", city="Harderwijk",
        email="riet@example.nl", email_confirmed_at=clock.now(), state=State.ACTIEF,
        registered_on=clock.today() - datetime.timedelta(days=30))
    CareRecipient.objects.create(
        caregiver=caregiver, name="Henk Bakker", lives_in_municipality=True,
        relationship="partner", care_kinds=["huishouden"], hours_per_week=20,
        care_since=datetime.date(2019, 3, 1), living_together=True)
    return caregiver


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


def test_caregiver_manages_own_data_without_a_password(page, axe, inline_tasks):
    caregiver = make_active_caregiver()
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
