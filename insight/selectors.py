"""Reads for the follow-up pages: the open tasks, their reason in words, a caregiver's care.

Reasons are built from the task's own columns (and the score of the self-check behind it),
never from the answers: list pages show no health details.
"""

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core import clock

from .models import FollowUpTask, TaskKind


def open_tasks(kind: str = ""):
    """Open tasks, earliest due date first (so overdue ones come first), one query."""
    tasks = (FollowUpTask.objects.filter(done_at__isnull=True, cancelled_at__isnull=True)
             .select_related("caregiver", "burden_check").order_by("due_on", "pk"))
    if kind in TaskKind.values:
        tasks = tasks.filter(kind=kind)
    return tasks


def overdue_count() -> int:
    return open_tasks().filter(due_on__lt=clock.today()).count()


def aftercare_term(days: int) -> str:
    """42 → "6 weken", 182 → "6 maanden", 548 → "18 maanden": how people say it."""
    if days < 90 and days % 7 == 0:
        weeks = days // 7
        return ngettext("%(n)d week", "%(n)d weken", weeks) % {"n": weeks}
    if days < 60:
        return ngettext("%(n)d dag", "%(n)d dagen", days) % {"n": days}
    months = round(days / 30.44)
    return ngettext("%(n)d maand", "%(n)d maanden", months) % {"n": months}


def reason(task: FollowUpTask) -> str:
    """Why this task exists, in words, without what the caregiver answered."""
    if task.kind == TaskKind.AFTERCARE:
        ended = task.caregiver.care_ended_on
        if ended is None or task.due_on <= ended:
            return _("Nazorg na overlijden")
        return _("Nazorg na overlijden: %(term)s") % {
            "term": aftercare_term((task.due_on - ended).days)}
    check = task.burden_check
    if check is None:
        return _("Zelftest: zwaar belast")
    return _("Zelftest van %(day)s: score %(score)s (zwaar belast)") % {
        "day": date_format(check.answered_at.astimezone(clock.AMSTERDAM).date(), "d-m-Y"),
        "score": check.score}


def task_rows(tasks) -> list[dict]:
    """Rows for a table of tasks: the task, its reason in words and whether it is late."""
    today = clock.today()
    return [{"task": task, "caregiver": task.caregiver, "reason": reason(task),
             "overdue": task.due_on < today} for task in tasks]


def caregiver_follow_up(caregiver) -> dict:
    """The caregiver page's section: open tasks, contact moments and self-check scores."""
    tasks = (caregiver.follow_up_tasks.filter(done_at__isnull=True, cancelled_at__isnull=True)
             .select_related("caregiver", "burden_check").order_by("due_on", "pk"))
    return {
        "open_tasks": task_rows(tasks),
        "contacts": caregiver.contact_moments.select_related("by").order_by("-on", "-pk"),
        "burden_checks": caregiver.burden_checks.only(
            "answered_at", "score", "heavy", "context").order_by("-answered_at"),
    }
