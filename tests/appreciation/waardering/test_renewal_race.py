"""The renewal's one button pressed twice at the same moment (two tabs, two threads, each
with its own database connection): one request is stored, one invitation used; the other
tab gets the Dutch page that the invitation was used, never a 500."""

import datetime
import threading

import pytest
import time_machine
from django.db import connection
from django.test import Client

from appreciation.models import AppreciationRequest, RenewalInvitation, RequestState
from appreciation.waardering import renewal
from tests.factories import AppreciationRequestFactory, AppreciationYearFactory, CaregiverFactory

TODAY = datetime.date(2026, 9, 15)


@pytest.mark.django_db(transaction=True)
def test_two_presses_at_once_store_one_request(settings):
    settings.RATELIMIT_ENABLED = False
    with time_machine.travel(datetime.datetime(2026, 9, 15, 10, 0), tick=False):
        year = AppreciationYearFactory(open_on=TODAY)
        AppreciationRequestFactory(
            year=AppreciationYearFactory(year=2025), state=RequestState.UITBETAALD,
            caregiver=CaregiverFactory(),
            submitted_at=datetime.datetime(2025, 9, 10, 10, 0, tzinfo=datetime.UTC))
        renewal.send_invitations()
        code = renewal.code_for(RenewalInvitation.objects.get())
        barrier = threading.Barrier(2)
        statuses, errors = [], []

        def press():
            try:
                barrier.wait(timeout=10)
                response = Client().post("/waardering/opnieuw", {
                    "code": code, "stap": "bevestigen", "still_caring": "on"})
                statuses.append(response.status_code)
            except Exception as error:  # pragma: no cover - reported below
                errors.append(error)
            finally:
                connection.close()

        threads = [threading.Thread(target=press) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    assert not errors, errors
    assert sorted(statuses) == [200, 409]
    assert AppreciationRequest.objects.filter(year=year).count() == 1
    assert RenewalInvitation.objects.get().request_id is not None
