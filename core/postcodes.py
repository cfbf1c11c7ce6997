"""Dutch postcodes and house numbers: how they are stored, shown and checked."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import CharField, Func
from django.utils.translation import gettext_lazy as _

POSTCODE_RE = re.compile(r"^[1-9][0-9]{3}[A-Z]{2}$")


def normalise_postcode(value: str) -> str:
    """'3841 ab' → '3841AB': how postcodes are stored and compared."""
    return re.sub(r"\s+", "", value or "").upper()


def format_postcode(value: str) -> str:
    """'3841AB' → '3841 AB', as Dutch letters and pages show it."""
    return f"{value[:4]} {value[4:]}" if len(value) == 6 else value


def validate_postcode(value: str):
    if not POSTCODE_RE.match(normalise_postcode(value)):
        raise ValidationError(_("Vul een postcode in zoals 3841 AB."), code="postcode")


def clean_postcode(value: str) -> str:
    """'3841 ab' → '3841AB', or a message when it is no Dutch postcode."""
    postcode = normalise_postcode(value)
    if not POSTCODE_RE.match(postcode):
        raise forms.ValidationError(_("Vul een postcode in zoals 3841 AB."), code="postcode")
    return postcode


def canonical_house_number(value) -> str:
    """'12a', '12 A', '12-a' → '12a': the one form in which house numbers are compared.

    They are stored as typed, so every lookup by address (finding a registration, the
    duplicate and per-address checks, the rate limit) compares this form, never the raw
    text: a variant spelling must not make a registered person look like a newcomer.
    Only letters and digits, casefolded."""
    return "".join(c for c in str(value or "") if c.isalnum()).casefold()


class CanonicalHouseNumber(Func):
    """`canonical_house_number` in SQL, for filters: `.alias(key=CanonicalHouseNumber(
    "house_number")).filter(key=canonical_house_number(typed))`. (House numbers are
    ASCII by their form's check, where LOWER and casefold agree.)"""

    template = "LOWER(REGEXP_REPLACE(%(expressions)s, '[^[:alnum:]]+', '', 'g'))"
    output_field = CharField()

    def as_sqlite(self, compiler, connection, **extra_context):
        """SQLite (`make run`) has no REGEXP_REPLACE: take out the separators the house
        number's form check lets through (space, dash) and the ones people type elsewhere."""
        stripped = "%(expressions)s"
        for separator in (" ", "-", "/", ".", ","):
            stripped = f"REPLACE({stripped}, '{separator}', '')"
        return self.as_sql(compiler, connection, template=f"LOWER({stripped})",
                           **extra_context)


def clean_house_number(value: str) -> str:
    if not re.match(r"^[1-9][0-9]{0,4}\s?[-a-zA-Z0-9 ]{0,6}$", value):
        raise forms.ValidationError(_("Vul een huisnummer in, zoals 12 of 12a."),
                                    code="house_number")
    return value
