"""What the Servicepunt stores for staff stays Dutch, whatever language the caregiver's page
spoke: the checks a consulent reviews and the lines of a timeline. (The page itself, and the
person's e-mails, speak their language: tests/core/test_languages.py.)"""

import pytest
from django.test import Client
from django.utils import translation
from django_fsm_log.models import StateLog

from appreciation.waardering import request_checks, services
from registrations import services as registry
from tests.factories import AppreciationRequestFactory, CaregiverFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("waardering_day")]


def test_checks_made_during_an_arabic_page_are_stored_in_dutch(waardering_year):
    request = AppreciationRequestFactory(year=waardering_year, caregiver=CaregiverFactory())
    with translation.override("ar"):
        request_checks.refresh_checks(request)
    labels = [check["label"] for check in request.checks]
    assert "Geen andere aanvraag dit jaar" in labels
    assert not any("\u0600" <= char <= "\u06ff" for label in labels for char in label)


def test_a_withdrawal_on_a_turkish_page_reads_dutch_on_the_timeline(waardering_year):
    riet = CaregiverFactory()
    request = AppreciationRequestFactory(year=waardering_year, caregiver=riet)
    with translation.override("tr"):
        services.withdraw(request, caregiver=riet)
        registry.end_registration(riet)
    descriptions = set(StateLog.objects.values_list("description", flat=True))
    assert {"Ingetrokken door de mantelzorger", "Op eigen verzoek"} <= descriptions


def test_a_language_switch_that_fails_the_csrf_check_is_not_remembered(db):
    """Another site could otherwise post a switch and fix someone's language for a year."""
    client = Client(enforce_csrf_checks=True)
    response = client.post("/taal", {"_language": "ar", "next": "/"})
    assert response.status_code == 403
    assert "taal" not in response.cookies
