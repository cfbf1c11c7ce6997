"""The import's two background jobs (called by registrations/tasks.py).

`check_import` reads the stored file again, cleans and matches every line and stores the
verdicts (ImportRow): nothing reaches the registry. `run_import` plans again from those
cleaned lines, on the registry as it is now, and writes in one transaction. Progress is
written through a separate autocommit connection, so the page reads it during the write.
"""

import datetime
import logging
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import Q

from core import clock

from ..models import ImportRow, ImportState, RegistrationRules, RegistryImport, RowOutcome
from . import writing
from .cleaning import CleanLine, clean_line
from .planning import plan
from .reading import ImportFileRefused, open_table

logger = logging.getLogger(__name__)
PROGRESS_EVERY = 1000
KEPT_DAYS = 30  # the dry run's lines (names, reasons) after an import ended or was left
CHECK_FAILED_MESSAGE = ("De proefimport is mislukt. Er is niets veranderd in het register. "
                        "Laad het bestand opnieuw; lukt het weer niet, neem dan contact op "
                        "met de beheerder.")
FAILED_MESSAGE = ("De import is mislukt. Er is niets veranderd in het register. Probeer het "
                  "opnieuw; lukt het weer niet, neem dan contact op met de beheerder.")


@contextmanager
def progress_connection():
    """A second connection to the same database, outside any transaction of this one."""
    default = connections[DEFAULT_DB_ALIAS]
    side = default.__class__(dict(default.settings_dict), alias="import_progress")
    try:
        yield side
    finally:
        side.close()


def _set_progress(side, import_id: int, **values) -> None:
    if side.vendor != "postgresql":
        return  # SQLite (`make run`): a second writer would wait for the import's transaction
    columns = ", ".join(f"{name} = %s" for name in values)
    with side.cursor() as cursor:
        cursor.execute(f"UPDATE {RegistryImport._meta.db_table} SET {columns} WHERE id = %s",
                       [*values.values(), import_id])


def _claim(import_id: int, source: str, target: str) -> RegistryImport | None:
    """Move the import from `source` to `target`; None when another run has it already."""
    moved = RegistryImport.objects.filter(pk=import_id, state__in=[source, target]).update(
        state=target, rows_done=0)
    return RegistryImport.objects.get(pk=import_id) if moved else None


def read_lines(registry_import) -> list[CleanLine]:
    """Every line of the stored file, cleaned; progress shown every PROGRESS_EVERY lines."""
    rules = RegistrationRules.current()
    with registry_import.file.open("rb") as stored:
        table = open_table(stored.read(), registry_import.original_name)
    lines = []
    for line, cells in table.lines:
        lines.append(clean_line(line, cells, table.headers, registry_import.mapping, rules))
        if len(lines) % PROGRESS_EVERY == 0:
            RegistryImport.objects.filter(pk=registry_import.pk).update(rows_done=len(lines))
    return lines


def check_import(import_id: int) -> None:
    registry_import = _claim(import_id, ImportState.CHECKING, ImportState.CHECKING)
    if registry_import is None:
        return
    try:
        _check(registry_import)
    except ImportFileRefused as refused:
        _finish(import_id, ImportState.FAILED, message=refused.message)
    except Exception:
        logger.exception("Dry run of import %s failed", import_id)
        _finish(import_id, ImportState.FAILED, message=CHECK_FAILED_MESSAGE)
        raise


def _check(registry_import) -> None:
    import_id = registry_import.pk
    groups, refused_lines = plan(read_lines(registry_import))
    verdicts = refused_lines + [v for g in groups for v in g.verdicts]
    verdicts.sort(key=lambda v: v.line)
    summary = {outcome: 0 for outcome in RowOutcome.values}
    for verdict in verdicts:
        summary[verdict.outcome] += 1
    with transaction.atomic():
        ImportRow.objects.filter(registry_import_id=import_id).delete()
        ImportRow.objects.bulk_create([
            ImportRow(registry_import_id=import_id, line=v.line, outcome=v.outcome,
                      name=v.name[:300], reasons=v.reasons, data=v.data,
                      caregiver_id=v.caregiver_id)
            for v in verdicts], batch_size=2000)
        RegistryImport.objects.filter(pk=import_id).update(
            state=ImportState.CHECKED, summary=summary, rows_total=len(verdicts),
            rows_done=len(verdicts), checked_at=clock.now(), message="")


def _lines_from_rows(rows) -> list[CleanLine]:
    """The dry run's cleaned lines; refused ones stay refused."""
    return [CleanLine(line=row.line, data=row.data,
                      errors=row.reasons if row.outcome == RowOutcome.REFUSED else [])
            for row in rows]


def run_import(import_id: int) -> None:
    registry_import = _claim(import_id, ImportState.QUEUED, ImportState.RUNNING)
    if registry_import is None:
        return
    rows = {row.line: row for row in ImportRow.objects.filter(registry_import_id=import_id)}
    with progress_connection() as side:
        try:
            with transaction.atomic():
                writing.take_import_lock()
                groups, _refused = plan(_lines_from_rows(rows.values()))
                writing.write(registry_import, groups, rows,
                              report=lambda done: _set_progress(side, import_id,
                                                                rows_done=done))
                # The dry run's cleaned values held personal data only for this write.
                ImportRow.objects.filter(registry_import_id=import_id).update(data={})
                RegistryImport.objects.filter(pk=import_id).update(
                    state=ImportState.DONE, finished_at=clock.now(), message="",
                    rows_done=len(rows))
        except Exception:
            logger.exception("Import %s failed; nothing was written", import_id)
            _finish(import_id, ImportState.FAILED, message=FAILED_MESSAGE)
            raise
    _remove_file(import_id)


def _finish(import_id: int, state: str, message: str) -> None:
    RegistryImport.objects.filter(pk=import_id).update(state=state, message=message,
                                                       finished_at=clock.now())
    if state == ImportState.FAILED:
        _remove_file(import_id)


def _remove_file(import_id: int) -> None:
    """The uploaded file is not kept once it is written or refused (AVG: no copies)."""
    registry_import = RegistryImport.objects.get(pk=import_id)
    if registry_import.file:
        registry_import.file.delete(save=False)
        RegistryImport.objects.filter(pk=import_id).update(file="")


def forget_old_imports(now: datetime.datetime | None = None) -> int:
    """Part of the daily retention: the lines of an import (names and reasons, also of
    people never written) and its file are kept 30 days after it finished, or after it
    was left unconfirmed; the import itself and its counts stay."""
    cutoff = (now or clock.now()) - datetime.timedelta(days=KEPT_DAYS)
    old = RegistryImport.objects.filter(
        Q(finished_at__lt=cutoff)
        | Q(created_at__lt=cutoff, state__in=[ImportState.UPLOADED, ImportState.CHECKED]))
    old = old.filter(Q(rows__isnull=False) | ~Q(file="")).distinct()
    ids = list(old.values_list("pk", flat=True))
    ImportRow.objects.filter(registry_import_id__in=ids).delete()
    for import_id in ids:
        _remove_file(import_id)
    return len(ids)
