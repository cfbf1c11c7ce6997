"""Mijn gegevens › Mantelzorgwaardering: the signed-in caregiver's own requests.

The caregiver comes from the session (`caregiver_required`); a request id in the URL is only
looked up among that caregiver's requests, so someone else's id is a 404. Every change goes
through `services`; a change that no longer fits (a consulent decided meanwhile) becomes a
plain message.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_fsm import ConcurrentTransition, TransitionNotAllowed

from core.formats import euros
from registrations.selfservice_session import caregiver_required

from ..models import NOT_COUNTED_STATES, AppreciationRequest, RequestState, Route
from . import services, submission, vouchers
from .forms_public import AnswerForm, format_iban

GET_POST = require_http_methods(["GET", "POST"])
REFUSED = (TransitionNotAllowed, ConcurrentTransition, PermissionDenied)

# What a caregiver reads about a request: a short status, said once, then what it means
# for them ("u" for adults, "je" for young caregivers). Internal words such as the payment
# round stay in the back office.
STATUS = {
    RequestState.INGEDIEND: (
        gettext_lazy("Ontvangen"),
        gettext_lazy("Een consulent kijkt er binnenkort naar."),
        gettext_lazy("Een consulent kijkt er binnenkort naar.")),
    RequestState.IN_BEHANDELING: (
        gettext_lazy("In behandeling"),
        gettext_lazy("Een consulent kijkt naar uw aanvraag."),
        gettext_lazy("Een consulent kijkt naar je aanvraag.")),
    RequestState.AANVULLING_NODIG: (
        gettext_lazy("Wij hebben een vraag"),
        gettext_lazy("Beantwoord die, dan kunnen wij verder."),
        gettext_lazy("Beantwoord die, dan kunnen wij verder.")),
    RequestState.GOEDGEKEURD: (
        gettext_lazy("Goedgekeurd"),
        gettext_lazy("U krijgt de waardering."),
        gettext_lazy("Je krijgt de waardering.")),
    RequestState.AFGEWEZEN: (
        gettext_lazy("Afgewezen"),
        gettext_lazy("In de brief staat waarom."),
        gettext_lazy("In de brief staat waarom.")),
    RequestState.IN_BETAALBATCH: (
        gettext_lazy("Wordt betaald"),
        gettext_lazy("Goedgekeurd. Het geld of de bon komt binnenkort."),
        gettext_lazy("Goedgekeurd. Het geld of de bon komt binnenkort.")),
    RequestState.UITBETAALD: (
        gettext_lazy("Uitbetaald"),
        gettext_lazy("Wij hebben de waardering betaald of de bon verstuurd."),
        gettext_lazy("Wij hebben de waardering betaald of de bon verstuurd.")),
    RequestState.INGETROKKEN: (
        gettext_lazy("Ingetrokken"),
        gettext_lazy("U heeft deze aanvraag ingetrokken."),
        gettext_lazy("Je hebt deze aanvraag ingetrokken.")),
    RequestState.BUITEN_BEHANDELING: (
        gettext_lazy("Buiten behandeling"),
        gettext_lazy("Wij kregen geen antwoord op onze vraag. Daarom behandelen wij deze "
                     "aanvraag niet verder. U mag opnieuw aanvragen."),
        gettext_lazy("Wij kregen geen antwoord op onze vraag. Daarom behandelen wij deze "
                     "aanvraag niet verder. Je mag opnieuw aanvragen.")),
}


def status(state: str, young: bool) -> tuple[str, str]:
    """(status, what it means) for the caregiver, in their form of address."""
    label, words_u, words_je = STATUS[state]
    return label, (words_je if young else words_u)


def _own_request(caregiver, pk) -> AppreciationRequest:
    return get_object_or_404(AppreciationRequest.objects.select_related("year"),
                             pk=pk, caregiver=caregiver)


def _needs_confirmation(request) -> bool:
    """On their behalf, or with their details typed without signing in: signed in now, the
    caregiver can agree here (the sign-in link proved their e-mail address)."""
    return ((request.route == Route.ON_BEHALF or request.needs_confirmation)
            and request.caregiver_confirmed_at is None and request.is_open)


@never_cache
@require_http_methods(["GET"])
@caregiver_required
def my_requests(request, caregiver):
    rows, young = [], caregiver.is_young()
    for item in (AppreciationRequest.objects.filter(caregiver=caregiver)
                 .select_related("year").prefetch_related("letters")
                 .order_by("-year__year", "-submitted_at")):
        label, words = status(item.state, young)
        rows.append({
            "request": item, "status": label, "words": words,
            "amount": euros(item.amount_cents), "iban": format_iban(item.iban),
            "voucher_owed": vouchers.owed(item), "voucher_code": vouchers.shown_code(item),
            "letters": sorted(item.letters.all(), key=lambda letter: letter.created_at),
            "needs_confirmation": _needs_confirmation(item),
            "can_answer": item.state == RequestState.AANVULLING_NODIG,
            "can_withdraw": item.is_open,
        })
    open_now = submission.open_year()
    has_this_year = open_now is not None and any(
        row["request"].year_id == open_now.pk
        and row["request"].state not in NOT_COUNTED_STATES for row in rows)
    return render(request, "appreciation/waardering/public/my_requests.html", {
        "caregiver": caregiver, "rows": rows, "open_year": open_now,
        "can_request": open_now is not None and not has_this_year,
        "next_opening": None if open_now else submission.next_opening()})


@never_cache
@GET_POST
@caregiver_required
def withdraw(request, caregiver, pk):
    item = _own_request(caregiver, pk)
    if request.method == "POST":
        try:
            services.withdraw(item, caregiver=caregiver)
        except REFUSED:
            messages.error(request, _("Intrekken lukte niet: er is al een besluit genomen of "
                                      "de aanvraag is net veranderd. Kijk hieronder hoe het "
                                      "nu staat."))
        else:
            messages.success(request, _("Je aanvraag is ingetrokken.") if caregiver.is_young()
                             else _("Uw aanvraag is ingetrokken."))
        return redirect("appreciation:waardering_my_requests")
    return render(request, "appreciation/waardering/public/withdraw.html", {"item": item})


@never_cache
@GET_POST
@caregiver_required
def answer(request, caregiver, pk):
    item = _own_request(caregiver, pk)
    if item.state != RequestState.AANVULLING_NODIG:
        messages.info(request, _("Er staat geen vraag meer open bij deze aanvraag."))
        return redirect("appreciation:waardering_my_requests")
    form = AnswerForm(request.POST if request.method == "POST" else None,
                      young=caregiver.is_young())
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_information(item, caregiver, form.cleaned_data["answer"])
        except REFUSED:
            messages.error(request, _("Je antwoord kon niet worden opgeslagen: de aanvraag is "
                                      "net veranderd. Kijk hieronder hoe het nu staat.")
                           if caregiver.is_young() else
                           _("Uw antwoord kon niet worden opgeslagen: de aanvraag is "
                             "net veranderd. Kijk hieronder hoe het nu staat."))
        else:
            messages.success(request, _("Bedankt voor je antwoord. De consulent kijkt ernaar.")
                             if caregiver.is_young() else
                             _("Bedankt voor uw antwoord. De consulent kijkt ernaar."))
        return redirect("appreciation:waardering_my_requests")
    return render(request, "appreciation/waardering/public/answer.html",
                  {"item": item, "form": form})


@never_cache
@require_POST
@caregiver_required
def confirm(request, caregiver, pk):
    item = _own_request(caregiver, pk)
    if not _needs_confirmation(item):
        messages.info(request, _("Deze aanvraag hoef je niet (meer) te bevestigen.")
                      if caregiver.is_young() else
                      _("Deze aanvraag hoeft u niet (meer) te bevestigen."))
        return redirect("appreciation:waardering_my_requests")
    try:
        services.confirm_by_caregiver(item, caregiver=caregiver)
    except REFUSED:
        messages.error(request, _("Bevestigen lukte niet. Probeer het nog een keer."))
    else:
        messages.success(request, _("Dank je wel. Je hebt de aanvraag bevestigd.")
                         if caregiver.is_young() else
                         _("Dank u wel. U heeft de aanvraag bevestigd."))
    return redirect("appreciation:waardering_my_requests")
