"""Registrations that may be the same person, and the flag that holds a new one back.

A second registration with the same e-mail address (any case), or the same date of birth
and address, as a registration that is still running waits as "te controleren" until a
consulent says it is another person or merges it (services).
"""

from .models import LINK_STATES, Caregiver
from .selectors import possible_duplicates


def running_duplicates(caregiver: Caregiver):
    """Look-alikes that are still registered (ended and erased ones hold nothing back)."""
    return possible_duplicates(caregiver).filter(state__in=LINK_STATES)
