"""Confirmation codes of a waardering request that must keep working, and ones that must not.

Written against the single-mutation check of appreciation/waardering/confirmation.py
(issue 20): each test fails when one small change to how a code is made or found is made.
"""

import datetime

import pytest

from appreciation.models import AppreciationLetter
from appreciation.waardering import confirmation, services
from core import clock
from registrations.models import Channel
from tests.factories import AppreciationRequestFactory, CaregiverFactory
from worker.letters import letter_html
from worker.models import Letter, LetterStatus
from worker.services import dispatch_queued_letters

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("waardering_day")]

# A request as the released version stored it: only a nonce and a keyed hash of the code,
# under this installation's secret key; the code printed on the letter already in the post.
SECRET_KEY = "sleutel-van-de-vorige-versie"
PK, NONCE = 424242, "nonce-uit-de-vorige-versie"
STORED_HASH = "baed22a4b18595f0aad141416edaa9bdee3e6384d7f147d6142602c1bc65bfef"
PRINTED = "FUHW-CR5V"


def stored_request(year, caregiver=None, **fields):
    return AppreciationRequestFactory(
        year=year, caregiver=caregiver or CaregiverFactory(complete=True),
        caregiver_confirmed_at=None,
        confirm_expires_at=clock.now() + datetime.timedelta(days=10), **fields)


def test_a_code_posted_before_an_upgrade_still_confirms_its_own_request_only(settings,
                                                                            waardering_year):
    """The letter went out before a deploy; the code on it still confirms that request,
    typed in lower case with a space, and no other open request."""
    settings.SECRET_KEY = SECRET_KEY
    request = stored_request(waardering_year, pk=PK, confirm_nonce=NONCE,
                             confirm_code_hash=STORED_HASH)
    other = stored_request(waardering_year)
    confirmation.issue(other)
    other.save()
    assert confirmation.code_for(request) == PRINTED  # what a letter printed now shows
    assert services.confirm_with_code("fuhw cr5v").pk == request.pk
    request.refresh_from_db()
    other.refresh_from_db()
    assert request.caregiver_confirmed_at is not None and other.caregiver_confirmed_at is None


def test_the_rows_alone_give_no_code_under_another_secret_key(settings, waardering_year):
    """A copy of the database taken elsewhere (another secret key) gives no working code:
    the printed code does not confirm there, and the code made there is another one."""
    settings.SECRET_KEY = "een-andere-sleutel"
    request = stored_request(waardering_year, pk=PK, confirm_nonce=NONCE,
                             confirm_code_hash=STORED_HASH)
    assert services.confirm_with_code(PRINTED) is None
    assert confirmation.code_for(request) not in ("", PRINTED)
    request.refresh_from_db()
    assert request.caregiver_confirmed_at is None


def test_a_letter_printed_after_the_caregiver_confirmed_shows_no_code(waardering_year):
    """The letter waits for the printer while the caregiver confirms in Mijn gegevens: the
    printed letter then shows no code (the used one works no more)."""
    bram = CaregiverFactory(complete=True, first_name="Bram", email="", channel=Channel.POST,
                            email_confirmed_at=None)
    request = stored_request(waardering_year, caregiver=bram)
    confirmation.issue(request)
    request.save()
    code = confirmation.code_for(request)
    services.queue_letter(request, AppreciationLetter.WAARDERING_CONFIRM)
    dispatch_queued_letters()
    letter = Letter.objects.get(kind=AppreciationLetter.WAARDERING_CONFIRM)
    assert letter.status == LetterStatus.TO_PRINT and code in letter_html(letter)
    services.confirm_by_caregiver(request, caregiver=bram)
    letter.refresh_from_db()
    html = letter_html(letter)
    assert "vul deze code in" not in html and code not in html
    assert "mijn-gegevens/inloggen" in html
