"""The import's use cases: upload, choose columns, dry run, confirm, and progress.

Nothing reaches the registry before `confirm`; the write (`jobs.run_import`, `writing.py`)
is one transaction. Views call these functions; the two Celery tasks call `jobs.py`.
"""

from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.db import transaction

from core import clock

from ..tasks import check_import, run_import
from .fields import FIELDS, ImportField  # noqa: F401  (part of the contract)
from .mapping import guess_mapping as _guess_mapping
from .mapping import mapping_errors, saved_mapping_for
from .models import ImportMapping, ImportState, RegistryImport
from .reading import MAX_IMPORT_BYTES, TOO_BIG, ImportFileRefused, open_table

RUNNING_STATES = [ImportState.CHECKING, ImportState.QUEUED, ImportState.RUNNING]


@dataclass
class MappingInvalid(Exception):  # noqa: N818  (the contract's name)
    """The chosen columns cannot be used: {header or "__all__": Dutch message}."""

    errors: dict = field(default_factory=dict)

    def __str__(self):
        return "; ".join(f"{key}: {value}" for key, value in self.errors.items())


def upload(uploaded_file, *, by) -> RegistryImport:
    """Check the whole file (size, kind, encoding, header, number of lines), store it with
    its header and a mapping: the saved one for exactly these columns, else a guess."""
    if uploaded_file.size > MAX_IMPORT_BYTES:
        raise ImportFileRefused(TOO_BIG)
    raw = uploaded_file.read(MAX_IMPORT_BYTES + 1)
    name = (getattr(uploaded_file, "name", "") or "bestand").rsplit("/", 1)[-1][:200]
    table = open_table(raw, name)
    total = sum(1 for _line in table.lines)  # reads every line: refuses too many early
    if total == 0:
        raise ImportFileRefused("Er staan geen mensen in het bestand: alleen een kopregel.")
    mapping = (saved_mapping_for(table.headers, ImportMapping.objects.order_by("-created_at"))
               or _guess_mapping(table.headers))
    registry_import = RegistryImport(original_name=name, headers=table.headers,
                                     mapping=mapping, rows_total=total, created_by=by)
    registry_import.file.save(f"import-{clock.now():%Y%m%d-%H%M%S}.bin", ContentFile(raw),
                              save=False)
    registry_import.save()
    return registry_import


def guess_mapping(headers: list[str]) -> dict[str, str]:
    """{header: field key or ""}: common Dutch column names, case, space and accent blind."""
    return _guess_mapping(headers)


def set_mapping(registry_import, mapping: dict[str, str], *, save_as: str = "",
                by=None) -> RegistryImport:
    """Store the coordinator's columns (optionally as a saved mapping) and start the dry run."""
    mapping = {header: mapping.get(header, "") or "" for header in registry_import.headers} | {
        header: key for header, key in mapping.items() if header not in registry_import.headers}
    errors = mapping_errors(registry_import.headers, mapping)
    save_as = (save_as or "").strip()
    if save_as and len(save_as) > 100:
        errors["save_as"] = "Kies een naam van hoogstens 100 tekens."
    if errors:
        raise MappingInvalid(errors)
    with transaction.atomic():
        registry_import = RegistryImport.objects.select_for_update().get(pk=registry_import.pk)
        if registry_import.state not in (ImportState.UPLOADED, ImportState.CHECKED):
            raise MappingInvalid({"__all__": "Deze import is al bezig of klaar: de kolommen "
                                             "kunnen niet meer veranderen."})
        registry_import.mapping = mapping
        registry_import.state = ImportState.CHECKING
        registry_import.summary, registry_import.rows_done = {}, 0
        registry_import.save(update_fields=["mapping", "state", "summary", "rows_done"])
        if save_as:
            ImportMapping.objects.update_or_create(
                name=save_as, defaults={"columns": mapping, "created_by": by})
        pk = registry_import.pk
        transaction.on_commit(lambda: check_import.delay(pk))
    return registry_import


def apply_saved_mapping(registry_import, mapping: ImportMapping) -> RegistryImport:
    """Fill in a saved mapping's columns for the headers this file has (no dry run yet)."""
    registry_import.mapping = {header: mapping.columns.get(header, "")
                               for header in registry_import.headers}
    registry_import.save(update_fields=["mapping"])
    return registry_import


class NotReady(Exception):  # noqa: N818
    """Confirmed before the dry run was done (or twice)."""


@transaction.atomic
def confirm(registry_import, *, by) -> RegistryImport:
    """The coordinator read the dry run: queue the write (once)."""
    registry_import = RegistryImport.objects.select_for_update().get(pk=registry_import.pk)
    if registry_import.state != ImportState.CHECKED:
        raise NotReady(registry_import.state)
    registry_import.state = ImportState.QUEUED
    registry_import.confirmed_by, registry_import.confirmed_at = by, clock.now()
    registry_import.rows_done = 0
    registry_import.save(update_fields=["state", "confirmed_by", "confirmed_at", "rows_done"])
    pk = registry_import.pk
    transaction.on_commit(lambda: run_import.delay(pk))
    return registry_import


def progress(registry_import) -> dict:
    """For the progress bar: read fresh from the database (the job writes it meanwhile)."""
    current = RegistryImport.objects.get(pk=registry_import.pk)
    total, done = current.rows_total, min(current.rows_done, current.rows_total)
    if current.state in (ImportState.CHECKED, ImportState.DONE):
        done = total
    percent = 100 if current.state == ImportState.DONE else (
        round(100 * done / total) if total else 0)
    return {"state": current.state, "state_label": str(current.get_state_display()),
            "done": done, "total": total, "percent": percent, "message": current.message}
