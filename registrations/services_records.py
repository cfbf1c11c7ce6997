"""Consulenten keep the registry right: correct a caregiver's details, add, correct or end
the care for a naaste. Every change is recorded (who, when, before, after) for the timeline.

Each edit form carries the version it was made from; the row is locked and the version
compared before anything is written, so of two consulenten editing at once the second gets
a clear message (StaleEdit) instead of silently undoing the first.
"""

import datetime

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from core import languages
from core.names import split_surname
from core.postcodes import format_postcode, normalise_postcode

from . import services
from .models import (
    LINK_STATES,
    CareEndReason,
    Caregiver,
    CareKind,
    CareRecipient,
    ChangeKind,
    PostcodeRange,
    RecordChange,
    State,
    TokenPurpose,
    normalise_email,
)
from .signals import care_ended, recipient_care_ended

CAREGIVER_FIELDS = ["first_name", "surname_prefix", "last_name", "date_of_birth", "street",
                    "house_number", "postcode", "city", "email", "phone", "channel",
                    "wants_newsletter", "language"]
RECIPIENT_FIELDS = ["name", "date_of_birth", "relationship", "lives_in_municipality",
                    "living_together", "care_kinds", "hours_per_week", "care_since",
                    "care_need"]


class StaleEdit(Exception):
    """The record changed after the form was opened (a colleague, or the person, saved)."""

    def __init__(self, current):
        super().__init__("stale edit")
        self.current = current


class NotEditable(Exception):
    """The registration ended or the care for this naaste already ended."""


def shown(instance, name: str) -> str:
    """A field's value as a person reads it on the timeline."""
    value = getattr(instance, name)
    field = instance._meta.get_field(name)
    if value in (None, "", []):
        return "–"
    if name == "postcode":
        return format_postcode(value)
    if name == "care_kinds":
        return ", ".join(str(CareKind(kind).label) for kind in value if kind in CareKind.values)
    if field.choices:
        return str(getattr(instance, f"get_{name}_display")())
    if isinstance(value, bool):
        return _("Ja") if value else _("Nee")
    if isinstance(value, datetime.date):
        return value.strftime("%d-%m-%Y")
    return str(value)


def _label(instance, name: str) -> str:
    return str(instance._meta.get_field(name).verbose_name).capitalize()


def _apply(instance, values: dict, names: list[str]) -> list[list[str]]:
    """Set the changed values; [label, before, after] of each one that changed."""
    changes = []
    for name in names:
        if name not in values or values[name] == getattr(instance, name):
            continue
        before = shown(instance, name)
        setattr(instance, name, values[name])
        changes.append([_label(instance, name), before, shown(instance, name)])
    return changes


def _locked_caregiver(pk) -> Caregiver:
    caregiver = Caregiver.objects.select_for_update().get(pk=pk)
    if caregiver.state not in LINK_STATES:
        raise NotEditable
    return caregiver


@transaction.atomic
def update_caregiver(caregiver: Caregiver, values: dict, *, version: int, by) -> Caregiver:
    """Correct name, date of birth, address or contact details. A new postcode gets its wijk
    again; a new e-mail address must be confirmed again (a link goes to it)."""
    caregiver = _locked_caregiver(caregiver.pk)
    if caregiver.version != version:
        raise StaleEdit(caregiver)
    values = dict(values)
    if "postcode" in values:
        values["postcode"] = normalise_postcode(values["postcode"])
    if "last_name" in values:
        values["surname_prefix"], values["last_name"] = split_surname(
            values["last_name"], values.get("surname_prefix", ""))
    old_email = caregiver.email
    changes = _apply(caregiver, values, CAREGIVER_FIELDS)
    if not changes:
        return caregiver
    district = PostcodeRange.objects.district_for(caregiver.postcode)
    if district != caregiver.district:
        before = caregiver.district.name if caregiver.district else _("Onbekend")
        caregiver.district = district
        changes.append([_("Wijk"), before, district.name if district else _("Onbekend")])
    email_changed = normalise_email(old_email) != normalise_email(caregiver.email)
    if email_changed:
        caregiver.email_confirmed_at = None
        services.revoke_links_to_old_address(caregiver)
    caregiver.version += 1
    caregiver.save()
    RecordChange.objects.create(caregiver=caregiver, kind=ChangeKind.DETAILS, by=by,
                                changes=changes)
    if email_changed and caregiver.email:
        services._mail_link_after_commit(caregiver, TokenPurpose.CONFIRM_EMAIL,
                                         services.TOKEN_LIFETIME[TokenPurpose.CONFIRM_EMAIL])
    return caregiver


@transaction.atomic
def add_recipient(caregiver: Caregiver, values: dict, *, by) -> CareRecipient:
    """Someone else the caregiver cares for. A former caregiver caring again is active."""
    caregiver = _locked_caregiver(caregiver.pk)
    recipient = CareRecipient.objects.create(
        caregiver=caregiver, **{name: values[name] for name in RECIPIENT_FIELDS})
    RecordChange.objects.create(
        caregiver=caregiver, recipient=recipient, kind=ChangeKind.RECIPIENT_ADDED, by=by,
        changes=[[_label(recipient, name), "", shown(recipient, name)]
                 for name in RECIPIENT_FIELDS if shown(recipient, name) != "–"])
    if caregiver.state == State.VOORMALIG:
        services.resume_care(caregiver, by=by)
    return recipient


def _locked_recipient(recipient: CareRecipient, version: int):
    """Lock the caregiver first, then the naaste (always this order: no deadlock)."""
    caregiver = _locked_caregiver(recipient.caregiver_id)
    recipient = CareRecipient.objects.select_for_update().get(pk=recipient.pk,
                                                              caregiver=caregiver)
    if recipient.version != version:
        raise StaleEdit(recipient)
    return caregiver, recipient


@transaction.atomic
def update_recipient(recipient: CareRecipient, values: dict, *, version: int,
                     by) -> CareRecipient:
    caregiver, recipient = _locked_recipient(recipient, version)
    name_before = recipient.name
    changes = _apply(recipient, values, RECIPIENT_FIELDS)
    if not changes:
        return recipient
    recipient.version += 1
    recipient.save()
    RecordChange.objects.create(
        caregiver=caregiver, recipient=recipient, kind=ChangeKind.RECIPIENT_CHANGED, by=by,
        changes=([[_("Naaste"), "", recipient.name]] if name_before == recipient.name else [])
        + changes)
    return recipient


@transaction.atomic
@translation.override(languages.SOURCE)  # stored text: Dutch, whatever the page spoke
def end_recipient_care(recipient: CareRecipient, *, on: datetime.date, reason: str,
                       still_caring: bool = False, version: int, by) -> CareRecipient:
    """The care for one naaste ends. The caregiver becomes a former caregiver only when the
    care for the last naaste ends (the two years count from that day).

    "Opname" (the naaste moved into a care home) has its own meaning: many caregivers go
    on caring there (visits, money matters, laundry). Then the care does not end; the
    naaste is recorded as living in a care home from that day.
    """
    caregiver, recipient = _locked_recipient(recipient, version)
    if not recipient.cared_for:
        raise NotEditable
    recipient.version += 1
    if reason == CareEndReason.OPNAME and still_caring:
        changes = [[_("Naaste"), "", recipient.name],
                   [_label(recipient, "admitted_on"), shown(recipient, "admitted_on"),
                    on.strftime("%d-%m-%Y")]]
        recipient.admitted_on = on
        changes += _apply(recipient, {"living_together": False}, ["living_together"])
        recipient.save()
        RecordChange.objects.create(caregiver=caregiver, recipient=recipient, by=by,
                                    kind=ChangeKind.RECIPIENT_ADMITTED, changes=changes)
        return recipient
    recipient.care_ended_on, recipient.care_end_reason = on, reason
    recipient.save()
    RecordChange.objects.create(
        caregiver=caregiver, recipient=recipient, kind=ChangeKind.RECIPIENT_ENDED, by=by,
        changes=[[_("Naaste"), "", recipient.name],
                 [_("Zorg gestopt op"), "", on.strftime("%d-%m-%Y")],
                 [_("Reden"), "", str(CareEndReason(reason).label)]])
    recipient_care_ended.send(sender=CareRecipient, caregiver=caregiver, recipient=recipient,
                              ended_on=on, reason=reason)
    if caregiver.state == State.ACTIEF and not caregiver.care_recipients.filter(
            care_ended_on__isnull=True).exists():
        last = caregiver.care_recipients.order_by("-care_ended_on", "-pk").first()
        caregiver.end_care(on=last.care_ended_on, reason=last.care_end_reason, by=by,
                           description=_("Zorg voor de laatste naaste gestopt: %(reason)s")
                           % {"reason": CareEndReason(last.care_end_reason).label})
        caregiver.save()
        care_ended.send(sender=Caregiver, caregiver=caregiver, ended_on=last.care_ended_on,
                        reason=last.care_end_reason)
    return recipient
