"""The import's write: every planned change in one transaction, in bulk, or nothing.

Progress goes through a second database connection (autocommit), so the coordinator's page
sees it while this transaction is still open. Whatever stops the write (an error, a killed
worker) rolls the whole transaction back: the registry is as it was before.
"""

import datetime
from collections.abc import Callable

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django_fsm_log.models import StateLog

from core import clock
from core.locks import lock_until_commit
from worker.models import Letter
from worker.services import send_queued_letters_after_commit

from ..extensions import import_writers
from ..models import (
    AccessToken,
    Caregiver,
    CareRecipient,
    Channel,
    ImportRow,
    PostcodeRange,
    RegistrationLetter,
    RowOutcome,
    Source,
    State,
    TokenPurpose,
)
from .planning import Group, model_value

CHUNK = 1000
IMPORT_LOCK = 0x4D5A_494D  # lock_until_commit key: one import writes at a time
LEGAL_BASIS = (
    "Overgenomen uit het registratiesysteem dat het Servicepunt Mantelzorg hiervoor "
    "gebruikte (import #{pk}, {day}). Grondslag: de taak van het Servicepunt om "
    "mantelzorgers te ondersteunen (AVG art. 6 lid 1 onder e); de mantelzorger is "
    "hierover geïnformeerd met een brief (AVG art. 14).")
WRITES_CAREGIVERS = {RowOutcome.NEW, RowOutcome.POSSIBLE_DUPLICATE}


class Districts:
    """The wijk of each postcode, from the range table read once (narrowest range wins)."""

    def __init__(self):
        self.ranges = list(PostcodeRange.objects.narrowest_first().select_related("district"))
        self.cache: dict[str, object] = {}

    def __call__(self, postcode: str):
        if postcode not in self.cache:
            self.cache[postcode] = next(
                (r.district for r in self.ranges if r.first <= postcode <= r.last), None)
        return self.cache[postcode]


def take_import_lock() -> None:
    """One import plans and writes at a time (until the transaction ends): two imports of
    one file, confirmed together, would otherwise both see the same people as new."""
    assert transaction.get_connection().in_atomic_block, "the lock lasts one transaction"
    lock_until_commit(IMPORT_LOCK)


def write(registry_import, groups: list[Group], rows: dict[int, ImportRow],
          report: Callable[[int], None]) -> dict:
    """Write the plan; `rows` are the import's ImportRows by line; `report(done)` shows
    progress. Runs inside the caller's transaction, after `take_import_lock()`."""
    assert transaction.get_connection().in_atomic_block, "the write needs one transaction"
    now, today = clock.now(), clock.today()
    districts = Districts()
    basis = LEGAL_BASIS.format(pk=registry_import.pk, day=today.strftime("%d-%m-%Y"))
    new_groups = [g for g in groups if g.outcome in WRITES_CAREGIVERS]
    done = 0
    for start in range(0, len(new_groups), CHUNK):
        chunk = new_groups[start:start + CHUNK]
        caregivers = [_new_caregiver(g.first, registry_import, basis, districts, now, today)
                      for g in chunk]
        Caregiver.objects.bulk_create(caregivers)
        for group, caregiver in zip(chunk, caregivers, strict=True):
            group.existing = caregiver
        _log_activation(caregivers, registry_import, now)
        _queue_notices(caregivers, now)
        done += sum(len(g.lines) for g in chunk)
        report(done)
    changed = [g for g in groups if g.outcome == RowOutcome.UPDATED]
    _update_caregivers(changed, districts)
    _write_recipients(groups, today)
    written = [g for g in groups if g.existing is not None and g.outcome != RowOutcome.REFUSED]
    for writer in import_writers():
        writer([(g.existing, [line.data for line in g.lines]) for g in written],
               registry_import)
    for group in groups:
        for clean in group.lines:
            row = rows.get(clean.line)
            if row is not None and group.existing is not None:
                row.caregiver_id = group.existing.pk
    ImportRow.objects.bulk_update(list(rows.values()), ["caregiver"], batch_size=CHUNK)
    report(sum(len(g.lines) for g in groups))
    return {"caregivers_new": len(new_groups), "caregivers_updated": len(changed)}


def _new_caregiver(data, registry_import, basis, districts, now, today) -> Caregiver:
    registered_on = model_value("registered_on", data.get("registered_on")) or today
    return Caregiver(
        first_name=data["first_name"], surname_prefix=data.get("surname_prefix", ""),
        last_name=data["last_name"],
        date_of_birth=model_value("date_of_birth", data["date_of_birth"]),
        street=data.get("street", ""), house_number=data["house_number"],
        postcode=data["postcode"], city=data.get("city", ""),
        district=districts(data["postcode"]), email=data.get("email", ""),
        phone=data.get("phone", ""), channel=data.get("channel", Channel.POST),
        wants_newsletter=data.get("wants_newsletter", False),
        state=State.ACTIEF, source=Source.IMPORT, registered_on=registered_on,
        activated_on=today, checked_by_consulent_at=now,
        external_id=data.get("external_id", ""), registry_import=registry_import,
        legal_basis=basis)


def _log_activation(caregivers, registry_import, now) -> None:
    """The timeline says where the registration came from (django-fsm-log, in bulk)."""
    content_type = ContentType.objects.get_for_model(Caregiver)
    StateLog.objects.bulk_create([
        StateLog(timestamp=now, by=registry_import.confirmed_by, source_state=State.AANGEMELD,
                 state=State.ACTIEF, transition="activate", content_type=content_type,
                 object_id=caregiver.pk,
                 description=f"Overgenomen uit het vorige systeem (import #{registry_import.pk})")
        for caregiver in caregivers])


def _queue_notices(caregivers, now) -> None:
    """The AVG art. 14 letter, once per person (the dedupe key), sent after commit."""
    Letter.objects.bulk_create([
        Letter(kind=RegistrationLetter.IMPORT_NOTICE, caregiver_id=caregiver.pk,
               dedupe_key=f"overgenomen-{caregiver.pk}", created_at=now)
        for caregiver in caregivers], ignore_conflicts=True)
    send_queued_letters_after_commit()


def _update_caregivers(groups: list[Group], districts) -> None:
    fields: set[str] = set()
    caregivers = []
    for group in groups:
        if not group.changes:
            continue
        caregiver = group.existing
        for key, value in group.changes.items():
            setattr(caregiver, key, value)
            fields.add(key)
        # A consulent's edit form opened before the import is out of date.
        caregiver.version += 1
        fields.add("version")
        if "postcode" in group.changes:
            caregiver.district = districts(caregiver.postcode)
            fields.add("district")
        if "email" in group.changes:
            # A new address must be confirmed again; links sent to the old one stop working.
            caregiver.email_confirmed_at = None
            fields.add("email_confirmed_at")
            AccessToken.objects.filter(
                caregiver=caregiver, used_at__isnull=True,
                purpose__in=[TokenPurpose.CONFIRM_EMAIL, TokenPurpose.MAGIC_LINK]).delete()
        caregivers.append(caregiver)
    if caregivers:
        Caregiver.objects.bulk_update(caregivers, sorted(fields), batch_size=CHUNK)


def _write_recipients(groups: list[Group], today: datetime.date) -> None:
    new, changed, fields = [], [], set()
    for group in groups:
        if group.existing is None or group.outcome == RowOutcome.REFUSED:
            continue
        for data in group.new_recipients:
            new.append(_new_recipient(group.existing, data, today))
        for recipient, changes in group.changed_recipients:
            for attr, value in changes.items():
                setattr(recipient, attr, value)
                fields.add(attr)
            changed.append(recipient)
    CareRecipient.objects.bulk_create(new, batch_size=CHUNK)
    if changed:
        CareRecipient.objects.bulk_update(changed, sorted(fields), batch_size=CHUNK)


def _new_recipient(caregiver, data: dict, today) -> CareRecipient:
    return CareRecipient(
        caregiver=caregiver, name=data["recipient_name"],
        date_of_birth=model_value("care_since", data.get("recipient_date_of_birth")),
        lives_in_municipality=data.get("recipient_lives_in_municipality", True),
        relationship=data["recipient_relationship"],
        hours_per_week=data.get("hours_per_week", 0),
        care_since=(model_value("care_since", data.get("care_since"))
                    or caregiver.registered_on or today),
        living_together=data.get("recipient_living_together", False))
