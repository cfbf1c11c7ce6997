"""Campaigns for caregivers: the short public form and Mijn gegevens › Zwemkaartjes.

Public: /zwemkaartjes (the swimming-ticket campaign that is open now) and /campagne/<id>
(any campaign people ask for). The form only matches an existing registration
(`registrations.selectors.find_caregiver`); nobody is registered here. Not signed in as the
person whose details were typed, the answer is the same for everyone (unknown, not active,
already asked or granted): "we received it, you hear from us by e-mail or letter", and the
real outcome goes to that person's own channel (`campaigns.ask_by_details`). So the form
tells a stranger nothing about who is registered or whose care ended.

Mijn gegevens: the signed-in caregiver (`caregiver_required`) sees the campaigns they may
ask for and their own requests. A request id in a URL is only looked up among that
caregiver's requests, so someone else's id is a 404. `campaigns.ask` and `campaigns.cancel`
decide and store; a refusal becomes a plain message, never an error page.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_fsm import ConcurrentTransition, TransitionNotAllowed

from core import clock, ratelimit
from registrations.selectors import find_caregiver
from registrations.selfservice_session import (
    caregiver_required,
    current_caregiver,
    representative,
)

from ..models import (
    Campaign,
    CampaignKind,
    CampaignRequest,
    CampaignRequestState,
    CampaignRoute,
    CodeSource,
    Handout,
)
from . import services as campaigns
from .forms_public import CampaignLookupForm
from .services import CampaignRefused

GET_POST = require_http_methods(["GET", "POST"])
# The address fields of CampaignLookupForm: the per-address rate limit reads only these.
IDENTITY_FIELDS = ("postcode", "house_number")
ASKED_SESSION_KEY = "campaign_asked"
GRANTED_STATES = {CampaignRequestState.TOEGEKEND, CampaignRequestState.VERSTUURD,
                  CampaignRequestState.OPGEHAALD}
TEMPLATES = "appreciation/campaigns/public/"

# What a caregiver reads after the status ("Verstuurd."), without saying the status again:
# (for adults, with "u"; for young caregivers, with "je").
STATE_WORDS = {
    CampaignRequestState.AANGEVRAAGD: (gettext_lazy("Wij hebben uw aanvraag ontvangen."),
                                       gettext_lazy("Wij hebben je aanvraag ontvangen.")),
    CampaignRequestState.VERSTUURD: (gettext_lazy("De brief met uw codes is verstuurd."),
                                     gettext_lazy("De brief met je codes is verstuurd.")),
    CampaignRequestState.OPGEHAALD: (gettext_lazy("U heeft de kaartjes opgehaald."),
                                     gettext_lazy("Je hebt de kaartjes opgehaald.")),
    CampaignRequestState.GEANNULEERD: (
        gettext_lazy("U krijgt hiervoor geen kaartjes."),
        gettext_lazy("Je krijgt hiervoor geen kaartjes.")),
    CampaignRequestState.AFGEWEZEN: (
        gettext_lazy("Toen u aan de beurt was, kon u dit niet meer krijgen. Bel ons gerust, "
                     "dan kijken we samen wat kan."),
        gettext_lazy("Toen je aan de beurt was, kon je dit niet meer krijgen. Bel ons gerust, "
                     "dan kijken we samen wat kan.")),
    CampaignRequestState.WACHT_OP_CODES: (
        gettext_lazy("U krijgt het. De codes zijn nu even op. Zodra er nieuwe zijn, sturen wij "
                     "ze u. U hoeft niets te doen."),
        gettext_lazy("Je krijgt het. De codes zijn nu even op. Zodra er nieuwe zijn, sturen "
                     "wij ze je. Je hoeft niets te doen.")),
}


# A refusal (campaigns.ask) in "je" for a young caregiver in Mijn gegevens, by its code; the
# service words it with "u", as the desk and the public form show it.
YOUNG_REFUSALS = {
    "no_request": gettext_lazy("Dit hoef je niet aan te vragen: je krijgt het vanzelf als je "
                               "ingeschreven bent."),
    "not_active": gettext_lazy("Je inschrijving bij het Servicepunt is nu niet actief. Daarom "
                               "kun je dit niet aanvragen. Bel ons gerust, dan kijken we "
                               "samen wat kan."),
    "duplicate": gettext_lazy("Je hebt dit al aangevraagd. Je kunt het één keer aanvragen. "
                              "Hieronder zie je hoe het ervoor staat."),
}


def refusal_words(refused: CampaignRefused, young: bool, campaign: Campaign) -> str:
    if not young:
        return refused.message
    if refused.code == "closed" and clock.today() < campaign.starts_on:
        return _("Je kunt dit aanvragen vanaf %(day)s.") % {
            "day": campaign.starts_on.strftime("%d-%m-%Y")}
    return str(YOUNG_REFUSALS.get(refused.code, refused.message))


# --- reads ------------------------------------------------------------------------------
def open_campaigns(today):
    """Campaigns people can ask for today, the one that ends first on top."""
    return Campaign.objects.filter(requires_request=True, closed_at__isnull=True,
                                   starts_on__lte=today, ends_on__gte=today) \
        .order_by("ends_on", "pk")


def next_campaign(today, kind=None) -> Campaign | None:
    """The first campaign people can ask for that has not started yet."""
    upcoming = Campaign.objects.filter(requires_request=True, closed_at__isnull=True,
                                       starts_on__gt=today)
    if kind:
        upcoming = upcoming.filter(kind=kind)
    return upcoming.order_by("starts_on", "pk").first()


def waiting_place(request: CampaignRequest) -> int:
    """Place in line: 1 is the next to get codes (same order as the waiting list)."""
    ahead = CampaignRequest.objects.filter(
        campaign_id=request.campaign_id, state=CampaignRequestState.WACHTLIJST).filter(
        Q(requested_at__lt=request.requested_at)
        | Q(requested_at=request.requested_at, pk__lt=request.pk)).count()
    return ahead + 1


def state_words(request: CampaignRequest, young: bool) -> str:
    """What the status means for the caregiver; the status itself is shown before it."""
    if request.state == CampaignRequestState.WACHTLIJST:
        words = (_("Er zijn nu geen kaartjes meer. Je bent nummer %(n)s. Komen er kaartjes "
                   "bij? Dan krijg je bericht.") if young else
                 _("Er zijn nu geen kaartjes meer. U bent nummer %(n)s. Komen er kaartjes "
                   "bij? Dan krijgt u bericht."))
        return words % {"n": waiting_place(request)}
    if request.state == CampaignRequestState.TOEGEKEND:
        if request.campaign.code_source == CodeSource.PHYSICAL:
            if request.campaign.handout == Handout.PICKUP:
                return _("Toegekend. U kunt de kaart ophalen bij het Servicepunt.")
            return _("Toegekend. Wij sturen de kaart per post.")
        if request.campaign.handout == Handout.PICKUP:
            return (_("Je kunt de kaartjes ophalen bij het Servicepunt. Noem dan het nummer "
                      "hieronder.") if young else
                    _("U kunt de kaartjes ophalen bij het Servicepunt. Noem dan het nummer "
                      "hieronder."))
        return (_("De brief met je codes is onderweg.") if young
                else _("De brief met uw codes is onderweg."))
    words_u, words_je = STATE_WORDS[request.state]
    return str(words_je if young else words_u)


def can_cancel(request: CampaignRequest) -> bool:
    """Not yet sent or picked up. Codes printed on a letter are on their way as soon as
    they are granted, so only pick-up numbers can be given back after that."""
    if request.state in (CampaignRequestState.AANGEVRAAGD, CampaignRequestState.WACHTLIJST,
                         CampaignRequestState.WACHT_OP_CODES):
        return True
    return (request.state == CampaignRequestState.TOEGEKEND
            and request.campaign.handout == Handout.PICKUP)


def ask_label(campaign: Campaign) -> str:
    if campaign.kind == CampaignKind.SWIM_TICKETS:
        return _("Zwemkaartjes aanvragen")
    return _("%(name)s aanvragen") % {"name": campaign.name}


# --- the public form --------------------------------------------------------------------
@never_cache
@GET_POST
@ratelimit.limit("form", identity=IDENTITY_FIELDS)
def swim_tickets(request):
    """/zwemkaartjes: the swimming-ticket campaign that is open now, or when it opens."""
    today = clock.today()
    campaign = open_campaigns(today).filter(kind=CampaignKind.SWIM_TICKETS).first()
    if campaign is None:
        upcoming = next_campaign(today, CampaignKind.SWIM_TICKETS) or next_campaign(today)
        return _closed(request, None, upcoming)
    return _public_form(request, campaign)


@never_cache
@GET_POST
@ratelimit.limit("form", identity=IDENTITY_FIELDS)
def campaign_form(request, pk):
    """/campagne/<id>: any campaign people ask for; others (and unknown ids) are a 404."""
    campaign = get_object_or_404(Campaign, pk=pk, requires_request=True)
    today = clock.today()
    if not campaign.is_open(today):
        upcoming = campaign if campaign.closed_at is None and campaign.starts_on > today \
            else next_campaign(today, campaign.kind)
        return _closed(request, campaign, upcoming)
    return _public_form(request, campaign)


def _closed(request, campaign, upcoming):
    """Nothing to ask now: say when it opens (a normal page, status 200)."""
    return render(request, TEMPLATES + "closed.html", {
        "campaign": campaign, "upcoming": upcoming,
        "open_now": open_campaigns(clock.today()),
        "swim": campaign is None or campaign.kind == CampaignKind.SWIM_TICKETS})


def _public_form(request, campaign):
    form = CampaignLookupForm(request.POST if request.method == "POST" else None)
    context = {"campaign": campaign, "form": form, "ask_label": ask_label(campaign),
               "signed_in": current_caregiver(request)[0]}
    if request.method == "POST" and form.is_valid():
        signed_in = context["signed_in"]
        caregiver = find_caregiver(**form.cleaned_data)
        if signed_in is None or caregiver is None or caregiver.pk != signed_in.pk:
            campaigns.ask_by_details(campaign, form.cleaned_data)
            request.session[ASKED_SESSION_KEY] = {"campaign": campaign.pk, "neutral": True}
            return redirect("appreciation:campaign_asked", pk=campaign.pk)
        try:  # signed in and these are their own details: the real outcome
            item = campaigns.ask(campaign, caregiver, route=CampaignRoute.PUBLIC_FORM)
        except CampaignRefused as refused:
            return _refused(request, refused, campaign)
        request.session[ASKED_SESSION_KEY] = {
            "campaign": campaign.pk, "state": item.state,
            "place": waiting_place(item) if item.state == CampaignRequestState.WACHTLIJST
            else None}
        return redirect("appreciation:campaign_asked", pk=campaign.pk)
    return render(request, TEMPLATES + "form.html", context)


def _refused(request, refused: CampaignRefused, campaign):
    return render(request, TEMPLATES + "refused.html", {
        "message": refused.message, "duplicate": refused.code == "duplicate",
        "campaign": campaign, "signed_in": current_caregiver(request)[0]})


@never_cache
@require_GET
def asked(request, pk):
    """The outcome of the public form, once (the session holds it, no id of a person)."""
    done = request.session.get(ASKED_SESSION_KEY)
    if not done or done.get("campaign") != pk:
        return redirect("appreciation:campaign_public", pk=pk)
    campaign = get_object_or_404(Campaign, pk=pk, requires_request=True)
    return render(request, TEMPLATES + "asked.html", {
        "campaign": campaign, "neutral": done.get("neutral", False),
        "waiting": done.get("state") == CampaignRequestState.WACHTLIJST,
        "place": done.get("place")})


# --- Mijn gegevens ----------------------------------------------------------------------
@never_cache
@require_GET
@caregiver_required
def my_campaigns(request, caregiver):
    today = clock.today()
    mine = list(CampaignRequest.objects.filter(caregiver=caregiver)
                .select_related("campaign").prefetch_related("codes")
                .order_by("-requested_at", "-pk"))
    asked_ids = {item.campaign_id for item in mine}
    still_open = [c for c in open_campaigns(today) if c.pk not in asked_ids]
    young = caregiver.is_young()
    rows = [{"request": item, "status": item.get_state_display(),
             "words": state_words(item, young), "can_cancel": can_cancel(item),
             "codes": [code.code for code in item.codes.all()]
             if item.state in GRANTED_STATES else []} for item in mine]
    return render(request, TEMPLATES + "my_campaigns.html", {
        "caregiver": caregiver, "rows": rows,
        "can_ask": [{"campaign": c, "label": ask_label(c)} for c in still_open
                    if caregiver.state in c.allowed_states()],
        "not_active": [c for c in still_open if caregiver.state not in c.allowed_states()],
        "not_allowed_message": campaigns.not_allowed_message(caregiver),
        "upcoming": next_campaign(today)})


@never_cache
@require_POST
@caregiver_required
def ask(request, caregiver, pk):
    campaign = get_object_or_404(Campaign, pk=pk)
    try:
        item = campaigns.ask(campaign, caregiver, route=CampaignRoute.SELF_SERVICE,
                             mandate_representative=representative(request))
    except CampaignRefused as refused:
        messages.error(request, refusal_words(refused, caregiver.is_young(), campaign))
    else:
        if item.state == CampaignRequestState.WACHTLIJST:
            words = (_("Je aanvraag is binnen. Er zijn nu geen kaartjes meer. Je staat op de "
                       "wachtlijst, nummer %(n)s.") if caregiver.is_young() else
                     _("Uw aanvraag is binnen. Er zijn nu geen kaartjes meer. U staat op de "
                       "wachtlijst, nummer %(n)s."))
            messages.success(request, words % {"n": waiting_place(item)})
        elif item.state == CampaignRequestState.WACHT_OP_CODES:
            messages.success(request, _("Je aanvraag is binnen. Je krijgt het. De codes zijn "
                                        "nu even op: zodra er nieuwe zijn, sturen wij ze je.")
                             if caregiver.is_young() else
                             _("Uw aanvraag is binnen. U krijgt het. De codes zijn "
                               "nu even op: zodra er nieuwe zijn, sturen wij ze u."))
        elif campaign.code_source == CodeSource.PHYSICAL:
            messages.success(request, _("Je aanvraag is binnen. Wij leggen de kaart voor je "
                                        "klaar.") if caregiver.is_young() else
                             _("Uw aanvraag is binnen. Wij leggen de kaart voor u klaar."))
        else:
            messages.success(request, _("Je aanvraag is binnen. Je krijgt een brief of e-mail "
                                        "met de codes.") if caregiver.is_young() else
                             _("Uw aanvraag is binnen. U krijgt een brief of e-mail "
                                        "met de codes."))
    return redirect("appreciation:my_campaigns")


def _own_request(caregiver, pk) -> CampaignRequest:
    return get_object_or_404(CampaignRequest.objects.select_related("campaign"),
                             pk=pk, caregiver=caregiver)


@never_cache
@GET_POST
@caregiver_required
def cancel(request, caregiver, pk):
    """A confirmation page first; the POST cancels through the service."""
    item = _own_request(caregiver, pk)
    if not can_cancel(item):
        messages.info(request, _("Deze aanvraag kun je niet meer annuleren. Kijk hieronder "
                                 "hoe het nu staat.") if caregiver.is_young() else
                      _("Deze aanvraag kunt u niet meer annuleren. Kijk hieronder "
                                 "hoe het nu staat."))
        return redirect("appreciation:my_campaigns")
    if request.method == "POST":
        try:
            campaigns.cancel(item, caregiver=caregiver)
        except (TransitionNotAllowed, ConcurrentTransition, PermissionDenied):
            messages.error(request, _("Annuleren lukte niet: de aanvraag is net veranderd. "
                                      "Kijk hieronder hoe het nu staat."))
        else:
            messages.success(request, _("Je aanvraag is geannuleerd.") if caregiver.is_young()
                             else _("Uw aanvraag is geannuleerd."))
        return redirect("appreciation:my_campaigns")
    return render(request, TEMPLATES + "cancel.html", {"item": item})
