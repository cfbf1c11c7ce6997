"""Back office pages about caregivers: list, detail (every view logged), intake, actions.

Views parse and call a service; lifecycle changes that are not allowed (or lost a race with
a colleague) become a plain message, never an error page.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_fsm import ConcurrentTransition, TransitionNotAllowed

from core.staff_access import staff_required

from . import selectors, services, services_duplicates
from .extensions import caregiver_page_context
from .forms_backoffice import CaregiverFilterForm, EndCareForm, EndRegistrationForm, Intake
from .models import LINK_STATES, Caregiver, EndReason, Source, State


@staff_required
def caregiver_list(request):
    form = CaregiverFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    caregivers = selectors.search_caregivers(
        query=filters.get("q", ""), state=filters.get("state", ""),
        age_group=filters.get("age_group", ""), district=filters.get("district", ""),
        channel=filters.get("channel", ""), to_check=filters.get("to_check", False),
        target_group=filters.get("target_group", ""))
    page = Paginator(caregivers, 50).get_page(request.GET.get("pagina"))
    query = request.GET.copy()
    query.pop("pagina", None)
    return render(request, "registrations/backoffice/caregivers/list.html", {
        "form": form, "page": page, "query": query.urlencode(),
        "to_check": selectors.waiting_for_consulent().count(),
    })


def _caregiver(pk) -> Caregiver:
    return get_object_or_404(Caregiver.objects.select_related("district"), pk=pk)


@staff_required
def caregiver_detail(request, pk):
    caregiver = _caregiver(pk)
    services.log_staff_access(request.user, caregiver, "bekeken")
    return render(request, "registrations/backoffice/caregivers/detail.html", {
        "caregiver": caregiver,
        "erased": caregiver.state == State.GEWIST,
        "recipients": caregiver.care_recipients.all(),
        "guardian": getattr(caregiver, "guardian", None),
        "consents": caregiver.consents.all(),
        "timeline": selectors.timeline(caregiver),
        "accesses": selectors.recent_staff_access(caregiver),
        "duplicates": selectors.possible_duplicates(caregiver),
        "transitions": {t.name for t in caregiver.get_available_state_transitions()},
        "end_care_form": EndCareForm(registered_on=caregiver.registered_on),
        "end_form": EndRegistrationForm(),
        "young": caregiver.state != State.GEWIST and caregiver.is_young(),
        "editable": caregiver.state in LINK_STATES,
        **caregiver_page_context(caregiver),
    })


def _run(request, caregiver, action, done_message):
    """Call a lifecycle service; turn a refused or lost transition into a message."""
    try:
        action()
    except (TransitionNotAllowed, ConcurrentTransition):
        messages.error(request, _("Dit kan nu niet meer: de status is intussen veranderd. "
                                  "Bekijk de gegevens hieronder opnieuw."))
    else:
        messages.success(request, done_message)
    return redirect("registrations:caregiver_detail", pk=caregiver.pk)


@staff_required
@require_POST
def mark_checked(request, pk):
    caregiver = _caregiver(pk)
    return _run(request, caregiver, lambda: services.mark_checked(caregiver, request.user),
                _("De inschrijving is gecontroleerd."))


@staff_required
@require_POST
def confirm_guardian(request, pk):
    caregiver = _caregiver(pk)
    if not hasattr(caregiver, "guardian"):
        messages.error(request, _("Bij deze inschrijving hoort geen ouder of voogd."))
        return redirect("registrations:caregiver_detail", pk=pk)
    return _run(request, caregiver,
                lambda: services.confirm_guardian_by_staff(caregiver, request.user),
                _("De toestemming van de ouder of voogd is vastgelegd."))


@staff_required
def end_care(request, pk):
    caregiver = _caregiver(pk)
    form = EndCareForm(request.POST or None, registered_on=caregiver.registered_on)
    if request.method == "POST" and form.is_valid():
        return _run(request, caregiver, lambda: services.end_care(
            caregiver, form.cleaned_data["ended_on"], form.cleaned_data["reason"],
            by=request.user), _("De zorg is gestopt. De inschrijving loopt nog 2 jaar door."))
    return render(request, "registrations/backoffice/caregivers/end_care.html",
                  {"caregiver": caregiver, "form": form})


@staff_required
@require_POST
def resume_care(request, pk):
    caregiver = _caregiver(pk)
    return _run(request, caregiver, lambda: services.resume_care(caregiver, by=request.user),
                _("De mantelzorger is weer actief."))


@staff_required
def end_registration(request, pk):
    caregiver = _caregiver(pk)
    form = EndRegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        return _run(request, caregiver, lambda: services.end_registration(
            caregiver, reason=EndReason.CONSULENT, by=request.user),
            _("De inschrijving is beëindigd."))
    return render(request, "registrations/backoffice/caregivers/end_registration.html",
                  {"caregiver": caregiver, "form": form})


@staff_required
def merge(request, pk, other_pk):
    """Merge this registration into `other` (which is kept)."""
    caregiver, keep = _caregiver(pk), _caregiver(other_pk)
    if caregiver.pk == keep.pk or keep not in selectors.possible_duplicates(caregiver):
        messages.error(request, _("Deze inschrijvingen kunnen niet worden samengevoegd."))
        return redirect("registrations:caregiver_detail", pk=pk)
    if request.method == "POST":
        return _run(request, caregiver,
                    lambda: services_duplicates.merge_duplicate(caregiver, keep, by=request.user),
                    _("Samengevoegd. De naasten staan nu bij de andere inschrijving."))
    return render(request, "registrations/backoffice/caregivers/merge.html",
                  {"caregiver": caregiver, "keep": keep})


@staff_required
@require_POST
def not_duplicate(request, pk, other_pk):
    caregiver, other = _caregiver(pk), _caregiver(other_pk)
    if caregiver.pk != other.pk:
        services_duplicates.mark_not_duplicate(caregiver, other, by=request.user)
        messages.success(request, _("Vastgelegd: dit zijn verschillende mensen."))
    return redirect("registrations:caregiver_detail", pk=pk)


@staff_required
def intake(request):
    """Register someone on their behalf (phone call or visit): the intake is the check."""
    intake = Intake(request.POST if request.method == "POST" else None)
    if request.method == "POST" and intake.is_valid():
        caregiver = services.register(intake.registration_data(), source=Source.CONSULENT,
                                      by=request.user)
        messages.success(request, _("De inschrijving is opgeslagen."))
        if caregiver.duplicate_check:
            messages.warning(request, _(
                "Deze persoon lijkt al ingeschreven. De inschrijving wacht tot u kiest: "
                "samenvoegen of een andere persoon."))
        return redirect("registrations:caregiver_detail", pk=caregiver.pk)
    return render(request, "registrations/backoffice/caregivers/intake.html", {"intake": intake})
