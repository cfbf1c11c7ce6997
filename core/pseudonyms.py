"""A keyed pseudonym of a citizen service number (BSN), so the BSN itself is never stored.

DigiD tells us a person's BSN; we keep only HMAC-SHA256(key, BSN). The same BSN always gives
the same pseudonym (so a caregiver is found again at the next sign-in), but without the key
nobody can go back from the pseudonym to the BSN, not even by trying all 10^9 numbers.
"""

import hashlib
import hmac


def is_valid_bsn(bsn: str) -> bool:
    """Nine digits passing the elfproef (11-test) of the BSN."""
    if not isinstance(bsn, str) or len(bsn) != 9 or not bsn.isascii() or not bsn.isdigit():
        return False
    digits = [int(char) for char in bsn]
    total = sum(weight * digit for weight, digit in zip(range(9, 1, -1), digits[:8], strict=True))
    return (total - digits[8]) % 11 == 0 and bsn != "000000000"


def bsn_pseudonym(bsn: str, key: str) -> str:
    """The pseudonym stored instead of the BSN (64 hex characters)."""
    if not key:
        raise ValueError("No key for BSN pseudonyms")
    return hmac.new(key.encode(), b"bsn:" + bsn.encode(), hashlib.sha256).hexdigest()
