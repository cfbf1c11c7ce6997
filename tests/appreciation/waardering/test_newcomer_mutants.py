"""Someone unknown asks for the waardering: the request registers them. What they typed must
land in their registration as typed (how we reach them, their naaste, who agreed), and two
submissions for the same person wait for each other however the address was spelled,
while a submission for anyone else never waits. Found by `make mutate` (issue 20)."""

import datetime
import threading
import time

import pytest
from django.db import connection, transaction

from appreciation.models import Route
from appreciation.waardering.submission import _lock_identity
from registrations.models import Caregiver, CareRecipient, Channel, ConsentRecord, Guardian, Source
from tests.support import caregiver_details, request_data, submit

RIET = {"date_of_birth": datetime.date(1955, 4, 3), "postcode": "3845 ab", "house_number": "12a"}


def _newcomer(route=Route.SELF, by=None, **details) -> Caregiver:
    request = submit(request_data(caregiver=caregiver_details(**details)), route=route, by=by)
    assert request.caregiver_was_unknown
    return Caregiver.objects.get(pk=request.caregiver_id)


@pytest.mark.django_db
@pytest.mark.usefixtures("waardering_year")
class TestTheRequestRegistersANewcomer:
    def test_with_an_email_address_we_write_by_email_without_one_by_post(self):
        assert _newcomer(email="nieuw@example.nl").channel == Channel.EMAIL
        assert _newcomer(email="", house_number="14",
                         date_of_birth=datetime.date(1950, 1, 2)).channel == Channel.POST

    def test_the_newsletter_only_when_asked_for(self):
        assert _newcomer(wants_newsletter=True).wants_newsletter is True
        details = caregiver_details(house_number="14", email="ander@example.nl")
        del details["wants_newsletter"]  # a form that does not ask: no newsletter
        request = submit(request_data(caregiver=details))
        assert Caregiver.objects.get(pk=request.caregiver_id).wants_newsletter is False

    def test_the_naaste_is_registered_as_typed(self):
        caregiver = _newcomer()
        [naaste] = CareRecipient.objects.filter(caregiver=caregiver)
        assert (naaste.name, naaste.relationship, naaste.living_together,
                naaste.hours_per_week, naaste.care_since) == (
            "Henk Bakker", "partner", True, 20, datetime.date(2019, 3, 1))
        assert naaste.lives_in_municipality is True  # the request's own check asked it

    def test_the_registration_says_it_came_from_the_waardering(self):
        assert _newcomer().source == Source.WAARDERING

    def test_who_agreed_to_the_registration(self, consulent):
        themselves = _newcomer()
        on_behalf = _newcomer(route=Route.ON_BEHALF, house_number="14",
                              email="buur@example.nl")
        by_consulent = _newcomer(route=Route.CONSULENT, house_number="16",
                                 email="intake@example.nl", by=consulent)
        given_by = {caregiver.pk: set(ConsentRecord.objects.filter(caregiver=caregiver)
                                      .values_list("given_by", flat=True))
                    for caregiver in (themselves, on_behalf, by_consulent)}
        assert given_by == {themselves.pk: {"mantelzorger"}, on_behalf.pk: {"namens"},
                            by_consulent.pk: {"consulent"}}
        assert themselves.checked_by_consulent_at is None
        assert by_consulent.checked_by_consulent_at is not None  # the intake is the check

    def test_a_child_registers_with_the_guardian_they_named(self):
        guardian = {"name": "Petra Jansen", "email": "petra@example.nl", "phone": ""}
        child = _newcomer(first_name="Sem", date_of_birth=datetime.date(2012, 5, 1),
                          email="sem@example.nl", guardian=guardian)
        assert Guardian.objects.get(caregiver=child).name == "Petra Jansen"


def _waits(holder: dict, other: dict) -> bool:
    """Hold the identity lock for `holder` in one connection; does taking the lock for
    `other` in a second connection wait for it? Read from pg_locks, not from a timer."""
    held, release, taken = threading.Event(), threading.Event(), threading.Event()
    errors = []

    def in_transaction(details, finished, hold_until=None):
        try:
            with transaction.atomic():
                _lock_identity(details)
                if hold_until:
                    finished.set()
                    hold_until.wait(30)
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            finished.set()
            connection.close()

    holding = threading.Thread(target=in_transaction, args=(holder, held, release))
    holding.start()
    assert held.wait(30)
    taking = threading.Thread(target=in_transaction, args=(other, taken))
    taking.start()
    waited = None
    deadline = time.monotonic() + 30
    while waited is None and time.monotonic() < deadline:
        if taken.is_set():
            waited = False
        else:
            with connection.cursor() as cursor:
                # pg_locks shows every database's locks: only this test's database counts
                # (make test's other worker and make mutate's other mutants use their own).
                cursor.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
                               "AND NOT granted AND database = (SELECT oid FROM pg_database "
                               "WHERE datname = current_database())")
                if cursor.fetchone()[0]:
                    waited = True
            time.sleep(0.01)
    release.set()
    holding.join(30)
    taking.join(30)
    assert not errors, errors
    assert waited is not None, "the second submission neither waited nor finished"
    return waited


@pytest.mark.django_db(transaction=True)
class TestSubmissionsForOnePersonWaitForEachOther:
    @pytest.mark.parametrize("spelled", [
        {"postcode": "3845AB", "house_number": "12 A"},
        {"postcode": " 3845  AB ", "house_number": "12-a"},
    ])
    def test_the_same_person_spelled_otherwise_waits(self, spelled):
        assert _waits(RIET, {**RIET, **spelled})

    @pytest.mark.parametrize("someone_else", [
        {"date_of_birth": datetime.date(1956, 4, 3)},  # her husband, same address
        {"postcode": "3846AB"},  # same birthday and number, another street
        {"house_number": "14"},  # the neighbour born the same day
    ])
    def test_someone_else_does_not_wait(self, someone_else):
        assert not _waits(RIET, {**RIET, **someone_else})

    def test_any_person_can_be_locked(self):
        """The lock key is a signed 64-bit number for every identity (PostgreSQL refuses
        anything larger): sixteen made-up people, each in a transaction of their own."""
        for day in range(1, 17):
            with transaction.atomic():
                _lock_identity({**RIET, "date_of_birth": datetime.date(1960, 1, day)})
