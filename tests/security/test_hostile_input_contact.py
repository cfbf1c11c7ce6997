"""Hostile input on the coordinator's contact-details form (Backoffice › Contactgegevens),
property-based like the public forms (tests/security/hostile.py): never a 5xx, nothing
reflected raw, and whatever is stored is whole and valid, or nothing is stored."""

import pytest
from django.db import transaction
from hypothesis import given
from hypothesis import strategies as st

from tests.security.hostile import PAGE_EXAMPLES, check_answer, mixed
from worker.models import ServicepuntContact

URL = "/backoffice/contactgegevens/"
VALID = {
    "phone": "0341 123 456", "email": "mantelzorg@example.org", "postal_address": "Postbus 1",
    "postal_postcode_city": "3840 AA Harderwijk", "visiting_address": "Stationsplein 5",
    "opening_hours": "maandag van 9.00 tot 12.00 uur", "walk_in": "dinsdag", "version": "0",
}

@pytest.mark.django_db
@PAGE_EXAMPLES
@given(data=mixed(VALID, {"version": st.one_of(st.integers(-2**70, 2**70).map(str),
                                                st.just("1"))}))
def test_contact_form_survives_hostile_input(as_coordinator, data):
    with transaction.atomic():
        response = as_coordinator.post(URL, data)
        check_answer(response, data)
        row = ServicepuntContact.objects.filter(pk=1).first()
        if response.status_code == 302:
            row.full_clean()  # whole and valid
            assert row.version == 1 and data.get("version") == "0"
            assert row.email.rpartition("@")[0].isascii()
            assert row.phone.lstrip("+").isdigit()
        else:
            assert row is None, "stored although refused"
            assert response.status_code in (200, 409, 429)
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_the_hostile_test_can_see_a_save(as_coordinator):
    """The property above is not empty: the valid values are stored."""
    assert as_coordinator.post(URL, VALID).status_code == 302
    assert ServicepuntContact.objects.get().visiting_address == "Stationsplein 5"
