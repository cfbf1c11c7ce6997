"""A list of codes from a supplier (gift cards, swimming tickets, vouchers), read and checked
before anything is stored: each wrong line named by its number, and then nothing is added.

One reader for the campaigns' codes and the waardering's vouchers (the two packages do not
import each other): the first column of each line; a header line ("code") and empty lines
are skipped; "\\r" alone ends a line too (old Mac exports).
"""

import csv
import io

from django.utils.translation import gettext as _

ALLOWED_MARKS = "-_./"


class CodesRefused(Exception):
    """An uploaded list of codes with mistakes: nothing was added. `errors` holds
    (line number, message) for each wrong line."""

    def __init__(self, errors: list[tuple[int, str]]):
        super().__init__(errors)
        self.errors = errors


def parse_code_list(text: str, *, max_length: int, headers=("code", "codes"),
                    taken: dict | None = None) -> list[str]:
    """The codes in `text`, in order. `taken` ({code: campaign name}): codes that already
    belong to another campaign, refused too (a supplier's code is valid once)."""
    try:
        rows = list(csv.reader(io.StringIO(text, newline=None)))
    except csv.Error:  # a quoted field past the csv module's size limit
        raise CodesRefused([(1, _("Dit bestand kan niet als lijst met codes gelezen "
                                  "worden."))]) from None
    errors, codes, seen = [], [], set()
    for number, row in enumerate(rows, start=1):
        value = row[0].strip() if row else ""
        if number == 1 and value.lower() in headers:
            continue
        if not value:
            if any(cell.strip() for cell in row):
                errors.append((number, _("De eerste kolom is leeg.")))
            continue
        if len(value) > max_length:
            errors.append((number, _("De code is langer dan %(n)s tekens.") % {"n": max_length}))
        elif not all(ch.isalnum() or ch in ALLOWED_MARKS for ch in value):
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
