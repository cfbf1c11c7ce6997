"""Back-office pages for campaigns (swimming tickets, the December attentie): the overview,
one campaign with its waiting list and hand-outs, desk requests, cancelling, picking up, and
for coordinators loading or making codes, sending to everyone and the export.

Views parse a form and call a service in `campaigns.py`. An action that is no longer
allowed, or that a colleague took first, becomes a plain message, never an error page.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django_fsm import ConcurrentTransition, TransitionNotAllowed

from core.staff_access import coordinator_required, staff_required
from registrations.models import Caregiver, State

from ..models import (
    Campaign,
    CampaignRequest,
    CampaignRequestState,
    CampaignRoute,
    CodeSource,
    Handout,
)
from . import selectors
from . import services as campaigns
from .forms_backoffice import (
    CancelForm,
    DeskAskForm,
    DeskSearchForm,
    GenerateCodesForm,
    UploadCodesForm,
)

PAGE_SIZE = 100
TEMPLATES = "appreciation/campaigns/backoffice/"


@staff_required
def overview(request):
    return render(request, TEMPLATES + "overview.html", {
        "rows": selectors.overview(), "warnings": selectors.stock_warnings()})


def _campaign(pk) -> Campaign:
    try:
        return selectors.campaign_with_counts(pk)
    except Campaign.DoesNotExist:
        raise Http404 from None


def _request_of(campaign, request_pk) -> CampaignRequest:
    """A request of this campaign: an id from another campaign is simply not found."""
    return get_object_or_404(CampaignRequest.objects.select_related("caregiver"),
                             pk=request_pk, campaign=campaign)


def _detail(request, campaign, *, upload_form=None, generate_form=None):
    """The campaign page. A coordinator's form that came back with errors is shown in
    place."""
    page = Paginator(selectors.handed_out(campaign), PAGE_SIZE).get_page(
        request.GET.get("pagina"))
    return render(request, TEMPLATES + "detail.html", {
        "campaign": campaign, **selectors.summary(campaign),
        "waiting": selectors.waiting_list(campaign), "page": page,
        "cancellable": selectors.CANCELLABLE,
        "upload_form": upload_form or UploadCodesForm(campaign=campaign),
        "generate_form": generate_form or GenerateCodesForm(),
        "warning": selectors.stock_warning(campaign),
        "is_physical": campaign.physical,
        "own_codes": campaign.code_source == CodeSource.OWN,
        "posts_cards": campaign.physical and campaign.handout == Handout.CODE_ON_LETTER,
    })


@staff_required
def detail(request, pk):
    return _detail(request, _campaign(pk))


def stale_message() -> str:
    return _("Deze aanvraag is intussen veranderd, door een collega of door het systeem. "
             "Er is niets opgeslagen. Kijk in de lijsten hieronder hoe het nu staat.")


def _run(request, campaign, action, done_message):
    """Call a service; a refused or lost transition becomes a message."""
    try:
        action()
    except (TransitionNotAllowed, ConcurrentTransition):
        messages.error(request, stale_message())
    except PermissionDenied:
        messages.error(request, _("Dit mag u niet doen met uw rol. Vraag een coördinator."))
    else:
        messages.success(request, done_message)
    return redirect("appreciation:campaign_detail", pk=campaign.pk)


# --- one request ----------------------------------------------------------------------

@staff_required
def cancel_request(request, pk, request_pk):
    """GET asks for a reason; POST cancels. Codes not yet sent go back into stock."""
    campaign = _campaign(pk)
    campaign_request = _request_of(campaign, request_pk)
    form = CancelForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        return _run(request, campaign, lambda: campaigns.cancel(
            campaign_request, by=request.user, reason=form.cleaned_data["reason"]),
            _("De aanvraag is geannuleerd. Vrije codes gaan naar wie op de wachtlijst "
              "staat."))
    return render(request, TEMPLATES + "cancel.html", {
        "campaign": campaign, "req": campaign_request, "form": form,
        "can_cancel": campaign_request.state in selectors.CANCELLABLE})


@staff_required
@require_POST
def mark_posted(request, pk, request_pk):
    """A physical card went into the post."""
    campaign = _campaign(pk)
    campaign_request = _request_of(campaign, request_pk)
    return _run(request, campaign, lambda: campaigns.mark_posted(
        campaign_request, request.user), _("Vastgelegd: de kaart voor %(name)s is op de "
                                           "post gedaan.") % {
        "name": campaign_request.caregiver.full_name})


@staff_required
@require_POST
def mark_all_posted(request, pk):
    """Every card set aside went into the post."""
    campaign = _campaign(pk)
    try:
        count = campaigns.mark_all_posted(campaign, request.user)
    except TransitionNotAllowed:
        messages.error(request, _("Dit kan alleen bij fysieke kaarten die per post gaan."))
    else:
        messages.success(request, ngettext(
            "Vastgelegd: %(n)s kaart is op de post gedaan.",
            "Vastgelegd: %(n)s kaarten zijn op de post gedaan.", count) % {"n": count})
    return redirect("appreciation:campaign_detail", pk=campaign.pk)


@staff_required
@require_POST
def mark_picked_up(request, pk, request_pk):
    campaign = _campaign(pk)
    campaign_request = _request_of(campaign, request_pk)
    if campaign.handout != Handout.PICKUP:
        messages.error(request, _("Bij deze campagne krijgen mensen de codes per brief. "
                                  "Ophalen is niet nodig."))
        return redirect("appreciation:campaign_detail", pk=campaign.pk)
    return _run(request, campaign, lambda: campaigns.mark_picked_up(
        campaign_request, request.user), _("Vastgelegd: %(name)s heeft de kaartjes "
                                           "opgehaald.") % {
        "name": campaign_request.caregiver.full_name})


# --- at the desk --------------------------------------------------------------------------

@staff_required
def desk(request, pk):
    """Search a registered caregiver by name, postcode or date of birth."""
    campaign = _campaign(pk)
    form = DeskSearchForm(request.GET or None)
    results = existing = None
    if form.is_valid():
        results = selectors.desk_search(query=form.cleaned_data["q"],
                                        date_of_birth=form.cleaned_data["geboortedatum"])
        existing = selectors.requests_of(campaign, results)
    return render(request, TEMPLATES + "desk.html", {
        "campaign": campaign, "form": form, "status": selectors.period_status(campaign),
        "results": [{"caregiver": c, "request": existing.get(c.pk)} for c in results]
        if results is not None else None,
    })


@staff_required
@require_POST
def desk_ask(request, pk):
    """Ask for the chosen caregiver; a refusal is shown as the service words it."""
    campaign = _campaign(pk)
    form = DeskAskForm(request.POST)
    caregiver = None
    if form.is_valid():
        caregiver = Caregiver.objects.exclude(state=State.GEWIST).filter(
            pk=form.cleaned_data["caregiver"]).first()
    if caregiver is None:
        messages.error(request, _("Deze mantelzorger is niet gevonden. Zoek opnieuw."))
        return redirect("appreciation:campaign_desk", pk=campaign.pk)
    try:
        new = campaigns.ask(campaign, caregiver, route=CampaignRoute.DESK, by=request.user)
    except campaigns.CampaignRefused as refused:
        messages.error(request, _("Niet aangevraagd voor %(name)s: %(reason)s") % {
            "name": caregiver.full_name, "reason": refused.message})
        return redirect("appreciation:campaign_desk", pk=campaign.pk)
    name = caregiver.full_name
    if new.state == CampaignRequestState.WACHT_OP_CODES:
        messages.warning(request, _(
            "Aangevraagd. De codes zijn op: %(name)s krijgt ze zodra er nieuwe codes zijn "
            "geladen. Zeg het even tegen de coördinator.") % {"name": name})
    elif new.state == CampaignRequestState.WACHTLIJST:
        messages.warning(request, _(
            "Er zijn geen kaartjes meer. %(name)s staat op de wachtlijst, plaats "
            "%(place)s. Komen er codes bij, dan gaat het vanzelf.") % {
            "name": name, "place": selectors.waiting_place(new)})
    elif campaign.handout == Handout.PICKUP:
        messages.success(request, _("Aangevraagd. De kaartjes voor %(name)s liggen klaar "
                                    "om op te halen.") % {"name": name})
    else:
        messages.success(request, _("Aangevraagd. %(name)s krijgt een brief met de "
                                    "codes.") % {"name": name})
    return redirect("appreciation:campaign_detail", pk=campaign.pk)


# --- coordinators: stock, everyone, export --------------------------------------------

@coordinator_required
@require_POST
def upload_codes(request, pk):
    campaign = _campaign(pk)
    form = UploadCodesForm(request.POST, request.FILES, prefix=UploadCodesForm.prefix,
                           campaign=campaign)
    if not form.is_valid():
        return _detail(request, campaign, upload_form=form)
    codes = form.cleaned_data["codes"]
    try:
        added = campaigns.add_codes(campaign, codes, request.user)
    except campaigns.CampaignRefused as refused:  # the settings changed meanwhile
        form.add_error("file", refused.message)
        return _detail(request, campaign, upload_form=form)
    _stock_message(request, campaign, _(
        "%(added)s nieuwe codes toegevoegd (%(known)s stonden er al in).") % {
        "added": added, "known": len(codes) - added})
    return redirect("appreciation:campaign_detail", pk=campaign.pk)


@coordinator_required
@require_POST
def generate_codes(request, pk):
    campaign = _campaign(pk)
    form = GenerateCodesForm(request.POST, prefix=GenerateCodesForm.prefix)
    if not form.is_valid():
        return _detail(request, campaign, generate_form=form)
    try:
        added = campaigns.generate_codes(campaign, form.cleaned_data["count"], request.user)
    except campaigns.CampaignRefused as refused:
        form.add_error("count", refused.message)
        return _detail(request, campaign, generate_form=form)
    _stock_message(request, campaign, _("%(added)s codes gemaakt.") % {"added": added})
    return redirect("appreciation:campaign_detail", pk=campaign.pk)


def _stock_message(request, campaign, done: str) -> None:
    waiting = campaign.requests.filter(state__in=campaigns.WAITING_STATES).count()
    messages.success(request, done + " " + _(
        "Wie wachtte, heeft kaartjes gekregen zolang er codes waren. Wacht nog: %(n)s.")
        % {"n": waiting})


@coordinator_required
def send_to_everyone(request, pk):
    """GET shows how many people it goes to; POST gives it to all of them."""
    campaign = _campaign(pk)
    if campaign.requires_request or campaign.closed_at is not None:
        messages.error(request, _(
            "Dit kan alleen bij een open campagne die mensen niet hoeven aan te vragen, "
            "zoals de attentie."))
        return redirect("appreciation:campaign_detail", pk=campaign.pk)
    if request.method == "POST":
        count = campaigns.grant_to_everyone(campaign, request.user)
        messages.success(request, ngettext(
            "Klaar: %(n)s mantelzorger krijgt het nu. De brief of e-mail gaat vandaag weg.",
            "Klaar: %(n)s mantelzorgers krijgen het nu. De brieven en e-mails gaan vandaag "
            "weg.", count) % {"n": count})
        warning = selectors.stock_warning(_campaign(pk))
        if warning:
            messages.warning(request, warning)
        return redirect("appreciation:campaign_detail", pk=campaign.pk)
    return render(request, TEMPLATES + "everyone_confirm.html", {
        "campaign": campaign, "count": selectors.everyone_count(campaign),
        "stock": campaigns.stock_left(campaign)})


@coordinator_required
def export_codes(request, pk):
    """Who received which codes, as CSV."""
    campaign = _campaign(pk)
    response = HttpResponse(selectors.codes_csv(campaign),
                            content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="campagne-{campaign.pk}-codes.csv"')
    return response
