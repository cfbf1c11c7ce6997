"""Burden self-check, follow-up tasks, contact moments and after-care through the services."""

import datetime

import pytest
import time_machine

from insight import services
from insight.models import ContactKind, FollowUpTask, InsightRules, TaskKind
from registrations import services as registrations
from registrations.burden import CheckContext
from registrations.models import CareEndReason, State
from tests.factories import CaregiverFactory

TODAY = datetime.date(2026, 3, 2)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


@pytest.fixture
def frozen():
    with time_machine.travel(datetime.datetime(2026, 3, 2, 10, 0), tick=False):
        yield


@pytest.fixture
def riet():
    return CaregiverFactory(registered_on=TODAY)


def open_tasks(caregiver, kind):
    return FollowUpTask.objects.filter(caregiver=caregiver, kind=kind, done_at__isnull=True,
                                       cancelled_at__isnull=True)


def test_a_high_score_opens_one_call_back_task(riet):
    low = services.record_burden_check(riet, [1, 1, 2, 1, 0], CheckContext.SELF_SERVICE)
    assert (low.score, low.heavy) == (5, False) and not open_tasks(riet, TaskKind.BURDEN)
    high = services.record_burden_check(riet, [3, 2, 2, 2, 1], CheckContext.REGISTRATION)
    assert (high.score, high.heavy) == (10, True)
    services.record_burden_check(riet, [3, 3, 3, 3, 3], CheckContext.WAARDERING)
    [task] = open_tasks(riet, TaskKind.BURDEN)
    assert task.due_on == TODAY + datetime.timedelta(days=5) and task.burden_check == high


def test_the_threshold_is_a_setting(riet):
    InsightRules.objects.update_or_create(pk=1, defaults={"heavy_from_score": 4})
    assert services.record_burden_check(riet, [1, 1, 1, 1, 0], CheckContext.CONSULENT).heavy


def test_wrong_answers_are_refused(riet):
    for answers in ([1, 1, 1], [4, 0, 0, 0, 0], [-1, 0, 0, 0, 0]):
        with pytest.raises(ValueError):
            services.record_burden_check(riet, answers, CheckContext.SELF_SERVICE)


def test_answering_the_task_records_a_contact_moment(riet, consulent):
    services.record_burden_check(riet, [3, 3, 3, 3, 3], CheckContext.SELF_SERVICE)
    [task] = open_tasks(riet, TaskKind.BURDEN)
    contact = services.record_contact(riet, consulent, on=TODAY, kind=ContactKind.HOME_VISIT,
                                      preventive=True, outcome="Respijtzorg besproken",
                                      task=task)
    task.refresh_from_db()
    assert task.contact_moment == contact and task.done_by == consulent
    assert not open_tasks(riet, TaskKind.BURDEN)
    with pytest.raises(ValueError):
        services.record_contact(riet, consulent, on=TODAY, kind=ContactKind.PHONE, task=task)


def test_death_schedules_aftercare_and_resuming_care_cancels_it(riet, consulent):
    died = datetime.date(2026, 2, 20)
    registrations.end_care(riet, died, CareEndReason.OVERLIJDEN, by=consulent)
    due = sorted(open_tasks(riet, TaskKind.AFTERCARE).values_list("due_on", flat=True))
    assert due == [died + datetime.timedelta(days=d) for d in (42, 182, 548)]
    registrations.resume_care(riet, by=consulent)
    assert not open_tasks(riet, TaskKind.AFTERCARE)
    assert FollowUpTask.objects.filter(cancel_reason__isnull=False, kind=TaskKind.AFTERCARE) \
        .count() == 3


def test_other_ends_of_care_schedule_no_aftercare(riet, consulent):
    registrations.end_care(riet, TODAY, CareEndReason.OPNAME, by=consulent)
    assert not FollowUpTask.objects.exists()


def test_ending_the_registration_cancels_open_tasks(riet, consulent):
    services.record_burden_check(riet, [3, 3, 3, 3, 3], CheckContext.SELF_SERVICE)
    registrations.end_registration(riet, by=consulent)
    assert not open_tasks(riet, TaskKind.BURDEN)


def test_the_check_is_offered_again_after_the_set_months(riet):
    assert services.check_due(riet)
    services.record_burden_check(riet, [0, 0, 0, 0, 0], CheckContext.SELF_SERVICE)
    assert not services.check_due(riet)
    with time_machine.travel(datetime.datetime(2027, 3, 3, 10, 0), tick=False):
        assert services.check_due(riet)


def test_retention_cancels_tasks_and_erases_what_was_said_but_keeps_the_counts(riet, consulent):
    from registrations.retention import run_daily

    services.record_burden_check(riet, [3, 3, 3, 3, 3], CheckContext.SELF_SERVICE)
    services.record_contact(riet, consulent, on=TODAY, kind=ContactKind.HOME_VISIT,
                            preventive=True, outcome="Over respijtzorg gesproken")
    registrations.end_care(riet, datetime.date(2023, 1, 1), CareEndReason.OVERLIJDEN,
                           by=consulent)
    run_daily(TODAY)  # two years are over: the registration ends
    assert not FollowUpTask.objects.filter(done_at__isnull=True, cancelled_at__isnull=True)
    run_daily(TODAY + datetime.timedelta(days=31))  # the grace period is over: erased
    riet.refresh_from_db()
    assert riet.state == State.GEWIST
    contact = riet.contact_moments.get()
    assert (contact.outcome, contact.kind, contact.preventive) == ("", "huisbezoek", True)
    assert riet.burden_checks.get().heavy


def test_the_demo_adds_self_checks_contacts_and_call_backs_once():
    from django.core.management import call_command

    from insight.models import BurdenCheck, ContactMoment

    call_command("load_demo_data", caregivers=200)
    counts = (BurdenCheck.objects.count(), ContactMoment.objects.count(),
              FollowUpTask.objects.count())
    assert counts[0] >= 100 and counts[1] == 30
    assert BurdenCheck.objects.filter(heavy=True).exists()
    assert FollowUpTask.objects.filter(kind=TaskKind.BURDEN).exists()
    call_command("load_demo_data", caregivers=200)
    assert (BurdenCheck.objects.count(), ContactMoment.objects.count(),
            FollowUpTask.objects.count()) == counts


def test_a_high_score_answered_by_a_visit_moves_the_yearly_indicators(riet, consulent):
    from insight.reports import annual_figures

    others = [CaregiverFactory(first_name=f"P{n}", last_name="Test", registered_on=TODAY)
              for n in range(3)]
    for person in others:
        services.record_burden_check(person, [1, 0, 1, 0, 1], CheckContext.SELF_SERVICE)
    before = annual_figures(2026)
    assert (before["burden_answered"], before["burden_heavy"], before["burden_share"]) == (
        3, 0, 0.0)
    services.record_burden_check(riet, [3, 3, 2, 2, 2], CheckContext.SELF_SERVICE)
    [task] = open_tasks(riet, TaskKind.BURDEN)
    services.record_contact(riet, consulent, on=TODAY, kind=ContactKind.HOME_VISIT,
                            preventive=True, outcome="Respijtzorg geregeld", task=task)
    after = annual_figures(2026)
    assert (after["burden_answered"], after["burden_heavy"], after["burden_share"]) == (
        4, 1, 25.0)
    assert (after["contacts_total"], after["preventive_home_visits"]) == (
        before["contacts_total"] + 1, before["preventive_home_visits"] + 1)
