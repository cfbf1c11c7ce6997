"""Someone registered through a waardering request gets the newsletter only when they asked
for it: details without the question (a caller that does not ask it) mean no newsletter
(found by `make mutate`)."""

import pytest

from registrations.models import Caregiver
from tests.support import caregiver_details, request_data, submit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("waardering_day")]


def test_no_answer_to_the_newsletter_question_means_no_newsletter(waardering_year):
    details = caregiver_details()
    del details["wants_newsletter"]

    request = submit(request_data(caregiver=details))

    assert request.caregiver_was_unknown
    assert Caregiver.objects.get(pk=request.caregiver_id).wants_newsletter is False
