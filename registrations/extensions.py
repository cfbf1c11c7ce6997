"""Places where apps above add to the registrations' own pages, without being imported.

The back office's caregiver page shows, say, insight's follow-up section; Mijn gegevens
offers insight's self-check when it is due. Such an app registers a function
`caregiver -> dict` in its `ready()`; the page merges the dicts into its template context.

The AVG data download (registrations/exports.py) must hold everything about the person,
also what the apps above keep (waardering requests, self-checks, …): each such app adds
its part with `add_to_data_export` in its `ready()`.
"""

from .imports.fields import add_fields

_caregiver_page: list = []
_my_data_page: list = []
_data_export: list = []  # (key, title, collect)


def add_to_data_export(key: str, title, collect) -> None:
    """`collect(caregiver) -> list[dict]` (JSON types, dates as ISO text, in Dutch): a part
    of the data download, stored under `key` and shown under the heading `title`."""
    if all(existing_key != key for existing_key, _title, _collect in _data_export):
        _data_export.append((key, title, collect))


def data_export_parts(caregiver) -> list[tuple[str, str, list]]:
    """(key, title, records) of every registered part, in the order of registration."""
    return [(key, str(title), collect(caregiver)) for key, title, collect in _data_export]


def add_to_caregiver_page(extra) -> None:
    """`extra(caregiver) -> dict` for templates/registrations/backoffice/caregivers/detail.html."""
    if extra not in _caregiver_page:
        _caregiver_page.append(extra)


def add_to_my_data_page(extra) -> None:
    """`extra(caregiver) -> dict` for the Mijn gegevens overview."""
    if extra not in _my_data_page:
        _my_data_page.append(extra)


def caregiver_page_context(caregiver) -> dict:
    return _merged(_caregiver_page, caregiver)


def my_data_page_context(caregiver) -> dict:
    return _merged(_my_data_page, caregiver)


def _merged(extras, caregiver) -> dict:
    context: dict = {}
    for extra in extras:
        context.update(extra(caregiver))
    return context


# --- the registry import (registrations/imports) -------------------------------------------
_import_writers: list = []
_import_describers: list = []


def add_import_fields(fields, writer, describe=None) -> None:
    """An app above adds columns to the registry import (appreciation: the waardering
    history). `fields` is a list of `registrations.imports.fields.ImportField`;
    `writer(caregiver_rows, registry_import)` gets, inside the import's one transaction,
    a list of (caregiver, [cleaned row dicts of that caregiver]) and writes its part.
    `describe([(caregiver, [(line, cleaned dict)])]) -> {caregiver pk: {line: [Dutch
    phrases]}}` tells the dry run what the writer would add for people already registered."""
    add_fields(fields)
    if writer not in _import_writers:
        _import_writers.append(writer)
    if describe is not None and describe not in _import_describers:
        _import_describers.append(describe)


def import_writers() -> list:
    return list(_import_writers)


def import_describers() -> list:
    return list(_import_describers)
