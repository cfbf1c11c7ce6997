"""Small import files for the import tests (CSV and XLSX made on the spot), and the steps of
an import run in this process: upload, columns, dry run, write."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from registrations.imports import jobs, services
from registrations.models import RegistryImport

HEADERS = ["Klantnummer", "Voornaam", "Tussenvoegsel", "Achternaam", "Geboortedatum",
           "Postcode", "Huisnummer", "Toevoeging", "Straat", "Woonplaats", "E-mail",
           "Telefoon", "Naaste", "Relatie", "Uren per week", "Sinds", "Ingeschreven op",
           "Nieuwsbrief"]


def person(**values) -> dict:
    """One line of the standard file: Jan de Vries with his mother Truus."""
    line = {"Klantnummer": "A1", "Voornaam": "Jan", "Tussenvoegsel": "de",
            "Achternaam": "Vries", "Geboortedatum": "15-3-1958", "Postcode": "3841 ab",
            "Huisnummer": "12", "Toevoeging": "a", "Straat": "Stationsplein",
            "Woonplaats": "Harderwijk", "E-mail": "Jan.de.Vries@Example.NL",
            "Telefoon": "+31 (0)6 12345678", "Naaste": "Truus de Vries", "Relatie": "moeder",
            "Uren per week": "10", "Sinds": "01-06-2020", "Ingeschreven op": "2021-01-05",
            "Nieuwsbrief": "ja"}
    line.update(values)
    return line


def csv_bytes(lines: list[dict], headers=None, sep=";", encoding="utf-8-sig") -> bytes:
    headers = headers or HEADERS
    out = [sep.join(headers)]
    for line in lines:
        out.append(sep.join(str(line.get(h, "")) for h in headers))
    return ("\r\n".join(out) + "\r\n").encode(encoding)


def xlsx_bytes(lines: list[list], headers: list[str]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for line in lines:
        sheet.append(line)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def uploaded(content: bytes, name="mantelzorgers.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def upload(content: bytes, name="mantelzorgers.csv", by=None) -> RegistryImport:
    return services.upload(uploaded(content, name), by=by)


def dry_run(registry_import, mapping=None) -> RegistryImport:
    """Set the columns and run the dry run here (the task is queued on commit elsewhere)."""
    services.set_mapping(registry_import, mapping or registry_import.mapping, by=None)
    jobs.check_import(registry_import.pk)
    registry_import.refresh_from_db()
    return registry_import


def write(registry_import, by=None) -> RegistryImport:
    services.confirm(registry_import, by=by)
    jobs.run_import(registry_import.pk)
    registry_import.refresh_from_db()
    return registry_import


def import_file(content: bytes, name="mantelzorgers.csv", by=None) -> RegistryImport:
    """Upload, dry run with the guessed columns, write."""
    return write(dry_run(upload(content, name, by=by)), by=by)
