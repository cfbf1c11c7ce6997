"""Submission, the details `make mutate` found untested: the whole Dutch message for a second
request, the refusal's text in an error log, and the next opening when next year is set up
already."""

import datetime

import pytest

from appreciation.waardering import submission
from tests.factories import AppreciationYearFactory
from tests.support import recipient_details, request_data, submit

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
