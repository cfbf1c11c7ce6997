"""Registering in Turkish and in Arabic, as a person would: the language chosen on the first
step (what was typed stays), axe-core on every step, Arabic laid out right to left, and the
confirmation e-mail in the chosen language."""

import re

import pytest
from django.core import mail
from django.utils import translation
from django.utils.translation import gettext

from registrations.models import Caregiver, State
from tests.e2e.browser import assert_no_axe_violations, wait_for_text

LANGUAGE_NAMES = {"tr": "Türkçe", "ar": "العربية"}


def t(code: str, dutch: str) -> str:
    """The text as the catalogue translates it; never the Dutch again."""
    with translation.override(code):
        text = gettext(dutch)
    assert text != dutch, f"{dutch!r} has no {code} translation"
    return text


def label_of(page, name: str) -> str:
    return page.locator(f'label[for="id_{name}"]').first.inner_text()


def fill(page, values: dict):
    for name, value in values.items():
        page.locator(f'[name="{name}"]').fill(value)


def assert_page_language(page, code: str):
    assert page.locator("html").get_attribute("lang") == code
    assert page.locator("html").get_attribute("dir") == ("rtl" if code == "ar" else "ltr")


@pytest.mark.parametrize("code", ["tr", "ar"])
def test_register_in_another_language(page, axe, inline_tasks, code):
    page.goto("/aanmelden")
    # Half filled in, in Dutch, then the language is changed: the same step comes back in
    # the chosen language, with what was typed.
    fill(page, {"over-mij-first_name": "Zeynep", "over-mij-last_name": "Yılmaz"})
    page.get_by_role("button", name=LANGUAGE_NAMES[code]).click()
    wait_for_text(page, t(code, "Volgende stap"))
    assert_page_language(page, code)
    assert page.locator('[name="over-mij-first_name"]').input_value() == "Zeynep"
    assert page.locator('[name="over-mij-last_name"]').input_value() == "Yılmaz"
    assert page.locator(".error-message").count() == 0
    assert label_of(page, "over-mij-first_name").startswith(t(code, "Voornaam"))
    assert page.get_by_role("heading", level=1).inner_text() == t(code, "Over u")
    assert_no_axe_violations(axe, page)
    if code == "ar":
        # Mirrored: the site's name at the right, the form's text aligned to the right.
        width = page.viewport_size["width"]
        name_box = page.locator(".site-name").bounding_box()
        assert name_box["x"] + name_box["width"] / 2 > width / 2, name_box
        label_box = page.locator('label[for="id_over-mij-first_name"]').bounding_box()
        field_box = page.locator('[name="over-mij-first_name"]').bounding_box()
        assert label_box["x"] + label_box["width"] >= field_box["x"] + field_box["width"] - 2

    # A mistake: the message in the chosen language, next to the field.
    fill(page, {"over-mij-date_of_birth": "02-01-1970", "over-mij-postcode": "38",
                "over-mij-house_number": "12", "over-mij-street": "Lindenlaan",
                "over-mij-city": "Harderwijk", "over-mij-email": "zeynep@example.nl"})
    page.get_by_role("button", name=t(code, "Volgende stap")).click()
    wait_for_text(page, t(code, "Vul een postcode in zoals 3841 AB."))
    assert_no_axe_violations(axe, page)
    fill(page, {"over-mij-postcode": "3845 AB"})
    page.get_by_role("button", name=t(code, "Volgende stap")).click()

    page.wait_for_url("**/aanmelden/naaste")
    assert_page_language(page, code)
    assert_no_axe_violations(axe, page)
    fill(page, {"naaste-name": "Mehmet Yılmaz", "naaste-hours_per_week": "20",
                "naaste-care_since": "01-03-2019"})
    page.locator('[name="naaste-relationship"][value="partner"]').check()
    page.locator('[name="naaste-lives_in_municipality"][value="ja"]').check()
    page.locator('[name="naaste-living_together"][value="ja"]').check()
    page.locator('[name="naaste-care_kinds"][value="huishouden"]').check()
    page.get_by_role("button", name=t(code, "Volgende stap")).click()

    page.wait_for_url("**/aanmelden/contact")
    assert_no_axe_violations(axe, page)
    page.locator('[name="contact-channel"][value="email"]').check()
    # Enter goes to the next step, as the form's own button does, not to a language: the
    # language buttons come first on the page and belong to this form too.
    page.locator('[name="contact-channel"][value="email"]').press("Enter")

    page.wait_for_url("**/aanmelden/belasting")
    assert_page_language(page, code)
    assert_no_axe_violations(axe, page)
    page.get_by_role("button", name=t(code, "Overslaan")).click()

    page.wait_for_url("**/aanmelden/controleren")
    assert_no_axe_violations(axe, page)
    assert "Mehmet Yılmaz" in page.content()
    page.locator('[name="controleren-consent"]').check()
    page.get_by_role("button", name=t(code, "Aanmelding versturen")).click()

    page.wait_for_url("**/aanmelden/verstuurd")
    assert_page_language(page, code)
    assert page.get_by_role("heading", level=1).inner_text() == t(
        code, "Uw aanmelding is verstuurd")
    assert_no_axe_violations(axe, page)
    caregiver = Caregiver.objects.get()
    assert caregiver.language == code and caregiver.state == State.AANGEMELD

    # The confirmation e-mail, in the chosen language; its link confirms the address.
    [message] = [m for m in mail.outbox if m.to == ["zeynep@example.nl"]]
    assert message.subject == t(code, "Bevestig uw e-mailadres")
    assert t(code, "Klik op deze link. Dan weten wij dat dit echt uw e-mailadres is:") \
        in message.body
    html = message.alternatives[0][0]
    assert f'lang="{code}"' in html
    page.goto(re.search(r"/bevestigen/\S+", message.body).group(0))
    assert_page_language(page, code)
    assert_no_axe_violations(axe, page)
    page.get_by_role("button", name=t(code, "Ja, dit is mijn e-mailadres")).click()
    wait_for_text(page, t(code, "U bent nu ingeschreven bij het Servicepunt Mantelzorg."))
    assert Caregiver.objects.get().state == State.ACTIEF


RIGHT_TO_LEFT_SAMPLE = ["/", "/aanmelden/over-mij", "/waardering/zelf/mantelzorger",
                        "/zwemkaartjes", "/mijn-gegevens/inloggen", "/privacy"]


def test_arabic_pages_fit_a_phone_and_pass_axe(browser, live_server, axe, transactional_db):
    """Right to left at 320 px: no sideways scrolling and no axe violations, on one page of
    each kind (text, wizard step, form, sign-in)."""
    context = browser.new_context(base_url=live_server.url, viewport={"width": 320,
                                                                       "height": 640})
    context.add_cookies([{"name": "taal", "value": "ar", "url": live_server.url}])
    page = context.new_page()
    try:
        for path in RIGHT_TO_LEFT_SAMPLE:
            page.goto(path)
            assert_page_language(page, "ar")
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), \
                path
            assert_no_axe_violations(axe, page)
    finally:
        context.close()
