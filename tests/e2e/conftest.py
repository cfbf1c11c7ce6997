"""Browser tests: Playwright driving Debian's Chromium against Django's live server."""

import os

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect, sync_playwright

from ..conftest import BROWSER_STARTED

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser(request):
    if not os.path.exists(CHROMIUM):
        pytest.fail("Debian chromium is missing: `make test` installs it.")
    # Playwright's sync API keeps an event loop running in this thread, which makes Django
    # refuse ORM calls. They are still synchronous and safe here. The browser tests run last
    # (tests/conftest.py), so no other test runs with this set: in each pytest-xdist worker
    # too, BROWSER_STARTED makes tests/conftest.py check that.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    request.config.stash[BROWSER_STARTED] = True
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"],
        )
        yield browser
        browser.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    request.config.stash[BROWSER_STARTED] = False


@pytest.fixture
def page(browser, live_server, transactional_db):
    context = browser.new_context(base_url=live_server.url, locale="nl-NL")
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture(scope="session")
def axe():
    return Axe()


def assert_no_axe_violations(axe, page):
    results = axe.run(page)
    assert results.violations_count == 0, results.generate_report()


def wait_for_text(page, text):
    """Wait until the page shows `text`. click() does not wait for the page it submits or
    opens to load, so page.content() right after one may still be the old page or empty
    (seen once the suite ran in parallel)."""
    expect(page.locator("body")).to_contain_text(text, timeout=15000)
