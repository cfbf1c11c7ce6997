"""Issue 14 item 9 in a browser: on a shared computer, "Stoppen en gegevens wissen" on the
second step of the registration ends it with the keyboard alone, says so, and starting
again shows the first step's fields empty. axe-core checks the step with the button and
the confirmation page."""

from tests.e2e.browser import assert_no_axe_violations


def test_stop_and_erase_with_the_keyboard(page, axe):
    page.goto("/aanmelden")
    page.get_by_label("Voornaam").fill("Riet")
    page.get_by_label("Achternaam").fill("Bakker")
    page.get_by_label("Geboortedatum", exact=True).fill("02-01-1950")
    page.get_by_label("Postcode").fill("3845 AB")
    page.get_by_label("Huisnummer").fill("12")
    page.get_by_label("Straat").fill("Lindenlaan")
    page.get_by_label("Woonplaats").fill("Harderwijk")
    page.get_by_role("button", name="Volgende stap").click()
    page.wait_for_url("**/aanmelden/naaste")
    page.get_by_label("Naam van uw naaste").fill("Henk Bakker")
    stop = page.get_by_role("button", name="Stoppen en gegevens wissen")
    assert stop.is_visible()
    assert_no_axe_violations(axe, page)

    # Tab until the stop button has the focus, then press Enter: no mouse needed.
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.name") == "wizard_stop":
            break
    else:
        raise AssertionError("the stop button cannot be reached with Tab")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Gestopt. Uw gegevens zijn gewist.").wait_for()
    assert_no_axe_violations(axe, page)

    page.get_by_role("link", name="Opnieuw beginnen").click()
    page.wait_for_url("**/aanmelden/over-mij")
    assert page.get_by_label("Voornaam").input_value() == ""
    assert page.get_by_label("Straat").input_value() == ""
