"""Every kind of bad input in issue 18 gets a clear Dutch message, for the whole file or per
line, and nothing is half-imported."""

import datetime

import pytest

from registrations.imports import jobs, reading, services, writing
from registrations.models import (
    Caregiver,
    CareRecipient,
    ImportRow,
    ImportState,
    RegistryImport,
)
from tests.registrations.import_files import (
    csv_bytes,
    dry_run,
    person,
    upload,
    write,
    xlsx_bytes,
)
from worker.models import Letter

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(media):
    return media


def refused(content: bytes, name="lijst.csv") -> str:
    with pytest.raises(services.ImportFileRefused) as caught:
        upload(content, name)
    assert not RegistryImport.objects.exists()
    return caught.value.message


def test_a_file_that_is_too_large_is_refused():
    message = refused(b"Voornaam;Achternaam\r\n" + b"x" * reading.MAX_IMPORT_BYTES)
    assert "te groot" in message and "20 MB" in message


def test_a_binary_file_is_refused():
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10"
    assert "kunnen we niet lezen" in refused(png, "foto.csv")


def test_an_old_excel_file_is_refused_with_what_to_do():
    assert ".xlsx" in refused(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "oud.xls")


def test_a_zip_that_is_no_workbook_is_refused():
    assert "kunnen we niet lezen" in refused(b"PK\x03\x04" + b"rommel" * 20, "lijst.xlsx")


@pytest.mark.parametrize("content", [
    "Voornaam;Achternaam\r\nJan;Vries\r\n".encode("utf-16"),  # Excel's "Unicode text"
    b"Voornaam;Achternaam\r\nJan;Vr\x81ies\r\n",  # no UTF-8, and 0x81 means nothing in 1252
], ids=["utf-16", "undefined-byte"])
def test_an_unknown_encoding_is_refused(content):
    assert "onbekende codering" in refused(content)


def test_windows_1252_and_utf8_without_bom_are_read():
    ansi = upload(csv_bytes([person(Voornaam="Jérôme")], encoding="cp1252"))
    utf8 = upload(csv_bytes([person(Voornaam="Jérôme")], sep=",", encoding="utf-8"))
    for registry_import in (ansi, utf8):
        dry_run(registry_import)
        row = ImportRow.objects.get(registry_import=registry_import)
        assert row.data["first_name"] == "Jérôme", row.reasons


def test_an_empty_file_and_a_header_without_people_are_refused():
    assert "leeg" in refused(b"\r\n \r\n")
    assert "alleen een kopregel" in refused(b"Voornaam;Achternaam\r\n;\r\n")


def test_empty_header_names_are_refused_for_the_whole_file():
    message = refused(b"Voornaam;;Achternaam\r\nJan;x;Vries\r\n")
    assert "Kolom 2 heeft geen naam" in message


def test_empty_columns_after_the_last_name_are_not_a_problem():
    registry_import = upload(b"Voornaam;Achternaam;;\r\nJan;Vries;;\r\n")
    assert registry_import.headers == ["Voornaam", "Achternaam"]


def test_duplicated_header_names_are_refused_for_the_whole_file():
    message = refused(b"Voornaam;E-mail;Achternaam;e-mail \r\nJan;a@b.nl;Vries;c@d.nl\r\n")
    assert "twee keer" in message and "E-mail" in message


def test_a_million_empty_rows_are_skipped():
    """A sheet that Excel saved with a million empty lines is one person, not a refusal for
    too many lines. (How fast and in how much memory: `make bench-import`, not a test.)"""
    content = csv_bytes([person()]) + b";;;;\r\n" * 1_000_000
    registry_import = upload(content)
    assert registry_import.rows_total == 1
    dry_run(registry_import)
    assert registry_import.summary["nieuw"] == 1


def test_too_many_people_in_one_file_are_refused(monkeypatch):
    monkeypatch.setattr(reading, "MAX_ROWS", 3)
    lines = [person(Klantnummer=f"A{n}") for n in range(4)]
    assert "te veel regels" in refused(csv_bytes(lines))


def test_formula_cells_refuse_their_line_only():
    registry_import = dry_run(upload(csv_bytes([
        person(Klantnummer="A1"),
        person(Klantnummer="A2", Voornaam='=HYPERLINK("http://x.nl","Klik")'),
        person(Klantnummer="A3", Achternaam="@SUM(1+1)"),
        person(Klantnummer="A4", Straat="-2+3+cmd|' /C calc'!A0"),
    ])))
    rows = {row.line: row for row in ImportRow.objects.filter(registry_import=registry_import)}
    assert rows[2].outcome == "nieuw"  # "+31 (0)6 …" is a phone number, not a formula
    for line in (3, 4, 5):
        assert rows[line].outcome == "geweigerd"
        assert f"Regel {line}" in rows[line].reasons[0] and "formule" in rows[line].reasons[0]
    assert not any("HYPERLINK" in str(row.data) for row in rows.values())


def test_an_xlsx_formula_cell_refuses_its_line():
    headers = ["Voornaam", "Achternaam", "Geboortedatum", "Postcode", "Huisnummer"]
    content = xlsx_bytes([["Jan", "Vries", datetime.date(1958, 3, 15), "3841AB", 12],
                          ["Piet", "=A2&\"x\"", datetime.date(1960, 1, 1), "3841AB", 14]],
                         headers)
    registry_import = dry_run(upload(content, "lijst.xlsx"))
    rows = {row.line: row for row in ImportRow.objects.filter(registry_import=registry_import)}
    assert rows[2].outcome == "nieuw" and rows[2].data["house_number"] == "12"
    assert rows[3].outcome == "geweigerd" and "formule" in rows[3].reasons[0]


def test_mixed_date_formats_are_read_and_the_unreadable_ones_named_per_line():
    typed = ["15-3-1958", "15/03/1958", "1958-03-15", "15.03.1958", "21259", "03/15/1958",
             "15-3-58"]
    lines = [person(Klantnummer=f"A{n}", Geboortedatum=value, **{"E-mail": f"p{n}@x.nl"})
             for n, value in enumerate(typed)]
    registry_import = dry_run(upload(csv_bytes(lines)))
    rows = {row.line: row for row in ImportRow.objects.filter(registry_import=registry_import)}
    for line in range(2, 7):
        assert rows[line].data["date_of_birth"] == "1958-03-15", rows[line].reasons
    for line, value in ((7, "03/15/1958"), (8, "15-3-58")):
        assert rows[line].outcome == "geweigerd"
        assert rows[line].reasons == [
            f"Regel {line}, kolom 'Geboortedatum' (geboortedatum): '{value}' is geen datum die "
            "wij kennen. Schrijf de datum zoals 15-03-1958."]


def test_excel_date_cells_and_serial_numbers_are_dates():
    headers = ["Voornaam", "Achternaam", "Geboortedatum", "Postcode", "Huisnummer", "Sinds",
               "Naaste"]
    content = xlsx_bytes([
        ["Jan", "Vries", datetime.datetime(1958, 3, 15), "3841AB", 12.0, 43983, "Truus"],
    ], headers)
    registry_import = dry_run(upload(content, "lijst.xlsx"))
    row = ImportRow.objects.get(registry_import=registry_import)
    assert row.outcome == "nieuw", row.reasons
    assert row.data["date_of_birth"] == "1958-03-15"
    assert row.data["care_since"] == "2020-06-01"


@pytest.mark.parametrize("values, words", [
    ({"Postcode": "38411AB"}, "postcode"),
    ({"Huisnummer": "twaalf"}, "huisnummer"),
    ({"E-mail": "jan@"}, "e-mailadres"),
    ({"Telefoon": "06 1234"}, "telefoonnummer"),
    ({"Uren per week": "200"}, "168"),
    ({"Relatie": "collega"}, "relatie"),
    ({"Geboortedatum": "01-01-2099"}, "toekomst"),
    ({"Voornaam": ""}, "voornaam ontbreekt"),
    ({"Nieuwsbrief": "misschien"}, "ja of nee"),
])
def test_a_wrong_value_refuses_its_line_with_the_reason(values, words):
    registry_import = dry_run(upload(csv_bytes([person(**values)])))
    row = ImportRow.objects.get(registry_import=registry_import)
    assert row.outcome == "geweigerd"
    assert row.reasons[0].startswith("Regel 2") and words in row.reasons[0]


def test_children_under_sixteen_are_left_to_an_intake_with_a_parent():
    born = (datetime.date.today() - datetime.timedelta(days=365 * 14)).strftime("%d-%m-%Y")
    registry_import = dry_run(upload(csv_bytes([person(Geboortedatum=born)])))
    row = ImportRow.objects.get(registry_import=registry_import)
    assert row.outcome == "geweigerd" and "ouder of voogd" in row.reasons[0]


@pytest.mark.django_db(transaction=True)
def test_an_error_during_the_write_leaves_the_registry_as_it_was(monkeypatch):
    lines = [person(Klantnummer=f"A{n}", **{"E-mail": f"p{n}@x.nl"}) for n in range(5)]
    registry_import = dry_run(upload(csv_bytes(lines)))
    monkeypatch.setattr(writing, "CHUNK", 2)
    chunks = []
    queue_notices = writing._queue_notices

    def break_at_the_second_chunk(caregivers, now):
        chunks.append(len(caregivers))
        if len(chunks) == 2:
            raise RuntimeError("injected at row 4")
        queue_notices(caregivers, now)

    monkeypatch.setattr(writing, "_queue_notices", break_at_the_second_chunk)
    services.confirm(registry_import, by=None)
    with pytest.raises(RuntimeError):
        jobs.run_import(registry_import.pk)
    registry_import.refresh_from_db()
    assert chunks == [2, 2]  # the first two caregivers were written, then it broke
    assert registry_import.state == ImportState.FAILED
    assert "niets veranderd" in registry_import.message
    assert registry_import.rows_done == 2  # the first chunk's progress was visible meanwhile
    assert not Caregiver.objects.exists()
    assert not CareRecipient.objects.exists() and not Letter.objects.exists()


def test_nothing_is_imported_twice_when_a_file_is_confirmed_twice():
    registry_import = dry_run(upload(csv_bytes([person()])))
    write(registry_import)
    with pytest.raises(services.NotReady):
        services.confirm(registry_import, by=None)
    assert Caregiver.objects.count() == 1


def test_a_workbook_that_unpacks_to_too_much_is_refused(monkeypatch):
    content = xlsx_bytes([["Jan", "Vries"]], ["Voornaam", "Achternaam"])
    monkeypatch.setattr(reading, "MAX_XLSX_UNPACKED_BYTES", 1000)
    assert "te groot" in refused(content, "lijst.xlsx")


def test_a_dry_run_that_cannot_read_the_file_fails_with_a_dutch_message(monkeypatch):
    registry_import = upload(csv_bytes([person(Klantnummer=f"A{n}") for n in range(3)]))
    monkeypatch.setattr(reading, "MAX_ROWS", 2)  # the limit changed after the upload
    dry_run(registry_import)
    assert registry_import.state == ImportState.FAILED
    assert "te veel regels" in registry_import.message
    assert not registry_import.file  # not kept once refused


def test_a_dry_run_that_breaks_fails_instead_of_running_forever(monkeypatch):
    registry_import = upload(csv_bytes([person()]))

    def broken(lines):
        raise RuntimeError("a bug")

    monkeypatch.setattr(jobs, "plan", broken)
    with pytest.raises(RuntimeError):
        dry_run(registry_import)
    registry_import.refresh_from_db()
    assert registry_import.state == ImportState.FAILED
    assert registry_import.message.startswith("De proefimport is mislukt.")
    assert not ImportRow.objects.exists()
