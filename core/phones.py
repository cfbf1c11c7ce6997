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


def _dutch_ten_digits(number) -> bool:
    """A Dutch number of 10 digits (0 + 9) in a range the library does not list (yet), such
    as 069…: the forms always took those, so nobody's number is refused now."""
    return (number.country_code == 31 and len(str(number.national_number)) == 9
            and not number.italian_leading_zero)


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
    if not (phonenumbers.is_valid_number(number) or _dutch_ten_digits(number)):
        raise ValidationError(INVALID_MESSAGE, code="phone")
    if number.country_code == 31:
        national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
        return "".join(ch for ch in national if ch.isdigit())
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
