"""Reads for the import pages."""

from .models import ImportMapping, ImportRow, RegistryImport


def recent_imports(limit=20):
    return RegistryImport.objects.select_related("created_by").order_by("-created_at", "-pk")[
        :limit]


def rows_of(registry_import, outcome: str | None = None):
    rows = ImportRow.objects.filter(registry_import=registry_import)
    if outcome:
        rows = rows.filter(outcome=outcome)
    return rows.order_by("line", "pk")


def saved_mappings():
    return ImportMapping.objects.order_by("name")
