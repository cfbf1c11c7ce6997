"""The naive baseline of bench_retention.py: the same daily job as a loop over objects.

What a straightforward version of registrations.retention.run_daily would do: the same
selections, then one caregiver at a time through the ORM and the product's own per-object
services and logged transitions (a letter get_or_create per notice, `end_registration` per
ending, related rows deleted and `erase()` + `save()` per erasure). Run inside a transaction
that is rolled back, so the set-based job then starts from the same rows.
"""

import datetime
import time

from django.db import transaction


class _RollBack(Exception):
    pass


def run_naive(today: datetime.date) -> tuple[float, int]:
    """(seconds, caregivers handled) of the per-object job; nothing stays changed."""
    from core import clock
    from core.dates import last_day_reaching
    from registrations import retention, services
    from registrations.models import (
        AccessToken,
        Caregiver,
        CareRecipient,
        ConsentRecord,
        EndReason,
        Guardian,
        RegistrationLetter,
        RegistrationRules,
        State,
    )
    from worker.models import Letter, LetterStatus

    rules = RegistrationRules.current()
    months = rules.former_retention_months
    last_to_end = retention._last_end_of_care_to_end(today, months)
    handled = 0
    started = time.perf_counter()
    try:
        with transaction.atomic():
            notice_from = today + datetime.timedelta(days=rules.end_notice_days)
            for caregiver in Caregiver.objects.filter(
                    state=State.VOORMALIG, care_ended_on__gt=last_to_end,
                    care_ended_on__lte=last_day_reaching(notice_from, months)):
                kind = RegistrationLetter.RETENTION_NOTICE
                Letter.objects.get_or_create(
                    dedupe_key=f"{kind}:{caregiver.pk}:{caregiver.care_ended_on}",
                    defaults={"kind": kind, "caregiver": caregiver, "created_at": clock.now(),
                              "status": LetterStatus.QUEUED})
                handled += 1
            for caregiver in Caregiver.objects.filter(state=State.VOORMALIG,
                                                      care_ended_on__lte=last_to_end):
                services.end_registration(caregiver, EndReason.RETENTION)
                handled += 1
            stale = Caregiver.objects.filter(
                state=State.AANGEMELD,
                registered_on__lt=today - datetime.timedelta(days=rules.unconfirmed_expiry_days))
            for condition in retention._unconfirmed_kept_while:
                stale = stale.exclude(condition())
            for caregiver in stale:
                services.end_registration(caregiver, EndReason.UNCONFIRMED)
                handled += 1
            for caregiver in Caregiver.objects.filter(
                    state=State.BEEINDIGD,
                    ended_on__lte=today - datetime.timedelta(days=rules.erasure_grace_days)):
                for model in (CareRecipient, Guardian, ConsentRecord, AccessToken):
                    model.objects.filter(caregiver=caregiver).delete()
                caregiver.erase(description="Gegevens gewist")
                caregiver.save()
                handled += 1
            raise _RollBack
    except _RollBack:
        pass
    return time.perf_counter() - started, handled
