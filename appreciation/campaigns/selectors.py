"""Reads for the back-office campaign pages: the overview, one campaign, the desk search and
the export of who received which codes.

The overview reads every campaign with its counts in one query (counts per state and the
free codes as annotations), so the page costs the same with one campaign or fifty.
"""

import csv
import io

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core import clock
from core.uploads import safe_cell
from registrations.models import Caregiver, Channel
from registrations.selectors import search_caregivers

from ..models import (
    Campaign,
    CampaignRequest,
    CampaignRequestState,
    CodeSource,
    Handout,
    TicketCode,
)

HANDED_OUT = [CampaignRequestState.TOEGEKEND, CampaignRequestState.VERSTUURD,
              CampaignRequestState.OPGEHAALD]
CANCELLABLE = [CampaignRequestState.AANGEVRAAGD, CampaignRequestState.WACHTLIJST,
               CampaignRequestState.WACHT_OP_CODES, CampaignRequestState.TOEGEKEND]
DESK_RESULTS = 20

EXPORT_HEADER = ["Campagne", "Naam", "Adres", "Postcode", "Woonplaats", "Verstuurd via",
                 "Status", "Codes", "Toegekend op"]


def _code_count(free_only: bool) -> Subquery:
    codes = TicketCode.objects.filter(campaign=OuterRef("pk"))
    if free_only:
        codes = codes.filter(request__isnull=True)
    return Coalesce(Subquery(codes.order_by().values("campaign").annotate(n=Count("pk"))
                             .values("n"), output_field=IntegerField()), 0)


def _with_counts(campaigns: QuerySet) -> QuerySet:
    """Each campaign with `n_<state>` per request state, `stock_free` (what `stock_left`
    counts) and `codes_loaded`, in the same query."""
    counts = {f"n_{state}": Count("requests", filter=Q(requests__state=state))
              for state in CampaignRequestState.values}
    return campaigns.annotate(**counts, stock_free=_code_count(True),
                              codes_loaded=_code_count(False))


def _state_rows(campaign: Campaign) -> list[dict]:
    return [{"state": state, "label": label, "count": getattr(campaign, f"n_{state}")}
            for state, label in CampaignRequestState.choices]


def period_status(campaign: Campaign, today=None) -> str:
    today = today or clock.today()
    if campaign.is_open(today):
        return _("Open")
    if campaign.closed_at is None and today < campaign.starts_on:
        return _("Nog niet begonnen")
    return _("Gesloten")


def overview() -> list[dict]:
    """Every campaign, newest first, with its period, stock and requests per state."""
    today = clock.today()
    return [{"campaign": campaign, "status": period_status(campaign, today),
             "states": _state_rows(campaign),
             "cards_left": cards_left(campaign) if campaign.physical else None}
            for campaign in _with_counts(Campaign.objects.order_by("-starts_on", "-pk"))]


def campaign_with_counts(pk: int) -> Campaign:
    """One campaign with the same counts as on the overview (DoesNotExist if unknown)."""
    return _with_counts(Campaign.objects.filter(pk=pk)).get()


def summary(campaign: Campaign) -> dict:
    """What the campaign page shows above its lists; `campaign` comes from
    `campaign_with_counts`."""
    return {"status": period_status(campaign), "states": _state_rows(campaign),
            "is_pickup": campaign.handout == Handout.PICKUP,
            "closed": campaign.closed_at is not None,
            "cards_left": cards_left(campaign) if campaign.physical else None}


def waiting_list(campaign: Campaign) -> QuerySet:
    """Who waits, in the order they are served (who asked first goes first): the waiting
    list, and requests waiting for codes."""
    return (campaign.requests.filter(state__in=[CampaignRequestState.WACHTLIJST,
                                                CampaignRequestState.WACHT_OP_CODES])
            .select_related("caregiver").order_by("requested_at", "pk"))


def cards_left(campaign: Campaign) -> int:
    """Physical cards not yet set aside for someone (the number of cards minus the ones
    granted); `campaign` comes from `campaign_with_counts`."""
    granted = sum(getattr(campaign, f"n_{state}") for state in HANDED_OUT)
    return max(campaign.stock_total - granted * campaign.tickets_per_caregiver, 0)


def stock_warning(campaign: Campaign) -> str:
    """The coordinator's warning for a campaign without a waiting list whose stock ran out
    (people wait for codes), or "" when all is well. `campaign` from `campaign_with_counts`."""
    waiting = getattr(campaign, f"n_{CampaignRequestState.WACHT_OP_CODES}")
    if waiting:
        what = (_("Verhoog het aantal kaarten in de instellingen.") if campaign.physical
                else _("Laad nieuwe codes van de leverancier.")
                if campaign.code_source == CodeSource.SUPPLIER
                else _("Laad of maak nieuwe codes."))
        return ngettext(
            "%(name)s: de voorraad is op. %(n)s mantelzorger wacht op codes. %(what)s",
            "%(name)s: de voorraad is op. %(n)s mantelzorgers wachten op codes. %(what)s",
            waiting) % {"name": campaign.name, "n": waiting, "what": what}
    free = cards_left(campaign) if campaign.physical else campaign.stock_free
    if (not campaign.limited_stock and campaign.requires_request
            and campaign.is_open(clock.today()) and free < campaign.tickets_per_caregiver):
        return _("%(name)s: de voorraad is op. Nieuwe aanvragen wachten tot er codes bij "
                 "komen.") % {"name": campaign.name}
    return ""


def stock_warnings() -> list[dict]:
    """Every campaign that needs the coordinator because its stock ran out (dashboard,
    campaign overview, the daily message to coordinators)."""
    rows = []
    for campaign in _with_counts(Campaign.objects.order_by("ends_on", "pk")):
        message = stock_warning(campaign)
        if message:
            rows.append({"campaign": campaign, "message": message})
    return rows


def handed_out(campaign: Campaign) -> QuerySet:
    """Requests that got codes (granted, sent, picked up), with the codes."""
    return (campaign.requests.filter(state__in=HANDED_OUT)
            .select_related("caregiver").prefetch_related("codes")
            .order_by("granted_at", "pk"))


def everyone_count(campaign: Campaign) -> dict:
    """For the confirmation before `grant_to_everyone`: who would get it now (the same
    people the service picks) and who already has it."""
    allowed = Caregiver.objects.filter(state__in=campaign.allowed_states())
    return {"new": allowed.exclude(campaign_requests__campaign=campaign).count(),
            "already": campaign.requests.count()}


def desk_search(*, query: str = "", date_of_birth=None) -> list[Caregiver]:
    """Registered caregivers for a desk request, by name (or postcode) and/or date of
    birth; at most DESK_RESULTS. Erased registrations are never shown."""
    caregivers = search_caregivers(query=query)
    if date_of_birth:
        caregivers = caregivers.filter(date_of_birth=date_of_birth)
    return list(caregivers[:DESK_RESULTS])


def requests_of(campaign: Campaign, caregivers) -> dict[int, CampaignRequest]:
    """The requests these caregivers already have in this campaign, by caregiver id."""
    return {request.caregiver_id: request for request in campaign.requests.filter(
        caregiver__in=[caregiver.pk for caregiver in caregivers])}


def waiting_place(request: CampaignRequest) -> int:
    """The place of a waiting request in the line (1 is next)."""
    return request.campaign.requests.filter(
        Q(requested_at__lt=request.requested_at)
        | Q(requested_at=request.requested_at, pk__lte=request.pk),
        state=CampaignRequestState.WACHTLIJST).count()


def codes_csv(campaign: Campaign) -> bytes:
    """Who received which codes, for the pool or the shop: semicolon-separated for Dutch
    spreadsheets, every cell safe against formulas (`core.uploads.safe_cell`)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(EXPORT_HEADER)
    channels = dict(Channel.choices)
    states = dict(CampaignRequestState.choices)
    for request in handed_out(campaign).iterator(chunk_size=500):
        caregiver = request.caregiver
        codes = " ".join(code.code for code in request.codes.all())
        writer.writerow([safe_cell(cell) for cell in (
            campaign.name, caregiver.full_name,
            f"{caregiver.street} {caregiver.house_number}".strip(),
            caregiver.postcode_display, caregiver.city,
            channels.get(caregiver.channel, caregiver.channel),
            states.get(request.state, request.state), codes,
            request.granted_at.astimezone(clock.AMSTERDAM).strftime("%d-%m-%Y %H:%M")
            if request.granted_at else "")])
    return out.getvalue().encode("utf-8-sig")  # the BOM lets Excel read é and ë
