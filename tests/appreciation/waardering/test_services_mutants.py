"""Waardering services, the details `make mutate` found untested: each confirmation code
confirms its own request only and no longer once the request is withdrawn, a decided
request says why it cannot be confirmed, an over-budget refusal names its amounts, and the
daily job rejects only unanswered questions, with its reason and date, and bulk approval
gives the last voucher code to whoever sent first."""

import datetime

import pytest
from django_fsm import TransitionNotAllowed
from django_fsm_log.models import StateLog

from appreciation.models import AppreciationRequest, PayoutForm, RejectionReason, RequestState
from appreciation.waardering import confirmation, services, vouchers
from core import clock
from registrations import services as registrations
from registrations.models import Caregiver, State
from tests.factories import AppreciationRequestFactory, CaregiverFactory
from tests.support import OTHER_IBAN, caregiver_details, request_data, submit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("waardering_day")]

TODAY = datetime.date(2026, 9, 15)


def asked_by_a_stranger(born: datetime.date) -> AppreciationRequest:
    """A request typed (not signed in) for a registered caregiver: it waits for their code."""
    caregiver = CaregiverFactory(complete=True, date_of_birth=born)
    return submit(request_data(caregiver=caregiver_details(
        first_name="Karel", last_name="Klever", date_of_birth=caregiver.date_of_birth,
        postcode=caregiver.postcode, house_number=caregiver.house_number,
        email="karel@example.com"), iban=OTHER_IBAN))


def test_each_code_finds_its_own_request(waardering_year):
    first = asked_by_a_stranger(datetime.date(1950, 1, 2))
    second = asked_by_a_stranger(datetime.date(1951, 3, 4))
    codes = {first.pk: confirmation.code_for(first), second.pk: confirmation.code_for(second)}
    assert all(codes.values())

    assert services.waiting_for_code(codes[first.pk]) == first
    assert services.waiting_for_code(codes[second.pk]) == second


def test_the_code_of_a_withdrawn_request_confirms_nothing(waardering_year):
    request = asked_by_a_stranger(datetime.date(1950, 1, 2))
    code = confirmation.code_for(request)
    services.withdraw(request, caregiver=request.caregiver)

    assert services.waiting_for_code(code) is None
    assert services.confirm_with_code(code) is None
    request.refresh_from_db()
    assert (request.state, request.caregiver_confirmed_at) == (RequestState.INGETROKKEN, None)


def test_a_decided_request_cannot_be_confirmed_and_says_so(waardering_year, consulent):
    request = asked_by_a_stranger(datetime.date(1950, 1, 2))
    services.withdraw(request, caregiver=request.caregiver)

    with pytest.raises(TransitionNotAllowed) as refused:
        services.confirm_by_caregiver(request, by=consulent)
    assert str(refused.value) == "De aanvraag is al afgehandeld."


def test_an_over_budget_refusal_names_what_is_needed_and_what_is_left(waardering_year,
                                                                     consulent):
    waardering_year.budget_cents = 5000
    waardering_year.save()
    request = services.recheck(submit())

    with pytest.raises(services.OverBudget) as over:
        services.approve(request, consulent)
    assert str(over.value) == "(7500, 5000)"  # what the error log shows


def waiting_for_an_answer(due_on, **extra):
    return AppreciationRequestFactory(
        state=RequestState.AANVULLING_NODIG, info_question="Hoeveel uur precies?",
        info_due_on=due_on, **extra)


def ready(request) -> AppreciationRequest:
    """Registered through the request: active, and checked by a consulent."""
    Caregiver.objects.filter(pk=request.caregiver_id).update(
        state=State.ACTIEF, checked_by_consulent_at=clock.now())
    return services.recheck(request)


def test_bulk_approval_records_who_why_and_when(waardering_year, coordinator):
    request = ready(submit())

    assert services.bulk_approve([request.pk], coordinator) == (1, 0)

    request.refresh_from_db()
    assert (request.state, request.decided_at) == (RequestState.GOEDGEKEURD, clock.now())
    log = StateLog.objects.for_(request).latest("pk")
    assert (log.state, log.by, log.description) == (
        "goedgekeurd", coordinator, "Goedgekeurd (alle controles goed)")


def test_bulk_approval_over_the_budget_asks_first(waardering_year, coordinator):
    waardering_year.budget_cents = 5000
    waardering_year.save()
    request = ready(submit())

    with pytest.raises(services.OverBudget):
        services.bulk_approve([request.pk], coordinator)
    request.refresh_from_db()
    assert request.state == RequestState.INGEDIEND


def test_checking_a_registration_later_leaves_a_decided_request_as_it_was_decided(
        waardering_year, consulent):
    rejected = services.reject(submit(), consulent, RejectionReason.TOO_SHORT)
    assert rejected.caregiver_was_unknown and not rejected.checks_passed
    checks_at_decision = rejected.checks

    registrations.mark_checked(rejected.caregiver, consulent)

    rejected.refresh_from_db()
    assert (rejected.checks, rejected.checks_passed) == (checks_at_decision, False)


def test_checking_a_known_persons_registration_turns_their_open_request_green(
        waardering_year, consulent):
    # Someone who registered online earlier, and is still waiting for a consulent's check
    # (no e-mail address to confirm), asks the waardering: "Ingeschreven" is red. When the
    # consulent checks the registration, the open request shows it at once, and bulk
    # approval no longer skips it for a check that is no longer true.
    caregiver = CaregiverFactory(complete=True, state=State.AANGEMELD, email="",
                                 email_confirmed_at=None, date_of_birth=datetime.date(1950, 1, 2))
    request = submit(request_data(caregiver=caregiver_details(
        first_name=caregiver.first_name, last_name=caregiver.last_name,
        date_of_birth=caregiver.date_of_birth, postcode=caregiver.postcode,
        house_number=caregiver.house_number, email="")))
    assert request.caregiver_id == caregiver.pk and not request.caregiver_was_unknown
    assert {c["code"]: c["ok"] for c in request.checks}["registered"] is False

    registrations.mark_checked(caregiver, consulent)

    request.refresh_from_db()
    assert Caregiver.objects.get(pk=caregiver.pk).state == State.ACTIEF
    assert {c["code"]: c["ok"] for c in request.checks}["registered"] is True


def test_bulk_approval_gives_the_last_voucher_code_to_who_sent_first(waardering_year,
                                                                     coordinator):
    waardering_year.payout_young = PayoutForm.VOUCHER
    waardering_year.save()
    vouchers.add_codes(waardering_year, ["BON-LAATSTE"], coordinator)
    later, earlier = (ready(submit(request_data(caregiver=caregiver_details(
        first_name=name, date_of_birth=datetime.date(2008, 1, day)))))
        for name, day in (("Later", 2), ("Eerder", 3)))
    assert (later.payout_form, earlier.payout_form) == (PayoutForm.VOUCHER,) * 2
    # The newer row was sent first (typed in later from a paper form, say).
    AppreciationRequest.objects.filter(pk=earlier.pk).update(
        submitted_at=later.submitted_at - datetime.timedelta(days=1))

    assert services.bulk_approve([later.pk, earlier.pk], coordinator) == (2, 0)

    codes = dict(AppreciationRequest.objects.values_list("pk", "voucher_code"))
    assert codes == {earlier.pk: "BON-LAATSTE", later.pk: ""}  # later waits for a list
