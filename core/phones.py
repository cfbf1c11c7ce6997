"""Phone numbers, checked with the `phonenumbers` library (Google's libphonenumber).

Stored as people in the Netherlands write them: a Dutch number in national form without
spaces (0612345678), a foreign one in international form (+3212345678). Before, our own
check turned "+31 (0)6 12345678" into "+310612345678"; the library knows the "(0)".
"""

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MAX_LENGTH = 30
INVALID_MESSAGE = _("Vul een telefoonnummer in van 10 cijfers, zoals 0612345678.")


def normalise_phone(raw) -> str:
    """'+31 (0)6 1234 5678' → '0612345678'; '' stays ''; a message when it is no number."""
    text = str(raw or "").strip()
    if not text:
        return ""
    if len(text) > MAX_LENGTH:
        raise ValidationError(INVALID_MESSAGE, code="phone")
    if text.startswith("00"):
        text = "+" + text[2:]
    try:
        number = phonenumbers.parse(text, "NL")
    except phonenumbers.NumberParseException:
        raise ValidationError(INVALID_MESSAGE, code="phone") from None
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(INVALID_MESSAGE, code="phone")
    if number.country_code == 31:
        national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
        return "".join(ch for ch in national if ch.isdigit())
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
