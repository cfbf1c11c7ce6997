"""Submission, the details `make mutate` found untested: the whole Dutch message for a second
request, the refusal's text in an error log, the next opening when next year is set up
already, each refusal's field and reason, who the request says asked, and the typed name."""

import datetime

import pytest

from appreciation.models import AppreciationRequest
from appreciation.waardering import submission
from tests.factories import AppreciationYearFactory, CaregiverFactory
from tests.support import caregiver_details, recipient_details, request_data, submit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("waardering_day")]


def test_a_second_request_is_refused_with_the_whole_dutch_message(waardering_year):
    submit()
    with pytest.raises(submission.RequestRefused) as refused:
        submit(request_data(recipient=recipient_details(recipient_name="Ander")))

    message = ("Voor deze mantelzorger is de waardering van 2026 al aangevraagd. U kunt "
               "één keer per jaar een waardering krijgen.")
    assert refused.value.message == message
    assert str(refused.value) == message  # what an error log shows


def test_the_next_opening_is_this_years_when_next_year_is_set_up_already(waardering_year):
    AppreciationYearFactory(year=2027, open_on=datetime.date(2027, 9, 1))

    assert submission.next_opening(datetime.date(2026, 8, 1)) == waardering_year.window_opens


def refusal(data=None, **kwargs) -> submission.RequestRefused:
    with pytest.raises(submission.RequestRefused) as refused:
        submit(data, **kwargs)
    assert not AppreciationRequest.objects.exists()
    return refused.value


def test_a_bank_payout_without_an_account_number_is_refused_at_that_field(waardering_year):
    refused = refusal(request_data(iban=""))
    assert (refused.message, refused.field, refused.code) == (
        "Vul het rekeningnummer (IBAN) in.", "iban", "iban")


@pytest.mark.parametrize("recipient, message, field, code", [
    ({"hours_per_week": 7},
     "De waardering is voor mantelzorgers die minstens 8 uur per week zorgen.",
     "hours_per_week", "hours"),
    ({"care_since": datetime.date(2026, 7, 1)},
     "De waardering is voor mantelzorgers die al minstens 3 maanden zorgen.",
     "care_since", "duration"),
    ({"recipient_postcode": "1012AB"},
     "Uw naaste moet in Harderwijk of Hierden wonen. Bel ons gerust als u twijfelt.",
     "recipient_postcode", "residence"),
], ids=["hours", "duration", "residence"])
def test_care_below_the_rules_is_refused_at_its_field(waardering_year, recipient, message,
                                                      field, code):
    refused = refusal(request_data(recipient=recipient_details(**recipient)))
    assert (refused.message, refused.field, refused.code) == (message, field, code)


def test_outside_the_window_nothing_can_be_asked(waardering_year):
    waardering_year.window_closes = datetime.date(2026, 9, 1)
    waardering_year.save()
    refused = refusal()
    assert (refused.message, refused.field, refused.code) == (
        "U kunt de waardering nu niet aanvragen.", None, "closed")


ASKED_BY_NOBODY_ELSE = {"requester_name": "", "requester_relation": "",
                        "requester_contact": "", "mandate_representee": "",
                        "mandate_representative": ""}


def asked_by(request) -> dict:
    return {name: getattr(request, name) for name in ASKED_BY_NOBODY_ELSE}


def test_a_caregiver_signed_in_with_their_own_digid_asked_themselves(waardering_year):
    riet = CaregiverFactory(bsn_pseudonym="pseudoniem-riet")
    request = submit(request_data(caregiver=None), caregiver=riet)
    assert asked_by(request) == ASKED_BY_NOBODY_ELSE


def test_a_representative_is_only_believed_from_a_digid_sign_in(waardering_year):
    """Typed details (not signed in) with a representative's pseudonym: nobody signed in to
    act for the caregiver, so the request records none."""
    CaregiverFactory(complete=True, date_of_birth=datetime.date(1955, 4, 3),
                     bsn_pseudonym="pseudoniem-riet")
    request = submit(request_data(mandate_representative="pseudoniem-gemachtigde"))
    assert asked_by(request) == ASKED_BY_NOBODY_ELSE


def test_the_typed_name_keeps_the_prefix_and_is_cut_to_what_is_stored(waardering_year):
    """The consulent compares the typed name with the registration (request_checks)."""
    request = submit(request_data(caregiver=caregiver_details(surname_prefix="van der")))
    assert request.typed_name == "Riet van der Bakker"
    AppreciationRequest.objects.all().delete()

    long_first_name = "Annemarie" * 11  # 99 letters
    request = submit(request_data(caregiver=caregiver_details(
        first_name=long_first_name, surname_prefix="van", last_name="B" * 60)))
    assert request.typed_name == f"{long_first_name} van {'B' * 60}"[:150]
    assert len(request.typed_name) == 150
