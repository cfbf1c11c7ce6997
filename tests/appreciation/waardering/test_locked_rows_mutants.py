"""Work in one go never waits for a row someone else holds (found by `make mutate`).

The daily job, bulk approval and the payment batch claim their requests with SKIP LOCKED:
a request a consulent is deciding right now is left for later, and the button or the job
finishes at once. They lock only the requests themselves, so a caregiver whose row is being
updated at that moment (saving their details, say) is not left out.

Each test holds a row in a second database session, as that consulent or job would, and
gives this session a short lock timeout: code that waited would fail with a lock error
instead of hanging the suite.
"""

import contextlib
import datetime

import pytest
from django.db import DEFAULT_DB_ALIAS, OperationalError, connection, connections

from appreciation.models import AppreciationRequest, PaymentBatch, PayoutForm, RequestState
from appreciation.waardering import payouts, services
from registrations import services as registrations
from registrations.models import Caregiver
from tests.appreciation.waardering.test_services_mutants import ready
from tests.support import approved, caregiver_details, request_data, submit

pytestmark = [pytest.mark.django_db(transaction=True),
              pytest.mark.usefixtures("waardering_day", "media", "impatient")]


@pytest.fixture
def impatient():
    """This session gives up on a held row after two seconds instead of waiting."""
    with connection.cursor() as cursor:
        cursor.execute("SET lock_timeout = '2s'")
    yield
    with connection.cursor() as cursor:
        cursor.execute("RESET lock_timeout")


@contextlib.contextmanager
def other_session():
    """A second database session, its transaction open until the block ends."""
    other = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        other.set_autocommit(False)
        with other.cursor() as cursor:
            yield cursor
    finally:
        other.rollback()
        other.close()


@contextlib.contextmanager
def held_elsewhere(row, strength="UPDATE"):
    """Another session holds `row` until the block ends: FOR UPDATE as a consulent deciding a
    request does, FOR NO KEY UPDATE as an UPDATE of the row (a caregiver editing their
    details) does."""
    with other_session() as cursor:
        cursor.execute(f'SELECT 1 FROM "{row._meta.db_table}" WHERE id = %s FOR {strength}',
                       [row.pk])
        yield


def ready_request(n: int) -> AppreciationRequest:
    """Request `n`, by its own caregiver, passing every check: ready for bulk approval."""
    born = datetime.date(1950, 1, 1) + datetime.timedelta(days=n)
    return ready(submit(request_data(caregiver=caregiver_details(date_of_birth=born))))


def state_of(request) -> str:
    return AppreciationRequest.objects.values_list("state", flat=True).get(pk=request.pk)


def test_bulk_approval_skips_a_request_a_consulent_is_deciding(waardering_year, coordinator):
    held, free = ready_request(1), ready_request(2)

    with held_elsewhere(held):
        assert services.bulk_approve([held.pk, free.pk], coordinator) == (1, 1)

    assert (state_of(held), state_of(free)) == (RequestState.INGEDIEND,
                                                RequestState.GOEDGEKEURD)


def test_bulk_approval_is_not_stopped_by_a_caregiver_row_held_elsewhere(waardering_year,
                                                                        coordinator):
    request = ready_request(1)

    with held_elsewhere(Caregiver.objects.get(pk=request.caregiver_id), "NO KEY UPDATE"):
        assert services.bulk_approve([request.pk], coordinator) == (1, 0)

    assert state_of(request) == RequestState.GOEDGEKEURD


def test_a_payment_batch_leaves_out_a_request_held_elsewhere(waardering_year, consulent,
                                                             coordinator):
    held, free = approved(consulent, 1), approved(consulent, 2)

    with held_elsewhere(held):
        batch = payouts.create_payment_batch(waardering_year, PayoutForm.BANK, coordinator)

    assert batch.request_count == 1
    assert (state_of(held), state_of(free)) == (RequestState.GOEDGEKEURD,
                                                RequestState.IN_BETAALBATCH)


def test_a_payment_batch_is_not_stopped_by_a_caregiver_row_held_elsewhere(
        waardering_year, consulent, coordinator):
    request = approved(consulent, 1)

    with held_elsewhere(Caregiver.objects.get(pk=request.caregiver_id), "NO KEY UPDATE"):
        batch = payouts.create_payment_batch(waardering_year, PayoutForm.BANK, coordinator)

    assert batch.request_count == 1
    assert state_of(request) == RequestState.IN_BETAALBATCH


def test_a_second_payment_batch_waits_while_another_is_being_made(waardering_year, consulent,
                                                                  coordinator):
    """One batch at a time: the second coordinator's button waits for the first batch (here
    it gives up after the lock timeout), then finds what is left."""
    request = approved(consulent, 1)

    with other_session() as first_coordinator:
        first_coordinator.execute("SELECT pg_advisory_xact_lock(%s)", [payouts.BATCH_LOCK_KEY])
        with pytest.raises(OperationalError, match="lock timeout"):
            payouts.create_payment_batch(waardering_year, PayoutForm.BANK, coordinator)

    assert not PaymentBatch.objects.exists()
    assert payouts.create_payment_batch(waardering_year, PayoutForm.BANK,
                                        coordinator).request_count == 1
    assert state_of(request) == RequestState.IN_BETAALBATCH


def test_checking_one_registration_does_not_wait_for_someone_elses_request(waardering_year,
                                                                            consulent):
    """Only the checked person's own requests are checked again."""
    mine = submit(request_data(caregiver=caregiver_details(date_of_birth=datetime.date(
        1950, 4, 1))))
    someone_elses = submit(request_data(caregiver=caregiver_details(
        date_of_birth=datetime.date(1950, 4, 2))))

    with held_elsewhere(someone_elses):
        registrations.mark_checked(mine.caregiver, consulent)

    checks = {check["code"]: check["ok"]
              for check in AppreciationRequest.objects.get(pk=mine.pk).checks}
    assert checks["registration_checked"] is True
