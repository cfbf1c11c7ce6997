"""Every write about campaigns (swimming tickets, the December attentie): asking, handing out
codes from stock, the waiting list, cancelling, picking up, closing. One function per use
case, each in one transaction.

Handing out codes always happens with the campaign's row locked (SELECT … FOR UPDATE), so
requests of one campaign take turns: stock can never go below zero, a code is never given
twice, and the waiting list is served in the order people asked. Letters are queued in the
same transaction and sent by a worker after commit.

When stock runs out, the campaign's "beperkte voorraad" decides: on, the request goes on the
waiting list (with a letter); off (the default, as the annual report has it: every registered
caregiver gets them), the request stands as "wacht op codes", the coordinator is warned, and
it is served, in the order people asked, as soon as codes or cards are added. Codes are only
made by the product when the campaign's code source is "eigen codes"; physical cards have no
codes: a request gets a card, which staff post or hand out and mark.
"""

import datetime
import secrets

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_fsm import TransitionNotAllowed

from core import clock, languages, roles
from registrations.models import LINK_STATES, Caregiver, State
from registrations.selectors import find_caregiver
from worker.services import queue_letter

from ..models import (
    AppreciationLetter,
    Campaign,
    CampaignRequest,
    CampaignRequestState,
    CampaignRoute,
    CodeSource,
    Handout,
    TicketCode,
)
from .codes import (  # noqa: F401  (re-exported: the forms and tests use them from here)
    CODE_ALPHABET,
    MAX_CODE_LENGTH,
    CodesRefused,
    codes_elsewhere,
    parse_codes,
)

GRANTED_STATES = [CampaignRequestState.TOEGEKEND, CampaignRequestState.VERSTUURD,
                  CampaignRequestState.OPGEHAALD]


class CampaignRefused(Exception):
    """Asking is not possible, with a Dutch message for the person."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message, self.code = message, code


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
        raise CampaignRefused(not_allowed_message(caregiver), "not_active")
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
            "U heeft dit al aangevraagd. U kunt het één keer aanvragen. In Mijn "
            "gegevens ziet u hoe het ervoor staat."), "duplicate") from None
    return request


def not_allowed_message(caregiver: Caregiver) -> str:
    """Why this person may not ask. A former caregiver is still registered: they hear that
    this offer is for people who care for someone now, never that they are "not active"."""
    if caregiver.state == State.VOORMALIG:
        return _("Dit is alleen voor mensen die nu voor iemand zorgen. Bel ons gerust, dan "
                 "kijken we samen wat kan.")
    return _("Uw inschrijving bij het Servicepunt is nu niet actief. Daarom kunt u dit niet "
             "aanvragen. Bel ons gerust, dan kijken we samen wat kan.")


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


WAITING_STATES = [CampaignRequestState.WACHTLIJST, CampaignRequestState.WACHT_OP_CODES]


@translation.override(languages.SOURCE)  # stored text: Dutch, whatever the page spoke
def _hand_out(campaign: Campaign, request: CampaignRequest, by) -> bool:
    """Give a new request its codes, or let it wait: on the waiting list when the campaign
    has limited stock, else as "wacht op codes". Someone already waiting goes first, so a
    new request never jumps the line."""
    someone_waiting = campaign.requests.filter(
        state__in=WAITING_STATES).exclude(pk=request.pk).exists()
    if not someone_waiting and _reserve_codes(campaign, request, by):
        return True
    if not campaign.limited_stock:
        request.await_codes(by=by, description=_("Geen codes meer: wacht op nieuwe codes"))
        request.save()
        return False
    request.wait(by=by, description=_("Geen kaartjes meer: op de wachtlijst"))
    request.save()
    _queue_letter(request, AppreciationLetter.CAMPAIGN_WAITLIST)
    return False


def _granted_tickets(campaign: Campaign) -> int:
    return campaign.tickets_per_caregiver * campaign.requests.filter(
        state__in=GRANTED_STATES).count()


def _grant_card(campaign: Campaign, request: CampaignRequest, by) -> bool:
    """Physical cards: no codes, the card is set aside for the person while cards last
    (the campaign's number of cards); staff post or hand it out and mark it."""
    needed = campaign.tickets_per_caregiver
    if campaign.stock_total - _granted_tickets(campaign) < needed:
        return False
    request.grant(by=by, description=_("%(n)s kaarten klaarleggen") % {"n": needed})
    request.granted_at = clock.now()
    request.save()
    return True


def _reserve_codes(campaign: Campaign, request: CampaignRequest, by) -> bool:
    """Take the oldest free codes for the request and grant it; False if too few."""
    if campaign.code_source == CodeSource.PHYSICAL:
        return _grant_card(campaign, request, by)
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
               .filter(state__in=WAITING_STATES).order_by("requested_at", "pk"))
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

@transaction.atomic
def add_codes(campaign: Campaign, codes: list[str], by=None, *, generated=False) -> int:
    """Add codes to the stock (codes the campaign already has are left out), then serve the
    waiting list and whoever waits for codes. Returns how many were new. A campaign of
    physical cards takes no codes (CampaignRefused)."""
    campaign = _lock(campaign)
    if campaign.code_source == CodeSource.PHYSICAL:
        raise CampaignRefused(_("Deze campagne werkt met fysieke kaarten, zonder codes."),
                              "physical")
    known = set(TicketCode.objects.filter(campaign=campaign, code__in=codes)
                .values_list("code", flat=True))
    now = clock.now()
    new = [TicketCode(campaign=campaign, code=code, added_at=now, generated=generated)
           for code in dict.fromkeys(codes) if code not in known]
    TicketCode.objects.bulk_create(new)
    serve_waiting_list(campaign, by)
    return len(new)


def generate_codes(campaign: Campaign, count: int, by=None) -> int:
    """Make `count` new random codes (pick-up numbers, or gift codes a shop accepts). Only
    when the coordinator chose "eigen codes": a shop does not accept codes it did not issue
    (CampaignRefused otherwise)."""
    if campaign.code_source != CodeSource.OWN:
        raise CampaignRefused(_(
            "Deze campagne gebruikt geen eigen codes. Laad de codes van de leverancier, of "
            "kies in de instellingen voor eigen codes als de winkel die accepteert."),
            "not_own_codes")
    prefix = {"zwemkaartjes": "ZWEM", "attentie": "BON"}.get(campaign.kind, "CODE")
    codes = ["-".join([prefix] + ["".join(secrets.choice(CODE_ALPHABET) for _ in range(4))
                                  for _ in range(3)]) for _ in range(count)]
    return add_codes(campaign, codes, by, generated=True)


def stock_left(campaign: Campaign) -> int:
    """Tickets still to give: free codes, or for physical cards the cards not set aside."""
    if campaign.code_source == CodeSource.PHYSICAL:
        return max(campaign.stock_total - _granted_tickets(campaign), 0)
    return TicketCode.objects.filter(campaign=campaign, request__isnull=True).count()


@transaction.atomic
def stock_changed(campaign: Campaign, by=None) -> int:
    """The coordinator changed the campaign's settings (more cards, no longer limited):
    whoever waits is served while stock lasts. Returns how many were served."""
    return serve_waiting_list(campaign, by)


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
    with translation.override(languages.SOURCE):  # the timeline is Dutch
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
def mark_posted(request: CampaignRequest, by) -> CampaignRequest:
    """Staff posted the physical card (a campaign of physical cards sent by post)."""
    request = _locked_request(request)
    if not roles.is_staff_member(by):
        raise PermissionDenied
    campaign = request.campaign
    if campaign.code_source != CodeSource.PHYSICAL or campaign.handout != Handout.CODE_ON_LETTER:
        raise TransitionNotAllowed(_("Alleen bij fysieke kaarten die per post gaan."))
    request.mark_sent(by=by, description=_("Kaart op de post gedaan"))
    request.save()
    return request


@transaction.atomic
def mark_all_posted(campaign: Campaign, by) -> int:
    """Staff posted every card set aside (the attentie's envelopes went out in one go).
    Returns how many were marked; a request a colleague changed meanwhile is skipped."""
    if not roles.is_staff_member(by):
        raise PermissionDenied
    campaign = _lock(campaign)
    if campaign.code_source != CodeSource.PHYSICAL or campaign.handout != Handout.CODE_ON_LETTER:
        raise TransitionNotAllowed(_("Alleen bij fysieke kaarten die per post gaan."))
    marked = 0
    for request in campaign.requests.select_for_update(skip_locked=True).filter(
            state=CampaignRequestState.TOEGEKEND):
        request.mark_sent(by=by, description=_("Kaart op de post gedaan"))
        request.save()
        marked += 1
    return marked


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
    """Everyone who may have it gets it, without asking, and a letter goes out by each
    person's channel (physical cards: staff post or hand them out). Running it again adds
    only newcomers. Codes are made only for a campaign with "eigen codes"; otherwise who
    is left when the stock runs out waits for codes (the coordinator is warned), or goes on
    the waiting list when the campaign has limited stock. Returns how many people it is
    for, the ones who wait included.

    People still waiting (a campaign switched from asking to everyone in the admin) are
    served first, and count in the number returned."""
    if not roles.is_coordinator(by):
        raise PermissionDenied
    with transaction.atomic():
        campaign = _lock(campaign)
        people = list(Caregiver.objects.filter(state__in=campaign.allowed_states())
                      .exclude(campaign_requests__campaign=campaign).values_list("pk", flat=True))
        waiting = campaign.requests.filter(
            state__in=WAITING_STATES,
            caregiver__state__in=campaign.allowed_states()).count()
        if campaign.code_source == CodeSource.OWN:
            needed = (len(people) + waiting) * campaign.tickets_per_caregiver
            missing = needed - stock_left(campaign)
            if missing > 0:
                generate_codes(campaign, missing, by)
        serve_waiting_list(campaign, by)  # the first in line go first
        now = clock.now()
        requests = CampaignRequest.objects.bulk_create(
            CampaignRequest(campaign=campaign, caregiver_id=pk, route=CampaignRoute.EVERYONE,
                            requested_at=now, handled_by=by) for pk in people)
        for request in requests:
            _hand_out(campaign, request, by)
    return len(people) + waiting


# --- closing ----------------------------------------------------------------------------

def close_finished_campaigns(today: datetime.date | None = None) -> int:
    """The daily job: a campaign whose period is over closes once. The waiting list (and
    requests never handled) lapse with a letter; tickets not picked up lapse if the campaign
    says so and go back into stock. Requests waiting for codes stay (they are owed). Safe
    to run twice: a closed campaign is skipped."""
    today = today or clock.today()
    closed = 0
    for campaign_id in Campaign.objects.filter(ends_on__lt=today, closed_at__isnull=True) \
            .values_list("pk", flat=True):
        with transaction.atomic():
            campaign = Campaign.objects.select_for_update().get(pk=campaign_id)
            if campaign.closed_at is not None:
                continue
            # Requests waiting for codes stay: they are owed, and get codes when added.
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
