"""The campaign tests' summer and people."""

import datetime

import pytest
import time_machine

from registrations.models import Caregiver, State
from tests.factories import CaregiverFactory

TODAY = datetime.date(2026, 7, 1)


@pytest.fixture
def summer():
    """1 July 2026, 10:00, the clock standing still: the swimming tickets are open."""
    with time_machine.travel(datetime.datetime(2026, 7, 1, 10, 0), tick=False):
        yield


@pytest.fixture
def people(db):
    """`people(count, state=…)`: active caregivers Persoon0… with a confirmed address each,
    made in one insert."""
    def make(count, state=State.ACTIEF) -> list[Caregiver]:
        return Caregiver.objects.bulk_create(CaregiverFactory.build(
            first_name=f"Persoon{n}", last_name="Test", email=f"p{n}@example.nl",
            email_confirmed_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
            date_of_birth=datetime.date(1960, 1, 1), street="", house_number=str(n + 1),
            city="", phone="",
            state=state, registered_on=TODAY) for n in range(count))

    return make
