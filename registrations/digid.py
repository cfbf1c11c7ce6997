"""DigiD for caregivers, through an OpenID Connect broker (the protocol: core/oidc.py).

The broker tells us the BSN of whoever signed in and, with DigiD Machtigen, the BSN of the
person they act for (the representee). We never keep a BSN: it becomes a keyed pseudonym at
once (core/pseudonyms.py) and only the pseudonym is compared, stored and put in the session.
The key is BSN_PSEUDONYM_KEY, or outside production one derived from SECRET_KEY.
"""

import hashlib
import hmac
from dataclasses import dataclass

from django.conf import settings

from core import oidc
from core.pseudonyms import bsn_pseudonym, is_valid_bsn


@dataclass(frozen=True)
class DigidPerson:
    """Who signed in, as pseudonyms. `representee` is set for DigiD Machtigen: then the
    signed-in person (`pseudonym`) acts for the representee."""

    pseudonym: str
    representee: str = ""


class NoUsableBsn(Exception):
    """The broker's answer holds no valid BSN where one is needed."""


def enabled() -> bool:
    return bool(settings.DIGID["issuer"] and settings.DIGID["client_id"])


def provider() -> oidc.Provider:
    config = settings.DIGID
    return oidc.Provider(issuer=config["issuer"], client_id=config["client_id"],
                         client_secret=config["client_secret"], scopes=config["scopes"],
                         timeout=settings.OIDC_TIMEOUT_SECONDS)


def pseudonym_key() -> str:
    if settings.BSN_PSEUDONYM_KEY:
        return settings.BSN_PSEUDONYM_KEY
    return hmac.new(settings.SECRET_KEY.encode(), b"bsn-pseudonym-key",
                    hashlib.sha256).hexdigest()


def pseudonym_of(bsn: str) -> str:
    return bsn_pseudonym(bsn, pseudonym_key())


def person_from_claims(claims: dict) -> DigidPerson:
    """The pseudonyms of the verified claims; the BSNs go no further than this function."""
    bsn = claims.get(settings.DIGID["bsn_claim"])
    if not is_valid_bsn(bsn):
        raise NoUsableBsn("bsn")
    representee = claims.get(settings.DIGID["representee_claim"])
    if representee is None or representee == "":
        return DigidPerson(pseudonym_of(bsn))
    if not is_valid_bsn(representee) or representee == bsn:
        raise NoUsableBsn("representee")
    return DigidPerson(pseudonym_of(bsn), representee=pseudonym_of(representee))
