"""What the timelines say when a consulent takes up and approves a request (found by
`make mutate`): the request's timeline names who took it up, and approving a request
that registered its caregiver records that this consulent checked the registration."""

import pytest
from django_fsm_log.models import StateLog

from appreciation.models import RequestState
from appreciation.waardering import services
from registrations.models import Caregiver, State
from tests.support import submit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("waardering_day")]


def latest_log(obj) -> tuple:
    log = StateLog.objects.for_(obj).latest("pk")
    return log.state, log.by, log.description


def test_the_timeline_names_the_consulent_who_took_the_request_up(waardering_year,
                                                                   consulent):
    request = services.start_review(submit(), consulent)

    assert latest_log(request) == (RequestState.IN_BEHANDELING, consulent,
                                   "In behandeling genomen")


def test_approving_a_registration_made_by_the_request_records_who_checked_it(
        waardering_year, consulent):
    request = submit()
    assert request.caregiver.state == State.AANGEMELD

    services.approve(request, consulent)

    caregiver = Caregiver.objects.get(pk=request.caregiver_id)
    assert caregiver.state == State.ACTIEF
    assert latest_log(caregiver) == (State.ACTIEF, consulent, "Gecontroleerd door consulent")


def test_deciding_a_new_request_at_once_also_logs_taking_it_up(waardering_year, consulent):
    request = services.approve(submit(), consulent)

    logs = StateLog.objects.for_(request).order_by("pk")
    assert [(log.state, log.by, log.description) for log in logs][-2] == (
        RequestState.IN_BEHANDELING, consulent, "In behandeling genomen")
