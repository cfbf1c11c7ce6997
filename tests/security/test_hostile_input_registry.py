"""Hostile input on the back office's correction forms (issue 19): the caregiver's details,
adding or correcting a naaste, ending the care for a naaste. Property-based, as the public
forms' suite (hostile.py): never a 5xx, nothing reflected raw, and nothing half-saved:
either the form was accepted (a redirect) and the rows pass full_clean(), or the caregiver,
the naasten and the recorded changes are exactly as before."""

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from registrations.models import Caregiver, CareRecipient, RecordChange
from tests.factories import DeskCaregiverFactory
from tests.security.hostile import (
    PAGE_EXAMPLES,
    check_answer,
    example,
    hostile,
    mixed,
    odd_date,
    valid_row,
)
from tests.support import login_fully

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_rate_limits")]

CAREGIVER_VALID = {"first_name": "Riet", "surname_prefix": "de", "last_name": "Vries",
                   "date_of_birth": "02-01-1950", "street": "Lindenlaan", "house_number": "12",
                   "postcode": "3845 AB", "city": "Harderwijk", "email": "riet@example.nl",
                   "phone": "0612345678", "channel": "email", "wants_newsletter": "on",
                   "version": "1"}
RECIPIENT_VALID = {"name": "Truus", "date_of_birth": "01-02-1931", "relationship": "ouder",
                   "lives_in_municipality": "ja", "living_together": "nee",
                   "care_kinds": ["vervoer"], "hours_per_week": "6",
                   "care_since": "01-06-2022", "care_need": "ouderdom", "version": "1"}
END_VALID = {"ended_on": "01-06-2026", "reason": "opname", "still_caring": "ja", "version": "1"}
ODD = {"date_of_birth": odd_date, "care_since": odd_date, "ended_on": odd_date,
       "version": st.one_of(st.integers(-10**12, 10**12).map(str), hostile),
       "hours_per_week": st.one_of(st.integers(-10**12, 10**12).map(str), hostile),
       "care_kinds": st.lists(st.one_of(st.sampled_from(["huishouden", "vervoer"]), hostile),
                              max_size=4)}

@pytest.fixture
def staff_client(client, db):
    login_fully(client, "consulent")
    return client


@pytest.fixture
def riet(db):
    return DeskCaregiverFactory()


def snapshot(caregiver) -> tuple:
    return (model_to_dict(Caregiver.objects.get(pk=caregiver.pk)),
            [model_to_dict(r) for r in CareRecipient.objects.filter(caregiver=caregiver)],
            RecordChange.objects.filter(caregiver=caregiver).count())


def post_and_check(client, url, data, caregiver):
    before = snapshot(caregiver)
    with example() as stored:
        response = client.post(url, data)
        check_answer(response, data)
        if response.status_code == 302:
            valid_row(Caregiver.objects.get(pk=caregiver.pk))
            for recipient in CareRecipient.objects.filter(caregiver=caregiver):
                valid_row(recipient)
        else:
            assert snapshot(caregiver) == before, "a refused form changed something"
            assert not stored
    return response


@PAGE_EXAMPLES
@given(data=mixed(CAREGIVER_VALID, ODD))
def test_caregiver_edit_form_survives_hostile_input(staff_client, riet, data):
    post_and_check(staff_client, reverse("registrations:caregiver_edit", args=[riet.pk]),
                   data, riet)


@PAGE_EXAMPLES
@given(data=mixed(RECIPIENT_VALID, ODD))
def test_naaste_forms_survive_hostile_input(staff_client, riet, data):
    naaste = riet.care_recipients.get()
    post_and_check(staff_client, reverse("registrations:caregiver_add_recipient",
                                         args=[riet.pk]), data, riet)
    post_and_check(staff_client, reverse("registrations:caregiver_edit_recipient",
                                         args=[riet.pk, naaste.pk]), data, riet)


@PAGE_EXAMPLES
@given(data=mixed(END_VALID, ODD))
def test_end_of_care_form_survives_hostile_input(staff_client, riet, data):
    naaste = riet.care_recipients.get()
    post_and_check(staff_client, reverse("registrations:caregiver_end_recipient",
                                         args=[riet.pk, naaste.pk]), data, riet)
