"""Numbers and amounts the Dutch way, for pages, exports and letters' surroundings.

Amounts are kept in cents (integers) everywhere: no float arithmetic on money.
"""


def dutch_number(value: int) -> str:
    """1300 → '1.300'."""
    return f"{value:,}".replace(",", ".")


def euros(cents: int | None) -> str:
    """7500 → '€ 75,00'; 12345600 → '€ 123.456,00'; negative as '€ -12,50'."""
    cents = cents or 0
    sign = "-" if cents < 0 else ""
    whole, rest = divmod(abs(cents), 100)
    return f"€ {sign}{dutch_number(whole)},{rest:02d}"
