"""Insight's part of the AVG data download (Mijn gegevens, art. 15 and 20): the caregiver's
self-checks with each answer, contact moments, and follow-up by a consulent.

Registered in InsightConfig.ready() with registrations.extensions.add_to_data_export; the
registrations cannot import this app. Every query filters on the one caregiver.
"""

import datetime

from django.utils.translation import gettext_lazy as _

from core import clock
from registrations.burden import ANSWERS, STATEMENTS
from registrations.extensions import add_to_data_export

from .models import BurdenCheck, ContactMoment, FollowUpTask


def _iso(value):
    if isinstance(value, datetime.datetime):
        return value.astimezone(clock.AMSTERDAM).isoformat(timespec="seconds")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _choice(instance, field: str) -> dict:
    code = getattr(instance, field)
    label = getattr(instance, f"get_{field}_display")() if code else ""
    return {"code": code, "tekst": str(label)}


def self_checks(caregiver) -> list[dict]:
    words = dict(ANSWERS)
    return [{
        "ingevuld_op": _iso(check.answered_at),
        "waar": _choice(check, "context"),
        "antwoorden": [{"uitspraak": str(statement), "antwoord": str(words.get(answer, answer))}
                       for statement, answer in zip(STATEMENTS, check.answers, strict=False)],
        "score": check.score,
        "zwaar_belast": check.heavy,
    } for check in BurdenCheck.objects.filter(caregiver=caregiver).order_by("answered_at", "pk")]


def contact_moments(caregiver) -> list[dict]:
    return [{
        "datum": _iso(contact.on),
        "soort_contact": _choice(contact, "kind"),
        "preventief_huisbezoek": contact.preventive,
        "uitkomst": contact.outcome,
    } for contact in ContactMoment.objects.filter(caregiver=caregiver).order_by("on", "pk")]


def follow_up(caregiver) -> list[dict]:
    return [{
        "soort": _choice(task, "kind"),
        "uiterlijk": _iso(task.due_on),
        "gedaan_op": _iso(task.done_at),
        "vervallen_op": _iso(task.cancelled_at),
        "reden_vervallen": task.cancel_reason,
    } for task in FollowUpTask.objects.filter(caregiver=caregiver).order_by("due_on", "pk")]


def register() -> None:
    add_to_data_export("zelftests", _("Zelftest: hoe zwaar is de zorg?"), self_checks)
    add_to_data_export("contactmomenten", _("Contact met een consulent"), contact_moments)
    add_to_data_export("opvolging", _("Afspraken om u te bellen of te bezoeken"), follow_up)
