"""The NL Design System look in a real browser (issue 16): every public, Mijn gegevens and
back-office page has no axe-core violations at 320 px and 1280 px wide and at 200 % zoom,
and the back office's waardering queue fits a 1280 px window with its filters and column
headers in view.

200 % zoom is a 1280 × 800 window zoomed in: the page gets 640 × 400 CSS pixels, each drawn
twice as large (device scale factor 2), which is what the browser's zoom does to layout.
The pages are filled by `load_demo_data`, the data `make run` shows.
"""

import datetime
import importlib
import io
import re

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command

from appreciation.models import (
    AppreciationRequest,
    AppreciationYear,
    Campaign,
    CampaignRequest,
    PaymentBatch,
)
from insight.models import FollowUpTask, TaskKind
from mantelzorg.services_staff import invite_staff
from mantelzorg.tasks import invite_link
from registrations.models import Caregiver, ImportState, RegistryImport, State, TokenPurpose
from registrations.services import issue_token
from tests.e2e.browser import assert_no_axe_violations, staff_login
from tests.factories import GuardianFactory, NewsletterFactory
from tests.support import link_token
from worker.newsletters import unsubscribe_url

VIEWPORTS = {
    "320px": {"viewport": {"width": 320, "height": 640}},
    "1280px": {"viewport": {"width": 1280, "height": 800}},
    "zoom200": {"viewport": {"width": 640, "height": 400}, "device_scale_factor": 2},
}


@pytest.fixture
def world(transactional_db):
    # An earlier browser test's flush took the wijken the data migration made.
    importlib.import_module("registrations.migrations.0002_wijken_harderwijk").add_wijken(
        apps, None)
    call_command("load_demo_data", caregivers=120, stdout=io.StringIO())
    coordinator = get_user_model().objects.get(username="coordinator")
    riet = (Caregiver.objects.filter(state=State.ACTIEF).exclude(email="")
            .order_by("pk").first())
    campaign = Campaign.objects.order_by("pk").first()
    task = FollowUpTask.objects.order_by("pk").first() or FollowUpTask.objects.create(
        caregiver=riet, kind=TaskKind.BURDEN,
        due_on=datetime.date.today() + datetime.timedelta(days=7))
    colleague = invite_staff(by=coordinator, first_name="Noor", last_name="Jansen",
                             email="noor@example.nl", role="consulent")
    return {
        "riet": riet,
        "naaste": riet.care_recipients.filter(care_ended_on__isnull=True).order_by("pk").first(),
        "request": AppreciationRequest.objects.filter(state="ingediend").order_by("pk").first(),
        "year": AppreciationYear.objects.order_by("-year").first(),
        "batch": PaymentBatch.objects.order_by("pk").first(),
        "campaign": campaign,
        "ask": CampaignRequest.objects.filter(campaign=campaign).order_by("pk").first(),
        "newsletter": NewsletterFactory(created_by=coordinator),
        "task": task,
        "import": RegistryImport.objects.create(
            original_name="oud-systeem.csv", headers=["Voornaam"], state=ImportState.CHECKED,
            created_by=coordinator),
        "confirm": issue_token(riet, TokenPurpose.CONFIRM_EMAIL, datetime.timedelta(days=2))[1],
        "consent": issue_token(GuardianFactory().caregiver, TokenPurpose.GUARDIAN,
                               datetime.timedelta(days=2))[1],
        "unsubscribe": unsubscribe_url(riet).rsplit("/", 1)[-1],
        "welcome": "/".join(invite_link(colleague).rstrip("/").split("/")[-2:]),
    }


def public_pages(w):
    return [
        "/", "/toegankelijkheid", "/privacy", "/bestaat-niet",
        "/aanmelden/over-mij", "/waardering", "/waardering/zelf/mantelzorger",
        "/waardering/bevestigen", "/zwemkaartjes", f"/campagne/{w['campaign'].pk}",
        "/waardering/opnieuw", "/mijn-gegevens/inloggen", "/mijn-gegevens/link/onbekend",
        "/mijn-gegevens/digid/onbekend", "/mijn-gegevens/uitgeschreven",
        f"/bevestigen/{w['confirm']}", f"/toestemming/{w['consent']}",
        f"/afmelden/{w['unsubscribe']}", "/backoffice/inloggen/",
        f"/backoffice/welkom/{w['welcome']}/",
    ]


MY_PAGES = ["/mijn-gegevens/", "/mijn-gegevens/waardering/", "/mijn-gegevens/campagnes/",
            "/mijn-gegevens/zelftest", "/mijn-gegevens/contact",
            "/mijn-gegevens/nieuwsbrief-stoppen", "/mijn-gegevens/zorg-gestopt",
            "/mijn-gegevens/overzicht", "/mijn-gegevens/uitschrijven"]


NARROW_BACK_OFFICE = {"/backoffice/", "/backoffice/mantelzorgers/", "/backoffice/waardering/",
                      "/backoffice/nieuwsbrieven/nieuw/", "/backoffice/contactgegevens/",
                      "/beheer/"}


def back_office_pages(w):
    bo, riet, task = "/backoffice/", w["riet"].pk, w["task"]
    caregiver = f"{bo}mantelzorgers/{riet}/"
    campaign = f"{bo}campagnes/{w['campaign'].pk}/"
    newsletter = f"{bo}nieuwsbrieven/{w['newsletter'].pk}/"
    pages = [
        bo, f"{bo}medewerkers/", f"{bo}medewerkers/nieuw/", f"{bo}systeem/", f"{bo}post/",
        f"{bo}uitgaande-mail/", f"{bo}nieuwsbrieven/", f"{bo}nieuwsbrieven/nieuw/",
        newsletter, f"{newsletter}wijzigen/",
        f"{bo}mantelzorgers/", f"{bo}mantelzorgers/nieuw/", caregiver,
        f"{caregiver}zorg-gestopt/", f"{caregiver}beeindigen/", f"{caregiver}aanpassen/",
        f"{caregiver}naasten/nieuw/", f"{caregiver}naasten/{w['naaste'].pk}/aanpassen/",
        f"{caregiver}naasten/{w['naaste'].pk}/zorg-gestopt/", f"{bo}contactgegevens/",
        f"{bo}postcodes/", f"{bo}import/", f"{bo}import/nieuw/",
        f"{bo}import/{w['import'].pk}/", f"{bo}import/{w['import'].pk}/kolommen/",
        f"{bo}opvolging/", f"{bo}opvolging/mantelzorger/{task.caregiver_id}/taak/{task.pk}/",
        f"{bo}opvolging/mantelzorger/{task.caregiver_id}/taak/{task.pk}/annuleren/",
        f"{bo}opvolging/mantelzorger/{riet}/contact/",
        f"{bo}waardering/", f"{bo}waardering/{w['request'].pk}/", f"{bo}waardering-invoer/",
        f"{bo}betalingen/", f"{bo}betalingen/{w['year'].year}/",
        f"{bo}campagnes/", campaign, f"{campaign}balie/", f"{bo}inzicht/",
        "/beheer/", "/beheer/registrations/district/",
    ]
    if w["batch"]:
        pages.append(f"{bo}betalingen/batch/{w['batch'].pk}/betaald/")
    if w["ask"]:
        pages.append(f"{campaign}aanvraag/{w['ask'].pk}/annuleren/")
    return pages


def check_pages(page, axe, paths):
    """Visit each page; every page that does not load or has axe violations is named."""
    problems = []
    for path in paths:
        response = page.goto(path)
        if response is None or response.status >= 500 or (
                response.status >= 400 and path != "/bestaat-niet"):
            problems.append(f"{path}: answered {response and response.status}")
            continue
        try:
            assert_no_axe_violations(axe, page)
        except AssertionError as error:
            problems.append(f"{path}: {error}")
    assert not problems, "\n\n".join(problems)


@pytest.fixture(params=list(VIEWPORTS))
def sized_page(request, browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="nl-NL",
                                  **VIEWPORTS[request.param])
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def test_every_page_has_no_axe_violations_at_320_1280_and_200_percent(sized_page, axe, world):
    page = sized_page
    check_pages(page, axe, public_pages(world))

    page.goto(f"/mijn-gegevens/link/{link_token(world['riet'])}")
    page.get_by_role("button", name="Open Mijn gegevens").click()
    page.wait_for_url("**/mijn-gegevens/")
    check_pages(page, axe, MY_PAGES)
    page.context.clear_cookies()

    staff_login(page, "kees-axe", "coordinator")
    pages = back_office_pages(world)
    if page.viewport_size["width"] < 1280:
        # Every back-office page at 1280 px; at 320 px and 200 % one page of each layout (a
        # list, a detail, a form, Beheer), which keeps `make test` within its six minutes.
        pages = [path for path in pages if path in NARROW_BACK_OFFICE or path.endswith(
            ("/aanpassen/", "/naasten/nieuw/"))]
    check_pages(page, axe, pages)


@pytest.fixture
def wide_page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="nl-NL",
                                  **VIEWPORTS["1280px"])
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.mark.parametrize("role", ["consulent", "coordinator"])
def test_queue_fits_1280_px_and_keeps_filters_and_headers_in_view(wide_page, world, role):
    page = wide_page
    staff_login(page, f"{role}-queue", role)
    page.goto("/backoffice/waardering/?state=")  # every state: a long list
    page.wait_for_load_state("load")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    rows = page.locator("table.list tbody tr")
    assert rows.count() > 10, "the demo queue should be long enough to scroll"

    # The list's box fits the window: scrolled to it and then to its last row, the filters
    # beside it, its column headers and that last row are all on screen.
    box = page.locator(".table-scroll")
    box.evaluate("el => window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY)")
    assert box.evaluate("el => el.scrollHeight > el.clientHeight"), "the list scrolls in its box"
    assert box.evaluate("el => el.scrollWidth <= el.clientWidth + 1"), "every column fits"
    box.evaluate("el => el.scrollTop = el.scrollHeight")
    header = page.get_by_role("columnheader", name="Kenmerk")
    assert _on_screen(page, page.get_by_role("button", name="Filteren"))
    assert _on_screen(page, header)
    assert _on_screen(page, rows.last)
    assert header.bounding_box()["y"] + header.bounding_box()["height"] <= \
        rows.last.bounding_box()["y"] + 1


def _on_screen(page, locator) -> bool:
    """Wholly inside the window (to the pixel: layout positions may be fractions)."""
    box = locator.bounding_box()
    size = page.viewport_size
    return (box is not None and -1 <= box["y"] and box["y"] + box["height"] <= size["height"] + 1
            and -1 <= box["x"] and box["x"] + box["width"] <= size["width"] + 1)


def test_the_theme_colours_the_page(wide_page, world):
    """The header takes the theme's primary colour, the font the theme's family: the NL
    Design System CSS and the theme file are served (static, no inline style)."""
    page = wide_page
    page.goto("/")
    header = page.locator("header.site-header")
    assert header.evaluate("el => getComputedStyle(el).backgroundColor") == "rgb(0, 90, 112)"
    font = page.locator("body").evaluate("el => getComputedStyle(el).fontFamily")
    assert re.match(r'"?DejaVu Sans', font), font
    assert page.locator("[style]").count() == 0
