"""Insight's part of the AVG data download (Mijn gegevens, art. 15 and 20): the caregiver's
self-checks with each answer, contact moments, and follow-up by a consulent.

Registered in InsightConfig.ready() with registrations.extensions.add_to_data_export; the
registrations cannot import this app. Every query filters on the one caregiver.
"""


from django.utils.translation import gettext_lazy as _

from core.formats import export_choice, export_value
from registrations.burden import ANSWERS, STATEMENTS
from registrations.extensions import add_to_data_export

from .models import BurdenCheck, ContactMoment, FollowUpTask


def self_checks(caregiver) -> list[dict]:
    words = dict(ANSWERS)
    return [{
        "ingevuld_op": export_value(check.answered_at),
        "waar": export_choice(check, "context"),
        "antwoorden": [{"uitspraak": str(statement), "antwoord": str(words.get(answer, answer))}
                       for statement, answer in zip(STATEMENTS, check.answers, strict=False)],
        "score": check.score,
        "zwaar_belast": check.heavy,
    } for check in BurdenCheck.objects.filter(caregiver=caregiver).order_by("answered_at", "pk")]


def contact_moments(caregiver) -> list[dict]:
    return [{
        "datum": export_value(contact.on),
        "soort_contact": export_choice(contact, "kind"),
        "preventief_huisbezoek": contact.preventive,
        "uitkomst": contact.outcome,
    } for contact in ContactMoment.objects.filter(caregiver=caregiver).order_by("on", "pk")]


def follow_up(caregiver) -> list[dict]:
    return [{
        "soort": export_choice(task, "kind"),
        "uiterlijk": export_value(task.due_on),
        "gedaan_op": export_value(task.done_at),
        "vervallen_op": export_value(task.cancelled_at),
        "reden_vervallen": task.cancel_reason,
    } for task in FollowUpTask.objects.filter(caregiver=caregiver).order_by("due_on", "pk")]


def register() -> None:
    add_to_data_export("zelftests", _("Zelftest: hoe zwaar is de zorg?"), self_checks)
    add_to_data_export("contactmomenten", _("Contact met een consulent"), contact_moments)
    add_to_data_export("opvolging", _("Afspraken om te bellen of langs te komen"), follow_up)
