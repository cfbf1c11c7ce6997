"""Back-office pages for the waardering: the review queue with the budget, one request with
its decisions, and bulk approval by a coordinator.

Views parse a form and call a service. A decision that is no longer allowed, or that a
colleague took first, becomes a plain message on the page, never an error page.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_fsm import ConcurrentTransition, TransitionNotAllowed

from core.formats import euros
from core.staff_access import coordinator_required, staff_required
from registrations.services import log_staff_access

from ..models import (
    OPEN_STATES,
    AppreciationRequest,
    RenewalInvitation,
    RequestState,
    Route,
    answer_period_over,
)
from . import selectors, services
from .forms_backoffice import (
    ActionForm,
    ApproveForm,
    AskInformationForm,
    BulkApproveForm,
    ConfirmByPhoneForm,
    QueueFilterForm,
    RejectForm,
    SetAsideForm,
    WithdrawForm,
)

PAGE_SIZE = 50


def race_message() -> str:
    return _("Een collega heeft deze aanvraag intussen behandeld, of de status is veranderd. "
             "Er is niets opgeslagen. Bekijk de aanvraag hieronder opnieuw.")


# --- the queue ------------------------------------------------------------------------------

@staff_required
def queue(request):
    default_year = selectors.current_year()
    form = QueueFilterForm(request.GET, default_year=default_year)
    if form.is_bound and form.errors:
        messages.warning(request, _("Een filter klopte niet. U ziet de standaardlijst."))
    filters = form.filters()
    page = Paginator(selectors.review_queue(**filters), PAGE_SIZE).get_page(
        request.GET.get("pagina"))
    rows = selectors.queue_rows(page.object_list)
    budget_year = filters["year"] or default_year
    return render(request, "appreciation/waardering/backoffice/queue.html", {
        "form": form, "page": page, "rows": rows, "query": form.query_string(),
        "budget": selectors.budget_panel(budget_year),
        "can_bulk": any(row["bulk"] for row in rows),
    })


@coordinator_required
@require_POST
def bulk_approve(request):
    form = BulkApproveForm(request.POST)
    query = QueryDict(request.POST.get("query", "")[:2000]).urlencode()
    back = reverse("appreciation:review_queue") + (f"?{query}" if query else "")
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("ids", [])) or _(
            "Kies eerst een of meer aanvragen."))
        return redirect(back)
    ids = form.cleaned_data["ids"]
    try:
        approved, skipped = services.bulk_approve(
            ids, request.user, over_budget_ok=form.cleaned_data["over_budget_ok"])
    except services.OverBudget as over:
        return render(request, "appreciation/waardering/backoffice/bulk_confirm.html", {
            "ids": ids, "count": len(ids), "query": query,
            "needed": euros(over.needed_cents),
            "available": euros(over.available_cents),
        })
    except (TransitionNotAllowed, ConcurrentTransition):
        messages.error(request, race_message())
        return redirect(back)
    messages.success(request, _("%(approved)s goedgekeurd, %(skipped)s overgeslagen.") % {
        "approved": approved, "skipped": skipped})
    if skipped:
        messages.info(request, _("Overgeslagen zijn aanvragen die intussen veranderd zijn of "
                                 "niet door alle controles komen. Bekijk die één voor één."))
    return redirect(back)


# --- one request ------------------------------------------------------------------------

def _get(pk) -> AppreciationRequest:
    try:
        return selectors.request_for_review(pk)
    except AppreciationRequest.DoesNotExist:
        raise Http404 from None


def _initial(appreciation_request, form_class):
    return form_class(initial={"expected_state": appreciation_request.state},
                      prefix=form_class.prefix)


def _detail(request, appreciation_request, *, bound=None, over_budget=None):
    """The request page. `bound` is a form that came back with errors (shown in place)."""
    log_staff_access(request.user, appreciation_request.caregiver, "waardering bekeken")
    forms = {name: _initial(appreciation_request, form_class)
             for name, form_class in DETAIL_FORMS.items()}
    if bound is not None:
        forms[next(n for n, c in DETAIL_FORMS.items() if isinstance(bound, c))] = bound
    state = appreciation_request.state
    undecided = state in (RequestState.INGEDIEND, RequestState.IN_BEHANDELING)
    return render(request, "appreciation/waardering/backoffice/detail.html", {
        "req": appreciation_request, "caregiver": appreciation_request.caregiver,
        "amount": euros(appreciation_request.amount_cents),
        "iban": selectors.mask_iban(appreciation_request.iban),
        "history": selectors.history(appreciation_request),
        "letters": selectors.letters(appreciation_request),
        "forms": forms, "over_budget": over_budget,
        "renewal": RenewalInvitation.objects.filter(request=appreciation_request)
        .select_related("previous__year").first(),
        "is_open": state in OPEN_STATES, "undecided": undecided,
        "can_start": state == RequestState.INGEDIEND,
        "can_set_aside": (state == RequestState.AANVULLING_NODIG
                          and answer_period_over(appreciation_request)),
        "can_approve": undecided and appreciation_request.caregiver_confirmed_at is not None,
        "needs_confirmation": ((appreciation_request.route == Route.ON_BEHALF
                                or appreciation_request.needs_confirmation)
                               and appreciation_request.caregiver_confirmed_at is None),
    })


@staff_required
def detail(request, pk):
    return _detail(request, _get(pk))


def _run(request, appreciation_request, action, done_message):
    """Call a decision service; a refused or lost transition becomes a message."""
    try:
        action()
    except (TransitionNotAllowed, ConcurrentTransition):
        messages.error(request, race_message())
    except PermissionDenied:
        messages.error(request, _("Dit mag u niet doen met uw rol. Vraag een coördinator."))
    else:
        messages.success(request, done_message)
    return redirect("appreciation:review_detail", pk=appreciation_request.pk)


def _incomplete(request, appreciation_request):
    messages.error(request, _("Het formulier was niet compleet. Laad de pagina opnieuw en "
                              "probeer het nog eens."))
    return redirect("appreciation:review_detail", pk=appreciation_request.pk)


def _bind(request, form_class):
    return form_class(request.POST, prefix=form_class.prefix)


def _decide(request, pk, form_class, call, done_message):
    """A POSTed decision: check the form, call the service with its cleaned data (which
    carries the `expected_state` the page showed), and say how it went."""
    obj, form = _get(pk), _bind(request, form_class)
    if not form.is_valid():
        if "expected_state" in form.errors:
            return _incomplete(request, obj)
        return _detail(request, obj, bound=form)
    return _run(request, obj, lambda: call(obj, request.user, form.cleaned_data),
                done_message)


@staff_required
@require_POST
def start_review(request, pk):
    return _decide(request, pk, ActionForm, lambda obj, user, data: services.start_review(
        obj, user, expected_state=data["expected_state"]), _("U behandelt deze aanvraag nu."))


@staff_required
@require_POST
def approve(request, pk):
    obj, form = _get(pk), _bind(request, ApproveForm)
    if not form.is_valid():
        return _incomplete(request, obj)
    data = form.cleaned_data
    try:
        return _run(request, obj, lambda: services.approve(
            obj, request.user, expected_state=data["expected_state"],
            over_budget_ok=data["over_budget_ok"]),
            _("Goedgekeurd. De mantelzorger krijgt een brief."))
    except services.OverBudget as over:
        messages.warning(request, _("Het budget is niet genoeg voor deze aanvraag."))
        return _detail(request, obj, over_budget={
            "needed": euros(over.needed_cents),
            "available": euros(over.available_cents)})


@staff_required
@require_POST
def reject(request, pk):
    return _decide(request, pk, RejectForm, lambda obj, user, data: services.reject(
        obj, user, data["reason"], data["text"], expected_state=data["expected_state"]),
        _("Afgewezen. De mantelzorger krijgt een brief met de reden."))


@staff_required
@require_POST
def set_aside(request, pk):
    return _decide(request, pk, SetAsideForm, lambda obj, user, data: services.set_aside(
        obj, user, expected_state=data["expected_state"]),
        _("Buiten behandeling gesteld. De mantelzorger krijgt een brief."))


@staff_required
@require_POST
def ask_information(request, pk):
    return _decide(request, pk, AskInformationForm, lambda obj, user, data: (
        services.ask_information(obj, user, data["question"],
                                 expected_state=data["expected_state"])),
        _("De vraag is verstuurd. De aanvraag wacht op antwoord."))


@staff_required
@require_POST
def confirm_by_phone(request, pk):
    return _decide(request, pk, ConfirmByPhoneForm, lambda obj, user, data: (
        services.confirm_by_caregiver(obj, by=user, expected_state=data["expected_state"])),
        _("Vastgelegd: de mantelzorger is akkoord."))


@staff_required
@require_POST
def ask_confirmation_again(request, pk):
    """A new code to the caregiver's own channel (the old one expired or got lost)."""
    return _decide(request, pk, ActionForm, lambda obj, user, data: (
        services.ask_confirmation_again(obj, user, expected_state=data["expected_state"])),
        _("De mantelzorger krijgt een nieuwe code per e-mail of brief. De oude code werkt "
          "niet meer."))


@staff_required
@require_POST
def withdraw(request, pk):
    return _decide(request, pk, WithdrawForm, lambda obj, user, data: services.withdraw(
        obj, by=user, expected_state=data["expected_state"]), _("De aanvraag is ingetrokken."))


@staff_required
@require_POST
def recheck(request, pk):
    return _decide(request, pk, ActionForm, lambda obj, user, data: services.recheck(
        obj, expected_state=data["expected_state"]), _("De controles zijn opnieuw gedaan."))


DETAIL_FORMS = {"reject": RejectForm, "ask": AskInformationForm,
                "confirm": ConfirmByPhoneForm, "withdraw": WithdrawForm,
                "set_aside": SetAsideForm}
