"""A coordinator sets the Servicepunt's contact details; a visitor finds them under the home
page, and a caregiver who gets post finds them in the letter a real worker printed."""

import subprocess

from playwright.sync_api import expect

from tests.e2e.browser import assert_no_axe_violations, staff_login
from tests.factories import RetentionNoticeFactory
from tests.support import wait_for
from worker.models import LetterStatus, PrintBatch
from worker.tasks import dispatch_letters, make_print_batches


def test_contact_details_on_the_home_page_and_in_a_printed_letter(page, axe, real_worker,
                                                                   media, tmp_path):
    staff_login(page, "kees", "coordinator")
    page.get_by_role("link", name="Contactgegevens").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Contactgegevens van het Servicepunt")
    assert_no_axe_violations(axe, page)

    page.get_by_label("Telefoonnummer").fill("bel ons maar")
    page.get_by_label("E-mailadres").fill("servicepunt@zorgdat.example")
    page.get_by_label("Bezoekadres").fill("De Aanleg, Stationsplein 5, 3844 KR Harderwijk")
    page.get_by_label("Openingstijden").fill("maandag tot en met vrijdag van 9.00 tot 17.00 uur")
    page.get_by_label("Inloopspreekuur").fill("dinsdag van 10.00 tot 12.00 uur")
    page.get_by_role("button", name="Opslaan").click()
    # A Dutch message next to the field; what was typed is still there.
    expect(page.locator("#id_phone_error")).to_contain_text("Vul een telefoonnummer in")
    expect(page.get_by_label("Bezoekadres")).to_have_value(
        "De Aanleg, Stationsplein 5, 3844 KR Harderwijk")
    assert_no_axe_violations(axe, page)

    # By keyboard: fix the number, Enter saves.
    page.get_by_label("Telefoonnummer").fill("0341 44 55 66")
    page.get_by_label("Telefoonnummer").press("Enter")
    expect(page.get_by_text("De contactgegevens zijn opgeslagen.")).to_be_visible()

    page.goto("/")
    footer = page.locator("footer")
    expect(footer.get_by_role("link", name="0341 445 566")).to_have_attribute(
        "href", "tel:+31-341-445-566")
    expect(footer).to_contain_text("Bezoekadres: De Aanleg, Stationsplein 5")
    expect(footer).to_contain_text("Open: maandag tot en met vrijdag van 9.00 tot 17.00 uur")
    expect(footer).to_contain_text("Inloopspreekuur: dinsdag van 10.00 tot 12.00 uur")
    assert_no_axe_violations(axe, page)

    # A caregiver who chose post: the real worker routes the letter to print and prints it.
    letter = RetentionNoticeFactory(caregiver__post=True, caregiver__first_name="Gerrit")
    dispatch_letters.delay()
    wait_for(lambda: type(letter).objects.get(pk=letter.pk).status == LetterStatus.TO_PRINT,
             timeout=60, message="the worker to route the letter to print")
    make_print_batches.delay()
    wait_for(PrintBatch.objects.exists, timeout=120, message="the worker to print the batch")

    page.goto("/backoffice/post/")
    batch = PrintBatch.objects.get()
    link = page.get_by_role("link", name=f"PDF van drukwerk {batch.pk}")
    # The browser would show the PDF inline; fetch what the link gives, signed in as Kees.
    response = page.request.get(link.get_attribute("href"))
    assert response.ok and response.headers["content-type"] == "application/pdf"
    pdf = tmp_path / "printbatch.pdf"
    pdf.write_bytes(response.body())
    text = " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True,
                                   text=True, check=True).stdout.split())
    assert "Gerrit" in text
    for words in ("Telefoon 0341 445 566", "E-mail servicepunt@zorgdat.example",
                  "Bezoekadres: De Aanleg, Stationsplein 5, 3844 KR Harderwijk",
                  "Open: maandag tot en met vrijdag van 9.00 tot 17.00 uur",
                  "Inloopspreekuur: dinsdag van 10.00 tot 12.00 uur"):
        assert words in text, words
