"""Numbers and amounts the Dutch way, for pages, exports and letters' surroundings.

Amounts are kept in cents (integers) everywhere: no float arithmetic on money. The data
download (AVG art. 15/20) writes dates and choices the same way in every app's part.
"""

import datetime

from core import clock


def dutch_number(value: int) -> str:
    """1300 → '1.300'."""
    return f"{value:,}".replace(",", ".")


def euros(cents: int | None) -> str:
    """7500 → '€ 75,00'; 12345600 → '€ 123.456,00'; negative as '€ -12,50'."""
    cents = cents or 0
    sign = "-" if cents < 0 else ""
    whole, rest = divmod(abs(cents), 100)
    return f"€ {sign}{dutch_number(whole)},{rest:02d}"


def export_value(value):
    """A value for the data download: times in Amsterdam time and dates as ISO text."""
    if isinstance(value, datetime.datetime):
        return value.astimezone(clock.AMSTERDAM).isoformat(timespec="seconds")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def export_choice(instance, field: str) -> dict:
    """A choice for the data download: its code and the words people read."""
    code = getattr(instance, field)
    label = getattr(instance, f"get_{field}_display")() if code else ""
    return {"code": code, "tekst": str(label)}
