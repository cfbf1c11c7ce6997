"""A code list from a supplier (or a pool), read and checked before anything is stored:
each wrong line named by its number, and then nothing is added.

Kept apart from the hand-out (services.py) because it decides nothing about people: it only
says which codes in a file are usable.
"""

import csv
import io

from django.utils.translation import gettext as _

from ..models import Campaign, TicketCode

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud at a desk
MAX_CODE_LENGTH = 40


class CodesRefused(Exception):
    """An uploaded list of codes with mistakes: nothing was added. `errors` holds
    (line number, message) for each wrong line."""

    def __init__(self, errors: list[tuple[int, str]]):
        super().__init__(errors)
        self.errors = errors


def parse_codes(text: str, taken: dict | None = None) -> list[str]:
    """Codes from the pool's CSV: the first column of each line (a header line 'code' is
    skipped, empty lines too). Every wrong line is reported with its number; then nothing
    is added. `taken` ({code: campaign name}): codes another campaign already has, refused
    too (a supplier's code is valid once)."""
    errors, codes, seen = [], [], set()
    try:
        rows = list(csv.reader(io.StringIO(text, newline=None)))  # "\r" alone ends a line too
    except csv.Error:  # a quoted field past the csv module's size limit
        raise CodesRefused([(1, _("Dit bestand kan niet als lijst met codes gelezen "
                                  "worden."))]) from None
    for number, row in enumerate(rows, start=1):
        value = row[0].strip() if row else ""
        if number == 1 and value.lower() in ("code", "codes"):
            continue
        if not value:
            if any(cell.strip() for cell in row):
                errors.append((number, _("De eerste kolom is leeg.")))
            continue
        if len(value) > MAX_CODE_LENGTH:
            errors.append((number, _("De code is langer dan %(n)s tekens.")
                           % {"n": MAX_CODE_LENGTH}))
        elif not all(ch.isalnum() or ch in "-_./" for ch in value):
            errors.append((number, _("Gebruik alleen letters, cijfers en - _ . /")))
        elif value in seen:
            errors.append((number, _("Deze code staat er twee keer in.")))
        elif taken and value in taken:
            errors.append((number, _("Deze code hoort al bij de campagne %(name)s.")
                           % {"name": taken[value]}))
        else:
            seen.add(value)
            codes.append(value)
    if errors:
        raise CodesRefused(errors)
    return codes


def codes_elsewhere(campaign: Campaign, codes: list[str]) -> dict[str, str]:
    """{code: campaign name} for the codes that another campaign already has."""
    rows = (TicketCode.objects.filter(code__in=codes).exclude(campaign=campaign)
            .values_list("code", "campaign__name"))
    return dict(rows)


