"""Public pages in a real browser: axe-core finds nothing, the keyboard reaches everything."""

import pytest

from tests.e2e.browser import assert_no_axe_violations

PAGES = ["/", "/toegankelijkheid", "/privacy", "/backoffice/inloggen/"]


@pytest.mark.parametrize("path", PAGES)
def test_no_axe_violations(page, axe, path):
    page.goto(path)
    assert_no_axe_violations(axe, page)


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_the_content(page):
    page.goto("/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Direct naar de inhoud"
    assert page.get_by_role("link", name="Direct naar de inhoud").is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "inhoud"


def test_footer_links_work_with_the_keyboard(page):
    page.goto("/")
    page.get_by_role("link", name="Toegankelijkheid").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/toegankelijkheid")
    assert page.get_by_role("heading", level=1).inner_text() == "Toegankelijkheid"


def test_focus_is_visible(page):
    page.goto("/")
    page.get_by_role("link", name="Privacy").focus()
    outline = page.evaluate(
        "getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"
