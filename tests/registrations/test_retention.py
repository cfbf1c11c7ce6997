"""The daily retention job, with the clock moved through the rules.

A former caregiver whose care ended on D stays registered through add_months(D, 24); the job
ends the registration the day after, queues one notice a month before, and erases personal
data after the grace period while the row stays for anonymous counts. Registrations never
confirmed expire. Every bulk transition is logged; running the job again changes nothing.
Caregivers are created through the services, the way the forms and the back office do.
"""

import datetime
import threading
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.db.models import Count
from django.db.models.functions import ExtractYear
from django.forms.models import model_to_dict
from django_fsm import TransitionNotAllowed
from django_fsm_log.models import StateLog
from hypothesis import example, given
from hypothesis import strategies as st

from core.dates import add_months, last_day_reaching
from registrations import retention, services
from registrations.models import (
    AccessToken,
    CareEndReason,
    Caregiver,
    CareRecipient,
    Channel,
    ConsentRecord,
    District,
    EndReason,
    Guardian,
    PostcodeRange,
    RegistrationLetter,
    RegistrationRules,
    State,
)
from tests.factories import GuardianFactory, RetentionNoticeFactory
from worker.models import Letter, LetterStatus, WorkerPing

AMS = ZoneInfo("Europe/Amsterdam")
DAY = datetime.timedelta(days=1)
NOTHING = retention.RetentionResult()


def at(day: datetime.date, hour: int = 10, minute: int = 0):
    """Travel to `day` at hour:minute in Harderwijk; the clock stands still."""
    return time_machine.travel(
        datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=AMS), tick=False)


def run_on(day: datetime.date, hour: int = 2, minute: int = 30) -> retention.RetentionResult:
    """The job as beat runs it: at 02:30 in Harderwijk (the schedule in mantelzorg/schedule.py)."""
    with at(day, hour, minute):
        return retention.run_daily()


def registration(first_name="Riet", postcode="3845AB", email=None,
                 target_group=False) -> services.RegistrationData:
    """Each first name is another person, with an e-mail address and a birthday of their
    own: the same ones would hold the registration back as a possible duplicate."""
    email = f"{first_name.lower()}@example.nl" if email is None else email
    born = datetime.date(1950, 6, 2) + datetime.timedelta(
        days=0 if first_name == "Riet" else sum(map(ord, first_name)))
    caregiver = {
        "first_name": first_name, "last_name": "Bakker", "date_of_birth": born,
        "street": "Lindenlaan", "house_number": "12a", "postcode": postcode, "city": "Harderwijk",
        "email": email, "phone": "0612345678", "channel": Channel.EMAIL if email else Channel.POST,
        "wants_newsletter": True, "parent_of_disabled_child": False,
        "migration_background": target_group,
    }
    recipient = {
        "name": "Henk Bakker", "date_of_birth": datetime.date(1948, 3, 1),
        "relationship": "partner", "lives_in_municipality": True, "living_together": True,
        "care_kinds": ["verzorging"], "hours_per_week": 30,
        "care_since": datetime.date(2015, 1, 1), "care_need": "dementie",
    }
    return services.RegistrationData(caregiver=caregiver, care_recipients=[recipient],
                                     target_group_consent=target_group)


def active(registered_on: datetime.date, **kwargs) -> Caregiver:
    """Registered online on `registered_on` and checked by a consulent the same day."""
    with at(registered_on, hour=11):
        caregiver = services.register(registration(**kwargs))
        return services.mark_checked(caregiver, user=None)


def former(care_ended_on: datetime.date, **kwargs) -> Caregiver:
    """Active since a year before; reported on `care_ended_on` that the care ended that day."""
    caregiver = active(care_ended_on - datetime.timedelta(days=365), **kwargs)
    with at(care_ended_on, hour=15):
        return services.end_care(caregiver, on=care_ended_on, reason=CareEndReason.OVERLIJDEN)


def unconfirmed(registered_on: datetime.date, **kwargs) -> Caregiver:
    with at(registered_on, hour=11):
        return services.register(registration(**kwargs))


def fresh(caregiver) -> Caregiver:
    return Caregiver.objects.get(pk=caregiver.pk)


def snapshot() -> dict:
    """Every caregiver row, letter and log entry, for 'nothing changed' checks."""
    return {
        "caregivers": {c.pk: model_to_dict(c) for c in Caregiver.objects.all()},
        "letters": sorted(Letter.objects.values_list("pk", "caregiver_id", "status")),
        "logs": StateLog.objects.count(),
    }


# --- the two-year rule, to the day -----------------------------------------------------------

@pytest.mark.django_db
@pytest.mark.parametrize("care_ended_on, last_registered_day", [
    (datetime.date(2024, 5, 14), datetime.date(2026, 5, 14)),
    (datetime.date(2024, 2, 29), datetime.date(2026, 2, 28)),  # leap day → last of February
    (datetime.date(2024, 1, 31), datetime.date(2026, 1, 31)),
    (datetime.date(2024, 3, 31), datetime.date(2026, 3, 31)),
    (datetime.date(2023, 8, 31), datetime.date(2025, 8, 31)),
    (datetime.date(2022, 2, 28), datetime.date(2024, 2, 28)),  # the day after is 29 February
    (datetime.date(2023, 12, 31), datetime.date(2025, 12, 31)),  # the day after is New Year
])
def test_registered_through_two_years_and_ended_the_day_after(care_ended_on,
                                                              last_registered_day):
    riet = former(care_ended_on)
    assert riet.retention_end() == last_registered_day
    for day in (last_registered_day - DAY, last_registered_day):
        assert run_on(day).ended == 0
        assert fresh(riet).state == State.VOORMALIG
    result = run_on(last_registered_day + DAY)
    riet = fresh(riet)
    assert result.ended == 1
    assert riet.state == State.BEEINDIGD
    assert riet.ended_on == last_registered_day + DAY
    assert riet.end_reason == EndReason.RETENTION
    assert riet.first_name == "Riet"  # nothing erased yet


@pytest.mark.django_db
def test_the_end_of_february_ends_28_and_29_february_together_and_1_march_a_day_later():
    on_28 = former(datetime.date(2024, 2, 28), first_name="Acht")
    on_29 = former(datetime.date(2024, 2, 29), first_name="Negen")
    on_1_march = former(datetime.date(2024, 3, 1), first_name="Een")
    assert run_on(datetime.date(2026, 3, 1)).ended == 2
    assert {fresh(c).state for c in (on_28, on_29)} == {State.BEEINDIGD}
    assert fresh(on_1_march).state == State.VOORMALIG
    assert run_on(datetime.date(2026, 3, 2)).ended == 1
    assert fresh(on_1_march).state == State.BEEINDIGD


@pytest.mark.django_db
def test_the_day_is_the_day_in_harderwijk_not_in_utc():
    riet = former(datetime.date(2024, 2, 29))  # last registered day 2026-02-28
    # 23:50 on 28 February in Harderwijk: still the last day.
    assert run_on(datetime.date(2026, 2, 28), hour=23, minute=50).ended == 0
    assert fresh(riet).state == State.VOORMALIG
    # 00:30 on 1 March in Harderwijk is 23:30 on 28 February in UTC: the day after.
    assert run_on(datetime.date(2026, 3, 1), hour=0, minute=30).ended == 1
    assert fresh(riet).ended_on == datetime.date(2026, 3, 1)


@pytest.mark.django_db
def test_a_late_run_still_ends_the_registration_with_the_day_it_ran():
    riet = former(datetime.date(2024, 1, 31))  # should end on 2026-02-01
    run_on(datetime.date(2026, 1, 31))
    # Beat was down for a few days.
    assert run_on(datetime.date(2026, 2, 4)).ended == 1
    assert fresh(riet).ended_on == datetime.date(2026, 2, 4)


# --- the notice a month before ---------------------------------------------------------------

@pytest.mark.django_db
@pytest.mark.parametrize("care_ended_on, notice_day", [
    (datetime.date(2024, 3, 15), datetime.date(2026, 2, 13)),  # 2026-03-15 minus 30 days
    (datetime.date(2024, 2, 29), datetime.date(2026, 1, 29)),  # 2026-02-28 minus 30 days
    (datetime.date(2024, 1, 31), datetime.date(2026, 1, 1)),   # 2026-01-31 minus 30 days
])
def test_the_notice_is_queued_once_from_a_month_before(care_ended_on, notice_day):
    riet = former(care_ended_on)
    other = former(care_ended_on + datetime.timedelta(days=40), first_name="Piet")
    assert run_on(notice_day - DAY).notices == 0
    assert not Letter.objects.exists()
    assert run_on(notice_day).notices == 1
    assert run_on(notice_day, hour=14).notices == 0  # twice the same day
    for later in (1, 2, 7, 29):
        assert run_on(notice_day + datetime.timedelta(days=later)).notices == 0
    letter = Letter.objects.get(caregiver=riet)
    assert letter.kind == RegistrationLetter.RETENTION_NOTICE
    assert letter.dedupe_key == f"einde_inschrijving:{riet.pk}:{riet.care_ended_on}"
    assert letter.status == LetterStatus.QUEUED
    assert letter.created_at.astimezone(AMS).date() == notice_day
    # The registration ends the day after the last day, still with one letter.
    assert run_on(notice_day + datetime.timedelta(days=31)).ended == 1
    assert Letter.objects.filter(caregiver=riet).count() == 1
    assert not Letter.objects.filter(caregiver=other).exists()


@pytest.mark.django_db
def test_a_missed_notice_day_is_caught_up_the_next_run():
    riet = former(datetime.date(2024, 3, 15))  # notice from 2026-02-13
    assert run_on(datetime.date(2026, 2, 20)).notices == 1
    assert Letter.objects.get().caregiver_id == riet.pk


@pytest.mark.django_db
def test_no_notice_for_a_registration_that_ends_on_the_same_run():
    # The end of care was entered long after the fact: the registration ends right away.
    with at(datetime.date(2026, 5, 1)):
        riet = services.mark_checked(services.register(registration()), user=None)
        services.end_care(riet, on=datetime.date(2024, 4, 1), reason=CareEndReason.OPNAME)
    assert run_on(datetime.date(2026, 5, 2)) == retention.RetentionResult(ended=1)
    assert not Letter.objects.exists()


@pytest.mark.django_db
def test_no_notice_for_a_registration_ended_and_erased_before_its_two_years():
    # Both cared until 15 March 2024 (notice from 2026-02-13); Gone asked to end early.
    gone = former(datetime.date(2024, 3, 15), first_name="Gone")
    piet = former(datetime.date(2024, 3, 15), first_name="Piet")
    with at(datetime.date(2024, 6, 1)):
        services.end_registration(gone)
    run_on(datetime.date(2024, 7, 1))
    assert fresh(gone).state == State.GEWIST
    assert run_on(datetime.date(2026, 2, 13)).notices == 1
    assert list(Letter.objects.values_list("caregiver", flat=True)) == [piet.pk]


# --- erasure after the grace period ----------------------------------------------------------

@pytest.mark.django_db
def test_erased_after_the_grace_period_and_not_before():
    riet = former(datetime.date(2024, 3, 15), target_group=True)
    GuardianFactory(caregiver=riet, name="Ans Bakker", email="", phone="0611111111")
    earlier_letter = RetentionNoticeFactory(
        caregiver=riet, status=LetterStatus.SENT, dedupe_key="eerder:verstuurd",
        created_at=datetime.datetime(2025, 1, 1, tzinfo=AMS))
    assert riet.migration_background and riet.target_group_consent_at is not None
    assert ConsentRecord.objects.filter(caregiver=riet).count() == 2
    assert AccessToken.objects.filter(caregiver=riet).exists()

    run_on(datetime.date(2026, 2, 13))  # the notice
    ended_on = datetime.date(2026, 3, 16)
    run_on(ended_on)
    grace = RegistrationRules.current().erasure_grace_days
    assert grace == 30
    for day in (ended_on + DAY, ended_on + datetime.timedelta(days=grace - 1)):
        assert run_on(day).erased == 0
        assert fresh(riet).state == State.BEEINDIGD and fresh(riet).first_name == "Riet"

    assert run_on(ended_on + datetime.timedelta(days=grace)).erased == 1
    riet = fresh(riet)
    assert riet.state == State.GEWIST
    assert riet.erased_on == ended_on + datetime.timedelta(days=grace)
    assert riet.ended_on == ended_on and riet.end_reason == EndReason.RETENTION
    assert (riet.first_name, riet.last_name, riet.street, riet.house_number, riet.city,
            riet.email, riet.phone) == ("",) * 7
    assert riet.postcode == "3845"
    assert riet.date_of_birth == datetime.date(1950, 1, 1)
    assert riet.email_confirmed_at is None
    assert not riet.migration_background and not riet.parent_of_disabled_child
    assert riet.target_group_consent_at is None
    assert str(riet) == f"#{riet.pk} (Gegevens gewist)"
    for model in (CareRecipient, Guardian, ConsentRecord, AccessToken):
        assert not model.objects.filter(caregiver=riet).exists(), model
    notice = Letter.objects.get(caregiver=riet, kind=RegistrationLetter.RETENTION_NOTICE,
                                dedupe_key=f"einde_inschrijving:{riet.pk}:2024-03-15")
    assert notice.status == LetterStatus.CANCELLED
    earlier_letter.refresh_from_db()
    assert earlier_letter.status == LetterStatus.SENT  # what was sent stays on record
    # The log keeps the transitions, but no free text (the end-of-care reason) any more.
    assert list(StateLog.objects.for_(riet).exclude(description=None)
                .values_list("transition", "description")) == [("erase", "Gegevens gewist")]


@pytest.mark.django_db
def test_erasure_keeps_the_rows_for_counts_per_wijk_state_and_year():
    districts = {}
    for code, name, prefix in [("WK024310", "Tweelingstad", "3844"),
                               ("WK024305", "Stadsdennen", "3843"),
                               ("WK024315", "Hierden", "3849")]:
        # get_or_create: a transactional test before this one may have flushed the wijken.
        districts[name] = District.objects.get_or_create(cbs_code=code,
                                                         defaults={"name": name})[0]
        PostcodeRange.objects.create(first=f"{prefix}AA", last=f"{prefix}ZZ",
                                     district=districts[name])
    ending = [former(datetime.date(2024, 3, 15), postcode="3844AB", first_name="A"),
              former(datetime.date(2024, 3, 10), postcode="3844CD", first_name="B"),
              former(datetime.date(2024, 3, 1), postcode="3849AA", first_name="C")]
    staying = [former(datetime.date(2025, 6, 1), postcode="3843XY", first_name="D"),
               active(datetime.date(2020, 1, 1), postcode="3843XZ", first_name="E"),
               active(datetime.date(2021, 1, 1), postcode="9999ZZ", first_name="F")]
    assert fresh(ending[0]).district == districts["Tweelingstad"]
    assert fresh(staying[2]).district is None  # onbekend

    def counts():
        rows = Caregiver.objects.order_by()
        return {
            "total": rows.count(),
            "wijk": dict(rows.values_list("district__name").annotate(n=Count("id"))),
            "registered": dict(rows.annotate(y=ExtractYear("registered_on"))
                               .values_list("y").annotate(n=Count("id"))),
            "born": dict(rows.annotate(y=ExtractYear("date_of_birth"))
                         .values_list("y").annotate(n=Count("id"))),
            "state": dict(rows.values_list("state").annotate(n=Count("id"))),
        }

    run_on(datetime.date(2026, 3, 16))
    before = counts()
    assert before["state"] == {"beeindigd": 3, "voormalig": 1, "actief": 2}
    assert run_on(datetime.date(2026, 4, 15)).erased == 3
    after = counts()
    assert after["state"] == {"gewist": 3, "voormalig": 1, "actief": 2}
    assert {k: v for k, v in after.items() if k != "state"} == \
        {k: v for k, v in before.items() if k != "state"}
    assert after["wijk"] == {"Tweelingstad": 2, "Hierden": 1, "Stadsdennen": 2, None: 1}
    assert fresh(staying[0]).first_name == "D" and fresh(staying[1]).first_name == "E"


# --- never touched ---------------------------------------------------------------------------

@pytest.mark.django_db
def test_active_and_resumed_caregivers_are_never_touched():
    anna = active(datetime.date(2018, 1, 1), first_name="Anna")
    bert = former(datetime.date(2023, 1, 10), first_name="Bert")
    with at(datetime.date(2023, 6, 1)):
        services.resume_care(bert)
    before = snapshot()
    for day in (datetime.date(2024, 12, 11), datetime.date(2025, 1, 11),
                datetime.date(2025, 2, 10), datetime.date(2030, 1, 1)):
        assert run_on(day) == NOTHING
    assert snapshot() == before
    assert fresh(anna).state == fresh(bert).state == State.ACTIEF


# --- unconfirmed registrations ---------------------------------------------------------------

@pytest.mark.django_db
def test_unconfirmed_registrations_expire_and_are_erased_later():
    registered = datetime.date(2026, 1, 10)
    nooit = unconfirmed(registered, first_name="Nooit")
    bevestigd = active(registered, first_name="Wel")
    days = RegistrationRules.current().unconfirmed_expiry_days
    assert days == 60
    assert run_on(registered + datetime.timedelta(days=days)) == NOTHING
    assert fresh(nooit).state == State.AANGEMELD
    assert run_on(registered + datetime.timedelta(days=days + 1)) == \
        retention.RetentionResult(expired=1)
    nooit = fresh(nooit)
    assert nooit.state == State.BEEINDIGD and nooit.end_reason == EndReason.UNCONFIRMED
    assert nooit.ended_on == registered + datetime.timedelta(days=days + 1)
    log = StateLog.objects.for_(nooit).get()
    assert (log.source_state, log.state, log.transition, log.by, log.description) == (
        "aangemeld", "beeindigd", "end_registration", None, "Aanmelding nooit bevestigd")
    assert run_on(nooit.ended_on + datetime.timedelta(days=30)).erased == 1
    assert fresh(nooit).state == State.GEWIST
    assert fresh(bevestigd).state == State.ACTIEF


# --- running again changes nothing; everything is logged -------------------------------------

@pytest.mark.django_db
def test_a_second_run_the_same_day_changes_nothing():
    today = datetime.date(2026, 3, 16)
    wis = former(datetime.date(2024, 1, 1), first_name="Wis")
    run_on(datetime.date(2026, 1, 2))                                   # ended long ago
    assert fresh(wis).state == State.BEEINDIGD
    former(datetime.date(2024, 3, 15), first_name="Eindigt")            # ends today
    former(datetime.date(2024, 4, 10), first_name="Bericht")            # notice due
    unconfirmed(today - datetime.timedelta(days=61), first_name="Oud")  # expires

    first = run_on(today)
    assert first == retention.RetentionResult(notices=1, ended=1, expired=1, erased=1)
    after_first = snapshot()
    assert run_on(today, hour=14) == NOTHING
    assert snapshot() == after_first


@pytest.mark.django_db
def test_every_bulk_transition_is_logged_once_without_a_person():
    riet = former(datetime.date(2024, 3, 15))
    oud = unconfirmed(datetime.date(2026, 1, 10), first_name="Oud")
    ended_on = datetime.date(2026, 3, 16)
    with at(ended_on, hour=2, minute=30):
        retention.run_daily()
        ran_at = datetime.datetime(2026, 3, 16, 2, 30, tzinfo=AMS)
    erased_on = ended_on + datetime.timedelta(days=30)
    run_on(erased_on)
    run_on(erased_on + DAY)
    expected = {
        riet.pk: [("aangemeld", "actief", "activate"), ("actief", "voormalig", "end_care"),
                  ("voormalig", "beeindigd", "end_registration"),
                  ("beeindigd", "gewist", "erase")],
        oud.pk: [("aangemeld", "beeindigd", "end_registration"),
                 ("beeindigd", "gewist", "erase")],
    }
    for pk, transitions in expected.items():
        caregiver = Caregiver.objects.get(pk=pk)
        logs = StateLog.objects.for_(caregiver).order_by("timestamp", "pk")
        assert [(x.source_state, x.state, x.transition) for x in logs] == transitions
        assert all(x.by is None for x in logs)
    bulk = StateLog.objects.for_(riet).get(transition="end_registration")
    assert bulk.timestamp == ran_at
    assert StateLog.objects.for_(riet).get(transition="erase").timestamp.astimezone(
        AMS).date() == erased_on


# --- rules are settings ----------------------------------------------------------------------

@pytest.mark.django_db
def test_a_retention_of_twelve_months_is_honoured():
    RegistrationRules.objects.update_or_create(pk=1, defaults={"former_retention_months": 12})
    riet = former(datetime.date(2025, 1, 31))  # last registered day 2026-01-31
    assert riet.retention_end() == datetime.date(2026, 1, 31)
    assert run_on(datetime.date(2025, 12, 31)).notices == 0
    assert run_on(datetime.date(2026, 1, 1)).notices == 1
    assert run_on(datetime.date(2026, 1, 31)).ended == 0
    assert run_on(datetime.date(2026, 2, 1)).ended == 1
    assert fresh(riet).ended_on == datetime.date(2026, 2, 1)


@pytest.mark.django_db
def test_notice_grace_and_expiry_periods_are_settings():
    RegistrationRules.objects.update_or_create(pk=1, defaults={
        "end_notice_days": 60, "erasure_grace_days": 0, "unconfirmed_expiry_days": 7})
    riet = former(datetime.date(2024, 3, 15))  # last registered day 2026-03-15
    oud = unconfirmed(datetime.date(2026, 1, 1), first_name="Oud")
    assert run_on(datetime.date(2026, 1, 8)) == NOTHING
    # 8 days unconfirmed: ended, and erased the same run (no grace period).
    assert run_on(datetime.date(2026, 1, 9)) == retention.RetentionResult(expired=1, erased=1)
    assert fresh(oud).state == State.GEWIST
    assert run_on(datetime.date(2026, 1, 13)) == NOTHING
    assert run_on(datetime.date(2026, 1, 14)) == retention.RetentionResult(notices=1)
    assert run_on(datetime.date(2026, 3, 16)) == retention.RetentionResult(ended=1, erased=1)
    assert fresh(riet).state == State.GEWIST


# --- add_months and last_day_reaching --------------------------------------------------------

@pytest.mark.parametrize("day, months, expected", [
    (datetime.date(2024, 2, 29), 24, datetime.date(2026, 2, 28)),
    (datetime.date(2024, 2, 29), 48, datetime.date(2028, 2, 29)),
    (datetime.date(2024, 1, 31), 1, datetime.date(2024, 2, 29)),
    (datetime.date(2023, 1, 31), 1, datetime.date(2023, 2, 28)),
    (datetime.date(2024, 1, 31), 24, datetime.date(2026, 1, 31)),
    (datetime.date(2024, 3, 31), -1, datetime.date(2024, 2, 29)),
    (datetime.date(2024, 12, 31), 12, datetime.date(2025, 12, 31)),
    (datetime.date(2024, 5, 14), 0, datetime.date(2024, 5, 14)),
])
def test_add_months_examples(day, months, expected):
    assert add_months(day, months) == expected


@pytest.mark.parametrize("limit, months, expected", [
    (datetime.date(2026, 2, 28), 24, datetime.date(2024, 2, 29)),  # 28 and 29 Feb reach it
    (datetime.date(2026, 2, 27), 24, datetime.date(2024, 2, 27)),
    (datetime.date(2026, 3, 1), 24, datetime.date(2024, 3, 1)),
    (datetime.date(2025, 2, 28), 1, datetime.date(2025, 1, 31)),  # 28–31 Jan all reach it
    (datetime.date(2026, 1, 31), 24, datetime.date(2024, 1, 31)),
])
def test_last_day_reaching_examples(limit, months, expected):
    assert last_day_reaching(limit, months) == expected


dates = st.dates(min_value=datetime.date(1900, 3, 1), max_value=datetime.date(2199, 12, 31))


@given(day=dates, limit=dates, months=st.integers(min_value=0, max_value=240))
@example(day=datetime.date(2024, 2, 29), limit=datetime.date(2026, 2, 28), months=24)
@example(day=datetime.date(2024, 1, 31), limit=datetime.date(2024, 2, 29), months=1)
@example(day=datetime.date(2100, 2, 28), limit=datetime.date(2100, 2, 28), months=0)
def test_add_months_reaches_the_limit_exactly_up_to_last_day_reaching(day, limit, months):
    assert (add_months(day, months) <= limit) == (day <= last_day_reaching(limit, months))


@given(day=dates, months=st.integers(min_value=0, max_value=240))
def test_add_months_moves_whole_months_and_keeps_the_day_when_it_exists(day, months):
    result = add_months(day, months)
    assert (result.year * 12 + result.month) - (day.year * 12 + day.month) == months
    next_month_start = datetime.date(result.year + result.month // 12, result.month % 12 + 1, 1)
    days_in_month = (next_month_start - result.replace(day=1)).days
    assert result.day == min(day.day, days_in_month)


@given(first=dates, second=dates, months=st.integers(min_value=0, max_value=240))
def test_add_months_never_goes_back_in_time(first, second, months):
    first, second = sorted((first, second))
    assert add_months(first, months) <= add_months(second, months)


# --- the real task on a real worker ----------------------------------------------------------

def test_the_scheduled_task_runs_the_job_on_a_real_worker(real_worker, wait_for):
    """worker.run_retention, queued in Redis and run by a worker, twice: the second run after
    the first (solo pool, one at a time) changes nothing. The worker runs on today's date, so
    the caregivers are placed around today."""
    from core import clock
    from registrations.tasks import run_retention
    from worker.tasks import ping

    today = clock.today()
    ends_today = former(last_day_reaching(today - DAY, 24), first_name="Eindigt")
    stays = former(today - datetime.timedelta(days=365), first_name="Blijft")
    noticed = former(add_months(today + datetime.timedelta(days=20), -24), first_name="Brief")
    stale = unconfirmed(today - datetime.timedelta(days=61), first_name="Oud")
    erase_due = former(today - datetime.timedelta(days=4 * 365), first_name="Wis")
    with at(today - datetime.timedelta(days=30)):
        retention.run_daily()  # ended 30 days ago: erased today
    assert fresh(erase_due).state == State.BEEINDIGD
    logs_before = StateLog.objects.count()

    run_retention.delay()
    wait_for(lambda: fresh(erase_due).state == State.GEWIST, timeout=30,
             message="the worker to run the retention job")
    assert fresh(ends_today).state == State.BEEINDIGD
    assert fresh(ends_today).ended_on == today
    assert fresh(stays).state == State.VOORMALIG
    assert fresh(stale).state == State.BEEINDIGD
    assert fresh(erase_due).first_name == ""
    assert Letter.objects.get(caregiver=noticed).status == LetterStatus.QUEUED
    assert StateLog.objects.count() == logs_before + 3

    after_first = snapshot()
    run_retention.delay()
    marker = WorkerPing.objects.create()
    ping.delay(marker.pk)  # runs after the second job on the single-process worker
    wait_for(lambda: WorkerPing.objects.get(pk=marker.pk).done_at, timeout=30,
             message="the worker to run the second job and the ping")
    assert snapshot() == after_first


# --- bugs found by these tests, now fixed -------------------------------------------------

@pytest.mark.django_db
def test_a_notice_is_not_sent_after_care_resumed():
    from worker.services import dispatch_queued_letters

    riet = former(datetime.date(2024, 3, 15))
    assert run_on(datetime.date(2026, 2, 13)).notices == 1
    with at(datetime.date(2026, 2, 14)):
        services.resume_care(riet)
        dispatch_queued_letters()
    letter = Letter.objects.get(caregiver=riet)
    assert letter.status not in {LetterStatus.QUEUED, LetterStatus.TO_PRINT, LetterStatus.SENT}


@pytest.mark.django_db
def test_a_second_end_of_care_gets_its_own_notice():
    riet = former(datetime.date(2024, 3, 15))
    assert run_on(datetime.date(2026, 2, 13)).notices == 1
    with at(datetime.date(2026, 2, 20)):
        services.resume_care(riet)
    with at(datetime.date(2026, 6, 1)):
        services.end_care(riet, on=datetime.date(2026, 6, 1), reason=CareEndReason.OVERLIJDEN)
    notice_day = datetime.date(2028, 6, 1) - datetime.timedelta(days=30)
    run_on(notice_day)
    queued = Letter.objects.filter(caregiver=riet, status=LetterStatus.QUEUED,
                                   kind=RegistrationLetter.RETENTION_NOTICE)
    assert [letter.created_at.astimezone(AMS).date() for letter in queued] == [notice_day]


def _after_logging(monkeypatch, source, then):
    """Call `then()` right after the job logged the transitions from `source`, before its
    UPDATE: the moment another transaction can still change the rows."""
    original = retention._log_transitions

    def log(queryset, log_source, *args):
        original(queryset, log_source, *args)
        if log_source == source:
            then()

    monkeypatch.setattr(retention, "_log_transitions", log)


def _in_thread(function):
    errors = []

    def run():
        try:
            function()
        except Exception as error:  # noqa: BLE001 - reported by the caller
            errors.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, errors


def test_care_resumed_while_the_job_runs_is_not_logged_as_ended(transactional_db, monkeypatch):
    riet = former(datetime.date(2024, 3, 15))
    resumes = []

    def resume_elsewhere():
        thread, errors = _in_thread(lambda: services.resume_care(riet))
        thread.join(timeout=2)  # at once, unless the job holds the row (then after its commit)
        resumes.append((thread, errors))

    _after_logging(monkeypatch, State.VOORMALIG, resume_elsewhere)
    result = run_on(datetime.date(2026, 3, 16))
    [(thread, errors)] = resumes
    thread.join(timeout=20)
    assert not thread.is_alive()
    state = fresh(riet).state
    logged_ends = StateLog.objects.for_(riet).filter(transition="end_registration").count()
    if state == State.ACTIEF:  # the resume came first: the job leaves it alone
        assert (result.ended, logged_ends, errors) == (0, 0, [])
    else:  # the job came first: the resume is refused
        assert (state, result.ended, logged_ends) == (State.BEEINDIGD, 1, 1)
        assert [type(error) for error in errors] == [TransitionNotAllowed]


def test_two_runs_at_the_same_time_log_each_transition_once(transactional_db, monkeypatch):
    riet = former(datetime.date(2024, 3, 15))
    RegistrationRules.current()
    logged, both_logged = [], threading.Event()

    def wait_for_the_other_run():
        # Give the other run the chance to log too (it cannot while we lock the rows).
        logged.append(1)
        if len(logged) == 2:
            both_logged.set()
        both_logged.wait(timeout=3)

    _after_logging(monkeypatch, State.VOORMALIG, wait_for_the_other_run)
    with at(datetime.date(2026, 3, 16), hour=2, minute=30):
        runs = [_in_thread(retention.run_daily) for _ in range(2)]
        for thread, _errors in runs:
            thread.join(timeout=30)
    assert [errors for _thread, errors in runs] == [[], []]
    assert len(logged) == 2
    assert fresh(riet).state == State.BEEINDIGD
    assert StateLog.objects.for_(riet).filter(transition="end_registration").count() == 1
