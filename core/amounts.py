"""Amounts typed in euros, kept in cents.

People type amounts the Dutch way ("75", "75,00", "€ 75", "1.250,50") and sometimes the
calculator way ("75.5"). Everything is stored in whole cents, so no float ever touches
money; a form shows the stored cents again as "75,00". A point followed by exactly three
digits separates thousands ("1.000" is a thousand euros), otherwise it is the decimal
point.
"""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from core.formats import euros

_SPACES = re.compile(r"[\s\u00a0\u202f]+")
_CURRENCY = re.compile(r"^(€|eur(o|os)?)|(€|eur(o|os)?)$", re.IGNORECASE)
# Only the digits 0-9: other scripts' digits are refused, not read.
_THOUSANDS = re.compile(r"^([0-9]{1,3}(?:\.[0-9]{3})+)(?:,([0-9]+))?$")  # 1.250 or 1.250,50
_COMMA = re.compile(r"^([0-9]+)(?:,([0-9]*))?$")  # 75 or 75,5 or 75,
_POINT = re.compile(r"^([0-9]+)\.([0-9]{1,2})$")  # 75.5 or 75.50 (three digits: thousands)
_TOO_PRECISE = re.compile(r"^[0-9]+(?:\.[0-9]{3})*[,.][0-9]{3,}$")
_WHOLE_EUROS = re.compile(r",-{1,2}$")  # 75,- and 75,--


class AmountError(ValueError):
    """Why a typed amount is not one; `code` names the message."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def parse_euros(text: str) -> int:
    """'75' → 7500, '75,5' → 7550, '€ 1.250,00' → 125000, '75.5' → 7550, '75,-' → 7500.

    Raises AmountError('empty' | 'negative' | 'precision' | 'invalid')."""
    value = _SPACES.sub("", text or "")
    value = _CURRENCY.sub("", value)
    if not value:
        raise AmountError("empty")
    if value.startswith("-") or value.startswith("−"):
        raise AmountError("negative")
    if value.startswith("+"):
        value = value[1:]
    value = _WHOLE_EUROS.sub("", value)
    for pattern in (_THOUSANDS, _COMMA, _POINT):
        match = pattern.match(value)
        if match:
            whole, fraction = match.group(1).replace(".", ""), match.group(2) or ""
            if len(fraction) > 2:
                raise AmountError("precision")
            return int(whole) * 100 + int((fraction + "00")[:2])
    if _TOO_PRECISE.match(value):
        raise AmountError("precision")
    raise AmountError("invalid")


def format_for_input(cents: int) -> str:
    """7500 → '75,00': what a form shows in the field (the euro sign is in the label)."""
    return euros(cents).removeprefix("€ ").replace(".", "")


class EuroField(forms.Field):
    """A form field for an amount in euros that gives cents. Messages are Dutch and next
    to the field; what was typed stays in the field when it is refused."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off",
                                    "size": 12})
    default_error_messages = {
        "required": _("Vul een bedrag in, zoals 75 of 75,00."),
        "empty": _("Vul een bedrag in, zoals 75 of 75,00."),
        "invalid": _("Vul een bedrag in euro in, zoals 75 of 75,00. Gebruik alleen cijfers "
                     "en een komma."),
        "negative": _("Het bedrag kan niet lager zijn dan € 0,00."),
        "precision": _("Gebruik hoogstens twee cijfers achter de komma, zoals 75,50."),
        "max_value": _("Dit bedrag is te hoog. Het kan hoogstens %(max)s zijn."),
    }

    def __init__(self, *, max_cents: int, **kwargs):
        self.max_cents = max_cents
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, int):
            return format_for_input(value)
        return value

    def to_python(self, value):
        if value in self.empty_values or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, int):
            return value
        if len(str(value)) > 40:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            cents = parse_euros(str(value))
        except AmountError as error:
            raise forms.ValidationError(self.error_messages[error.code],
                                        code=error.code) from None
        if cents > self.max_cents:
            raise forms.ValidationError(self.error_messages["max_value"], code="max_value",
                                        params={"max": euros(self.max_cents)})
        return cents
