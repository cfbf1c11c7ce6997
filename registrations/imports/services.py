"""The import's use cases: upload, choose columns, dry run, confirm, and the write job.

Nothing reaches the registry before `confirm`; the write (`writing.py`) is one transaction.
Views and the two Celery tasks call these functions only.
"""

from dataclasses import dataclass, field

from django.db import transaction

from .fields import FIELDS, ImportField  # noqa: F401  (part of the contract)
from .models import ImportMapping, ImportState, RegistryImport  # noqa: F401
from .reading import ImportFileRefused  # noqa: F401  (part of the contract)


@dataclass
class MappingInvalid(Exception):  # noqa: N818  (the contract's name)
    """The chosen columns cannot be used: {header or "__all__": Dutch message}."""

    errors: dict = field(default_factory=dict)


def upload(uploaded_file, *, by) -> RegistryImport:
    raise NotImplementedError


def guess_mapping(headers: list[str]) -> dict[str, str]:
    raise NotImplementedError


def set_mapping(registry_import, mapping: dict[str, str], *, save_as: str = "",
                by=None) -> RegistryImport:
    raise NotImplementedError


def apply_saved_mapping(registry_import, mapping: ImportMapping) -> RegistryImport:
    raise NotImplementedError


@transaction.atomic
def confirm(registry_import, *, by) -> RegistryImport:
    raise NotImplementedError


def progress(registry_import) -> dict:
    raise NotImplementedError
