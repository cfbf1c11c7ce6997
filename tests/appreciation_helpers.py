"""Shared setup for the waardering tests: an open year, request data, a staff user."""

import datetime
import uuid

from appreciation.models import AppreciationYear, Route
from appreciation.waardering.submission import RequestData, submit_request

VALID_IBAN = "NL91ABNA0417164300"
OTHER_IBAN = "NL20INGB0001234567"


def open_year(today: datetime.date, **extra) -> AppreciationYear:
    """A year whose window includes `today` (the 1st of the month to the end of next)."""
    values = dict(year=today.year, window_opens=today.replace(day=1),
                  window_closes=today + datetime.timedelta(days=40))
    values.update(extra)
    return AppreciationYear.objects.create(**values)


def caregiver_details(**extra) -> dict:
    details = dict(first_name="Riet", last_name="Bakker",
                   date_of_birth=datetime.date(1955, 4, 3), street="Lindenlaan",
                   house_number="12", postcode="3845AB", city="Harderwijk",
                   email="riet@example.nl", phone="", wants_newsletter=False)
    details.update(extra)
    return details


def recipient_details(**extra) -> dict:
    details = dict(recipient_name="Henk Bakker", recipient_postcode="3845AB",
                   recipient_house_number="12", relationship="partner", living_together=True,
                   hours_per_week=20, care_since=datetime.date(2019, 3, 1))
    details.update(extra)
    return details


def request_data(caregiver=None, recipient=None, iban=VALID_IBAN, **extra) -> RequestData:
    return RequestData(recipient=recipient or recipient_details(),
                       caregiver=caregiver if caregiver is not None else caregiver_details(),
                       iban=iban, account_holder="R. Bakker", **extra)


def submit(data=None, route=Route.SELF, **kwargs):
    kwargs.setdefault("submission_key", uuid.uuid4())
    return submit_request(data or request_data(), route=route, **kwargs)
