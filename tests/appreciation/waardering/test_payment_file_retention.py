"""Issue 14 item 8: a payment file (names and IBANs) does not stay for ever.

A paid batch's file goes 90 days after "paid" (the daily job), and at once when someone in
it is erased; the batch row, the amounts and the references stay for the bookkeeping. A
batch not yet paid keeps its file: the bank still needs it.
"""

import datetime

import pytest

from appreciation.models import PayoutForm
from appreciation.receivers import erase_waardering_requests
from appreciation.tasks import remove_old_payment_files
from appreciation.waardering import payouts
from tests.support import approved

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]
DAY = datetime.timedelta(days=1)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a job as if its transaction committed (files are deleted after commit)."""
    def run(job, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return job(*args, **kwargs)
    return run


def test_a_paid_batch_file_goes_after_90_days_and_the_row_stays(
        waardering_day, waardering_year, consulent, coordinator, media, committed):
    first = approved(consulent, 1)
    batch = payouts.create_payment_batch(waardering_year, PayoutForm.BANK, coordinator)
    approved(consulent, 2)
    unpaid = payouts.create_payment_batch(waardering_year, PayoutForm.BANK, coordinator)
    name = batch.export.name
    payouts.mark_batch_paid(batch, coordinator)
    waardering_day.shift(89 * DAY)
    assert committed(remove_old_payment_files.apply).get() == 0
    assert (media / name).exists()
    waardering_day.shift(DAY)
    assert committed(remove_old_payment_files.apply).get() == 1
    batch.refresh_from_db()
    assert batch.export.name == "" and not (media / name).exists()
    assert (batch.request_count, batch.total_cents, batch.paid_at is not None) == (1, 7500, True)
    assert first.reference in payouts.batch_csv(batch).decode("utf-8-sig")
    waardering_day.shift(400 * DAY)
    committed(remove_old_payment_files.apply)
    unpaid.refresh_from_db()
    assert unpaid.export and (media / unpaid.export.name).exists()


def test_erasure_removes_the_file_of_a_paid_batch_holding_the_request(
        waardering_year, consulent, coordinator, media, committed):
    paid_request, other = approved(consulent, 1), approved(consulent, 2)
    batch = payouts.create_payment_batch(waardering_year, PayoutForm.BANK, coordinator)
    payouts.mark_batch_paid(batch, coordinator)
    approved(consulent, 3)
    unpaid = payouts.create_payment_batch(waardering_year, PayoutForm.BANK, coordinator)
    unpaid_request = unpaid.requests.get()
    approved(consulent, 4)
    others = payouts.create_payment_batch(waardering_year, PayoutForm.BANK, coordinator)
    payouts.mark_batch_paid(others, coordinator)  # paid, but nobody in it is erased
    name = batch.export.name
    committed(erase_waardering_requests, caregiver_ids=[paid_request.caregiver_id,
                                             unpaid_request.caregiver_id])
    batch.refresh_from_db()
    unpaid.refresh_from_db()
    assert batch.export.name == "" and not (media / name).exists()
    assert unpaid.export.name and (media / unpaid.export.name).exists()
    others.refresh_from_db()
    assert others.export.name and (media / others.export.name).exists()
    other.refresh_from_db()
    assert other.iban  # the other payee's request is not touched
