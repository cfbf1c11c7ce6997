"""Back-office pages in a real browser: keyboard-reachable navigation and axe-core."""

from tests.e2e.browser import assert_no_axe_violations, staff_login


def test_back_office_pages_have_no_axe_violations(page, axe):
    staff_login(page)
    for name, heading in [("Overzicht", "Overzicht"), ("Mantelzorgers", "Mantelzorgers"),
                          ("Post", "Brieven per post")]:
        page.get_by_role("link", name=name, exact=True).focus()
        page.keyboard.press("Enter")
        page.wait_for_load_state()
        assert page.get_by_role("heading", level=1).inner_text() == heading
        assert_no_axe_violations(axe, page)
