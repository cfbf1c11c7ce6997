"""Waardering requests through the services: submission, matching, checks, the state
machine with its log, letters queued, budget, and the refusals that store nothing."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django_fsm import ConcurrentTransition, TransitionNotAllowed
from django_fsm_log.models import StateLog

from appreciation.models import (
    AgeGroup,
    AppreciationLetter,
    AppreciationRequest,
    PayoutForm,
    RejectionReason,
    RequestState,
    Route,
)
from appreciation.tasks import expire_waardering_questions
from appreciation.waardering import services, submission
from registrations.models import Caregiver, Source, State
from tests.factories import AppreciationRequestFactory, AppreciationYearFactory, CaregiverFactory
from tests.support import caregiver_details, recipient_details, request_data
from tests.support import submit as submit_one
from worker.models import Letter

TODAY = datetime.date(2026, 9, 15)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("waardering_day")]


def test_an_unknown_caregiver_is_registered_through_the_request(waardering_year):
    request = submit_one()
    caregiver = request.caregiver
    assert request.caregiver_was_unknown and caregiver.source == Source.WAARDERING
    assert caregiver.state == State.AANGEMELD
    assert request.state == RequestState.INGEDIEND
    assert (request.age_group, request.payout_form, request.amount_cents) == (
        AgeGroup.ADULT, PayoutForm.BANK, 7500)
    failed = {check["code"] for check in request.failed_checks()}
    assert failed == {"registered", "registration_checked"} and not request.checks_passed
    assert Letter.objects.filter(appreciation_request=request,
                                 kind=AppreciationLetter.WAARDERING_RECEIPT).count() == 1


def test_a_known_caregiver_is_matched_by_birth_date_and_address(waardering_year):
    known = submit_one().caregiver
    AppreciationRequest.objects.all().delete()
    Letter.objects.all().delete()
    Caregiver.objects.filter(pk=known.pk).update(state=State.ACTIEF)
    details = caregiver_details(first_name="Rietje", postcode="3845 ab", house_number="12")
    request = submit_one(request_data(caregiver=details))
    assert request.caregiver_id == known.pk and not request.caregiver_was_unknown
    # Typed, not signed in: the caregiver must confirm, and "Rietje" is not "Riet".
    assert request.needs_confirmation and request.caregiver_confirmed_at is None
    assert {check["code"] for check in request.failed_checks()} == {"name", "confirmed"}
    assert Caregiver.objects.count() == 1


def test_a_second_request_the_same_year_is_refused_and_nothing_stored(waardering_year):
    submit_one()
    with pytest.raises(submission.RequestRefused) as refused:
        submit_one(request_data(recipient=recipient_details(recipient_name="Ander")))
    assert refused.value.code == "duplicate" and "al aangevraagd" in refused.value.message
    assert AppreciationRequest.objects.count() == 1 and Caregiver.objects.count() == 1


def test_the_same_form_sent_twice_is_stored_once(waardering_year):
    import uuid

    key = uuid.uuid4()
    first = submit_one(submission_key=key)
    assert submit_one(submission_key=key) == first
    assert AppreciationRequest.objects.count() == 1


@pytest.mark.parametrize("recipient, field", [
    (recipient_details(hours_per_week=7), "hours_per_week"),
    (recipient_details(care_since=datetime.date(2026, 7, 1)), "care_since"),
    (recipient_details(care_since=datetime.date(2026, 6, 16)), "care_since"),  # a day short
    (recipient_details(recipient_postcode="8011AB"), "recipient_postcode"),
    (recipient_details(recipient_postcode="3850AA"), "recipient_postcode"),
])
def test_care_outside_the_rules_is_refused_and_nothing_stored(waardering_year, recipient, field):
    with pytest.raises(submission.RequestRefused) as refused:
        submit_one(request_data(recipient=recipient))
    assert refused.value.field == field
    assert not AppreciationRequest.objects.exists() and not Caregiver.objects.exists()


def test_care_exactly_at_the_limits_is_accepted(waardering_year):
    """8 hours a week, caring since exactly three months ago, the naaste at 3849: enough."""
    request = submit_one(request_data(recipient=recipient_details(
        hours_per_week=8, care_since=datetime.date(2026, 6, 15), recipient_postcode="3849 zz")))
    assert request.state == RequestState.INGEDIEND and request.recipient_postcode == "3849ZZ"
    assert {"hours", "duration", "residence"}.isdisjoint(
        check["code"] for check in request.failed_checks())


@pytest.mark.parametrize("day, is_open", [
    (datetime.date(2026, 8, 31), False), (datetime.date(2026, 9, 1), True),
    (datetime.date(2026, 10, 25), True), (datetime.date(2026, 10, 26), False),
])
def test_the_window_includes_its_first_and_last_day(waardering_year, day, is_open):
    assert (submission.open_year(day) == waardering_year) is is_open


@pytest.mark.parametrize("day, opening", [
    (datetime.date(2026, 8, 31), datetime.date(2026, 9, 1)),   # this year's, still to come
    (datetime.date(2026, 9, 1), datetime.date(2027, 9, 1)),    # open today: next year's
])
def test_the_next_opening_is_the_first_day_after_today(waardering_year, day, opening):
    assert submission.next_opening(day) == opening


def test_outside_the_window_nothing_can_be_requested(waardering_year):
    with time_machine.travel(datetime.datetime(2026, 12, 1, 10, 0), tick=False):
        with pytest.raises(submission.RequestRefused) as refused:
            submit_one()
        assert refused.value.code == "closed"
        assert submission.next_opening() == datetime.date(2027, 9, 1)
    assert not Caregiver.objects.exists()


def test_a_bank_payout_needs_an_iban_but_a_young_caregivers_voucher_does_not(waardering_year):
    with pytest.raises(submission.RequestRefused) as refused:
        submit_one(request_data(iban=""))
    assert refused.value.field == "iban" and not Caregiver.objects.exists()
    waardering_year.amount_young_cents = 5000
    waardering_year.payout_young = PayoutForm.VOUCHER
    waardering_year.save()
    young = submit_one(request_data(
        caregiver=caregiver_details(date_of_birth=datetime.date(2008, 1, 1)), iban=""))
    assert (young.age_group, young.payout_form, young.iban, young.amount_cents) == (
        AgeGroup.YOUNG, PayoutForm.VOUCHER, "", 5000)
    # An account number typed anyway is not kept: a voucher is never paid into it.
    typed = submit_one(request_data(
        caregiver=caregiver_details(date_of_birth=datetime.date(2008, 2, 2))))
    assert (typed.payout_form, typed.iban, typed.account_holder) == (PayoutForm.VOUCHER, "", "")


def test_a_caregiver_paid_last_year_can_ask_again_this_year(waardering_year):
    riet = CaregiverFactory(date_of_birth=datetime.date(1955, 4, 3))
    AppreciationRequestFactory(year=AppreciationYearFactory(year=2025), caregiver=riet,
                               state=RequestState.UITBETAALD)
    request = submit_one(caregiver=riet)
    assert (request.year, request.state) == (waardering_year, RequestState.INGEDIEND)


def test_a_consulents_paper_entry_for_a_known_caregiver_needs_no_confirmation(
        waardering_year, consulent):
    """The consulent saw the form and the person: no code to send, the receipt goes out."""
    known = CaregiverFactory(date_of_birth=datetime.date(1955, 4, 3))
    request = submit_one(route=Route.CONSULENT, by=consulent)
    assert request.caregiver_id == known.pk and not request.caregiver_was_unknown
    assert not request.needs_confirmation and request.caregiver_confirmed_at is not None
    assert set(Letter.objects.filter(appreciation_request=request).values_list(
        "kind", flat=True)) == {AppreciationLetter.WAARDERING_RECEIPT}


def _ready(request) -> AppreciationRequest:
    """Registered through the request: active, and checked by a consulent."""
    Caregiver.objects.filter(pk=request.caregiver_id).update(
        state=State.ACTIEF, checked_by_consulent_at=timezone.now())
    return services.recheck(request)


def test_approval_is_logged_with_actor_and_queues_the_letter(waardering_year, consulent):
    request = _ready(submit_one())
    assert request.checks_passed
    request = services.approve(request, consulent)
    assert request.state == RequestState.GOEDGEKEURD and request.decided_by == consulent
    log = list(StateLog.objects.for_(request).order_by("pk").values_list(
        "source_state", "state", "by_id"))
    assert log == [("ingediend", "in_behandeling", consulent.pk),
                   ("in_behandeling", "goedgekeurd", consulent.pk)]
    assert Letter.objects.filter(appreciation_request=request,
                                 kind=AppreciationLetter.WAARDERING_APPROVED).exists()


def test_rejection_needs_a_known_reason_and_records_it(waardering_year, consulent):
    request = submit_one()
    with pytest.raises(ValueError):
        services.reject(request, consulent, "zomaar")
    request = services.reject(request, consulent, RejectionReason.NOT_INFORMAL_CARE,
                              "Betaald via pgb")
    assert request.state == RequestState.AFGEWEZEN
    entry = StateLog.objects.for_(request).latest("pk")
    assert (entry.source_state, entry.state, entry.by) == ("ingediend", "afgewezen", consulent)
    assert "Betaald via pgb" in entry.description


def test_transitions_not_allowed_are_refused_by_the_model(waardering_year, consulent, coordinator):
    request = services.reject(submit_one(), consulent, RejectionReason.TOO_SHORT)
    with pytest.raises(TransitionNotAllowed):
        request.mark_paid()
    with pytest.raises(TransitionNotAllowed):
        services.approve(request, consulent)
    with pytest.raises(TransitionNotAllowed):
        services.withdraw(request, caregiver=request.caregiver)
    with pytest.raises(AttributeError):
        request.state = RequestState.UITBETAALD  # protected field


def test_only_staff_decide(waardering_year, make_staff):
    request = submit_one()
    from django.contrib.auth.models import User

    nobody = User.objects.create_user("nobody", password="x")
    with pytest.raises(PermissionDenied):
        services.approve(request, nobody)
    assert AppreciationRequest.objects.get().state == RequestState.INGEDIEND


def test_a_colleague_who_acted_first_wins(waardering_year, consulent, make_staff):
    other = make_staff("consulent", username="tweede")[0]
    request = _ready(submit_one())
    seen_state = request.state
    services.approve(request, consulent, expected_state=seen_state)
    with pytest.raises(ConcurrentTransition):
        services.reject(request, other, RejectionReason.TOO_SHORT, expected_state=seen_state)
    assert AppreciationRequest.objects.get().state == RequestState.GOEDGEKEURD


def test_a_question_goes_back_to_review_when_answered_and_nothing_ends_it_on_its_own(
        waardering_year, consulent, waardering_day):
    first = services.ask_information(submit_one(), consulent, "Hoeveel uur precies?")
    assert first.state == RequestState.AANVULLING_NODIG
    assert first.info_due_on == TODAY + datetime.timedelta(weeks=4)
    answered = services.answer_information(first, first.caregiver, "Twintig uur.")
    assert answered.state == RequestState.IN_BEHANDELING
    services.ask_information(answered, consulent, "En sinds wanneer?")
    assert Letter.objects.filter(kind=AppreciationLetter.WAARDERING_INFO).count() == 2
    waardering_day.move_to(datetime.datetime(2026, 11, 30, 9, 0))  # long past the deadline
    expire_waardering_questions()
    late = AppreciationRequest.objects.get()
    assert late.state == RequestState.AANVULLING_NODIG  # a consulent decides, not the job
    assert not Letter.objects.filter(kind=AppreciationLetter.WAARDERING_REJECTED).exists()


def test_a_caregiver_answers_and_confirms_only_their_own_open_request(
        waardering_year, consulent):
    mine = services.ask_information(submit_one(), consulent, "Hoeveel uur precies?")
    other = submit_one(request_data(
        caregiver=caregiver_details(date_of_birth=datetime.date(1961, 1, 1))))
    with pytest.raises(PermissionDenied):
        services.answer_information(mine, other.caregiver, "Veertig uur.")
    assert AppreciationRequest.objects.get(pk=mine.pk).info_answer == ""
    on_behalf = submit_one(request_data(caregiver=caregiver_details(
        date_of_birth=datetime.date(1962, 2, 2))), route=Route.ON_BEHALF)
    services.reject(on_behalf, consulent, RejectionReason.TOO_SHORT)
    with pytest.raises(TransitionNotAllowed):
        services.confirm_by_caregiver(on_behalf, caregiver=on_behalf.caregiver)
    assert AppreciationRequest.objects.get(pk=on_behalf.pk).caregiver_confirmed_at is None


def test_a_request_on_behalf_waits_for_the_caregivers_confirmation(waardering_year, consulent):
    request = _ready(submit_one(route=Route.ON_BEHALF))
    assert {c["code"] for c in request.failed_checks()} == {"confirmed"}
    assert Letter.objects.filter(kind=AppreciationLetter.WAARDERING_CONFIRM).count() == 1
    assert Letter.objects.filter(kind=AppreciationLetter.WAARDERING_RECEIPT).count() == 1
    with pytest.raises(TransitionNotAllowed):
        services.approve(request, consulent)
    request = services.confirm_by_caregiver(request, caregiver=request.caregiver)
    assert request.checks_passed
    assert services.approve(request, consulent).state == RequestState.GOEDGEKEURD


def test_withdrawn_requests_free_the_year_for_a_new_one(waardering_year):
    request = submit_one()
    services.withdraw(request, caregiver=request.caregiver)
    again = submit_one()
    assert again.caregiver == request.caregiver and again.state == RequestState.INGEDIEND


def test_approvals_that_would_exceed_the_budget_need_confirmation(waardering_year, consulent):
    waardering_year.budget_cents = 10000
    waardering_year.save()
    first = services.approve(_ready(submit_one()), consulent)
    second = _ready(submit_one(request_data(
        caregiver=caregiver_details(date_of_birth=datetime.date(1960, 1, 1)))))
    with pytest.raises(services.OverBudget) as over:
        services.approve(second, consulent)
    assert (over.value.needed_cents, over.value.available_cents) == (7500, 2500)
    services.approve(second, consulent, over_budget_ok=True)
    summary = services.budget_summary(waardering_year)
    assert summary == {"budget": 10000, "committed": 15000, "paid": 0, "available": -5000}
    assert first.amount_cents == 7500


def test_the_budget_counts_approved_and_batched_as_committed_and_paid_as_paid(
        waardering_year):
    """Open, rejected and withdrawn requests and other years' requests take no money."""
    amounts = {RequestState.GOEDGEKEURD: 100, RequestState.IN_BETAALBATCH: 200,
               RequestState.UITBETAALD: 400, RequestState.INGEDIEND: 800,
               RequestState.IN_BEHANDELING: 1600, RequestState.AANVULLING_NODIG: 3200,
               RequestState.AFGEWEZEN: 6400, RequestState.INGETROKKEN: 12800}
    for n, (state, cents) in enumerate(amounts.items()):
        AppreciationRequestFactory(
            year=waardering_year, state=state, amount_cents=cents,
            caregiver=CaregiverFactory(date_of_birth=datetime.date(1960, 1, 1 + n)),
            rejection_reason="te_kort" if state == RequestState.AFGEWEZEN else "")
    AppreciationRequestFactory(year=AppreciationYearFactory(year=2025),
                               state=RequestState.GOEDGEKEURD, amount_cents=25600)
    waardering_year.budget_cents = 10000
    assert services.budget_summary(waardering_year) == {
        "budget": 10000, "committed": 300, "paid": 400, "available": 9300}


def test_an_approval_that_takes_the_last_euro_needs_no_confirmation(waardering_year, consulent):
    waardering_year.budget_cents = 15000
    waardering_year.save()
    AppreciationRequestFactory(year=waardering_year, state=RequestState.GOEDGEKEURD,
                               caregiver=CaregiverFactory(date_of_birth=datetime.date(1960, 1, 1)))
    request = services.approve(submit_one(), consulent)
    assert request.state == RequestState.GOEDGEKEURD
    assert services.budget_summary(waardering_year)["available"] == 0


def test_bulk_approval_takes_requests_under_review_not_those_waiting_for_an_answer(
        waardering_year, coordinator, consulent):
    reviewing = services.start_review(_ready(submit_one()), consulent)
    asked = services.ask_information(_ready(submit_one(request_data(
        caregiver=caregiver_details(date_of_birth=datetime.date(1961, 1, 1))))), consulent,
        "Hoeveel uur precies?")
    assert reviewing.checks_passed and asked.checks_passed
    assert services.bulk_approve([reviewing.pk, asked.pk], coordinator) == (1, 1)
    states = dict(AppreciationRequest.objects.values_list("pk", "state"))
    assert states == {reviewing.pk: RequestState.GOEDGEKEURD,
                      asked.pk: RequestState.AANVULLING_NODIG}


def test_bulk_approval_takes_only_requests_that_pass_every_check(waardering_year, coordinator,
                                                                 consulent):
    good = _ready(submit_one())
    unknown = submit_one(request_data(
        caregiver=caregiver_details(date_of_birth=datetime.date(1961, 1, 1))))
    with pytest.raises(PermissionDenied):
        services.bulk_approve([good.pk, unknown.pk], consulent)
    assert services.bulk_approve([good.pk, unknown.pk], coordinator) == (1, 1)
    states = dict(AppreciationRequest.objects.values_list("pk", "state"))
    assert states == {good.pk: RequestState.GOEDGEKEURD, unknown.pk: RequestState.INGEDIEND}


def test_retention_keeps_a_registration_with_a_request_in_progress_and_erases_it_later(
        waardering_year, consulent):
    from registrations.models import RegistrationRules
    from registrations.retention import expire_unconfirmed, run_daily

    request = submit_one()
    other = submit_one(request_data(
        caregiver=caregiver_details(date_of_birth=datetime.date(1962, 2, 2))))
    services.reject(other, consulent, RejectionReason.OTHER, "Vertrokken naar Zwolle")
    later = TODAY + datetime.timedelta(days=90)
    with time_machine.travel(later, tick=False):
        assert expire_unconfirmed(later, RegistrationRules.current()) == 1  # only `other`
    assert Caregiver.objects.get(pk=request.caregiver_id).state == State.AANGEMELD
    run_daily(later + datetime.timedelta(days=31))
    erased = AppreciationRequest.objects.get(pk=other.pk)
    assert erased.caregiver.state == State.GEWIST
    assert (erased.iban, erased.account_holder, erased.recipient_name, erased.rejection_text,
            erased.recipient_postcode) == ("", "", "", "", "3845")
    assert (erased.state, erased.amount_cents, erased.year_id) == (
        RequestState.AFGEWEZEN, 7500, waardering_year.pk)
    assert not StateLog.objects.for_(erased).exclude(description=None).exists()
    kept = AppreciationRequest.objects.get(pk=request.pk)
    assert kept.iban and kept.recipient_name == "Henk Bakker"


def test_approving_a_request_activates_the_registration_it_made(waardering_year, consulent):
    request = submit_one()
    assert request.caregiver.state == State.AANGEMELD
    services.approve(request, consulent)
    caregiver = Caregiver.objects.get(pk=request.caregiver_id)
    assert caregiver.state == State.ACTIEF and caregiver.checked_by_consulent_at


def test_one_send_task_per_transaction_however_many_letters(
        waardering_year, coordinator, django_capture_on_commit_callbacks, monkeypatch):
    requests = [_ready(submit_one(request_data(caregiver=caregiver_details(
        date_of_birth=datetime.date(1950 + n, 1, 1))))) for n in range(2)]
    sent = []
    from worker import services as worker_services

    monkeypatch.setattr(worker_services, "_dispatch_letters", lambda: sent.append(1))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.bulk_approve([r.pk for r in requests], coordinator) == (2, 0)
    assert Letter.objects.filter(kind=AppreciationLetter.WAARDERING_APPROVED).count() == 2
    assert sent == [1]
