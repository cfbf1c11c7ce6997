"""Back office: the follow-up list, answering or cancelling a task, recording a contact.

Views parse and call a service. A task a colleague closed in the meantime becomes a plain
message, never an error page. Opening a caregiver's follow-up page is logged like the
caregiver page itself.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core import clock
from core.staff_access import staff_required
from registrations.models import Caregiver, State
from registrations.services import log_staff_access

from . import selectors, services
from .forms_backoffice import CancelTaskForm, ContactForm, TaskFilterForm
from .models import FollowUpTask


@staff_required
def task_list(request):
    form = TaskFilterForm(request.GET or None)
    kind = form.cleaned_data["soort"] if form.is_valid() else ""
    page = Paginator(selectors.open_tasks(kind), 50).get_page(request.GET.get("pagina"))
    return render(request, "insight/backoffice/task_list.html", {
        "form": form, "page": page, "kind": kind,
        "rows": selectors.task_rows(page.object_list),
        "overdue": selectors.overdue_count(),
    })


def _task(caregiver_pk, pk) -> FollowUpTask:
    """The task, only under its own caregiver: another caregiver's id in the URL is a 404."""
    return get_object_or_404(
        FollowUpTask.objects.select_related("caregiver", "burden_check", "done_by"),
        pk=pk, caregiver_id=caregiver_pk)


def _closed_message(task: FollowUpTask) -> str:
    if task.done_at:
        who = task.done_by.get_full_name() or task.done_by.username if task.done_by else "–"
        return _("Deze taak is al afgehandeld door %(who)s op %(day)s.") % {
            "who": who, "day": date_format(task.done_at.astimezone(clock.AMSTERDAM), "d-m-Y")}
    return _("Deze taak is al geannuleerd: %(reason)s") % {"reason": task.cancel_reason}


def _refuse_closed(request, task):
    messages.info(request, _closed_message(task))
    return redirect("insight:followup_list")


@staff_required
def answer_task(request, caregiver_pk, pk):
    """Record the contact that answers a task; the task then leaves the list."""
    task = _task(caregiver_pk, pk)
    if not task.is_open:
        return _refuse_closed(request, task)
    caregiver = task.caregiver
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_contact(caregiver, request.user, task=task, **form.cleaned_data)
        except ValueError:  # a colleague answered or cancelled it a moment ago
            task.refresh_from_db()
            return _refuse_closed(request, task)
        messages.success(request, _("Het contact is vastgelegd. De taak is afgehandeld."))
        return redirect("insight:followup_list")
    if request.method == "GET":
        log_staff_access(request.user, caregiver, "opvolging")
    return render(request, "insight/backoffice/answer_task.html", {
        "caregiver": caregiver, "task": task, "reason": selectors.reason(task), "form": form})


@staff_required
def cancel_task(request, caregiver_pk, pk):
    task = _task(caregiver_pk, pk)
    if not task.is_open:
        return _refuse_closed(request, task)
    form = CancelTaskForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not services.cancel_task(task, form.cleaned_data["reason"]):
            task.refresh_from_db()
            return _refuse_closed(request, task)
        messages.success(request, _("De taak is geannuleerd."))
        return redirect("insight:followup_list")
    return render(request, "insight/backoffice/cancel_task.html", {
        "caregiver": task.caregiver, "task": task, "reason": selectors.reason(task),
        "form": form})


@staff_required
def record_contact(request, pk):
    """A contact without a task: a call, visit or meeting the consulent wants on record."""
    caregiver = get_object_or_404(Caregiver, pk=pk)
    if caregiver.state == State.GEWIST:
        messages.error(request, _("Van deze inschrijving zijn de gegevens gewist. U kunt geen "
                                  "contact meer vastleggen."))
        return redirect("registrations:caregiver_detail", pk=pk)
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.record_contact(caregiver, request.user, **form.cleaned_data)
        messages.success(request, _("Het contact is vastgelegd."))
        return redirect("registrations:caregiver_detail", pk=pk)
    return render(request, "insight/backoffice/record_contact.html",
                  {"caregiver": caregiver, "form": form})
