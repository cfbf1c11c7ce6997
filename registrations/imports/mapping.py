"""Which column holds what: recognising Dutch column names, and checking a chosen mapping."""

from .fields import FIELDS
from .reading import header_key

NOT_USED = ""


def guess_mapping(headers: list[str]) -> dict[str, str]:
    """{header: field key or ""} by the names in FIELDS; each field at most once (the first
    column that fits wins), compared without case, accents or dashes."""
    by_name = {}
    for field in FIELDS:
        for name in (field.key, field.label, *field.names):
            by_name.setdefault(header_key(name), field.key)
    mapping, taken = {}, set()
    for header in headers:
        key = by_name.get(header_key(header), NOT_USED)
        if key in taken:
            key = NOT_USED
        taken.add(key)
        mapping[header] = key
    return mapping


def mapping_errors(headers: list[str], mapping: dict[str, str]) -> dict[str, str]:
    """Dutch messages, by header (or "__all__"), for a mapping that cannot be used."""
    known = {field.key: field for field in FIELDS}
    errors: dict[str, str] = {}
    unknown_headers = [header for header in mapping if header not in headers]
    if unknown_headers:
        errors["__all__"] = "Deze kolommen staan niet in het bestand: " + ", ".join(
            unknown_headers) + "."
    used: dict[str, str] = {}
    for header in headers:
        key = mapping.get(header, NOT_USED) or NOT_USED
        if key == NOT_USED:
            continue
        if key not in known:
            errors[header] = "Kies een veld uit de lijst."
        elif key in used:
            errors[header] = (f"'{known[key].label}' is ook al gekozen bij kolom "
                              f"'{used[key]}'. Kies elk veld maar één keer.")
        else:
            used[key] = header
    missing = [field.label for field in FIELDS if field.required and field.key not in used]
    if missing and "__all__" not in errors:
        errors["__all__"] = ("Kies nog een kolom voor: " + ", ".join(missing) + ".")
    return errors


def saved_mapping_for(headers: list[str], saved) -> dict[str, str] | None:
    """The columns of the newest saved mapping whose headers are exactly this file's."""
    wanted = sorted(headers)
    for mapping in saved:
        if sorted(mapping.columns) == wanted:
            return dict(mapping.columns)
    return None
