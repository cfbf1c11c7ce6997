"""Sign-in and confirmation links that must keep working, and ones that must not.

Written against the single-mutation check of registrations/links.py (issue 20): each test
fails when one small change to how a link is hashed or bound to its address is made.
"""

import datetime

import pytest

from core import clock
from registrations import services
from registrations.models import AccessToken, Caregiver, TokenPurpose
from tests.factories import CaregiverFactory, GuardianFactory

pytestmark = pytest.mark.django_db

# A sign-in link as the released version stored it (issue 14): the raw link that is in
# someone's mailbox, and the two hashes in its row, written down literally.
RAW = "link-uit-de-vorige-versie"
STORED_HASH = "2173a2974ec6ba3e7f5b0d3248994996b2499c53ab0a299857aea58dac518297"
SENT_TO_RIET = "6826da9175ee5cc0136a08832306ee176b9760a9045ba6f7ee82d1e468ace161"  # riet@example.nl


def stored_link(caregiver, sent_to, purpose=TokenPurpose.MAGIC_LINK):
    return AccessToken.objects.create(caregiver=caregiver, purpose=purpose,
                                      token_hash=STORED_HASH, sent_to=sent_to,
                                      expires_at=clock.now() + datetime.timedelta(minutes=30))


def test_a_link_mailed_before_an_upgrade_still_signs_in_after_it():
    """A link in someone's mailbox during a deploy keeps working: the way a link and its
    address are hashed does not change. Capitals and spaces around the address on file do
    not matter."""
    riet = CaregiverFactory(email="riet@example.nl")
    Caregiver.objects.filter(pk=riet.pk).update(email=" Riet@Example.NL ")
    stored_link(riet, SENT_TO_RIET)
    assert services.open_magic_link(RAW).pk == riet.pk
    assert services.open_magic_link(RAW) is None  # once


@pytest.mark.parametrize("email_on_file", ["", "riet@example.nl"])
def test_a_link_from_before_links_were_bound_never_signs_in(email_on_file):
    """A link made before links were bound to an address (no address hash) never works,
    not even for a registration that has no e-mail address any more."""
    riet = CaregiverFactory(email="riet@example.nl")
    Caregiver.objects.filter(pk=riet.pk).update(email=email_on_file)
    stored_link(riet, sent_to="")
    assert services.open_magic_link(RAW) is None


def test_a_consent_link_fails_once_the_guardian_is_no_longer_on_file():
    """The consent link was mailed to a parent who has since been removed from the
    registration: it says the link no longer works (no error page, no consent)."""
    guardian = GuardianFactory()
    sam = guardian.caregiver
    _token, raw = services.issue_token(sam, TokenPurpose.GUARDIAN, datetime.timedelta(days=1))
    guardian.delete()
    assert services.confirm_guardian(raw, name="Anja de Vries", relation="ouder") is None


def test_a_link_made_when_there_was_no_address_opens_nothing():
    """A link is bound to the address it was sent to; made without one it was sent nowhere,
    so it must not open Mijn gegevens, not even while the registration still has no address."""
    by_post = CaregiverFactory(email="")
    _, raw = services.issue_token(by_post, TokenPurpose.MAGIC_LINK,
                                  datetime.timedelta(minutes=30))

    assert services.open_magic_link(raw) is None


def test_a_consent_link_made_without_a_guardian_on_file_confirms_nothing():
    young = CaregiverFactory(young=True)
    _, raw = services.issue_token(young, TokenPurpose.GUARDIAN, datetime.timedelta(days=7))

    assert services.confirm_guardian(raw, name="Anja de Vries", relation="ouder") is None
