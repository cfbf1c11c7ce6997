"""Reading an import file (CSV or XLSX) within limits, line by line.

Whole-file problems (too big, binary, an unknown encoding, empty or double column names, too
many lines) raise ImportFileRefused with a Dutch message. Lines come back as read, with their
line number (the header is line 1); `cleaning.py` judges each line. Empty lines are skipped
as they stream past, so a million of them cost time but no memory.
"""

import csv
import datetime
import io
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from openpyxl import load_workbook

MAX_IMPORT_BYTES = 20 * 1024 * 1024
MAX_ROWS = 50_000  # lines with something in them
MAX_LINES = 2_000_000  # lines read, empty ones included
MAX_XLSX_UNPACKED_BYTES = 300 * 1024 * 1024  # a workbook unpacks to this at most (zip bomb)
XLSX_MAGIC = b"PK\x03\x04"
OLD_EXCEL_MAGIC = b"\xd0\xcf\x11\xe0"
CONTROL_OK = {"\t", "\r", "\n"}

TOO_BIG = ("Het bestand is te groot: hoogstens 20 MB. Haal kolommen weg die niet nodig zijn, "
           "of verdeel de lijst over twee bestanden.")
NOT_A_TABLE = ("Dit bestand kunnen we niet lezen. Sla de lijst in Excel op als 'Excel-werkmap "
               "(.xlsx)' of als 'CSV UTF-8', en probeer het opnieuw.")
OLD_EXCEL = ("Dit is een oud Excel-bestand (.xls). Sla het in Excel op als 'Excel-werkmap "
             "(.xlsx)' en probeer het opnieuw.")
UNKNOWN_ENCODING = ("De tekens in dit bestand kunnen we niet lezen (onbekende codering). Kies "
                    "in Excel bij Opslaan als 'CSV UTF-8', en probeer het opnieuw.")
EMPTY = "Het bestand is leeg: er staat geen kopregel met kolomnamen in."
NO_ROWS = "Er staan geen mensen in het bestand: alleen een kopregel."


class ImportFileRefused(Exception):  # noqa: N818  (the contract's name)
    """The whole file cannot be used; `message` says why, in Dutch."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Table:
    """The header row and an iterator over the other non-empty lines: (line, cells)."""

    headers: list[str]
    lines: Iterator[tuple[int, list]]


def header_key(name: str) -> str:
    """How two column names compare: no case, accents, dashes or extra spaces."""
    text = unicodedata.normalize("NFKD", str(name or "")).encode("ascii", "ignore").decode()
    text = "".join(ch if ch.isalnum() else " " for ch in text.casefold())
    return " ".join(text.split())


def open_table(raw: bytes, name: str = "") -> Table:
    """The file's table, or ImportFileRefused for a whole-file problem."""
    if len(raw) > MAX_IMPORT_BYTES:
        raise ImportFileRefused(TOO_BIG)
    if not raw.strip():
        raise ImportFileRefused(EMPTY)
    if raw.startswith(XLSX_MAGIC):
        return _xlsx_table(raw)
    if raw.startswith(OLD_EXCEL_MAGIC):
        raise ImportFileRefused(OLD_EXCEL)
    return _csv_table(_decode(raw))


def _decode(raw: bytes) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ImportFileRefused(UNKNOWN_ENCODING)  # UTF-16: Excel's "Unicode text"
    if b"\x00" in raw:
        raise ImportFileRefused(NOT_A_TABLE)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = raw.decode("cp1252")  # what Excel writes as plain "CSV" on Windows
        except UnicodeDecodeError:
            raise ImportFileRefused(UNKNOWN_ENCODING) from None
    if any(unicodedata.category(ch) == "Cc" and ch not in CONTROL_OK for ch in text):
        raise ImportFileRefused(NOT_A_TABLE)
    return text


def _delimiter(first_line: str) -> str:
    """Excel writes ';' where the decimal sign is a comma (Dutch settings), ',' elsewhere."""
    counts = {sep: first_line.count(sep) for sep in (";", ",", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _csv_table(text: str) -> Table:
    stream = io.StringIO(text, newline="")
    first_line = next((line for line in stream if line.strip()), "")
    stream.seek(0)
    reader = csv.reader(stream, delimiter=_delimiter(first_line))

    def rows():
        try:
            for cells in reader:
                yield reader.line_num, cells
        except csv.Error:
            raise ImportFileRefused(NOT_A_TABLE) from None

    return _table(rows())


def _xlsx_table(raw: bytes) -> Table:
    try:
        unpacked = sum(item.file_size for item in zipfile.ZipFile(io.BytesIO(raw)).infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        raise ImportFileRefused(NOT_A_TABLE) from None
    if unpacked > MAX_XLSX_UNPACKED_BYTES:
        raise ImportFileRefused(TOO_BIG)
    try:
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=False)
        sheet = workbook.worksheets[0]
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, IndexError):
        raise ImportFileRefused(NOT_A_TABLE) from None

    def rows():
        try:
            for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
                yield number, [_xlsx_value(cell) for cell in cells]
        except (zipfile.BadZipFile, KeyError, ValueError, OSError):
            raise ImportFileRefused(NOT_A_TABLE) from None
        finally:
            workbook.close()

    return _table(rows())


def _xlsx_value(cell):
    """Dates stay dates, numbers numbers; a formula comes as its text ('=A1+1')."""
    if isinstance(cell, datetime.datetime):
        return cell.date() if cell.time() == datetime.time(0) else cell
    if cell is None:
        return ""
    return cell


def _is_empty(cells) -> bool:
    return not "".join(map(str, cells)).strip()


def _table(rows: Iterator[tuple[int, list]]) -> Table:
    headers = None
    for number, cells in rows:
        if number > MAX_LINES:
            raise ImportFileRefused(_too_many())
        if not _is_empty(cells):
            headers = [str(cell).strip() for cell in cells]
            break
    if headers is None:
        raise ImportFileRefused(EMPTY)
    while headers and not headers[-1]:
        headers.pop()  # Excel often writes empty columns at the end
    _check_headers(headers)
    return Table(headers=headers, lines=_data_lines(rows, len(headers)))


def _check_headers(headers: list[str]) -> None:
    empty = [str(index) for index, name in enumerate(headers, start=1) if not name]
    if empty:
        raise ImportFileRefused(
            "Kolom " + ", ".join(empty) + " heeft geen naam in de kopregel. Geef elke kolom "
            "een naam (of haal lege kolommen weg) en probeer het opnieuw.")
    seen: dict[str, str] = {}
    for name in headers:
        key = header_key(name)
        if key in seen:
            raise ImportFileRefused(
                f"De kolomnaam '{name}' staat twee keer in de kopregel (ook als '{seen[key]}'). "
                "Geef elke kolom een eigen naam en probeer het opnieuw.")
        seen[key] = name


def _data_lines(rows, width: int):
    count = 0
    for number, cells in rows:
        if number > MAX_LINES:
            raise ImportFileRefused(_too_many())
        if _is_empty(cells):
            continue
        count += 1
        if count > MAX_ROWS:
            raise ImportFileRefused(_too_many())
        cells = list(cells[:width]) + [""] * (width - len(cells))
        yield number, cells


def _too_many() -> str:
    return (f"Het bestand heeft te veel regels: hoogstens {MAX_ROWS:,} mensen per "
            "bestand.".replace(",", ".") + " Verdeel de lijst over meer bestanden.")
