"""DigiD and registrations: which registration a BSN pseudonym signs in to, and linking one.

The pseudonym itself is made in digid.py; nothing here sees a BSN.
"""

from django.db import transaction

from .models import LINK_STATES, Caregiver


def caregiver_with_digid(pseudonym: str) -> Caregiver | None:
    """The registration DigiD signs in to: the one linked to this BSN pseudonym, if it
    still allows signing in."""
    if not pseudonym:
        return None
    return Caregiver.objects.filter(bsn_pseudonym=pseudonym, state__in=LINK_STATES).first()


@transaction.atomic
def link_digid(caregiver: Caregiver, pseudonym: str) -> bool:
    """From now on DigiD signs this caregiver in. False when another registration that can
    still sign in has it already (nothing changes: a consulent sorts that out). An ended
    registration gives it up: the person registered again."""
    caregiver = Caregiver.objects.select_for_update().get(pk=caregiver.pk)
    if caregiver.bsn_pseudonym == pseudonym:
        return True
    holders = Caregiver.objects.select_for_update().filter(bsn_pseudonym=pseudonym) \
        .exclude(pk=caregiver.pk)
    if holders.filter(state__in=LINK_STATES).exists() or caregiver.bsn_pseudonym:
        return False
    holders.update(bsn_pseudonym="")
    caregiver.bsn_pseudonym = pseudonym
    caregiver.save(update_fields=["bsn_pseudonym"])
    return True
