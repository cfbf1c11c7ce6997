"""Links we e-mail (confirm an address, a guardian's consent, sign in to Mijn gegevens).

Only a hash of each link is stored, and each link is bound to the address it was sent to
(issue 14, item 4): a link mailed to an old address never confirms a new one.
"""

import hashlib

from django.db import models
from django.utils.translation import gettext_lazy as _


class TokenPurpose(models.TextChoices):
    CONFIRM_EMAIL = "email", _("E-mailadres bevestigen")
    GUARDIAN = "ouder", _("Toestemming ouder of voogd")
    MAGIC_LINK = "inloggen", _("Inloglink voor Mijn gegevens")


def normalise_email(address: str) -> str:
    """How two spellings of one e-mail address compare: no spaces around, no capitals."""
    return (address or "").strip().casefold()


class AccessToken(models.Model):
    """A link sent by e-mail. Only the hash is stored; each link works once, briefly.

    A link is bound to the address it was sent to (`sent_to`, a hash of the normalised
    address): once the caregiver's or guardian's address changes, the old link no longer
    works, however the address was changed.
    """

    caregiver = models.ForeignKey("registrations.Caregiver", on_delete=models.CASCADE,
                                  related_name="tokens")
    purpose = models.CharField(max_length=10, choices=TokenPurpose.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    # Empty for links made before links were bound: they match no address, so they fail.
    sent_to = models.CharField(max_length=64, blank=True, default="")
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    mailed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    @staticmethod
    def hash(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @staticmethod
    def address_hash(address: str) -> str:
        """The binding of a link to an address; empty for no address (binds to nothing)."""
        normal = normalise_email(address)
        return hashlib.sha256(b"link-address:" + normal.encode()).hexdigest() if normal else ""

    @staticmethod
    def address_for(caregiver, purpose: str) -> str:
        """Where a link of this purpose goes: the guardian's address or the caregiver's."""
        if purpose == TokenPurpose.GUARDIAN:
            guardian = getattr(caregiver, "guardian", None)
            return guardian.email if guardian else ""
        return caregiver.email

    def still_sent_to(self, address: str) -> bool:
        """True while the address on file is still the one this link was sent to."""
        return bool(self.sent_to) and self.sent_to == self.address_hash(address)
