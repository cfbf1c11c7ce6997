"""Loading the postcode→wijk table from a CSV file, and deriving every caregiver's wijk again.

The file is the whole table: a coordinator keeps it in a spreadsheet and loads it again after
each change, so an upload replaces the table instead of adding to it. `parse_postcode_table`
is pure (text in, lines or `TableRefused` out) so every rule about a line is easy to test;
`replace_postcode_table` does the writes in one transaction.

Overlaps: a range may lie completely inside another (then the narrowest range wins, exactly
as `PostcodeRangeQuerySet.district_for` looks it up), so "3841 → Stad, except 3841 EA–EZ →
Haven" is two lines. Ranges that overlap only partly, or the same range twice, are refused:
for a postcode in both, which wijk is meant would depend on the lookup's tie-break, not on
the coordinator.
"""

import csv
import io
from dataclasses import dataclass

from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from core.postcodes import POSTCODE_RE, format_postcode, normalise_postcode
from core.uploads import FORMULA_START

from .models import Caregiver
from .reference import District, PostcodeRange

COLUMNS = ("van", "tot", "wijk")
SHOWN_VALUE_LENGTH = 40


@dataclass(frozen=True)
class ParsedRange:
    line: int
    first: str
    last: str
    district: District


@dataclass(frozen=True)
class TableLoaded:
    ranges: int
    caregivers_changed: int


class TableRefused(Exception):
    """A postcode table with mistakes: nothing was changed. `errors` holds (line number,
    message) for each wrong line, in file order."""

    def __init__(self, errors: list[tuple[int, str]]):
        super().__init__(errors)
        self.errors = errors


class DistrictDeleted(Exception):
    """A wijk of the file was deleted in Beheer between reading the file and saving it."""


def _shown(value: str) -> str:
    """A cell as a message quotes it: short (the page escapes it)."""
    value = value.strip()
    return value if len(value) <= SHOWN_VALUE_LENGTH else value[:SHOWN_VALUE_LENGTH] + "…"


def _separator(header: str) -> str | None:
    """Dutch Excel writes ';', others ','; the header line tells which."""
    if ";" in header or "," in header:
        return ";" if header.count(";") >= header.count(",") else ","
    return None


def _header_error() -> list[tuple[int, str]]:
    return [(1, _("De eerste regel moet de kopregel van;tot;wijk zijn (met ; of , ertussen)."))]


def _district_lookup(districts) -> dict[str, District]:
    """CBS code (any case) or exact name (any case) → wijk."""
    lookup = {}
    for district in districts:
        lookup[district.name.casefold()] = district
        lookup[district.cbs_code.casefold()] = district
    return lookup


def _check_line(cells: list[str], lookup: dict[str, District]) -> tuple[str, str, District] | str:
    """(first, last, wijk) of one data line, or the message saying what is wrong."""
    for cell in cells:
        if cell.lstrip(" ").startswith(FORMULA_START):
            return _("'%(value)s' lijkt op een formule. Vul de postcode of wijk zelf in, "
                     "zonder = + - of @ ervoor.") % {"value": _shown(cell)}
    first_raw, last_raw, wijk_raw = (cell.strip() for cell in cells)
    for label, raw in (("van", first_raw), ("tot", last_raw), ("wijk", wijk_raw)):
        if not raw:
            return _("De kolom '%(column)s' is leeg.") % {"column": label}
    first, last = normalise_postcode(first_raw), normalise_postcode(last_raw)
    for label, raw, code in (("van", first_raw, first), ("tot", last_raw, last)):
        if not POSTCODE_RE.match(code):
            return _("'%(value)s' in kolom '%(column)s' is geen postcode. Schrijf een "
                     "postcode zoals 3841 AA.") % {"value": _shown(raw), "column": label}
    if first > last:
        return _("'tot' (%(last)s) komt vóór 'van' (%(first)s). Zet de kleinste postcode bij "
                 "'van'.") % {"first": format_postcode(first), "last": format_postcode(last)}
    district = lookup.get(wijk_raw.casefold())
    if district is None:
        return _("De wijk '%(value)s' kennen we niet. Gebruik de CBS-code (zoals WK024301) "
                 "of de naam van de wijk zoals op deze pagina.") % {"value": _shown(wijk_raw)}
    return first, last, district


def _overlap_errors(ranges: list[ParsedRange]) -> list[tuple[int, str]]:
    """Same range twice, or ranges that overlap only partly: reported on the later line.

    Sorted by (first, widest first), the ranges still open at a point form a chain, each
    inside the one below it; a new range must lie inside the innermost open one.
    """
    errors, open_ranges = [], []
    widest_first = sorted(ranges, key=lambda r: r.last, reverse=True)  # stable: file order
    for item in sorted(widest_first, key=lambda r: r.first):
        while open_ranges and open_ranges[-1].last < item.first:
            open_ranges.pop()
        if open_ranges:
            outer = open_ranges[-1]
            later, earlier = max(outer, item, key=_line), min(outer, item, key=_line)
            if (outer.first, outer.last) == (item.first, item.last):
                errors.append((later.line, _("Dit gebied staat ook op regel %(line)s.")
                               % {"line": earlier.line}))
                continue
            if item.last > outer.last:
                errors.append((later.line, _(
                    "Dit gebied overlapt half met regel %(line)s (%(first)s – %(last)s). Een "
                    "gebied mag alleen helemaal binnen een ander gebied liggen.") % {
                    "line": earlier.line, "first": format_postcode(earlier.first),
                    "last": format_postcode(earlier.last)}))
                continue
        open_ranges.append(item)
    return errors


def _line(item: ParsedRange) -> int:
    return item.line


def parse_postcode_table(text: str, districts) -> list[ParsedRange]:
    """The ranges of a postcode table file with the header `van;tot;wijk` (or with commas;
    other columns are skipped). Empty lines are skipped. Raises `TableRefused` with every
    wrong line; the header is line 1."""
    header_line = text.splitlines()[0] if text.strip() else ""
    separator = _separator(header_line)
    if separator is None:
        raise TableRefused(_header_error())
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    try:
        header = [cell.strip().casefold() for cell in next(reader)]
    except csv.Error:  # e.g. a header cell longer than the csv module's field limit
        raise TableRefused(_header_error()) from None
    if any(column not in header for column in COLUMNS):
        raise TableRefused(_header_error())
    positions = [header.index(column) for column in COLUMNS]
    lookup = _district_lookup(districts)
    errors, ranges = [], []
    try:
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            if len(row) <= max(positions):
                errors.append((reader.line_num, _(
                    "Deze regel heeft te weinig kolommen. Zet op elke regel van, tot en wijk, "
                    "met '%(sep)s' ertussen.") % {"sep": separator}))
                continue
            checked = _check_line([row[i] for i in positions], lookup)
            if isinstance(checked, str):
                errors.append((reader.line_num, checked))
            else:
                ranges.append(ParsedRange(reader.line_num, *checked))
    except csv.Error:
        errors.append((reader.line_num, _("Deze regel kunnen we niet lezen.")))
    errors += _overlap_errors(ranges)
    if errors:
        raise TableRefused(sorted(errors, key=lambda error: error[0]))
    return ranges


def _new_district():
    """The wijk of a caregiver's postcode in the (new) table: the narrowest range wins, as
    in `district_for`."""
    return Subquery(PostcodeRange.objects
                    .filter(first__lte=OuterRef("postcode"), last__gte=OuterRef("postcode"))
                    .narrowest_first().values("district_id")[:1])


def rederive_districts() -> int:
    """Set every caregiver's wijk from the table in one UPDATE; returns how many changed.

    Erased registrations keep only the first four positions of the postcode: they cannot be
    looked up again and keep the wijk they had.
    """
    return (Caregiver.objects
            .filter(postcode__regex=POSTCODE_RE.pattern)
            .annotate(old=Coalesce("district_id", Value(0)), new=Coalesce(_new_district(),
                                                                          Value(0)))
            .exclude(old=F("new"))
            .update(district=_new_district()))


@transaction.atomic
def replace_postcode_table(ranges: list[ParsedRange], by) -> TableLoaded:
    """Replace the whole table with `ranges` and derive every caregiver's wijk again.

    The wijk rows are locked first: two uploads at once take turns (otherwise both tables
    could end up mixed), and a wijk cannot be deleted halfway.
    """
    wanted = {item.district.pk for item in ranges}
    locked = set(District.objects.select_for_update().values_list("pk", flat=True))
    if not wanted <= locked:
        raise DistrictDeleted
    PostcodeRange.objects.all().delete()
    PostcodeRange.objects.bulk_create(
        PostcodeRange(first=item.first, last=item.last, district_id=item.district.pk)
        for item in ranges)
    changed = rederive_districts()
    if by is not None:  # shown in Beheer's history beside the table's row-by-row edits
        _log(by, len(ranges), changed)
    return TableLoaded(ranges=len(ranges), caregivers_changed=changed)


def _log(by, ranges: int, changed: int) -> None:
    LogEntry.objects.create(
        user=by, content_type=ContentType.objects.get_for_model(PostcodeRange),
        object_repr=str(_("Postcodegebieden (hele tabel)")), action_flag=CHANGE,
        change_message=_("Hele tabel geladen uit een bestand. Postcodegebieden: %(ranges)s. "
                         "Mantelzorgers met een andere wijk: %(changed)s.")
        % {"ranges": ranges, "changed": changed})
