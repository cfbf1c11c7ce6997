"""The two-year rule for former caregivers, moved through time: the daily job ends the
registration the day after two years, queues the notice a month before (once), and erases
personal data after the grace period while the anonymous counts stay."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db.models import Count
from django_fsm_log.models import StateLog
from hypothesis import given
from hypothesis import strategies as st

from registrations import retention
from registrations.models import (
    AccessToken,
    Caregiver,
    CareRecipient,
    District,
    Guardian,
    RegistrationRules,
    State,
    add_months,
    last_day_reaching,
)
from worker.models import Letter, LetterKind, LetterStatus

AMS = ZoneInfo("Europe/Amsterdam")


def on(day: datetime.date):
    """Travel to 10:00 in Harderwijk on `day`."""
    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, 10, tzinfo=AMS),
                               tick=False)


def former(care_ended_on: datetime.date, **extra) -> Caregiver:
    values = dict(
        first_name="Riet", last_name="Bakker", date_of_birth=datetime.date(1950, 6, 2),
        street="Lindenlaan", house_number="12", postcode="3845AB", city="Harderwijk",
        email="riet@example.nl", phone="0612345678", state=State.VOORMALIG,
        care_ended_on=care_ended_on, care_end_reason="overlijden",
        registered_on=datetime.date(2018, 1, 1),
        # get_or_create: transactional tests before this one may have flushed the wijken.
        district=District.objects.get_or_create(name="Tweelingstad",
                                                defaults={"cbs_code": "WK024310"})[0])
    caregiver = Caregiver.objects.create(**{**values, **extra})
    CareRecipient.objects.create(
        caregiver=caregiver, name="Henk Bakker", lives_in_municipality=True,
        relationship="partner", care_kinds=["verzorging"], hours_per_week=30,
        care_since=datetime.date(2015, 1, 1), living_together=True, care_need="dementie")
    return caregiver


def state_of(caregiver) -> str:
    return Caregiver.objects.get(pk=caregiver.pk).state


@pytest.mark.django_db
@pytest.mark.parametrize("ended, last_registered_day", [
    (datetime.date(2024, 3, 15), datetime.date(2026, 3, 15)),
    (datetime.date(2024, 2, 29), datetime.date(2026, 2, 28)),  # leap day
    (datetime.date(2023, 12, 31), datetime.date(2025, 12, 31)),
])
def test_registered_through_two_years_and_ended_the_day_after(ended, last_registered_day):
    riet = former(ended)
    with on(last_registered_day - datetime.timedelta(days=1)):
        retention.run_daily()
    assert state_of(riet) == State.VOORMALIG
    with on(last_registered_day):
        retention.run_daily()
    assert state_of(riet) == State.VOORMALIG
    day_after = last_registered_day + datetime.timedelta(days=1)
    with on(day_after):
        result = retention.run_daily()
    riet.refresh_from_db()
    assert riet.state == State.BEEINDIGD
    assert riet.ended_on == day_after and riet.end_reason == "bewaartermijn"
    assert result.ended == 1
    log = StateLog.objects.for_(riet).get(transition="end_registration")
    assert (log.source_state, log.state, log.by) == ("voormalig", "beeindigd", None)


@pytest.mark.django_db
def test_the_notice_is_queued_once_a_month_before_the_end():
    riet = former(datetime.date(2024, 3, 15))  # last registered day 2026-03-15
    notice_day = datetime.date(2026, 3, 15) - datetime.timedelta(days=30)
    with on(notice_day - datetime.timedelta(days=1)):
        retention.run_daily()
    assert not Letter.objects.exists()
    with on(notice_day):
        assert retention.run_daily().notices == 1
        assert retention.run_daily().notices == 0  # twice the same day
    for later in (1, 2, 10):
        with on(notice_day + datetime.timedelta(days=later)):
            retention.run_daily()
    letter = Letter.objects.get()
    assert (letter.caregiver, letter.kind, letter.status) == (
        riet, LetterKind.RETENTION_NOTICE, LetterStatus.QUEUED)


@pytest.mark.django_db
def test_no_notice_for_a_registration_that_ends_today_anyway():
    late = former(datetime.date(2023, 1, 1))  # end of care entered long after the fact
    with on(datetime.date(2026, 11, 23)):
        result = retention.run_daily()
    assert (result.notices, result.ended) == (0, 1)
    assert not Letter.objects.filter(caregiver=late).exists()


@pytest.mark.django_db
def test_erased_after_the_grace_period_and_counts_kept():
    riet = former(datetime.date(2024, 3, 15), target_group_consent_at=datetime.datetime(
        2024, 1, 1, tzinfo=AMS), migration_background=True)
    Guardian.objects.create(caregiver=riet, name="X", phone="0612345678")
    AccessToken.objects.create(caregiver=riet, purpose="inloggen", token_hash="a" * 64,
                               expires_at=datetime.datetime(2030, 1, 1, tzinfo=AMS))
    other = former(datetime.date(2026, 1, 1), first_name="Piet")
    ended_on = datetime.date(2026, 3, 16)
    with on(datetime.date(2026, 2, 20)):  # the notice is queued a month before
        retention.run_daily()
    with on(ended_on):
        retention.run_daily()
    counts_before = dict(Caregiver.objects.values_list("district__name")
                         .annotate(n=Count("id")))
    grace = RegistrationRules.current().erasure_grace_days
    with on(ended_on + datetime.timedelta(days=grace - 1)):
        assert retention.run_daily().erased == 0
    assert state_of(riet) == State.BEEINDIGD
    with on(ended_on + datetime.timedelta(days=grace)):
        assert retention.run_daily().erased == 1
    riet.refresh_from_db()
    assert riet.state == State.GEWIST and riet.erased_on == ended_on + datetime.timedelta(
        days=grace)
    assert (riet.first_name, riet.last_name, riet.street, riet.house_number, riet.city,
            riet.email, riet.phone) == ("", "", "", "", "", "", "")
    assert riet.postcode == "3845" and riet.date_of_birth == datetime.date(1950, 1, 1)
    assert not riet.migration_background and riet.target_group_consent_at is None
    assert not CareRecipient.objects.filter(caregiver=riet).exists()
    assert not Guardian.objects.filter(caregiver=riet).exists()
    assert not AccessToken.objects.filter(caregiver=riet).exists()
    assert Letter.objects.get(caregiver=riet).status == LetterStatus.CANCELLED
    # Anonymous counts stay: same rows per wijk, the other caregiver untouched.
    assert dict(Caregiver.objects.values_list("district__name")
                .annotate(n=Count("id"))) == counts_before
    other.refresh_from_db()
    assert other.state == State.VOORMALIG and other.first_name == "Piet"
    assert StateLog.objects.for_(riet).filter(transition="erase").count() == 1


@pytest.mark.django_db
def test_running_twice_changes_nothing_more():
    former(datetime.date(2023, 1, 1))
    with on(datetime.date(2026, 11, 23)):
        first = retention.run_daily()
        second = retention.run_daily()
    assert first.ended == 1
    assert second == retention.RetentionResult()


@pytest.mark.django_db
def test_active_and_resumed_caregivers_are_never_touched():
    riet = former(datetime.date(2020, 1, 1))
    Caregiver.objects.filter(pk=riet.pk).update(state=State.ACTIEF, care_ended_on=None)
    with on(datetime.date(2026, 11, 23)):
        assert retention.run_daily() == retention.RetentionResult()
    assert state_of(riet) == State.ACTIEF


@pytest.mark.django_db
def test_unconfirmed_registrations_expire():
    rules = RegistrationRules.current()
    stale = Caregiver.objects.create(
        first_name="Nooit", last_name="Bevestigd", date_of_birth=datetime.date(1980, 1, 1),
        house_number="1", postcode="3841AA", registered_on=datetime.date(2026, 1, 1))
    with on(datetime.date(2026, 1, 1) + datetime.timedelta(days=rules.unconfirmed_expiry_days)):
        assert retention.run_daily().expired == 0
    with on(datetime.date(2026, 1, 2) + datetime.timedelta(days=rules.unconfirmed_expiry_days)):
        assert retention.run_daily().expired == 1
    stale.refresh_from_db()
    assert stale.state == State.BEEINDIGD and stale.end_reason == "niet_bevestigd"


@pytest.mark.django_db
def test_the_retention_period_is_a_setting():
    RegistrationRules.objects.update_or_create(pk=1, defaults={"former_retention_months": 12})
    riet = former(datetime.date(2025, 5, 10))
    with on(datetime.date(2026, 5, 10)):
        retention.run_daily()
    assert state_of(riet) == State.VOORMALIG
    with on(datetime.date(2026, 5, 11)):
        retention.run_daily()
    assert state_of(riet) == State.BEEINDIGD


dates = st.dates(min_value=datetime.date(2000, 1, 1), max_value=datetime.date(2040, 12, 31))


@given(day=dates, limit=dates, months=st.integers(min_value=1, max_value=60))
def test_last_day_reaching_is_exact(day, limit, months):
    assert (add_months(day, months) <= limit) == (day <= last_day_reaching(limit, months))


@given(day=dates, months=st.integers(min_value=0, max_value=60))
def test_add_months_keeps_the_day_or_the_month_end(day, months):
    result = add_months(day, months)
    assert (result.year * 12 + result.month) - (day.year * 12 + day.month) == months
    assert result.day == day.day or result.day < day.day


def test_the_scheduled_task_runs_on_a_real_worker(transactional_db, empty_queue):
    from celery.contrib.testing.worker import start_worker

    from mantelzorg import clock
    from mantelzorg.celery import app
    from worker.tasks import run_retention

    from .conftest import wait_for

    riet = former(clock.today() - datetime.timedelta(days=3 * 365))
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        run_retention.delay()
        wait_for(lambda: state_of(riet) == State.BEEINDIGD, timeout=30,
                 message="the worker to end the registration")
