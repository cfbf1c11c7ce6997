"""The waardering demo of `make run`: both years, requests in every state made through the
services (so each has its history), and loading twice adds nothing."""

import datetime
from collections import Counter

import pytest
import time_machine
from django.core.management import call_command
from django_fsm_log.models import StateLog

from appreciation.models import AppreciationRequest, AppreciationYear, PaymentBatch
from appreciation.waardering import submission
from worker.models import Letter

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_day():
    with time_machine.travel(datetime.datetime(2026, 8, 20, 10, 0), tick=False):
        yield


def this_year_locked() -> bool:
    return AppreciationYear.objects.get(year=2026).locked


def test_the_demo_makes_requests_in_every_state_once():
    call_command("load_demo_data", caregivers=120)
    states = Counter(AppreciationRequest.objects.values_list("state", flat=True))
    assert sum(states.values()) >= 30
    for state in ("ingediend", "in_behandeling", "aanvulling_nodig", "goedgekeurd",
                  "afgewezen", "in_betaalbatch", "ingetrokken"):
        assert states[state] >= 1, states
    submitted = AppreciationRequest.objects.filter(state="ingediend")
    assert submitted.filter(checks_passed=True).exists()
    assert submitted.filter(checks_passed=False).exists()
    assert PaymentBatch.objects.filter(paid_at__isnull=True).exists()
    assert not this_year_locked()
    assert StateLog.objects.filter(by__username="consulent").exists()
    assert StateLog.objects.filter(by__username="coordinator").exists()
    assert Letter.objects.filter(appreciation_request__isnull=False).count() >= 30

    this_year, last_year = AppreciationYear.objects.order_by("-year")
    assert (this_year.year, last_year.year) == (2026, 2025)
    assert submission.open_year() == this_year  # before 1 September: the demo window is open
    assert this_year.amount_adult_cents == 7500 and this_year.budget_cents == 10_000_000
    assert last_year.locked and last_year.window_closes == datetime.date(2025, 11, 10)

    counts = (AppreciationRequest.objects.count(), Letter.objects.count(),
              StateLog.objects.count(), PaymentBatch.objects.count())
    call_command("load_demo_data", caregivers=120)
    assert (AppreciationRequest.objects.count(), Letter.objects.count(),
            StateLog.objects.count(), PaymentBatch.objects.count()) == counts
