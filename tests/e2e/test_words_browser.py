"""Words as a young caregiver meets them: Sem (19) asks for the waardering, a consulent
approves it in the back office, and the approval e-mail that reaches the mail server says
"je" throughout (subject, text, HTML and the PDF letter). In Mijn gegevens Sem reads the
status once, in "je", without internal words. Axe runs on every page."""

import datetime
import email.header
import re

import time_machine

from appreciation.models import AppreciationRequest, RequestState
from core import clock
from registrations.models import Caregiver, State
from tests.e2e.browser import TODAY, assert_no_axe_violations, staff_login, wait_for_text
from tests.factories import AppreciationYearFactory
from tests.support import caregiver_details, pdf_text, request_data, submit

FORMAL = re.compile(r"\b(u|uw|uzelf)\b", re.IGNORECASE)


def _subject(message) -> str:
    return str(email.header.make_header(email.header.decode_header(message["Subject"])))


def _parts(message) -> dict:
    """content type -> decoded content (text as str, the PDF as bytes)."""
    parts = {}
    for part in message.walk():
        payload = part.get_payload(decode=True)
        if payload is None:
            continue
        kind = part.get_content_type()
        parts[kind] = payload if kind == "application/pdf" else payload.decode(
            part.get_content_charset() or "utf-8")
    return parts


def _text(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", html)


def _mail_to(sink, address, subject):
    found = [m for m in sink.messages if str(m["To"]) == address and _subject(m) == subject]
    assert len(found) == 1, [(str(m["To"]), _subject(m)) for m in sink.messages]
    return found[0]


def test_a_young_caregiver_hears_je_from_approval_to_mijn_gegevens(
        page, axe, inline_tasks, smtp_sink, tmp_path):
    with time_machine.travel(datetime.datetime(2026, 9, 15, 10, 0), tick=True):
        AppreciationYearFactory(open_on=TODAY)
        born = TODAY.replace(year=TODAY.year - 19) - datetime.timedelta(days=3)
        request = submit(request_data(caregiver=caregiver_details(
            first_name="Sem", date_of_birth=born, email="sem@example.nl")))
        Caregiver.objects.filter(pk=request.caregiver_id).update(
            state=State.ACTIEF, email_confirmed_at=clock.now())

        # The consulent approves in the back office.
        staff_login(page, "inge", "consulent")
        page.get_by_role("link", name="Waardering", exact=True).click()
        page.wait_for_url("**/backoffice/waardering/")
        page.get_by_role("link", name="Bakker, Sem").click()
        wait_for_text(page, request.reference)
        assert_no_axe_violations(axe, page)
        page.get_by_role("button", name="Goedkeuren", exact=True).click()
        wait_for_text(page, "Goedgekeurd. De mantelzorger krijgt een brief.")
        assert_no_axe_violations(axe, page)
        assert AppreciationRequest.objects.get().state == RequestState.GOEDGEKEURD
        page.get_by_role("button", name="Uitloggen").click()

        # The approval as the mail server received it: "je" in every part.
        message = _mail_to(smtp_sink, "sem@example.nl", "Je krijgt de mantelzorgwaardering")
        parts = _parts(message)
        text, html = parts["text/plain"], parts["text/html"]
        letter = pdf_text(parts["application/pdf"], tmp_path)
        assert text.startswith("Hoi Sem,") and "Hoi Sem," in html and "Hoi Sem," in letter
        assert "Je krijgt" in text and request.reference in text
        for name, words in (("text", text), ("html", _text(html)), ("pdf", letter)):
            assert FORMAL.findall(words) == [], f"{name}: {words}"

        # Sem signs in to Mijn gegevens and reads the status once, in "je".
        page.goto("/mijn-gegevens/inloggen")
        page.get_by_label("E-mailadres").fill("sem@example.nl")
        page.get_by_role("button", name="Stuur mij een link").click()
        wait_for_text(page, "Kijk in uw e-mail")  # said alike to everyone: nobody is known yet
        link_mail = _mail_to(smtp_sink, "sem@example.nl", "Je link voor Mijn gegevens")
        link = re.search(r"/mijn-gegevens/link/\S+", _parts(link_mail)["text/plain"]).group(0)
        page.goto(link)
        page.get_by_role("button", name="Open Mijn gegevens").click()
        page.wait_for_url("**/mijn-gegevens/")
        assert_no_axe_violations(axe, page)
        main = page.locator("main").inner_text()
        assert "Je bent ingeschreven als mantelzorger." in main
        assert FORMAL.findall(main) == [], main

        page.get_by_role("link", name="Mantelzorgwaardering: aanvragen en bekijken").click()
        page.wait_for_url("**/mijn-gegevens/waardering/")
        assert_no_axe_violations(axe, page)
        main = page.locator("main").inner_text()
        assert "Goedgekeurd. Je krijgt de waardering." in main
        assert main.count("Goedgekeurd") == 1
        assert FORMAL.findall(main) == [], main
