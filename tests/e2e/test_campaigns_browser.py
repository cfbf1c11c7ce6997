"""Swimming tickets as the people involved would ask for them, in one browser: the page
before the summer, a caregiver without e-mail using the short public form (with a typo on
the way), a registered caregiver signing in with the magic link from the outbox, asking in
Mijn gegevens and finding the letter with two codes in the outbox; a second ask refused
politely; a waiting-list request cancelled. axe-core on every page on the way."""

import datetime
import email
import email.header
import email.message
import re
from pathlib import Path

import time_machine
from playwright.sync_api import expect

from appreciation.models import CampaignRequest, CampaignRoute
from core import clock
from tests.e2e.browser import assert_no_axe_violations
from tests.factories import CampaignFactory, CaregiverFactory

SUMMER = datetime.datetime(2026, 7, 1, 10, 0)


def outbox_messages(settings) -> list[email.message.Message]:
    """Every e-mail the file-based backend wrote, oldest first."""
    messages = []
    for path in sorted(Path(settings.EMAIL_FILE_PATH).glob("*.log"),
                       key=lambda p: p.stat().st_mtime):
        for chunk in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if chunk.strip():
                messages.append(email.message_from_bytes(chunk.strip() + b"\n"))
    return messages


def plain_text(message) -> str:
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            return part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
    return ""


def subject(message) -> str:
    return str(email.header.make_header(email.header.decode_header(message["Subject"])))


def test_caregivers_ask_for_swimming_tickets(page, axe, inline_tasks, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    with time_machine.travel(SUMMER, tick=True):
        _before_the_summer(page, axe)
        campaign = CampaignFactory(codes=6)
        riet = CaregiverFactory(recipient=True,
                                registered_on=clock.today() - datetime.timedelta(days=30))
        _public_form_without_email(page, axe)
        _sign_in_with_the_magic_link(page, axe, settings)
        codes = _ask_in_mijn_gegevens(page, axe, settings, riet)
        _second_ask_is_refused(page, axe, riet, campaign)
        _waiting_list_and_cancel(page, axe, riet)
    assert sorted(CampaignRequest.objects.get(caregiver=riet, campaign=campaign)
                  .codes.values_list("code", flat=True)) == sorted(codes)


def _before_the_summer(page, axe):
    page.goto("/zwemkaartjes")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "U kunt nu geen zwemkaartjes aanvragen")
    assert_no_axe_violations(axe, page)


def _public_form_without_email(page, axe):
    """Bram has no e-mail address: he uses the short form, and first types a wrong number
    (the page answers alike whether or not it found him; the codes come by letter)."""
    bram = CaregiverFactory(
        first_name="Bram", last_name="Visser", date_of_birth=datetime.date(1961, 6, 7),
        street="Zeeweg", house_number="3", postcode="3841AB", email="", unconfirmed=True)
    page.goto("/")
    page.get_by_role("link", name="Zwemkaartjes aanvragen").click()
    page.wait_for_url("**/zwemkaartjes")
    assert "U krijgt 2 kaartjes voor Zwembad De Sypel." in page.content()
    assert_no_axe_violations(axe, page)

    page.get_by_label("Uw geboortedatum").fill("07-06-1961")
    page.get_by_label("Uw postcode").fill("3841 ab")
    page.get_by_label("Uw huisnummer").fill("33")
    page.get_by_role("button", name="Zwemkaartjes aanvragen").click()
    page.wait_for_url("**/aangevraagd")  # not found: the same answer as when found
    expect(page.get_by_role("status").last).to_contain_text("Wij hebben uw aanvraag ontvangen")
    assert_no_axe_violations(axe, page)
    assert not CampaignRequest.objects.exists()

    page.goto("/zwemkaartjes")
    page.get_by_label("Uw geboortedatum").fill("07-06-1961")
    page.get_by_label("Uw postcode").fill("3841 ab")
    page.get_by_label("Uw huisnummer").fill("3")
    page.get_by_role("button", name="Zwemkaartjes aanvragen").click()
    page.wait_for_url("**/aangevraagd")
    expect(page.get_by_role("status").last).to_contain_text("e-mail of een brief")
    assert_no_axe_violations(axe, page)
    request = CampaignRequest.objects.get()
    assert (request.caregiver, request.route) == (bram, CampaignRoute.PUBLIC_FORM)
    page.context.clear_cookies()


def _sign_in_with_the_magic_link(page, axe, settings):
    page.goto("/mijn-gegevens/inloggen")
    page.get_by_label("E-mailadres").fill("riet@example.nl")
    page.get_by_role("button", name="Stuur mij een link").click()
    page.wait_for_load_state("networkidle")
    bodies = [plain_text(message) for message in outbox_messages(settings)]
    link = next(re.search(r"/mijn-gegevens/link/\S+", body) for body in reversed(bodies)
                if "/mijn-gegevens/link/" in body).group(0)
    page.goto(link)
    page.get_by_role("button", name="Open Mijn gegevens").click()
    page.wait_for_url("**/mijn-gegevens/")


def _ask_in_mijn_gegevens(page, axe, settings, riet) -> list[str]:
    page.get_by_role("link", name="Zwemkaartjes en acties: aanvragen en bekijken").click()
    page.wait_for_url("**/mijn-gegevens/campagnes/")
    assert "van 01-06-2026 tot en met 31-08-2026" in page.content()
    assert_no_axe_violations(axe, page)
    page.get_by_role("button", name="Zwemkaartjes aanvragen").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Uw aanvraag is binnen. U krijgt een brief of e-mail met de codes.")
    assert_no_axe_violations(axe, page)

    request = CampaignRequest.objects.get(caregiver=riet)
    assert request.route == CampaignRoute.SELF_SERVICE
    codes = list(request.codes.values_list("code", flat=True))
    assert len(codes) == 2
    letters = [message for message in outbox_messages(settings)
               if subject(message) == "Zwemkaartjes zomer 2026: uw codes"
               and message["To"] == "riet@example.nl"]
    assert len(letters) == 1
    body = plain_text(letters[0])
    assert all(code in body for code in codes), body
    request.refresh_from_db()
    assert request.state == "verstuurd"  # the letter went out, in this process
    page.reload()
    expect(page.get_by_text("De brief met uw codes is verstuurd.")).to_be_visible()
    for code in codes:
        expect(page.get_by_text(code, exact=True)).to_be_visible()
    return codes


def _second_ask_is_refused(page, axe, riet, campaign):
    page.goto("/zwemkaartjes")
    assert "U bent ingelogd bij Mijn gegevens" in page.content()
    assert_no_axe_violations(axe, page)
    page.get_by_label("Uw geboortedatum").fill("02-01-1950")
    page.get_by_label("Uw postcode").fill("3845 AB")
    page.get_by_label("Uw huisnummer").fill("12")
    page.get_by_role("button", name="Zwemkaartjes aanvragen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("U heeft dit al aangevraagd")
    expect(page.get_by_role("alert")).to_contain_text("U heeft dit al aangevraagd.")
    assert_no_axe_violations(axe, page)
    assert CampaignRequest.objects.filter(caregiver=riet, campaign=campaign).count() == 1


def _waiting_list_and_cancel(page, axe, riet):
    CampaignFactory(name="Ontspanningsochtend", kind="anders", codes=0, pool_name="")
    page.goto("/mijn-gegevens/campagnes/")
    page.get_by_role("button", name="Ontspanningsochtend aanvragen").click()
    expect(page.get_by_role("status")).to_contain_text("U staat op de wachtlijst, nummer 1.")
    assert_no_axe_violations(axe, page)
    page.get_by_role("link", name="Annuleren: Ontspanningsochtend").click()
    expect(page.get_by_text("daarna kunt u het niet opnieuw aanvragen")).to_be_visible()
    assert_no_axe_violations(axe, page)
    page.get_by_role("button", name="Ja, annuleer mijn aanvraag").click()
    expect(page.get_by_role("status")).to_contain_text("Uw aanvraag is geannuleerd.")
    assert_no_axe_violations(axe, page)
    assert CampaignRequest.objects.get(caregiver=riet, campaign__name="Ontspanningsochtend") \
        .state == "geannuleerd"
