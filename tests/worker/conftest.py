"""Fixtures of the worker tests."""

import datetime

import pytest

from core import clock
from registrations.models import Caregiver, State
from tests.factories import CaregiverFactory


@pytest.fixture
def caregivers(db):
    """`caregivers(count, **fields)`: active newsletter readers Persoon0… (p0@example.nl…)
    with confirmed addresses, made in one insert."""
    def make(count: int, **extra) -> list[Caregiver]:
        values = dict(date_of_birth=datetime.date(1960, 1, 1), house_number="1",
                      postcode="3841AB", state=State.ACTIEF,
                      registered_on=datetime.date(2024, 1, 1), email_confirmed_at=clock.now())
        values.update(extra)
        return Caregiver.objects.bulk_create(
            CaregiverFactory.build(first_name=f"Persoon{i}", last_name="Test",
                                   email=f"p{i}@example.nl", **values) for i in range(count))

    return make
