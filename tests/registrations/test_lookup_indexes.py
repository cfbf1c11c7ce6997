"""The look-ups every registration and request makes can use an index. On a small test table
PostgreSQL reads the whole table anyway, so the test turns sequential and plain index scans
off and reads the plan: the point is that the query's expression matches the index at all.
Without it, the duplicate check of a new registration (`possible_duplicates`: the same
e-mail address in any case) read every registration: 2 s each at a million registrations
(docs/BENCHMARKS.md, the mixed day)."""

import pytest
from django.db import connection, transaction

from registrations.models import Caregiver
from registrations.selectors import possible_duplicates
from tests.factories import CaregiverFactory

pytestmark = pytest.mark.django_db


def plan(queryset) -> str:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        return queryset.explain()


def test_an_address_in_any_case_is_found_by_index():
    caregiver = CaregiverFactory(email="Riet.Bakker@Example.nl")
    CaregiverFactory(email="riet.bakker@example.nl", first_name="Anna")

    assert [other.first_name for other in possible_duplicates(caregiver)] == ["Anna"]
    assert "caregiver_email_any_case" in plan(
        Caregiver.objects.filter(email__iexact="RIET.bakker@example.NL"))
