"""Back office: a consulent corrects a caregiver's details and the naasten, and releases a
registration held back as a possible duplicate. Views parse and call services_records.

A form made from an older version of the record (a colleague saved in between) is shown
again with what was typed, the values saved now, and a plain message: nothing is
overwritten silently.
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.staff_access import staff_required

from . import services, services_duplicates, services_records
from .forms_backoffice import CaregiverEditForm, RecipientEndForm, RecipientForm
from .models import LINK_STATES, Caregiver, CareRecipient
from .services_records import NotEditable, StaleEdit, shown

STALE = gettext_lazy(
    "Een collega heeft deze gegevens net aangepast. Uw wijzigingen zijn nog niet "
    "opgeslagen. Hieronder staat wat u invulde; wat nu is opgeslagen staat erboven. "
    "Controleer alles en klik nog een keer op Opslaan.")
CLOSED = gettext_lazy(
    "Dit kan niet meer: de inschrijving is beëindigd of de zorg voor deze naaste is al "
    "gestopt.")


def _caregiver(pk) -> Caregiver:
    return get_object_or_404(Caregiver.objects.select_related("district"), pk=pk)


def _recipient(pk, recipient_pk) -> CareRecipient:
    return get_object_or_404(CareRecipient.objects.select_related("caregiver"),
                             pk=recipient_pk, caregiver_id=pk)


def _closed(request, pk):
    messages.error(request, str(CLOSED))
    return redirect("registrations:caregiver_detail", pk=pk)


def _saved_now(current, form) -> list[tuple[str, str]]:
    """(label, value saved now) of the fields where the record differs from the form."""
    rows = []
    cleaned = getattr(form, "cleaned_data", {})
    for name, field in form.fields.items():
        if name == "version" or name not in cleaned or not hasattr(current, name):
            continue
        if getattr(current, name) != cleaned[name]:
            rows.append((str(field.label), shown(current, name)))
    return rows


def _stale_form(form_class, request, current, **kwargs):
    """The form again with what was typed, now based on the version saved now."""
    data = request.POST.copy()
    data["version"] = current.version
    form = form_class(data, **kwargs)
    form.is_valid()
    saved_now = _saved_now(current, form)
    form.add_error(None, str(STALE))
    return form, saved_now


@staff_required
def edit_caregiver(request, pk):
    caregiver = _caregiver(pk)
    if caregiver.state not in LINK_STATES:
        return _closed(request, pk)
    saved_now = []
    if request.method == "POST":
        form = CaregiverEditForm(request.POST)
        if form.is_valid():
            try:
                services_records.update_caregiver(
                    caregiver, form.values(), version=form.cleaned_data["version"],
                    by=request.user)
            except StaleEdit as stale:
                form, saved_now = _stale_form(CaregiverEditForm, request, stale.current)
            except NotEditable:
                return _closed(request, pk)
            else:
                messages.success(request, _("De gegevens zijn aangepast."))
                return redirect("registrations:caregiver_detail", pk=pk)
    else:
        services.log_staff_access(request.user, caregiver, "aanpassen")
        form = CaregiverEditForm(initial=CaregiverEditForm.initial_for(caregiver))
    return render(request, "registrations/backoffice/caregivers/edit.html",
                  {"caregiver": caregiver, "form": form, "saved_now": saved_now})


@staff_required
def add_recipient(request, pk):
    caregiver = _caregiver(pk)
    if caregiver.state not in LINK_STATES:
        return _closed(request, pk)
    form = RecipientForm(request.POST or None, caregiver_postcode=caregiver.postcode)
    if request.method == "POST" and form.is_valid():
        try:
            services_records.add_recipient(caregiver, form.values(), by=request.user)
        except NotEditable:
            return _closed(request, pk)
        messages.success(request, _("De naaste is toegevoegd."))
        return redirect("registrations:caregiver_detail", pk=pk)
    return render(request, "registrations/backoffice/caregivers/recipient_form.html",
                  {"caregiver": caregiver, "form": form, "recipient": None})


@staff_required
def edit_recipient(request, pk, recipient_pk):
    recipient = _recipient(pk, recipient_pk)
    caregiver = recipient.caregiver
    if caregiver.state not in LINK_STATES:
        return _closed(request, pk)
    saved_now = []
    kwargs = {"caregiver_postcode": caregiver.postcode}
    if request.method == "POST":
        form = RecipientForm(request.POST, **kwargs)
        if form.is_valid():
            try:
                services_records.update_recipient(
                    recipient, form.values(), version=form.cleaned_data["version"] or 0,
                    by=request.user)
            except StaleEdit as stale:
                form, saved_now = _stale_form(RecipientForm, request, stale.current, **kwargs)
            except NotEditable:
                return _closed(request, pk)
            else:
                messages.success(request, _("De naaste is aangepast."))
                return redirect("registrations:caregiver_detail", pk=pk)
    else:
        form = RecipientForm(initial=RecipientForm.initial_for(recipient), **kwargs)
    return render(request, "registrations/backoffice/caregivers/recipient_form.html",
                  {"caregiver": caregiver, "form": form, "recipient": recipient,
                   "saved_now": saved_now})


@staff_required
def end_recipient(request, pk, recipient_pk):
    recipient = _recipient(pk, recipient_pk)
    caregiver = recipient.caregiver
    if caregiver.state not in LINK_STATES or not recipient.cared_for:
        return _closed(request, pk)
    kwargs = {"care_since": recipient.care_since}
    form = RecipientEndForm(request.POST or None, initial={"version": recipient.version},
                            **kwargs)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services_records.end_recipient_care(
                recipient, on=data["ended_on"], reason=data["reason"],
                still_caring=bool(data["still_caring"]), version=data["version"],
                by=request.user)
        except StaleEdit as stale:
            form, _saved = _stale_form(RecipientEndForm, request, stale.current, **kwargs)
        except NotEditable:
            return _closed(request, pk)
        else:
            messages.success(request, _("Vastgelegd bij de naaste %(name)s.")
                             % {"name": recipient.name})
            return redirect("registrations:caregiver_detail", pk=pk)
    others = caregiver.care_recipients.filter(care_ended_on__isnull=True).exclude(
        pk=recipient.pk).count()
    return render(request, "registrations/backoffice/caregivers/recipient_end.html",
                  {"caregiver": caregiver, "recipient": recipient, "form": form,
                   "others": others})


@staff_required
@require_POST
def resolve_duplicate(request, pk):
    """Held back as a possible duplicate, but another person: it goes on on its own."""
    caregiver = _caregiver(pk)
    if not caregiver.duplicate_check:
        return redirect("registrations:caregiver_detail", pk=pk)
    services_duplicates.resolve_as_separate_person(caregiver, by=request.user)
    messages.success(request, _("Vastgelegd: dit is een andere persoon. De inschrijving gaat "
                                "door als eigen inschrijving."))
    return redirect("registrations:caregiver_detail", pk=pk)
