"""Registering as a person would: by the visible labels, with the keyboard where it counts,
axe-core on every step, the confirmation link from the outbox, and the back office."""

import datetime
import re

from django.core import mail

from core import clock
from registrations.models import Caregiver, State
from tests.e2e.browser import assert_no_axe_violations, staff_login, wait_for_text


def fill_about_me(page, born: datetime.date, email="riet@example.nl"):
    page.get_by_label("Voornaam").fill("Riet")
    page.get_by_label("Achternaam").fill("Bakker")
    page.get_by_label("Geboortedatum", exact=True).fill(born.strftime("%d-%m-%Y"))
    page.get_by_label("Postcode").fill("3845 AB")
    page.get_by_label("Huisnummer").fill("12")
    page.get_by_label("Straat").fill("Lindenlaan")
    page.get_by_label("Woonplaats").fill("Harderwijk")
    page.get_by_label("E-mailadres (niet verplicht)", exact=True).fill(email)
    page.get_by_label("Telefoonnummer (niet verplicht)", exact=True).fill("0612345678")


def fill_person_cared_for(page, relationship="Partner", young=False):
    """By the labels the person reads: "je" on the young path, "u" for adults."""
    your, you = ("je", "je") if young else ("uw", "u")
    page.get_by_label(f"Naam van {your} naaste").fill("Henk Bakker")
    page.get_by_label(relationship, exact=True).check()
    page.get_by_role("group", name=f"Woont {your} naaste in Harderwijk of Hierden?") \
        .get_by_label("Ja").check()
    together = "Woon je samen met je naaste?" if young else "Woont u samen met uw naaste?"
    page.get_by_role("group", name=together).get_by_label("Ja").check()
    page.get_by_label("Huishouden, boodschappen of koken").check()
    hours = "zorg je" if young else "zorgt u"
    page.get_by_label(f"Hoeveel uur per week {hours} ongeveer?").fill("20")
    page.get_by_label(f"Sinds wanneer {hours}?").fill("01-03-2019")


def next_step(page):
    page.get_by_role("button", name="Volgende stap").click()


def skip_self_check(page):
    """The optional burden self-check: skipped with its button."""
    page.get_by_role("button", name="Overslaan").click()


def link_from_outbox(to: str, pattern: str) -> str:
    message = next(m for m in mail.outbox if m.to == [to])
    return re.search(pattern, message.body).group(0)


def test_adult_registers_confirms_and_is_active(page, axe, inline_tasks):
    page.goto("/aanmelden")
    assert_no_axe_violations(axe, page)
    # A mistake first: the message appears next to the field and the typed value stays.
    fill_about_me(page, datetime.date(1950, 1, 2))
    page.get_by_label("Postcode").fill("38")
    next_step(page)
    assert "Vul een postcode in zoals 3841 AB." in page.locator(".field-error").inner_text()
    assert page.get_by_label("Voornaam").input_value() == "Riet"
    assert_no_axe_violations(axe, page)
    page.get_by_label("Postcode").fill("3845 AB")
    next_step(page)

    page.wait_for_url("**/aanmelden/naaste")
    assert_no_axe_violations(axe, page)
    fill_person_cared_for(page)
    next_step(page)

    page.wait_for_url("**/aanmelden/contact")
    assert_no_axe_violations(axe, page)
    page.get_by_label("Per e-mail").check()
    page.get_by_label("Ja, ik wil de nieuwsbrief krijgen").check()
    next_step(page)

    page.wait_for_url("**/aanmelden/belasting")
    assert_no_axe_violations(axe, page)
    skip_self_check(page)

    page.wait_for_url("**/aanmelden/controleren")
    assert_no_axe_violations(axe, page)
    assert "Henk Bakker" in page.content()
    page.get_by_label("Ik geef het Servicepunt Mantelzorg toestemming").check()
    page.get_by_role("button", name="Aanmelding versturen").click()

    page.wait_for_url("**/aanmelden/verstuurd")
    assert page.get_by_role("heading", level=1).inner_text() == "Uw aanmelding is verstuurd"
    assert_no_axe_violations(axe, page)
    assert Caregiver.objects.get().state == State.AANGEMELD

    page.goto(link_from_outbox("riet@example.nl", r"/bevestigen/\S+"))
    assert_no_axe_violations(axe, page)
    page.get_by_role("button", name="Ja, dit is mijn e-mailadres").click()
    wait_for_text(page, "U bent nu ingeschreven")
    assert "U bent nu ingeschreven" in page.content()
    assert Caregiver.objects.get().state == State.ACTIEF

    # A consulent finds her in the back office, active.
    staff_login(page)
    page.get_by_role("link", name="Mantelzorgers", exact=True).click()
    page.get_by_label("Zoek op naam, postcode of e-mail").fill("Bakker")
    page.get_by_role("button", name="Zoeken").click()
    assert_no_axe_violations(axe, page)
    page.get_by_role("link", name="Bakker, Riet").click()
    assert "Status: Actief" in page.locator(".status-line").inner_text()
    assert "Henk Bakker" in page.content()
    assert_no_axe_violations(axe, page)


def test_fifteen_year_old_waits_for_the_guardian(page, axe, inline_tasks):
    today = clock.today()
    born = today.replace(year=today.year - 15) - datetime.timedelta(days=3)
    page.goto("/aanmelden")
    fill_about_me(page, born, email="sem@example.nl")
    next_step(page)
    assert page.get_by_role("heading", level=1).inner_text() == "Voor wie zorg je?"
    fill_person_cared_for(page, relationship="Ouder", young=True)
    next_step(page)
    page.get_by_label("Per e-mail").check()
    next_step(page)

    page.wait_for_url("**/aanmelden/ouder")
    assert "jonger dan 16 jaar" in page.content()
    assert_no_axe_violations(axe, page)
    page.get_by_label("Naam van je ouder of voogd").fill("Anja Bakker")
    page.get_by_label("E-mailadres van je ouder of voogd").fill("anja@example.nl")
    next_step(page)
    skip_self_check(page)
    page.get_by_label("Ik geef het Servicepunt Mantelzorg toestemming").check()
    page.get_by_role("button", name="Aanmelding versturen").click()
    page.wait_for_url("**/aanmelden/verstuurd")
    assert "Bedankt, Riet!" in page.content()  # young caregivers are addressed as 'je'

    page.goto(link_from_outbox("sem@example.nl", r"/bevestigen/\S+"))
    page.get_by_role("button", name="Ja, dit is mijn e-mailadres").click()
    assert Caregiver.objects.get().state == State.AANGEMELD  # still waiting

    page.goto(link_from_outbox("anja@example.nl", r"/toestemming/\S+"))
    assert_no_axe_violations(axe, page)
    page.get_by_label("Uw naam").fill("Anja Bakker")
    page.get_by_label("Ouder", exact=True).check()
    page.get_by_role("button", name="Ik geef toestemming").click()
    wait_for_text(page, "Bedankt voor uw toestemming")
    assert "Bedankt voor uw toestemming" in page.content()
    assert Caregiver.objects.get().state == State.ACTIEF


def test_consulent_intake_by_phone_in_the_browser(page, axe):
    staff_login(page)
    page.get_by_role("link", name="Nieuwe inschrijving").click()
    assert_no_axe_violations(axe, page)
    fill_about_me(page, datetime.date(1948, 7, 14), email="")
    fill_person_cared_for(page)
    page.get_by_label("Per post").check()
    page.get_by_role("button", name="Inschrijving opslaan").click()
    assert "Status: Actief" in page.locator(".status-line").inner_text()
    assert_no_axe_violations(axe, page)
    assert Caregiver.objects.get().source == "consulent"
