"""The code with which a caregiver confirms a waardering request they did not make signed in.

A request made on someone's behalf, or with a caregiver's details typed on the public form,
is only decided once the caregiver agreed through their own channel on file: the code
arrives in an e-mail (as a link) or in a letter to the registered address. Whoever typed the
details never sees it.

The code is derived from a random nonce on the request with the secret key, so the letter
can print it when the mail engine renders it, while the database holds only the nonce and a
keyed hash to find the request by (a copy of the database alone gives no code). It is single
use (confirming clears it), expires, and the page that takes it is rate limited.
"""

import datetime
import hashlib
import hmac
import secrets

from django.conf import settings

from core import clock

# No 0/O, 1/I: a code copied from paper is typed right.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8  # 40 bits; with the rate limit, guessing one is hopeless
VALID_FOR = datetime.timedelta(days=42)  # post, a print batch and a holiday fit in


def _mac(message: str) -> bytes:
    return hmac.new(settings.SECRET_KEY.encode(), message.encode(), hashlib.sha256).digest()


def code_for(request) -> str:
    """The request's current code as printed (ABCD-EFGH); empty when none is outstanding."""
    if not request.confirm_nonce:
        return ""
    digest = _mac(f"waardering-bevestigen:{request.pk}:{request.confirm_nonce}")
    chars = "".join(CODE_ALPHABET[byte % len(CODE_ALPHABET)] for byte in digest[:CODE_LENGTH])
    return f"{chars[:4]}-{chars[4:]}"


def normalise(typed: str) -> str:
    """What a person typed, as printed: spaces and dashes do not matter, nor capitals."""
    chars = "".join(c for c in (typed or "").upper() if c.isalnum())
    return f"{chars[:4]}-{chars[4:]}" if len(chars) == CODE_LENGTH else chars


def code_hash(code: str) -> str:
    """The keyed hash stored to find a request by its code."""
    return _mac(f"waardering-code:{normalise(code)}").hex()


def issue(request) -> None:
    """Give the request a new code (an older one stops working); the caller saves."""
    request.confirm_nonce = secrets.token_urlsafe(32)
    request.confirm_code_hash = code_hash(code_for(request))
    request.confirm_expires_at = clock.now() + VALID_FOR


def clear(request) -> None:
    """Used or no longer needed: the code stops working (the caller saves)."""
    request.confirm_nonce = request.confirm_code_hash = ""
    request.confirm_expires_at = None


CODE_FIELDS = ["confirm_nonce", "confirm_code_hash", "confirm_expires_at"]
