"""The coordinator's import pages: upload a file, choose its columns, read the dry run,
import, follow the progress (mounted under /backoffice/import/).

Views are thin: they parse a form and call the engine (`services`), which refuses a file or
a mapping with a Dutch message that the page shows next to the field. A step that no longer
fits the import's state (a second click, a colleague who was quicker) becomes a message on
the import's page, never an error page.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_POST

from core.formats import dutch_number
from core.staff_access import coordinator_required

from . import reading, selectors, services
from .forms_backoffice import MappingForm, SavedMappingForm, UploadForm
from .models import ImportState, RegistryImport, RowOutcome

ROWS_PER_PAGE = 100
EXAMPLE_LINES = 3
# The dry run's tables, problems first: what the coordinator must read before importing.
OUTCOME_ORDER = [RowOutcome.REFUSED, RowOutcome.POSSIBLE_DUPLICATE, RowOutcome.NEW,
                 RowOutcome.UPDATED, RowOutcome.UNCHANGED]
OUTCOME_HELP = {
    RowOutcome.REFUSED: gettext_lazy("Deze regel wordt overgeslagen. De reden staat erbij."),
    RowOutcome.POSSIBLE_DUPLICATE: gettext_lazy(
        "Lijkt op iemand die al ingeschreven is. Wordt nieuw overgenomen; voeg samen als het "
        "dezelfde persoon is."),
    RowOutcome.NEW: gettext_lazy("Wordt een nieuwe mantelzorger."),
    RowOutcome.UPDATED: gettext_lazy("Staat er al in; wat anders is, wordt bijgewerkt."),
    RowOutcome.UNCHANGED: gettext_lazy("Staat er al in, precies zo. Er verandert niets."),
}
OUTCOME_DONE_HELP = {
    RowOutcome.REFUSED: gettext_lazy("Deze regel is overgeslagen. De reden staat erbij."),
    RowOutcome.POSSIBLE_DUPLICATE: gettext_lazy(
        "Nieuw overgenomen, maar lijkt op iemand die al ingeschreven was. Voeg samen als het "
        "dezelfde persoon is."),
    RowOutcome.NEW: gettext_lazy("Is als nieuwe mantelzorger toegevoegd."),
    RowOutcome.UPDATED: gettext_lazy("Stond er al in; wat anders was, is bijgewerkt."),
    RowOutcome.UNCHANGED: gettext_lazy("Stond er al in, precies zo. Er is niets veranderd."),
}
BUSY_STATES = {ImportState.CHECKING, ImportState.QUEUED, ImportState.RUNNING}
# The engine accepts columns before the work starts, and again after the dry run.
MAPPING_STATES = {ImportState.UPLOADED, ImportState.CHECKED}


def _import(pk) -> RegistryImport:
    return get_object_or_404(RegistryImport, pk=pk)


@coordinator_required
@require_GET
def import_list(request):
    return render(request, "registrations/imports/backoffice/list.html",
                  {"imports": selectors.recent_imports()})


@coordinator_required
def import_upload(request):
    posted = request.method == "POST"
    form = UploadForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        try:
            registry_import = services.upload(form.cleaned_data["file"], by=request.user)
        except services.ImportFileRefused as refused:
            form.add_error("file", refused.message)
        else:
            return redirect("registrations:import_mapping", pk=registry_import.pk)
    status = 400 if form.errors else 200
    return render(request, "registrations/imports/backoffice/upload.html", {"form": form},
                  status=status)


def _mapping_page(request, registry_import, form, saved_form, status=200):
    return render(request, "registrations/imports/backoffice/mapping.html", {
        "registry_import": registry_import, "form": form, "saved_form": saved_form,
        "has_saved": saved_form.fields["mapping"].queryset.exists(),
        "import_fields": services.FIELDS,
    }, status=status)


def examples(registry_import, lines=EXAMPLE_LINES) -> dict[str, list[str]]:
    """{header: values of the first few lines}, so the coordinator sees what a column holds.
    The stored file is read again (only its first lines); without it, no examples."""
    if not registry_import.file:
        return {}
    try:
        with registry_import.file.open("rb") as stored:
            table = reading.open_table(stored.read(), registry_import.original_name)
            found = {header: [] for header in table.headers}
            for _line, cells in table.lines:
                for header, cell in zip(table.headers, cells, strict=False):
                    found[header].append(_example(cell))
                lines -= 1
                if lines <= 0:
                    break
    except (OSError, reading.ImportFileRefused):
        return {}
    return found


def _example(cell) -> str:
    if hasattr(cell, "strftime"):
        return cell.strftime("%d-%m-%Y")
    return str(cell).strip()[:40]


def _mapping_form(registry_import, data=None):
    return MappingForm(data, headers=registry_import.headers, fields=services.FIELDS,
                       initial_mapping=registry_import.mapping,
                       samples=examples(registry_import))


@coordinator_required
def import_mapping(request, pk):
    """One select per column. Two forms post here: the columns themselves (which start the
    dry run) and 'use a saved choice' (which only fills the selects)."""
    registry_import = _import(pk)
    if registry_import.state not in MAPPING_STATES:
        messages.error(request, _("De kolommen kunnen nu niet worden gewijzigd. De stand is "
                                  "nu: %(state)s.") % {
                                      "state": registry_import.get_state_display()})
        return redirect("registrations:import_detail", pk=pk)
    saved_form = SavedMappingForm(queryset=selectors.saved_mappings())
    if request.method != "POST":
        return _mapping_page(request, registry_import, _mapping_form(registry_import),
                             saved_form)
    if f"{SavedMappingForm.prefix}-mapping" in request.POST:
        saved_form = SavedMappingForm(request.POST, queryset=selectors.saved_mappings())
        if not saved_form.is_valid():
            return _mapping_page(request, registry_import, _mapping_form(registry_import),
                                 saved_form, status=400)
        saved = saved_form.cleaned_data["mapping"]
        registry_import = services.apply_saved_mapping(registry_import, saved)
        messages.success(request, _("De bewaarde keuze '%(name)s' is ingevuld. Kijk de "
                                    "kolommen na en start de proefimport.") % {
                                        "name": saved.name})
        return redirect("registrations:import_mapping", pk=pk)
    form = _mapping_form(registry_import, request.POST)
    if form.is_valid():
        try:
            services.set_mapping(registry_import, form.mapping(),
                                 save_as=form.cleaned_data["save_as"], by=request.user)
        except services.MappingInvalid as invalid:
            form.add_mapping_errors(invalid.errors)
        else:
            return redirect("registrations:import_detail", pk=pk)
    return _mapping_page(request, registry_import, form, saved_form, status=400)


def _outcome_tabs(summary, done=False):
    helps = OUTCOME_DONE_HELP if done else OUTCOME_HELP
    return [{"key": key, "label": key.label, "help": helps[key],
             "count": summary.get(key, 0), "count_text": dutch_number(summary.get(key, 0))}
            for key in OUTCOME_ORDER]


def progress_text(progress: dict) -> str:
    """'123 van 10.000 regels' (the same words the page's script writes)."""
    if not progress.get("total"):
        return _("Het bestand wordt gelezen…")
    return ngettext("%(done)s van %(total)s regel", "%(done)s van %(total)s regels",
                    progress["total"]) % {"done": dutch_number(progress["done"]),
                                          "total": dutch_number(progress["total"])}


def _chosen_outcome(request, tabs) -> RowOutcome:
    """The outcome whose table is shown: asked for in the URL, else the first with rows
    (problems first)."""
    asked = request.GET.get("uitkomst", "")
    if asked in RowOutcome.values:
        return RowOutcome(asked)
    return next((tab["key"] for tab in tabs if tab["count"]), OUTCOME_ORDER[0])


@coordinator_required
@require_GET
def import_detail(request, pk):
    registry_import = _import(pk)
    progress = services.progress(registry_import)
    context = {"registry_import": registry_import, "progress": progress,
               "progress_text": progress_text(progress),
               "rows_total_text": dutch_number(registry_import.rows_total),
               "busy": registry_import.state in BUSY_STATES,
               "caregiver_list_url": reverse("registrations:caregiver_list")}
    if registry_import.state in (ImportState.CHECKED, ImportState.DONE):
        tabs = _outcome_tabs(registry_import.summary or {},
                             done=registry_import.state == ImportState.DONE)
        outcome = _chosen_outcome(request, tabs)
        page = Paginator(selectors.rows_of(registry_import, outcome),
                         ROWS_PER_PAGE).get_page(request.GET.get("pagina"))
        context.update(tabs=tabs, outcome=outcome, outcome_label=outcome.label,
                       page=page)
    return render(request, "registrations/imports/backoffice/detail.html", context)


@coordinator_required
@require_GET
def import_progress(request, pk):
    return JsonResponse(services.progress(_import(pk)))


@coordinator_required
@require_POST
def import_confirm(request, pk):
    registry_import = _import(pk)
    if registry_import.state != ImportState.CHECKED:
        messages.error(request, _("Importeren kan alleen direct na de proefimport. De stand "
                                  "is nu: %(state)s.") % {
                                      "state": registry_import.get_state_display()})
    else:
        try:
            services.confirm(registry_import, by=request.user)
        except services.NotReady:  # a colleague (or a second click) was just quicker
            messages.error(request, _("Deze import is al gestart."))
        else:
            messages.success(request, _("De import is gestart. Deze pagina laat zien hoe ver "
                                        "hij is."))
    return redirect("registrations:import_detail", pk=pk)
