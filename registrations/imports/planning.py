"""Who each line of an import already is, and what writing it would change.

Lines of one person (same `external_id`, or else same date of birth and address) form one
group: several naasten, or several years of waardering history. A group is matched to an
existing registration on `external_id` when the file has one, else on date of birth +
postcode + house number; an existing registration without a number is matched on its
address too. Where no match is found but the product's duplicate rules see a likely twin
(same date of birth and address, or the same e-mail address) the group is "mogelijk dubbel":
it is written as a new registration, and the caregiver page offers the usual merge.

Used by the dry run and again by the write, so what is written is decided on the registry
as it is at that moment (two imports of one file never create anybody twice).
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Q

from core.postcodes import canonical_house_number

from ..extensions import import_describers
from ..models import Caregiver, CareRecipient, RowOutcome, State, normalise_email
from .cleaning import CleanLine

CAREGIVER_FIELDS = ["first_name", "surname_prefix", "last_name", "date_of_birth", "street",
                    "house_number", "postcode", "city", "email", "phone", "channel",
                    "wants_newsletter", "external_id"]
FIELD_WORDS = {"first_name": "voornaam", "surname_prefix": "tussenvoegsel",
               "last_name": "achternaam",
               "date_of_birth": "geboortedatum", "street": "straat", "house_number": "huisnummer",
               "postcode": "postcode", "city": "woonplaats", "email": "e-mailadres",
               "phone": "telefoonnummer", "channel": "post ontvangen",
               "wants_newsletter": "nieuwsbrief", "external_id": "nummer vorig systeem"}
RECIPIENT_FIELDS = {"recipient_relationship": "relationship", "hours_per_week": "hours_per_week",
                    "care_since": "care_since", "recipient_date_of_birth": "date_of_birth",
                    "recipient_lives_in_municipality": "lives_in_municipality",
                    "recipient_living_together": "living_together"}
DATE_FIELDS = {"date_of_birth", "care_since", "recipient_date_of_birth", "registered_on"}


@dataclass
class LineVerdict:
    line: int
    name: str
    outcome: str
    reasons: list[str] = field(default_factory=list)
    data: dict = field(default_factory=dict)
    caregiver_id: int | None = None


@dataclass
class Group:
    key: tuple
    lines: list[CleanLine]
    existing: Caregiver | None = None
    outcome: str = RowOutcome.NEW
    changes: dict = field(default_factory=dict)  # caregiver field -> new value
    new_recipients: list[dict] = field(default_factory=list)
    changed_recipients: list[tuple[CareRecipient, dict]] = field(default_factory=list)
    verdicts: list[LineVerdict] = field(default_factory=list)

    @property
    def first(self) -> dict:
        return self.lines[0].data


def address_key(date_of_birth, postcode: str, house_number: str) -> tuple:
    """Who a line or a registration is by address: house numbers in their one compared form
    (`core.postcodes.canonical_house_number`), so '12 A' on file is the file's '12a'."""
    if isinstance(date_of_birth, datetime.date):
        date_of_birth = date_of_birth.isoformat()
    return (date_of_birth, postcode, canonical_house_number(house_number))


def _line_address(data: dict) -> tuple:
    return address_key(data["date_of_birth"], data["postcode"], data["house_number"])


def group_key(data: dict) -> tuple:
    if data.get("external_id"):
        return ("id", data["external_id"])
    return ("adres", *_line_address(data))


def _address_key(caregiver) -> tuple:
    return address_key(caregiver.date_of_birth, caregiver.postcode, caregiver.house_number)


def model_value(key: str, value):
    if key in DATE_FIELDS and isinstance(value, str) and value:
        return datetime.date.fromisoformat(value)
    return value


class Registry:
    """The existing registrations a file can match, read in a few queries."""

    def __init__(self, groups: list[Group]):
        external_ids = {g.first.get("external_id") for g in groups} - {None, ""}
        postcodes = {g.first["postcode"] for g in groups}
        emails = {normalise_email(g.first["email"]) for g in groups if g.first.get("email")}
        candidates = (Caregiver.objects.exclude(state=State.GEWIST)
                      .filter(merged_into__isnull=True)
                      .filter(Q(external_id__in=external_ids) | Q(postcode__in=postcodes)
                              | Q(email__in=emails)))
        self.by_external_id, self.by_address, self.by_email = {}, {}, {}
        for caregiver in candidates.order_by("registered_on", "pk"):
            if caregiver.external_id:
                self.by_external_id.setdefault(caregiver.external_id, caregiver)
            self.by_address.setdefault(_address_key(caregiver), caregiver)
            if caregiver.email:
                self.by_email.setdefault(normalise_email(caregiver.email), caregiver)
        matched_ids = [c.pk for c in candidates]
        self.recipients: dict[int, list[CareRecipient]] = {}
        for recipient in CareRecipient.objects.filter(caregiver_id__in=matched_ids):
            self.recipients.setdefault(recipient.caregiver_id, []).append(recipient)


def plan(lines: list[CleanLine]) -> tuple[list[Group], list[LineVerdict]]:
    """Groups of good lines with their outcome, and the verdicts of refused lines."""
    refused = [LineVerdict(line=c.line, name=c.name, outcome=RowOutcome.REFUSED,
                           reasons=c.errors + c.notes) for c in lines if not c.ok]
    groups: dict[tuple, Group] = {}
    for clean in (c for c in lines if c.ok):
        key = group_key(clean.data)
        groups.setdefault(key, Group(key=key, lines=[])).lines.append(clean)
    group_list = list(groups.values())
    registry = Registry(group_list)
    for group in group_list:
        group.existing = _existing(group, registry)
    extra = _extension_changes([g for g in group_list if g.existing is not None])
    seen_emails: dict[str, int] = {}
    for group in group_list:
        _match(group, registry, seen_emails, extra)
    return group_list, refused


def _existing(group: Group, registry: Registry) -> Caregiver | None:
    first = group.first
    address = _line_address(first)
    if not first.get("external_id"):
        return registry.by_address.get(address)
    existing = registry.by_external_id.get(first["external_id"])
    twin = registry.by_address.get(address)
    if existing is None and twin is not None and not twin.external_id:
        return twin  # registered here before the import: it gets the old number
    return existing


def _extension_changes(groups: list[Group]) -> dict[int, dict[int, list[str]]]:
    """What the apps above would add for people already registered: {pk: {line: [..]}}."""
    changes: dict[int, dict[int, list[str]]] = {}
    pairs = [(g.existing, [(line.line, line.data) for line in g.lines]) for g in groups]
    for describe in import_describers():
        for pk, by_line in describe(pairs).items():
            for line, phrases in by_line.items():
                changes.setdefault(pk, {}).setdefault(line, []).extend(phrases)
    return changes


def _match(group: Group, registry: Registry, seen_emails: dict, extra: dict) -> None:
    first = group.first
    address = _line_address(first)
    existing = group.existing
    email = normalise_email(first.get("email", ""))
    if existing is not None:
        if existing.state == State.BEEINDIGD:
            group.outcome = RowOutcome.REFUSED
            _verdicts(group, [f"Regel {group.lines[0].line}: deze inschrijving is in dit "
                              "systeem beëindigd. Wij nemen haar niet opnieuw over."])
            return
        _compare(group, registry.recipients.get(existing.pk, []), extra.get(existing.pk, {}))
        return
    twin = registry.by_address.get(address) or (registry.by_email.get(email) if email else None)
    other_line = seen_emails.get(email) if email else None
    if twin is not None:
        group.outcome = RowOutcome.POSSIBLE_DUPLICATE
        reason = (f"Regel {group.lines[0].line}: lijkt op inschrijving #{twin.pk}: zelfde "
                  + ("geboortedatum en adres." if _address_key(twin) == address
                     else "e-mailadres.")
                  + " Wordt als nieuwe inschrijving overgenomen; voeg ze daarna samen als het "
                  "dezelfde persoon is.")
    elif other_line is not None:
        group.outcome = RowOutcome.POSSIBLE_DUPLICATE
        reason = (f"Regel {group.lines[0].line}: zelfde e-mailadres als regel {other_line}. "
                  "Wordt als nieuwe inschrijving overgenomen; voeg ze daarna samen als het "
                  "dezelfde persoon is.")
    else:
        group.outcome, reason = RowOutcome.NEW, ""
    if email:
        seen_emails.setdefault(email, group.lines[0].line)
    group.new_recipients = _recipients_of(group)
    _verdicts(group, [reason] if reason else [])


def _recipients_of(group: Group) -> list[dict]:
    """One naaste per name (the first line with that name counts)."""
    recipients, names = [], set()
    for clean in group.lines:
        name = clean.data.get("recipient_name", "")
        if name and name.casefold() not in names:
            names.add(name.casefold())
            recipients.append({"line": clean.line, **clean.data})
    return recipients


def _compare(group: Group, recipients: list[CareRecipient], extra: dict) -> None:
    existing, first = group.existing, group.first
    caregiver_reasons = []
    for key in CAREGIVER_FIELDS:
        if key not in first:
            continue
        new, old = model_value(key, first[key]), getattr(existing, key)
        same = (normalise_email(new) == normalise_email(old) if key == "email"
                else str(new).casefold() == str(old).casefold() if isinstance(new, str)
                else new == old)
        if not same:
            group.changes[key] = new
            caregiver_reasons.append(f"{FIELD_WORDS[key]} gewijzigd")
    by_name = {r.name.casefold(): r for r in recipients}
    line_reasons: dict[int, list[str]] = {}
    for wanted in _recipients_of(group):
        current = by_name.get(wanted["recipient_name"].casefold())
        if current is None:
            group.new_recipients.append(wanted)
            line_reasons.setdefault(wanted["line"], []).append(
                f"nieuwe naaste: {wanted['recipient_name']}")
            continue
        changed = {attr: model_value(key, wanted[key]) for key, attr in RECIPIENT_FIELDS.items()
                   if key in wanted and model_value(key, wanted[key]) != getattr(current, attr)}
        if changed:
            group.changed_recipients.append((current, changed))
            line_reasons.setdefault(wanted["line"], []).append(
                f"naaste {current.name}: gegevens gewijzigd")
    for line, phrases in extra.items():
        line_reasons.setdefault(line, []).extend(phrases)
    first_line = group.lines[0].line
    if caregiver_reasons:
        line_reasons.setdefault(first_line, []).insert(0, ", ".join(caregiver_reasons))
    group.outcome = RowOutcome.UPDATED if line_reasons else RowOutcome.UNCHANGED
    for clean in group.lines:
        reasons = line_reasons.get(clean.line)
        group.verdicts.append(LineVerdict(
            line=clean.line, name=clean.name, data=clean.data, caregiver_id=group.existing.pk,
            outcome=RowOutcome.UPDATED if reasons else RowOutcome.UNCHANGED,
            reasons=([f"Regel {clean.line}: " + "; ".join(reasons) + "."] if reasons else [])
            + _differs_note(group, clean) + clean.notes))


def _differs_note(group: Group, clean: CleanLine) -> list[str]:
    if clean is group.lines[0]:
        return []
    differs = [FIELD_WORDS[key] for key in CAREGIVER_FIELDS
               if key in clean.data and clean.data[key] != group.first.get(key)]
    if not differs:
        return []
    return [f"Regel {clean.line}: {', '.join(differs)} anders dan op regel "
            f"{group.lines[0].line}; die van regel {group.lines[0].line} tellen."]


def _verdicts(group: Group, reasons: list[str]) -> None:
    existing_id = group.existing.pk if group.existing else None
    for index, clean in enumerate(group.lines):
        group.verdicts.append(LineVerdict(
            line=clean.line, name=clean.name, data=clean.data, outcome=group.outcome,
            caregiver_id=existing_id,
            reasons=(reasons if index == 0 else []) + _differs_note(group, clean)
            + clean.notes))
