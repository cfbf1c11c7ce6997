"""Making a payment batch, the details `make mutate` found untested: the bank file lists the
requests in the order they were sent, every request's timeline names its batch, the
Servicepunt's own account number may be configured with spaces, and on SQLite (`make run`)
a file that may still be another run's is left alone. Also: bulk approval never takes a
request the caregiver has not confirmed, whatever its stored checks say."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test import override_settings
from django_fsm_log.models import StateLog

from appreciation.models import AppreciationRequest, PayoutForm, RequestState
from appreciation.waardering import payment_files, payouts, services
from tests.appreciation.waardering.test_payout_files import file_at
from tests.appreciation.waardering.test_services_mutants import ready
from tests.support import approved, caregiver_details, request_data, submit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("waardering_day", "media")]

NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"}


def end_to_end_ids(batch) -> list[str]:
    root = ET.fromstring(batch.export.read())
    return [node.text for node in root.iterfind(".//p:EndToEndId", NS)]


def test_an_unknown_payout_form_is_refused_by_name(waardering_year, coordinator):
    with pytest.raises(ValueError, match="unknown payout form 'contant'"):
        payouts.create_payment_batch(waardering_year, "contant", coordinator)


def test_the_bank_file_lists_requests_in_the_order_they_were_sent(waardering_year, consulent,
                                                                   coordinator):
    later, earlier = approved(consulent, 1), approved(consulent, 2)
    AppreciationRequest.objects.filter(pk=earlier.pk).update(
        submitted_at=datetime.datetime(2026, 9, 1, 9, 0, tzinfo=datetime.UTC))

    batch = payouts.create_payment_batch(waardering_year, PayoutForm.BANK, coordinator)

    assert end_to_end_ids(batch) == [earlier.end_to_end_id, later.end_to_end_id]


def test_each_request_in_a_batch_says_on_its_timeline_which_batch(waardering_year, consulent,
                                                                   coordinator):
    requests = [approved(consulent, n) for n in range(2)]

    batch = payouts.create_payment_batch(waardering_year, PayoutForm.BANK, coordinator)

    for request in requests:
        log = StateLog.objects.for_(request).latest("pk")
        assert (log.state, log.by, log.description) == (
            RequestState.IN_BETAALBATCH, coordinator, f"In betaalronde {batch.message_id}")


@override_settings(PAYOUT_ACCOUNT={"name": "Servicepunt Mantelzorg",
                                   "iban": "nl02 abna 0123 4567 89", "bic": "abnanl2a"})
def test_the_servicepunts_account_number_may_be_configured_with_spaces(
        waardering_year, consulent, coordinator):
    approved(consulent, 1)

    batch = payouts.create_payment_batch(waardering_year, PayoutForm.BANK, coordinator)

    root = ET.fromstring(batch.export.read())
    assert root.find(".//p:DbtrAcct/p:Id/p:IBAN", NS).text == "NL02ABNA0123456789"
    assert root.find(".//p:DbtrAgt/p:FinInstnId/p:BIC", NS).text == "ABNANL2A"


def test_on_sqlite_a_young_file_no_batch_references_is_left_alone(
        waardering_year, consulent, coordinator, media, monkeypatch):
    """SQLite (make run) takes its write lock only at the first write: a file a few seconds
    old may be another run's that has not committed yet."""
    approved(consulent, 1)
    young = file_at(media / "payments" / "MZW2026B000998.xml",
                    age=datetime.timedelta(seconds=5))
    monkeypatch.setattr(connection, "vendor", "sqlite")

    payouts.create_payment_batch(waardering_year, PayoutForm.BANK, coordinator)

    assert young.exists()
    assert not (media / payment_files.ORPHAN_DIRECTORY / young.name).exists()


def test_bulk_approval_never_takes_a_request_the_caregiver_has_not_confirmed(
        waardering_year, coordinator):
    born = datetime.date(1950, 3, 1)
    request = ready(submit(request_data(caregiver=caregiver_details(date_of_birth=born))))
    # Stored checks that say "all good" for a request whose caregiver did not confirm it.
    AppreciationRequest.objects.filter(pk=request.pk).update(caregiver_confirmed_at=None)

    assert services.bulk_approve([request.pk], coordinator) == (0, 1)

    assert AppreciationRequest.objects.get(pk=request.pk).state == RequestState.INGEDIEND
