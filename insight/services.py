"""Every write about burden checks, contact moments and follow-up tasks.

The registrations' signals (insight/receivers.py) call `schedule_aftercare` /
`cancel_aftercare` when care ends or resumes, and `cancel_open_tasks` when registrations end,
inside the sender's transaction.
"""

import datetime

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core import clock
from core.dates import add_months
from registrations import burden
from registrations.models import CareEndReason

from .models import (
    BurdenCheck,
    ContactMoment,
    FollowUpTask,
    InsightRules,
    TaskKind,
)


@transaction.atomic
def record_burden_check(caregiver, answers: list[int], context: str) -> BurdenCheck:
    """Store a self-check. A high score puts the caregiver on the follow-up list once
    (an open call-back task is not doubled)."""
    rules = InsightRules.current()
    total = burden.score(answers)
    check = BurdenCheck.objects.create(
        caregiver=caregiver, context=context, statements_version=burden.VERSION,
        answers=list(answers), score=total, heavy=total >= rules.heavy_from_score)
    if check.heavy:
        _open_burden_task(caregiver, check, rules)
    return check


def _open_burden_task(caregiver, check, rules) -> None:
    if FollowUpTask.objects.filter(caregiver=caregiver, kind=TaskKind.BURDEN,
                                   done_at__isnull=True, cancelled_at__isnull=True).exists():
        return
    try:
        with transaction.atomic():
            FollowUpTask.objects.create(
                caregiver=caregiver, kind=TaskKind.BURDEN, burden_check=check,
                due_on=clock.today() + datetime.timedelta(days=rules.call_back_within_days))
    except IntegrityError:
        pass  # a parallel check opened it first (one_open_burden_task)


def check_due(caregiver) -> bool:
    """Offer the self-check in Mijn gegevens when the last one is older than the setting."""
    last = caregiver.burden_checks.order_by("-answered_at").first()
    if last is None:
        return True
    months = InsightRules.current().offer_check_every_months
    return add_months(last.answered_at.astimezone(clock.AMSTERDAM).date(), months) \
        <= clock.today()


@transaction.atomic
def record_contact(caregiver, by, *, on: datetime.date, kind: str, preventive: bool = False,
                   outcome: str = "", task: FollowUpTask | None = None) -> ContactMoment:
    """A consulent records a contact; answering a follow-up task closes it."""
    contact = ContactMoment.objects.create(caregiver=caregiver, by=by, on=on, kind=kind,
                                           preventive=preventive, outcome=outcome)
    if task is not None:
        task = FollowUpTask.objects.select_for_update().get(pk=task.pk)
        if task.caregiver_id != caregiver.pk or not task.is_open:
            raise ValueError("task is not open for this caregiver")
        task.contact_moment, task.done_at, task.done_by = contact, clock.now(), by
        task.save(update_fields=["contact_moment", "done_at", "done_by"])
    return contact


def schedule_aftercare(caregiver, ended_on: datetime.date, reason: str) -> int:
    """Care ended because the loved one died: propose contacts after the set numbers of
    days (by default 6 weeks, 6 months and 18 months). Returns how many were added."""
    if reason != CareEndReason.OVERLIJDEN:
        return 0
    added = 0
    for days in InsightRules.current().aftercare_offsets():
        _task, created = FollowUpTask.objects.get_or_create(
            caregiver=caregiver, kind=TaskKind.AFTERCARE,
            due_on=ended_on + datetime.timedelta(days=days))
        added += created
    return added


def cancel_task(task: FollowUpTask, reason: str) -> bool:
    """A consulent closes one open task without a contact (e.g. no longer needed).
    False when a colleague closed it first."""
    return bool(_cancel(FollowUpTask.objects.filter(pk=task.pk), reason))


def cancel_aftercare(caregiver, reason: str = "") -> int:
    return _cancel(FollowUpTask.objects.filter(caregiver=caregiver, kind=TaskKind.AFTERCARE),
                   reason or _("Zorgt weer voor iemand"))


def cancel_open_tasks(caregiver_ids, reason: str) -> int:
    """Registrations ended: their open tasks are no longer needed (ids or a queryset)."""
    return _cancel(FollowUpTask.objects.filter(caregiver__in=caregiver_ids), reason)


def _cancel(tasks, reason: str) -> int:
    """Cancel those of `tasks` still open; an answered or cancelled task stays as it is."""
    return tasks.filter(done_at__isnull=True, cancelled_at__isnull=True).update(
        cancelled_at=clock.now(), cancel_reason=reason[:200])


def erase_contact_outcomes(caregiver_ids) -> int:
    """Contact moments keep date and kind (the visit counts), not what was said."""
    return ContactMoment.objects.filter(caregiver__in=caregiver_ids).exclude(
        outcome="").update(outcome="")


def erase_check_answers_and_reasons(caregiver_ids) -> None:
    """Self-checks keep date, score and 'heavy' (the yearly indicator), not the answer to
    each statement; follow-up tasks keep kind and dates, not the reason typed at a cancel."""
    BurdenCheck.objects.filter(caregiver__in=caregiver_ids).exclude(answers=[]).update(
        answers=[])
    FollowUpTask.objects.filter(caregiver__in=caregiver_ids).exclude(
        cancel_reason="").update(cancel_reason="")
