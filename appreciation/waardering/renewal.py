"""Asking again next year in one step: who received the waardering last year is invited
when the new window opens, with a short request prefilled from last year's (same naaste,
"I still care for …", the account's last 4 digits) that they confirm with one button.

- `send_invitations` (a daily beat job while a window is open) invites each person once
  per year: a unique constraint on (year, caregiver), checked again in the transaction.
  Invited: last year's request approved, in a batch or paid; registration active; no
  request this year yet. The letter goes by e-mail or post like any letter about their
  own waardering.
- The invitation's code (XXXX-XXXX-XXXX, 60 bits) is derived from a random nonce with the
  secret key, as the confirmation code is: the letter prints it (and the e-mail links to
  it) when it is rendered; the database keeps only the nonce and a keyed hash.
- `submit_renewal` makes a normal request through `submission.submit_request`, as the
  signed-in caregiver (the code came through their own channel on file), so every check,
  refusal and the state machine apply. The invitation works once, while the window of its
  year is open and the registration active.
"""

import datetime
import hashlib
import hmac
import secrets

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core import clock
from registrations.models import State
from worker.services import queue_letter as queue

from ..models import (
    AppreciationLetter,
    AppreciationRequest,
    AppreciationYear,
    RenewalInvitation,
    RequestState,
    Route,
)
from .confirmation import CODE_ALPHABET
from .submission import RequestData, open_year, submit_request

CODE_LENGTH = 12
# Last year's request counts as received once approved (or further on the way to payment).
RECEIVED = [RequestState.GOEDGEKEURD, RequestState.IN_BETAALBATCH, RequestState.UITBETAALD]
INVITE_ROUND = 200  # invitations made per transaction by the daily job


class RenewalRefused(Exception):
    """The invitation cannot be used (any more), with a Dutch message for the person."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message, self.code = message, code


# --- the code --------------------------------------------------------------------------

def _mac(message: str) -> bytes:
    return hmac.new(settings.SECRET_KEY.encode(), message.encode(), hashlib.sha256).digest()


def code_for(invitation: RenewalInvitation) -> str:
    """The invitation's code as printed (ABCD-EFGH-JKLM)."""
    digest = _mac(f"waardering-opnieuw:{invitation.nonce}")
    chars = "".join(CODE_ALPHABET[byte % len(CODE_ALPHABET)] for byte in digest[:CODE_LENGTH])
    return f"{chars[:4]}-{chars[4:8]}-{chars[8:]}"


def normalise(typed: str) -> str:
    """What a person typed, as printed: spaces, dashes and capitals do not matter."""
    chars = "".join(c for c in (typed or "").upper() if c.isalnum())
    if len(chars) != CODE_LENGTH:
        return chars
    return f"{chars[:4]}-{chars[4:8]}-{chars[8:]}"


def code_hash(code: str) -> str:
    return _mac(f"waardering-opnieuw-code:{normalise(code)}").hex()


def find(code: str) -> RenewalInvitation | None:
    """The invitation this code belongs to, or None (wrong, or made up)."""
    invitation = (RenewalInvitation.objects
                  .select_related("year", "caregiver", "previous", "request")
                  .filter(code_hash=code_hash(code)).first())
    if invitation is None or code_for(invitation) != normalise(code):
        return None
    return invitation


# --- inviting ----------------------------------------------------------------------------

def _last_year_received(year: AppreciationYear):
    """Last year's granted requests of people still active, not yet invited and without a
    request this year."""
    this_year = (AppreciationRequest.objects.filter(year=year)
                 .exclude(state=RequestState.INGETROKKEN).values("caregiver_id"))
    invited = RenewalInvitation.objects.filter(year=year).values("caregiver_id")
    return (AppreciationRequest.objects
            .filter(year__year=year.year - 1, state__in=RECEIVED,
                    caregiver__state=State.ACTIEF)
            .exclude(caregiver_id__in=this_year).exclude(caregiver_id__in=invited)
            .order_by("pk"))


def invite(previous: AppreciationRequest, year: AppreciationYear) -> RenewalInvitation | None:
    """Invite last year's `previous` requester for `year` once, with the letter; None when
    already invited (also by a parallel run: the constraint decides)."""
    try:
        with transaction.atomic():
            invitation = RenewalInvitation(year=year, caregiver_id=previous.caregiver_id,
                                           previous=previous, created_at=clock.now(),
                                           nonce=secrets.token_urlsafe(32))
            invitation.code_hash = code_hash(code_for(invitation))
            invitation.save()
            kind = AppreciationLetter.WAARDERING_RENEWAL
            queue(kind, previous.caregiver_id, f"{kind}:{invitation.pk}", about=invitation)
    except IntegrityError:
        return None
    return invitation


def send_invitations(today: datetime.date | None = None) -> int:
    """The daily job: while a year's window is open (and the year invites), everyone who
    received last year's waardering and has not asked yet gets the invitation once.

    Safe to run twice or in parallel: the unique (year, caregiver) constraint stores one
    invitation per person per year, and the letter's dedupe key is the invitation's."""
    year = open_year(today or clock.today())
    if year is None or not year.invite_last_years_recipients:
        return 0
    sent = 0
    while True:
        previous = list(_last_year_received(year).select_related("year")[:INVITE_ROUND])
        made = [invite(request, year) for request in previous]
        sent += sum(1 for invitation in made if invitation is not None)
        if len(previous) < INVITE_ROUND or not any(made):
            return sent


# --- using it ----------------------------------------------------------------------------

def check_usable(invitation: RenewalInvitation, today: datetime.date | None = None) -> None:
    """Raise RenewalRefused when the invitation cannot (or no longer) be used."""
    if invitation.used_at is not None:
        raise RenewalRefused(_(
            "Deze uitnodiging is al gebruikt. De aanvraag is verstuurd. Bij Mijn gegevens "
            "ziet u hoe het ermee staat."), "used")
    if open_year(today or clock.today()) != invitation.year:
        raise RenewalRefused(_(
            "De aanvraagperiode van %(year)s is voorbij. Met deze uitnodiging kunt u niet "
            "meer aanvragen.") % {"year": invitation.year.year}, "closed")
    state = invitation.caregiver.state
    if state == State.VOORMALIG:
        raise RenewalRefused(_(
            "Volgens onze gegevens is de zorg gestopt. Dan kan het niet met deze uitnodiging. "
            "Zorgde u dit jaar lang genoeg? Vraag de waardering dan aan met het gewone "
            "formulier, of bel ons."), "former")
    if state != State.ACTIEF:
        raise RenewalRefused(_(
            "Uw inschrijving bij het Servicepunt Mantelzorg is gestopt. Daarom kunt u de "
            "waardering niet met deze uitnodiging aanvragen. Bel ons gerust als u denkt dat "
            "dit niet klopt."), "ended")
    if (AppreciationRequest.objects.filter(year=invitation.year, caregiver=invitation.caregiver)
            .exclude(state=RequestState.INGETROKKEN).exists()):
        raise RenewalRefused(_(
            "U heeft de waardering van %(year)s al aangevraagd. Bij Mijn gegevens ziet u hoe "
            "het ermee staat.") % {"year": invitation.year.year}, "requested")


@transaction.atomic
def submit_renewal(invitation: RenewalInvitation, *, iban: str = "",
                   account_holder: str = "") -> AppreciationRequest:
    """Make this year's request from last year's, as the caregiver (see the module).

    `iban`/`account_holder`: a new account, else last year's. Raises RenewalRefused (the
    invitation is used, the window closed, the registration ended or changed, already
    asked) or submission.RequestRefused (this year's rules refuse it); nothing is stored then.
    """
    invitation = (RenewalInvitation.objects.select_for_update(of=("self",))
                  .select_related("year", "caregiver", "previous").get(pk=invitation.pk))
    check_usable(invitation)
    previous = invitation.previous
    data = RequestData(
        recipient={"recipient_name": previous.recipient_name,
                   "recipient_postcode": previous.recipient_postcode,
                   "recipient_house_number": previous.recipient_house_number,
                   "hours_per_week": previous.hours_per_week,
                   "care_since": previous.care_since},
        iban=iban or previous.iban,
        account_holder=(account_holder if iban else previous.account_holder))
    request = submit_request(data, route=Route.SELF, caregiver=invitation.caregiver,
                             submission_key=invitation.submission_key)
    invitation.used_at, invitation.request = clock.now(), request
    invitation.save(update_fields=["used_at", "request"])
    return request
