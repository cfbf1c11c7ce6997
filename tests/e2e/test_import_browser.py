"""A coordinator moves the Servicepunt's old registry in: uploads an Excel file, maps two
columns we do not recognise, reads the dry run, imports, and finds the people in the list.

The dry run and the write run in a real Celery worker (the `real_worker` fixture: a worker
thread in this process, on the test Redis, seeing the live server's test database).
"""

import datetime

from openpyxl import Workbook
from playwright.sync_api import expect

from registrations.models import Caregiver, ImportState, RegistryImport
from tests.e2e.browser import assert_no_axe_violations, staff_login, wait_for_text


def old_registry(path):
    """The old system's export: known Dutch headers, two it has its own names for
    ("Klantcode", "Zorgt voor"), Excel date cells, and one line without a date of birth."""
    book = Workbook()
    sheet = book.active
    sheet.append(["Voornaam", "Achternaam", "Geboortedatum", "Postcode", "Huisnummer",
                  "Klantcode", "Zorgt voor", "Opmerking"])
    sheet.append(["Riet", "Bakker", datetime.date(1958, 3, 15), "3845 AB", 12, "K-001",
                  "Henk Bakker", "belt graag"])
    sheet.append(["Ahmed", "El Amrani", datetime.date(1971, 11, 2), "3841AA", "7", "K-002",
                  "Fatima El Amrani", ""])
    sheet.append(["Zonder", "Datum", None, "3841AA", "9", "K-003", "", ""])
    book.save(path)
    return path


def test_a_coordinator_imports_an_excel_file(page, axe, real_worker, tmp_path, media):
    staff_login(page, "coordinator-import", role="coordinator")
    page.get_by_role("link", name="Importeren", exact=True).click()
    page.wait_for_url("**/backoffice/import/")
    assert_no_axe_violations(axe, page)
    page.get_by_role("link", name="Nieuw bestand laden").click()
    page.wait_for_url("**/backoffice/import/nieuw/")
    assert_no_axe_violations(axe, page)

    # Forgetting the file: the message sits next to the field.
    page.get_by_role("button", name="Bestand laden").click()
    wait_for_text(page, "Kies een bestand.")
    assert "Kies een bestand." in page.locator(".field-error").inner_text()
    assert_no_axe_violations(axe, page)

    page.get_by_label("Bestand met mantelzorgers (CSV of Excel)").set_input_files(
        old_registry(tmp_path / "oud-systeem.xlsx"))
    page.get_by_role("button", name="Bestand laden").click()
    page.wait_for_url("**/kolommen/")
    assert_no_axe_violations(axe, page)
    # Known names are guessed; the examples help with the rest.
    expect(page.get_by_label("Voornaam", exact=True)).to_have_value("first_name")
    expect(page.get_by_label("Klantcode")).to_have_value("")
    assert "K-001" in page.content() and "Fatima El Amrani" in page.content()
    page.get_by_label("Klantcode").select_option(label="Nummer in het vorige systeem")
    page.get_by_label("Zorgt voor").select_option(label="Naam van de naaste")
    page.get_by_label("Bewaar deze keuze als").fill("Oud systeem")
    page.get_by_role("button", name="Proefimport starten").click()

    # The progress page refreshes itself until the dry run is read.
    wait_for_text(page, "Stap 3 van 3: lees de proefimport")
    assert_no_axe_violations(axe, page)
    assert not Caregiver.objects.exists()  # nothing written yet
    refused = page.get_by_role("table", name="1 regel met uitkomst 'geweigerd'")
    row = refused.get_by_role("row", name="Zonder Datum")
    expect(row.get_by_role("cell").first).to_have_text("4")  # its line in the sheet
    expect(row).to_contain_text("geboortedatum")
    page.get_by_role("link", name="Nieuw", exact=True).click()
    new = page.get_by_role("table", name="2 regels met uitkomst 'nieuw'")
    expect(new).to_contain_text("Riet")
    expect(new).to_contain_text("Ahmed")
    assert_no_axe_violations(axe, page)

    page.get_by_role("button", name="Importeren").click()
    wait_for_text(page, "De import is klaar")
    assert_no_axe_violations(axe, page)
    page.get_by_role("link", name="Bekijk de mantelzorgers").click()
    page.wait_for_url("**/backoffice/mantelzorgers/**")
    expect(page.get_by_role("table", name="Mantelzorgers")).to_contain_text("Bakker, Riet")
    expect(page.get_by_role("table", name="Mantelzorgers")).to_contain_text(
        "El Amrani, Ahmed")
    assert_no_axe_violations(axe, page)
    riet = Caregiver.objects.get(first_name="Riet")
    assert riet.date_of_birth == datetime.date(1958, 3, 15)
    assert riet.care_recipients.get().name == "Henk Bakker"


def test_the_progress_bar_follows_the_job_and_shows_the_result(page, axe):
    """The page polls voortgang.json: the bar and its text move while the job writes, a
    screen reader hears the state change, and the page shows the result by itself."""
    registry_import = RegistryImport.objects.create(
        original_name="oud-systeem.xlsx", headers=["Voornaam"], state=ImportState.QUEUED,
        rows_total=10000, summary={"nieuw": 10000})
    staff_login(page, "coordinator-voortgang", role="coordinator")
    page.goto(f"/backoffice/import/{registry_import.pk}/")
    expect(page.locator("#import-progress-text")).to_have_text("0 van 10.000 regels")
    assert_no_axe_violations(axe, page)

    RegistryImport.objects.filter(pk=registry_import.pk).update(state=ImportState.RUNNING,
                                                                rows_done=123)
    expect(page.locator("#import-progress-text")).to_have_text("123 van 10.000 regels")
    expect(page.get_by_label("Voortgang")).to_have_attribute("value", "123")
    expect(page.get_by_role("status")).to_have_text("Import bezig: 123 van 10.000 regels")
    expect(page.locator("#import-state")).to_have_text("Import bezig")
    assert_no_axe_violations(axe, page)

    RegistryImport.objects.filter(pk=registry_import.pk).update(rows_done=5000)
    expect(page.locator("#import-progress-text")).to_have_text("5.000 van 10.000 regels")
    expect(page.get_by_label("Voortgang")).to_have_attribute("value", "5000")

    RegistryImport.objects.filter(pk=registry_import.pk).update(
        state=ImportState.DONE, rows_done=10000)
    expect(page.get_by_role("heading", name="De import is klaar")).to_be_visible()
    assert page.locator("progress").count() == 0
    assert "Is als nieuwe mantelzorger toegevoegd." in page.content()
    assert_no_axe_violations(axe, page)
