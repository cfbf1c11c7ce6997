"""How insight hears news from the registrations (connected in InsightConfig.ready()).

Receivers run inside the sender's transaction: a follow-up task is opened or cancelled in
the same commit as the change that caused it.
"""

from registrations.extensions import add_to_caregiver_page, add_to_my_data_page
from registrations.models import State
from registrations.signals import (
    burden_check_answered,
    care_ended,
    care_resumed,
    caregivers_erased,
    recipient_care_ended,
    registrations_ended,
)

from . import selectors, services


def store_burden_check(sender=None, caregiver=None, answers=(), context="", **kwargs):
    services.record_burden_check(caregiver, answers, context)


def propose_aftercare(sender=None, caregiver=None, ended_on=None, reason="", **kwargs):
    services.schedule_aftercare(caregiver, ended_on, reason)


def propose_aftercare_for_one(sender=None, caregiver=None, ended_on=None, reason="",
                              **kwargs):
    """One of several naasten died: aftercare, even while the caregiver cares for others."""
    services.schedule_aftercare(caregiver, ended_on, reason)


def cancel_aftercare(sender=None, caregiver=None, **kwargs):
    services.cancel_aftercare(caregiver)


def cancel_open_tasks(sender=None, caregiver_ids=(), reason="", **kwargs):
    services.cancel_open_tasks(caregiver_ids, str(reason))


def erase_contact_outcomes(sender=None, caregiver_ids=(), **kwargs):
    services.erase_contact_outcomes(caregiver_ids)
    services.erase_check_answers_and_reasons(caregiver_ids)


def follow_up_section(caregiver) -> dict:
    return {"follow_up": selectors.caregiver_follow_up(caregiver)}


def self_check_offer(caregiver) -> dict:
    return {"offer_burden_check": caregiver.state != State.VOORMALIG
            and services.check_due(caregiver)}


def connect() -> None:
    burden_check_answered.connect(store_burden_check, dispatch_uid="insight.burden")
    care_ended.connect(propose_aftercare, dispatch_uid="insight.aftercare")
    recipient_care_ended.connect(propose_aftercare_for_one,
                                 dispatch_uid="insight.aftercare_one")
    care_resumed.connect(cancel_aftercare, dispatch_uid="insight.cancel_aftercare")
    registrations_ended.connect(cancel_open_tasks, dispatch_uid="insight.cancel_tasks")
    caregivers_erased.connect(erase_contact_outcomes, dispatch_uid="insight.erase")
    add_to_caregiver_page(follow_up_section)
    add_to_my_data_page(self_check_offer)
