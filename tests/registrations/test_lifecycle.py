"""The registration lifecycle on single caregivers, through the services.

aangemeld → actief only when ready (confirmed e-mail address or a consulent's check, and under
the guardian age a parent or guardian who agreed); actief ⇄ voormalig; → beëindigd on request.
Transitions that are not allowed raise and change nothing; the state field cannot be set by
hand; the database itself refuses rows that break the lifecycle's invariants.
"""

import datetime
import threading
import uuid
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import IntegrityError, connection, transaction
from django.forms.models import model_to_dict
from django_fsm import ConcurrentTransition, TransitionNotAllowed
from django_fsm_log.models import StateLog

from registrations import services
from registrations.models import (
    AccessToken,
    CareEndReason,
    Caregiver,
    CareRecipient,
    Channel,
    ConsentKind,
    ConsentRecord,
    EndReason,
    Guardian,
    RegistrationRules,
    State,
    TokenPurpose,
)
from tests.factories import CaregiverFactory

AMS = ZoneInfo("Europe/Amsterdam")
TODAY = datetime.date(2026, 5, 12)


def at(day: datetime.date, hour: int = 10, minute: int = 0):
    """Travel to `day` at hour:minute in Harderwijk; the clock stands still."""
    return time_machine.travel(
        datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=AMS), tick=False)


@pytest.fixture(autouse=True)
def _today():
    with at(TODAY):
        yield


def registration(born=datetime.date(1958, 4, 3), email="riet.bakker@example.nl",
                 guardian=None, target_group=False, migration_background=False,
                 first_name="Riet") -> services.RegistrationData:
    """What the online form hands to services.register (see forms.registration_data_from)."""
    caregiver = {
        "first_name": first_name, "last_name": "Bakker", "date_of_birth": born,
        "street": "Lindenlaan", "house_number": "12a", "postcode": "3845AB",
        "city": "Harderwijk", "email": email, "phone": "0612345678",
        "channel": Channel.EMAIL if email else Channel.POST, "wants_newsletter": True,
        "parent_of_disabled_child": False, "migration_background": migration_background,
    }
    recipient = {
        "name": "Henk Bakker", "date_of_birth": datetime.date(1950, 1, 9),
        "relationship": "partner", "lives_in_municipality": True, "living_together": True,
        "care_kinds": ["huishouden", "verzorging"], "hours_per_week": 20,
        "care_since": datetime.date(2019, 3, 1), "care_need": "dementie",
    }
    return services.RegistrationData(caregiver=caregiver, care_recipients=[recipient],
                                     guardian=guardian, target_group_consent=target_group)


@pytest.fixture
def mailed_links(monkeypatch):
    """Links the services queue for e-mail, as {purpose: raw token}, instead of sending."""
    from registrations.tasks import send_link_mail

    links = {}

    def delay(token_id, raw):
        links[AccessToken.objects.get(pk=token_id).purpose] = raw

    monkeypatch.setattr(send_link_mail, "delay", delay)
    return links


@pytest.fixture
def register(db, mailed_links, django_capture_on_commit_callbacks):
    """services.register, with the on-commit mail callbacks run (they capture the links)."""

    def run(data, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return services.register(data, **kwargs)

    return run


def row(caregiver) -> dict:
    """Everything stored on the caregiver's row, for 'nothing changed' checks."""
    return model_to_dict(Caregiver.objects.get(pk=caregiver.pk))


def logs(caregiver) -> list[tuple]:
    return list(StateLog.objects.for_(caregiver).order_by("pk")
                .values_list("source_state", "state", "transition"))


def active(register, **kwargs) -> Caregiver:
    caregiver = register(registration(**kwargs))
    return services.mark_checked(caregiver, user=None)


def birthday_years_ago(years: int, day: datetime.date = TODAY) -> datetime.date:
    return day.replace(year=day.year - years)


# --- aangemeld → actief ----------------------------------------------------------------------

def test_online_registration_waits_for_the_confirmed_email_address(register, mailed_links):
    riet = register(registration())
    assert riet.state == State.AANGEMELD and riet.registered_on == TODAY
    assert not riet.ready_to_activate()
    with pytest.raises(TransitionNotAllowed):
        riet.activate()
    assert row(riet)["state"] == State.AANGEMELD and logs(riet) == []

    confirmed = services.confirm_email(mailed_links[TokenPurpose.CONFIRM_EMAIL])
    assert confirmed.pk == riet.pk
    riet.refresh_from_db()
    assert riet.state == State.ACTIEF and riet.activated_on == TODAY
    assert riet.email_confirmed_at is not None
    assert logs(riet) == [("aangemeld", "actief", "activate")]
    assert StateLog.objects.for_(riet).get().by is None


def test_without_email_a_consulents_check_activates(register, make_staff):
    user, _password, _device = make_staff("consulent")
    piet = register(registration(email=""))
    assert piet.state == State.AANGEMELD
    assert not AccessToken.objects.filter(caregiver=piet).exists()
    services.mark_checked(piet, user)
    piet.refresh_from_db()
    assert piet.state == State.ACTIEF and piet.checked_by_consulent_at is not None
    log = StateLog.objects.for_(piet).get()
    assert (log.source_state, log.state, log.by) == ("aangemeld", "actief", user)


def test_an_intake_by_a_consulent_is_active_at_once(register, make_staff):
    user, _password, _device = make_staff("consulent")
    piet = register(registration(email=""), source="consulent", by=user)
    assert piet.state == State.ACTIEF
    assert ConsentRecord.objects.get(caregiver=piet).given_by == "consulent"


def test_a_fifteen_year_old_needs_the_guardian_as_well(register, mailed_links):
    # Sixteen tomorrow: still fifteen today.
    born = birthday_years_ago(16) + datetime.timedelta(days=1)
    sam = register(registration(born=born, first_name="Sam",
                                guardian={"name": "Ans Bakker", "email": "ans@example.nl",
                                          "phone": ""}))
    assert sam.age() == 15 and sam.needs_guardian()
    assert Guardian.objects.get(caregiver=sam).confirmed_at is None

    services.confirm_email(mailed_links[TokenPurpose.CONFIRM_EMAIL])
    assert row(sam)["state"] == State.AANGEMELD  # the address alone is not enough
    assert logs(sam) == []

    services.confirm_guardian(mailed_links[TokenPurpose.GUARDIAN], name="Ans de Wit",
                               relation="ouder")
    sam.refresh_from_db()
    assert sam.state == State.ACTIEF
    assert sam.guardian.confirmed_at is not None
    assert ConsentRecord.objects.filter(caregiver=sam, kind=ConsentKind.GUARDIAN,
                                        given_by="ouder").count() == 1
    assert logs(sam) == [("aangemeld", "actief", "activate")]


def test_a_fifteen_year_olds_guardian_first_then_the_email_address(register, mailed_links):
    born = birthday_years_ago(16) + datetime.timedelta(days=1)
    sam = register(registration(born=born, guardian={"name": "Ans", "email": "ans@example.nl",
                                                     "phone": ""}))
    services.confirm_guardian(mailed_links[TokenPurpose.GUARDIAN], name="Ans de Wit",
                               relation="ouder")
    assert row(sam)["state"] == State.AANGEMELD  # no confirmed address or check yet
    services.confirm_email(mailed_links[TokenPurpose.CONFIRM_EMAIL])
    assert row(sam)["state"] == State.ACTIEF


def test_sixteen_today_needs_no_guardian(register, mailed_links):
    born = birthday_years_ago(16)
    sam = register(registration(born=born))
    assert sam.age() == 16 and not sam.needs_guardian()
    assert not Guardian.objects.filter(caregiver=sam).exists()
    assert TokenPurpose.GUARDIAN not in mailed_links
    services.confirm_email(mailed_links[TokenPurpose.CONFIRM_EMAIL])
    assert row(sam)["state"] == State.ACTIEF


def test_born_on_29_february_turns_sixteen_on_the_leap_day(register, mailed_links):
    # 16 is a multiple of 4: the sixteenth birthday of someone born on 29 February exists.
    born = datetime.date(2008, 2, 29)
    with at(datetime.date(2024, 2, 28)):
        assert Caregiver(date_of_birth=born).age() == 15
        assert Caregiver(date_of_birth=born).needs_guardian()
    with at(datetime.date(2024, 2, 29)):
        sam = register(registration(born=born))
        assert sam.age() == 16 and not sam.needs_guardian()
        services.confirm_email(mailed_links[TokenPurpose.CONFIRM_EMAIL])
    assert row(sam)["state"] == State.ACTIEF


def test_the_guardian_age_is_a_setting(register, mailed_links):
    RegistrationRules.objects.update_or_create(pk=1, defaults={"guardian_consent_below_age": 18})
    sam = register(registration(born=birthday_years_ago(17),
                                guardian={"name": "Ans", "email": "", "phone": "0611111111"}))
    assert sam.needs_guardian()
    services.confirm_email(mailed_links[TokenPurpose.CONFIRM_EMAIL])
    assert row(sam)["state"] == State.AANGEMELD
    services.confirm_guardian_by_staff(sam, user=None)
    assert row(sam)["state"] == State.ACTIEF


# --- actief ⇄ voormalig → beëindigd ----------------------------------------------------------

def test_end_of_care_makes_a_former_caregiver(register):
    riet = active(register)
    ended = datetime.date(2026, 5, 3)
    services.end_care(riet, on=ended, reason=CareEndReason.OVERLIJDEN)
    riet.refresh_from_db()
    assert riet.state == State.VOORMALIG
    assert (riet.care_ended_on, riet.care_end_reason) == (ended, "overlijden")
    assert riet.retention_end() == datetime.date(2028, 5, 3)
    assert riet.ended_on is None and riet.end_reason == ""
    log = StateLog.objects.for_(riet).get(transition="end_care")
    assert (log.source_state, log.state) == ("actief", "voormalig")
    assert log.description == str(CareEndReason.OVERLIJDEN.label)


def test_resumed_care_clears_the_end_of_care(register):
    riet = active(register)
    services.end_care(riet, on=datetime.date(2026, 5, 3), reason=CareEndReason.OPNAME)
    services.resume_care(riet)
    riet.refresh_from_db()
    assert riet.state == State.ACTIEF
    assert (riet.care_ended_on, riet.care_end_reason) == (None, "")
    assert riet.retention_end() is None
    assert logs(riet)[-2:] == [("actief", "voormalig", "end_care"),
                               ("voormalig", "actief", "resume_care")]


@pytest.mark.parametrize("start", ["aangemeld", "actief", "voormalig"])
def test_the_registration_ends_on_request(register, start):
    riet = register(registration())
    if start != "aangemeld":
        riet = services.mark_checked(riet, user=None)
    if start == "voormalig":
        riet = services.end_care(riet, on=datetime.date(2026, 1, 1),
                                 reason=CareEndReason.HERSTELD)
    # Just after midnight in Harderwijk it is still the day before in UTC.
    with at(datetime.date(2026, 6, 1), hour=0, minute=20):
        services.end_registration(riet)
    riet.refresh_from_db()
    assert riet.state == State.BEEINDIGD
    assert riet.ended_on == datetime.date(2026, 6, 1)
    assert riet.end_reason == EndReason.OWN_REQUEST
    assert logs(riet)[-1] == (start, "beeindigd", "end_registration")
    # Personal data stays until the erasure job, after the grace period.
    assert riet.first_name == "Riet" and CareRecipient.objects.filter(caregiver=riet).exists()


# --- what is not allowed changes nothing -----------------------------------------------------

def _in_state(register, state) -> Caregiver:
    riet = register(registration())
    if state == "aangemeld":
        return riet
    riet = services.mark_checked(riet, user=None)
    if state == "actief":
        return riet
    riet = services.end_care(riet, on=datetime.date(2026, 4, 1), reason=CareEndReason.ANDERS)
    if state == "voormalig":
        return riet
    riet = services.end_registration(riet)
    if state == "beeindigd":
        return riet
    raise AssertionError(state)


@pytest.mark.parametrize("state, action", [
    ("aangemeld", "end_care"),
    ("aangemeld", "resume_care"),
    ("actief", "resume_care"),
    ("voormalig", "end_care"),
    ("beeindigd", "end_care"),
    ("beeindigd", "resume_care"),
    ("beeindigd", "end_registration"),
])
def test_transitions_that_are_not_allowed_raise_and_change_nothing(register, state, action):
    riet = _in_state(register, state)
    before, logged = row(riet), logs(riet)
    calls = {
        "end_care": lambda: services.end_care(riet, on=datetime.date(2026, 5, 1),
                                              reason=CareEndReason.OVERLIJDEN),
        "resume_care": lambda: services.resume_care(riet),
        "end_registration": lambda: services.end_registration(riet),
    }
    with pytest.raises(TransitionNotAllowed):
        calls[action]()
    assert row(riet) == before
    assert logs(riet) == logged


@pytest.mark.parametrize("state, method, kwargs", [
    ("aangemeld", "erase", {}),
    ("actief", "erase", {}),
    ("voormalig", "erase", {}),
    ("actief", "activate", {}),
    ("voormalig", "activate", {}),
    ("beeindigd", "activate", {}),
])
def test_model_transitions_outside_their_source_states_raise(register, state, method, kwargs):
    riet = _in_state(register, state)
    before = row(riet)
    with pytest.raises(TransitionNotAllowed):
        getattr(riet, method)(**kwargs)
    assert riet.state == state
    assert row(riet) == before


def test_the_state_field_cannot_be_assigned(register):
    riet = active(register)
    with pytest.raises(AttributeError):
        riet.state = State.GEWIST
    assert riet.state == State.ACTIEF and row(riet)["state"] == State.ACTIEF
    # Only the constructor may give it (how tests and demo data create rows).
    assert Caregiver(state=State.VOORMALIG).state == State.VOORMALIG


def test_a_stale_copy_cannot_overwrite_a_newer_transition(register):
    riet = active(register)
    stale = Caregiver.objects.get(pk=riet.pk)
    services.end_care(riet, on=datetime.date(2026, 5, 1), reason=CareEndReason.OVERLIJDEN)
    stale.end_registration(reason=EndReason.OWN_REQUEST)
    with pytest.raises(ConcurrentTransition):
        with transaction.atomic():
            stale.save()
    assert row(riet)["state"] == State.VOORMALIG


# --- the database holds the invariants -------------------------------------------------------

@pytest.mark.django_db
@pytest.mark.parametrize("extra", [
    {"state": State.VOORMALIG},
    {"state": State.BEEINDIGD},
    {"state": State.GEWIST},
    {"migration_background": True},
    {"parent_of_disabled_child": True},
])
def test_the_database_refuses_rows_that_break_the_rules(extra):
    with pytest.raises(IntegrityError), transaction.atomic():
        CaregiverFactory(**extra)
    assert not Caregiver.objects.exists()


@pytest.mark.django_db
def test_the_database_accepts_the_same_rows_when_complete():
    consent = datetime.datetime(2026, 5, 1, tzinfo=AMS)
    CaregiverFactory(state=State.VOORMALIG, care_ended_on=TODAY)
    CaregiverFactory(state=State.BEEINDIGD, ended_on=TODAY)
    CaregiverFactory(migration_background=True, target_group_consent_at=consent)
    assert Caregiver.objects.count() == 3


@pytest.mark.django_db
def test_a_bulk_update_cannot_bypass_the_constraints():
    riet = CaregiverFactory(state=State.VOORMALIG, care_ended_on=TODAY)
    with pytest.raises(IntegrityError), transaction.atomic():
        Caregiver.objects.filter(pk=riet.pk).update(care_ended_on=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        Caregiver.objects.filter(pk=riet.pk).update(parent_of_disabled_child=True)
    assert row(riet)["care_ended_on"] == TODAY


def test_target_groups_without_consent_are_not_stored(register):
    riet = register(registration(migration_background=True, target_group=False))
    assert not riet.migration_background and riet.target_group_consent_at is None
    piet = register(registration(migration_background=True, target_group=True,
                                 first_name="Piet"))
    assert piet.migration_background and piet.target_group_consent_at is not None
    assert ConsentRecord.objects.filter(caregiver=piet, kind=ConsentKind.TARGET_GROUP).exists()


# --- a double submission ---------------------------------------------------------------------

def test_the_same_submission_twice_stores_one_registration(register):
    key = uuid.uuid4()
    first = register(registration(), submission_key=key)
    second = register(registration(), submission_key=key)
    assert first.pk == second.pk
    assert Caregiver.objects.count() == 1
    assert CareRecipient.objects.count() == 1
    assert ConsentRecord.objects.count() == 1
    assert AccessToken.objects.count() == 1
    third = register(registration(), submission_key=uuid.uuid4())
    assert third.pk != first.pk and Caregiver.objects.count() == 2


def test_two_racing_submissions_store_one_registration(transactional_db, monkeypatch):
    """Both requests pass the 'already stored?' check before either inserts; the unique key
    decides, and the loser returns the winner's registration instead of an error."""
    key = uuid.uuid4()
    both_checked = threading.Barrier(2, timeout=20)
    original = services._register

    def register_after_both_checked(*args):
        both_checked.wait()
        return original(*args)

    monkeypatch.setattr(services, "_register", register_after_both_checked)
    results, errors = [], []

    def submit():
        try:
            results.append(services.register(registration(email=""), submission_key=key).pk)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert len(results) == 2 and results[0] == results[1]
    assert Caregiver.objects.count() == 1
    assert CareRecipient.objects.count() == 1
    assert ConsentRecord.objects.count() == 1


# --- confirmation links ----------------------------------------------------------------------

def _tampered(raw: str) -> str:
    return raw[:-1] + ("A" if raw[-1] != "A" else "B")


def test_a_tampered_link_confirms_nothing(register, mailed_links):
    riet = register(registration())
    raw = mailed_links[TokenPurpose.CONFIRM_EMAIL]
    before = row(riet)
    for wrong in (_tampered(raw), raw.upper(), "", "x" * 101, raw + "x", raw[:-1]):
        assert services.confirm_email(wrong) is None
    assert row(riet) == before
    assert AccessToken.objects.get(caregiver=riet).used_at is None
    # The real link still works afterwards.
    assert services.confirm_email(raw).pk == riet.pk


def test_a_guardian_link_does_not_confirm_the_email_address(register, mailed_links):
    sam = register(registration(born=birthday_years_ago(15),
                                guardian={"name": "Ans", "email": "ans@example.nl",
                                          "phone": ""}))
    assert services.confirm_email(mailed_links[TokenPurpose.GUARDIAN]) is None
    assert row(sam)["email_confirmed_at"] is None


def test_an_expired_link_confirms_nothing(register, mailed_links):
    riet = register(registration())
    raw = mailed_links[TokenPurpose.CONFIRM_EMAIL]
    token = AccessToken.objects.get(caregiver=riet)
    assert token.expires_at == datetime.datetime(2026, 5, 19, 10, tzinfo=AMS)  # 7 days
    before = row(riet)
    with time_machine.travel(token.expires_at, tick=False):
        assert services.confirm_email(raw) is None
    assert row(riet) == before
    assert AccessToken.objects.get(pk=token.pk).used_at is None
    with time_machine.travel(token.expires_at - datetime.timedelta(seconds=1), tick=False):
        assert services.confirm_email(raw).pk == riet.pk
    assert row(riet)["state"] == State.ACTIEF


def test_a_link_works_once(register, mailed_links):
    riet = register(registration())
    raw = mailed_links[TokenPurpose.CONFIRM_EMAIL]
    assert services.confirm_email(raw).pk == riet.pk
    after_first = row(riet)
    with at(TODAY, hour=11):
        assert services.confirm_email(raw) is None
    assert row(riet) == after_first
    assert logs(riet) == [("aangemeld", "actief", "activate")]
