"""Every write about campaigns (swimming tickets, the December attentie): asking, handing out
codes from stock, the waiting list, cancelling, picking up, closing. One function per use
case, each in one transaction.

Handing out codes always happens with the campaign's row locked (SELECT … FOR UPDATE), so
requests of one campaign take turns: stock can never go below zero, a code is never given
twice, and the waiting list is served in the order people asked. Letters are queued in the
same transaction and sent by a worker after commit.
"""

import csv
import datetime
import io
import secrets

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_fsm import TransitionNotAllowed

from core import clock, roles
from registrations.models import LINK_STATES, Caregiver, State
from registrations.selectors import find_caregiver
from worker.services import queue_letter

from ..models import (
    AppreciationLetter,
    Campaign,
    CampaignRequest,
    CampaignRequestState,
    CampaignRoute,
    Handout,
    TicketCode,
)

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud at a desk
MAX_CODE_LENGTH = 40


class CampaignRefused(Exception):
    """Asking is not possible, with a Dutch message for the person."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message, self.code = message, code


class CodesRefused(Exception):
    """An uploaded list of codes with mistakes: nothing was added. `errors` holds
    (line number, message) for each wrong line."""

    def __init__(self, errors: list[tuple[int, str]]):
        super().__init__(errors)
        self.errors = errors


# --- asking ----------------------------------------------------------------------------

def ask(campaign: Campaign, caregiver: Caregiver, *, route: str, by=None,
        mandate_representative: str = "") -> CampaignRequest:
    """A caregiver asks: refused (CampaignRefused, nothing stored) outside the period, when
    not registered as the campaign requires, or a second time. Otherwise the request gets
    its codes at once if there is stock and nobody is waiting, else it waits in line.
    `mandate_representative`: signed in with DigiD Machtigen, who acted (a pseudonym)."""
    today = clock.today()
    if not campaign.requires_request:
        raise CampaignRefused(_("Dit hoeft u niet aan te vragen: u krijgt het vanzelf als u "
                                "ingeschreven bent."), "no_request")
    if not campaign.is_open(today):
        raise CampaignRefused(_period_message(campaign, today), "closed")
    if caregiver.state not in campaign.allowed_states():
        raise CampaignRefused(_(
            "Uw inschrijving bij het Servicepunt is nu niet actief. Daarom kunt u dit niet "
            "aanvragen. Bel ons gerust, dan kijken we samen wat kan."), "not_active")
    try:
        with transaction.atomic():
            campaign = _lock(campaign)
            mandate = bool(mandate_representative and caregiver.bsn_pseudonym)
            request = CampaignRequest.objects.create(
                campaign=campaign, caregiver=caregiver, route=route,
                requested_at=clock.now(), handled_by=by,
                mandate_representee=caregiver.bsn_pseudonym if mandate else "",
                mandate_representative=mandate_representative if mandate else "")
            _hand_out(campaign, request, by)
    except IntegrityError:
        raise CampaignRefused(_(
            "U heeft dit al aangevraagd. U kunt het één keer per keer aanvragen. In Mijn "
            "gegevens ziet u hoe het ervoor staat."), "duplicate") from None
    return request


def ask_by_details(campaign: Campaign, details: dict) -> None:
    """The public form, not signed in: ask for whoever the typed date of birth and address
    belong to. Its page answers everyone alike, so the real outcome goes to the person's own
    channel on file: the codes or waiting-list letter, or a letter that they already asked
    or that their registration is not active (ended ones included). Someone unknown gets
    nothing. The same person hears at most once a day about a refused attempt."""
    caregiver = find_caregiver(**details, states=[*LINK_STATES, State.BEEINDIGD])
    if caregiver is None:
        return
    try:
        ask(campaign, caregiver, route=CampaignRoute.PUBLIC_FORM)
    except CampaignRefused as refused:
        _tell_refusal(campaign, caregiver, refused.code)


@transaction.atomic
def _tell_refusal(campaign: Campaign, caregiver: Caregiver, code: str) -> None:
    today = clock.today().isoformat()
    if code == "duplicate":
        existing = CampaignRequest.objects.get(campaign=campaign, caregiver=caregiver)
        kind = AppreciationLetter.CAMPAIGN_DUPLICATE
        queue_letter(kind, caregiver.pk, f"{kind}:{existing.pk}:{today}", about=existing)
    elif code == "not_active":
        kind = AppreciationLetter.CAMPAIGN_NOT_ACTIVE
        queue_letter(kind, caregiver.pk, f"{kind}:{campaign.pk}:{caregiver.pk}:{today}",
                     about=campaign)


def _period_message(campaign: Campaign, today: datetime.date) -> str:
    if today < campaign.starts_on:
        return _("U kunt dit aanvragen vanaf %(day)s.") % {
            "day": campaign.starts_on.strftime("%d-%m-%Y")}
    return _("Aanvragen kon tot en met %(day)s. Dat is voorbij.") % {
        "day": campaign.ends_on.strftime("%d-%m-%Y")}


def _lock(campaign: Campaign) -> Campaign:
    """The campaign's row, locked until commit: hand-outs of one campaign take turns."""
    return Campaign.objects.select_for_update().get(pk=campaign.pk)


def _hand_out(campaign: Campaign, request: CampaignRequest, by) -> bool:
    """Give a new request its codes, or put it on the waiting list. Someone already
    waiting goes first, so a new request never jumps the line."""
    someone_waiting = campaign.requests.filter(
        state=CampaignRequestState.WACHTLIJST).exclude(pk=request.pk).exists()
    if not someone_waiting and _reserve_codes(campaign, request, by):
        return True
    request.wait(by=by, description=_("Geen kaartjes meer: op de wachtlijst"))
    request.save()
    _queue_letter(request, AppreciationLetter.CAMPAIGN_WAITLIST)
    return False


def _reserve_codes(campaign: Campaign, request: CampaignRequest, by) -> bool:
    """Take the oldest free codes for the request and grant it; False if too few."""
    needed = campaign.tickets_per_caregiver
    free = list(TicketCode.objects.filter(campaign=campaign, request__isnull=True)
                .order_by("pk").values_list("pk", flat=True)[:needed])
    if len(free) < needed:
        return False
    now = clock.now()
    taken = TicketCode.objects.filter(pk__in=free, request__isnull=True).update(
        request=request, assigned_at=now)
    if taken != needed:  # cannot happen under the campaign lock; never hand out half
        raise IntegrityError("codes changed while the campaign was locked")
    request.grant(by=by, description=ngettext("%(n)s code gereserveerd",
                                              "%(n)s codes gereserveerd", needed)
                  % {"n": needed})
    request.granted_at = now
    request.save()
    _queue_letter(request, AppreciationLetter.CAMPAIGN_CODES)
    return True


def serve_waiting_list(campaign: Campaign, by=None) -> int:
    """Give waiting requests their codes, oldest first, while stock lasts. Returns how many.

    Called after codes are added and after a cancellation; the caller holds the lock or
    this takes it.
    """
    campaign = _lock(campaign)
    served = 0
    waiting = (campaign.requests.select_for_update().select_related("caregiver")
               .filter(state=CampaignRequestState.WACHTLIJST).order_by("requested_at", "pk"))
    for request in waiting:
        if request.caregiver.state not in campaign.allowed_states():
            request.reject(by=by, description=_("Niet meer actief ingeschreven"))
            request.save()
            _queue_letter(request, AppreciationLetter.CAMPAIGN_CANCELLED)
            continue
        if not _reserve_codes(campaign, request, by):
            break
        served += 1
    return served


# --- stock ------------------------------------------------------------------------------

def parse_codes(text: str) -> list[str]:
    """Codes from the pool's CSV: the first column of each line (a header line 'code' is
    skipped). Every wrong line is reported with its number; then nothing is added."""
    errors, codes, seen = [], [], set()
    for number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        value = row[0].strip() if row else ""
        if number == 1 and value.lower() in ("code", "codes"):
            continue
        if not value:
            if any(cell.strip() for cell in row):
                errors.append((number, _("De eerste kolom is leeg.")))
            continue
        if len(value) > MAX_CODE_LENGTH:
            errors.append((number, _("De code is langer dan %(n)s tekens.")
                           % {"n": MAX_CODE_LENGTH}))
        elif not all(ch.isalnum() or ch in "-_./" for ch in value):
            errors.append((number, _("Gebruik alleen letters, cijfers en - _ . /")))
        elif value in seen:
            errors.append((number, _("Deze code staat er twee keer in.")))
        else:
            seen.add(value)
            codes.append(value)
    if errors:
        raise CodesRefused(errors)
    return codes


@transaction.atomic
def add_codes(campaign: Campaign, codes: list[str], by=None, *, generated=False) -> int:
    """Add codes to the stock (codes the campaign already has are left out), then serve the
    waiting list. Returns how many were new."""
    campaign = _lock(campaign)
    known = set(TicketCode.objects.filter(campaign=campaign, code__in=codes)
                .values_list("code", flat=True))
    now = clock.now()
    new = [TicketCode(campaign=campaign, code=code, added_at=now, generated=generated)
           for code in dict.fromkeys(codes) if code not in known]
    TicketCode.objects.bulk_create(new)
    serve_waiting_list(campaign, by)
    return len(new)


def generate_codes(campaign: Campaign, count: int, by=None) -> int:
    """Make `count` new random codes (for pick-up numbers, or a shop's gift codes)."""
    prefix = {"zwemkaartjes": "ZWEM", "attentie": "BON"}.get(campaign.kind, "CODE")
    codes = ["-".join([prefix] + ["".join(secrets.choice(CODE_ALPHABET) for _ in range(4))
                                  for _ in range(3)]) for _ in range(count)]
    return add_codes(campaign, codes, by, generated=True)


def stock_left(campaign: Campaign) -> int:
    return TicketCode.objects.filter(campaign=campaign, request__isnull=True).count()


# --- after the hand-out ------------------------------------------------------------------

def _locked_request(request: CampaignRequest) -> CampaignRequest:
    return (CampaignRequest.objects.select_for_update(of=("self",))
            .select_related("campaign", "caregiver").get(pk=request.pk))


@transaction.atomic
def cancel(request: CampaignRequest, *, caregiver: Caregiver | None = None, by=None,
           reason: str = "") -> CampaignRequest:
    """Cancelled by the caregiver (Mijn gegevens) or a consulent: codes not yet sent or
    picked up go back into stock, and the next person waiting gets them."""
    campaign = _lock(request.campaign)
    request = _locked_request(request)
    if caregiver is not None and request.caregiver_id != caregiver.pk:
        raise PermissionDenied
    if caregiver is None and not roles.is_staff_member(by):
        raise PermissionDenied
    if _codes_on_their_way(request):
        raise TransitionNotAllowed(_("De brief met de codes is al gedrukt of verstuurd."))
    request.cancel(by=by, description=reason or _("Geannuleerd"))
    request.save()
    request.codes.update(request=None, assigned_at=None)
    serve_waiting_list(campaign, by)
    return request


def _codes_on_their_way(request: CampaignRequest) -> bool:
    """Codes printed in a batch (or sent) belong to this person now: they cannot go back
    into stock for someone else. A letter still queued is simply not sent."""
    return (request.state == CampaignRequestState.TOEGEKEND
            and request.campaign.handout == Handout.CODE_ON_LETTER
            and request.letters.filter(kind=AppreciationLetter.CAMPAIGN_CODES)
            .filter(Q(print_batch__isnull=False) | Q(status="verstuurd")).exists())


@transaction.atomic
def mark_picked_up(request: CampaignRequest, by) -> CampaignRequest:
    """The caregiver collected the tickets at the Servicepunt."""
    request = _locked_request(request)
    if not roles.is_staff_member(by):
        raise PermissionDenied
    if request.campaign.handout != Handout.PICKUP:
        raise TransitionNotAllowed(_("Bij deze campagne staan de codes op de brief."))
    request.mark_picked_up(by=by, description=_("Opgehaald bij het Servicepunt"))
    request.save()
    return request


def letters_sent(letter_ids) -> int:
    """Called when letters went out (e-mail sent, print batch printed): a request whose
    codes letter was sent moves to `verstuurd`. Idempotent."""
    moved = 0
    with transaction.atomic():
        # A request has one codes letter (its dedupe key), so the join yields each once.
        requests = (CampaignRequest.objects.select_for_update(of=("self",))
                    .filter(letters__pk__in=list(letter_ids),
                            letters__kind=AppreciationLetter.CAMPAIGN_CODES,
                            state=CampaignRequestState.TOEGEKEND,
                            campaign__handout=Handout.CODE_ON_LETTER))
        for request in requests:
            request.mark_sent(description=_("Brief met de codes verstuurd"))
            request.save()
            moved += 1
    return moved


# --- a campaign for everyone (the December attentie) ------------------------------------

def grant_to_everyone(campaign: Campaign, by) -> int:
    """Everyone who may have it gets it, without asking: codes are generated as needed and
    a letter goes out by each person's channel. Running it again adds only newcomers.

    People still on the waiting list (a campaign switched from asking to everyone in the
    admin) are served first: they get codes too, and count in the number returned."""
    if not roles.is_coordinator(by):
        raise PermissionDenied
    with transaction.atomic():
        campaign = _lock(campaign)
        people = list(Caregiver.objects.filter(state__in=campaign.allowed_states())
                      .exclude(campaign_requests__campaign=campaign).values_list("pk", flat=True))
        waiting = campaign.requests.filter(
            state=CampaignRequestState.WACHTLIJST,
            caregiver__state__in=campaign.allowed_states()).count()
        needed = (len(people) + waiting) * campaign.tickets_per_caregiver
        missing = needed - stock_left(campaign)
        if missing > 0:
            generate_codes(campaign, missing, by)
        serve_waiting_list(campaign, by)  # after generating: nobody is left waiting
        now = clock.now()
        requests = CampaignRequest.objects.bulk_create(
            CampaignRequest(campaign=campaign, caregiver_id=pk, route=CampaignRoute.EVERYONE,
                            requested_at=now, handled_by=by) for pk in people)
        for request in requests:
            if not _reserve_codes(campaign, request, by):
                raise IntegrityError("not enough codes after generating them")
    return len(people) + waiting


# --- closing ----------------------------------------------------------------------------

def close_finished_campaigns(today: datetime.date | None = None) -> int:
    """The daily job: a campaign whose period is over closes once. The waiting list (and
    requests never handled) lapse with a letter; tickets not picked up lapse if the campaign
    says so and go back into stock. Safe to run twice: a closed campaign is skipped."""
    today = today or clock.today()
    closed = 0
    for campaign_id in Campaign.objects.filter(ends_on__lt=today, closed_at__isnull=True) \
            .values_list("pk", flat=True):
        with transaction.atomic():
            campaign = Campaign.objects.select_for_update().get(pk=campaign_id)
            if campaign.closed_at is not None:
                continue
            lapse = [CampaignRequestState.AANGEVRAAGD, CampaignRequestState.WACHTLIJST]
            if campaign.handout == Handout.PICKUP and campaign.cancel_unclaimed_on_close:
                lapse.append(CampaignRequestState.TOEGEKEND)
            for request in campaign.requests.select_for_update().filter(state__in=lapse):
                request.cancel(description=_("De periode is voorbij"))
                request.save()
                request.codes.update(request=None, assigned_at=None)
                _queue_letter(request, AppreciationLetter.CAMPAIGN_CANCELLED)
            campaign.closed_at = clock.now()
            campaign.save(update_fields=["closed_at"])
            closed += 1
    return closed


def _queue_letter(request: CampaignRequest, kind: str) -> None:
    queue_letter(kind, request.caregiver_id, f"{kind}:{request.pk}", about=request)
