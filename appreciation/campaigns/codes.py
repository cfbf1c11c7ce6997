"""A code list from a supplier (or a pool), read and checked before anything is stored:
each wrong line named by its number, and then nothing is added.

Kept apart from the hand-out (services.py) because it decides nothing about people: it only
says which codes in a file are usable.
"""

from core.code_lists import CodesRefused, parse_code_list  # noqa: F401 (CodesRefused: re-exported)

from ..models import Campaign, TicketCode

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud at a desk
MAX_CODE_LENGTH = 40


def parse_codes(text: str, taken: dict | None = None) -> list[str]:
    """Codes from the pool's CSV (core/code_lists.py). `taken` ({code: campaign name}):
    codes another campaign already has, refused too (a supplier's code is valid once)."""
    return parse_code_list(text, max_length=MAX_CODE_LENGTH, taken=taken)


def codes_elsewhere(campaign: Campaign, codes: list[str]) -> dict[str, str]:
    """{code: campaign name} for the codes that another campaign already has."""
    rows = (TicketCode.objects.filter(code__in=codes).exclude(campaign=campaign)
            .values_list("code", "campaign__name"))
    return dict(rows)


