"""Every write about a waardering request after it was submitted (see `submission.py`):
review, decisions, the budget guard, bulk approval and setting aside a request whose
question went unanswered. One function per use case, each in one transaction.

Views and jobs call these; they never change a state or send anything themselves. Each
decision queues its letter in the same transaction (a `Letter` row with a dedupe key) and
asks a worker to send it after commit, so a rolled-back decision sends nothing.
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Sum
from django.utils import translation
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition, TransitionNotAllowed

from core import clock, languages, roles
from core.dates import add_months
from registrations import services as registrations
from registrations.models import Caregiver, State
from worker.services import queue_letter as queue

from ..models import (
    COMMITTED_STATES,
    OPEN_STATES,
    AppreciationLetter,
    AppreciationRequest,
    AppreciationYear,
    RejectionReason,
    RequestState,
)
from ..models.decisions import CHOOSABLE_REASONS, rejection_sentence
from . import confirmation, vouchers
from .request_checks import refresh_checks


class OverBudget(Exception):
    """Approving would take the year past its budget; the consulent must confirm."""

    def __init__(self, needed_cents: int, available_cents: int):
        super().__init__(needed_cents, available_cents)
        self.needed_cents, self.available_cents = needed_cents, available_cents


# --- rules per year --------------------------------------------------------------------

@transaction.atomic
def copy_next_year(source: AppreciationYear) -> AppreciationYear:
    """The next year starts with last year's rules, the window moved one year on."""
    existing = AppreciationYear.objects.filter(year=source.year + 1).first()
    if existing:
        return existing
    fields = {f.name: getattr(source, f.name) for f in AppreciationYear._meta.fields
              if f.name not in ("id", "year", "payouts_made_at")}
    fields["window_opens"] = add_months(source.window_opens, 12)
    fields["window_closes"] = add_months(source.window_closes, 12)
    return AppreciationYear.objects.create(year=source.year + 1, **fields)


# --- letters -----------------------------------------------------------------------------

def queue_letter(request: AppreciationRequest, kind: str) -> None:
    """Queue the letter for this step once (the key holds the step's number)."""
    step = request.letters.filter(kind=kind).count() + 1
    queue(kind, request.caregiver_id, f"{kind}:{request.pk}:{step}", about=request)


# --- the consulent's decisions ---------------------------------------------------------

def _locked(request: AppreciationRequest, expected_state: str | None) -> AppreciationRequest:
    """The request's row, locked. If the page showed another state than the one now stored,
    a colleague acted first: refuse, so nobody decides on what they did not see."""
    locked = (AppreciationRequest.objects.select_for_update(of=("self",))
              .select_related("year", "caregiver").get(pk=request.pk))
    if expected_state and locked.state != expected_state:
        raise ConcurrentTransition(_("De aanvraag is intussen veranderd."))
    return locked


def require_transition_permission(method, user) -> None:
    """The transition's `permission` (staff or coordinator). A transition not allowed from
    the current state is left to raise TransitionNotAllowed when it is called."""
    meta, instance = method._django_fsm, method.__self__
    state = meta.field.get_state(instance)
    if meta.has_transition(state) and not meta.has_transition_perm(instance, state, user):
        raise PermissionDenied


def _start_review_if_new(request, by) -> None:
    if request.state == RequestState.INGEDIEND:
        require_transition_permission(request.start_review, by)
        request.start_review(by=by, description=_("In behandeling genomen"))


@transaction.atomic
def start_review(request, by, expected_state=None) -> AppreciationRequest:
    request = _locked(request, expected_state)
    require_transition_permission(request.start_review, by)
    request.start_review(by=by, description=_("In behandeling genomen"))
    request.save()
    return request


def budget_summary(year: AppreciationYear) -> dict:
    """Committed (approved or in a batch) and paid against the year's budget, in cents."""
    counted = [*COMMITTED_STATES, RequestState.UITBETAALD]
    totals = dict(AppreciationRequest.objects.filter(year=year, state__in=counted)
                  .values_list("state").annotate(total=Sum("amount_cents"))
                  .values_list("state", "total"))
    committed = sum(totals.get(state, 0) for state in COMMITTED_STATES)
    paid = totals.get(RequestState.UITBETAALD, 0)
    return {"budget": year.budget_cents, "committed": committed, "paid": paid,
            "available": year.budget_cents - committed - paid}


def _check_budget(year, needed_cents, over_budget_ok) -> None:
    available = budget_summary(year)["available"]
    if needed_cents > available and not over_budget_ok:
        raise OverBudget(needed_cents, available)


def _lock_year(year_id) -> AppreciationYear:
    """Approvals of one year take turns, so two at once cannot both fit the last euros."""
    return AppreciationYear.objects.select_for_update().get(pk=year_id)


@transaction.atomic
def approve(request, by, *, expected_state=None, over_budget_ok=False) -> AppreciationRequest:
    request = _locked(request, expected_state)
    year = _lock_year(request.year_id)
    _start_review_if_new(request, by)
    require_transition_permission(request.approve, by)
    _check_budget(year, request.amount_cents, over_budget_ok)
    request.approve(by=by, description=_("Goedgekeurd"))
    request.decided_at = clock.now()
    request.save()
    _after_approval(request, by)
    return request


def _after_approval(request, by) -> None:
    """The approval letter, and for a voucher its code with its own letter; and a consulent
    who approved has checked the person, so a registration made through the request becomes
    active (as after an intake)."""
    queue_letter(request, AppreciationLetter.WAARDERING_APPROVED)
    vouchers.assign_code(request)
    if request.caregiver.state == State.AANGEMELD:
        registrations.mark_checked(request.caregiver, by)


class ExplanationMissing(ValueError):
    """"Een andere reden" without the explanation the person reads."""


@transaction.atomic
def reject(request, by, reason: str, text: str = "", *, expected_state=None):
    """The person reads the reason's sentence, or for "een andere reden" the explanation,
    which is therefore required."""
    if reason not in CHOOSABLE_REASONS:
        raise ValueError(f"unknown rejection reason {reason!r}")
    text = (text or "").strip()
    if reason == RejectionReason.OTHER and not text:
        raise ExplanationMissing(reason)
    request = _locked(request, expected_state)
    require_transition_permission(request.reject, by)
    sentence = rejection_sentence(reason)
    request.reject(reason=reason, text=text, by=by,
                   description=" ".join(part for part in (sentence, text) if part))
    request.decided_at = clock.now()
    request.save()
    queue_letter(request, AppreciationLetter.WAARDERING_REJECTED)
    return request


@transaction.atomic
def ask_information(request, by, question: str, *, expected_state=None):
    request = _locked(request, expected_state)
    _start_review_if_new(request, by)
    require_transition_permission(request.ask_information, by)
    due = clock.today() + datetime.timedelta(weeks=request.year.answer_within_weeks)
    request.ask_information(question=question, due_on=due, by=by, description=question)
    request.save()
    queue_letter(request, AppreciationLetter.WAARDERING_INFO)
    return request


@transaction.atomic
def set_aside(request, by, *, expected_state=None) -> AppreciationRequest:
    """Art. 4:5 Awb: the question went unanswered until after its deadline, so the
    consulent stops handling the request (not a rejection: the person may ask again). The
    letter is a decision too, with the objection route."""
    request = _locked(request, expected_state)
    require_transition_permission(request.set_aside, by)
    request.set_aside(by=by, description=_("Buiten behandeling gesteld: geen antwoord op "
                                           "onze vraag"))
    request.decided_at = clock.now()
    request.save()
    queue_letter(request, AppreciationLetter.WAARDERING_SET_ASIDE)
    return request


@transaction.atomic
@translation.override(languages.SOURCE)  # stored text: Dutch, whatever the page spoke
def answer_information(request, caregiver: Caregiver, answer: str) -> AppreciationRequest:
    """The caregiver answered in Mijn gegevens: back to the consulent."""
    request = _locked(request, None)
    if request.caregiver_id != caregiver.pk:
        raise PermissionDenied
    request.answer_information(answer=answer, description=_("Antwoord van de mantelzorger"))
    refresh_checks(request)
    request.save()
    return request


@transaction.atomic
def confirm_by_caregiver(request, caregiver: Caregiver | None = None, by=None, *,
                         expected_state=None):
    """The caregiver agreed to a request they did not make signed in (in Mijn gegevens, or
    on the phone with a consulent, who records it). Only while the request is open."""
    request = _locked(request, expected_state)
    if caregiver is not None and request.caregiver_id != caregiver.pk:
        raise PermissionDenied
    if by is None and caregiver is None:
        raise PermissionDenied
    return _confirm(request)


def _confirm(request) -> AppreciationRequest:
    if request.state not in OPEN_STATES:
        raise TransitionNotAllowed(_("De aanvraag is al afgehandeld."))
    if request.caregiver_confirmed_at is None:
        request.caregiver_confirmed_at = clock.now()
        confirmation.clear(request)
        refresh_checks(request)
        request.save(update_fields=["caregiver_confirmed_at", "checks", "checks_passed",
                                    *confirmation.CODE_FIELDS])
    return request


def _waiting_for(code: str, requests) -> AppreciationRequest | None:
    request = (requests.select_related("year", "caregiver")
               .filter(confirm_code_hash=confirmation.code_hash(code),
                       caregiver_confirmed_at__isnull=True, state__in=OPEN_STATES,
                       confirm_expires_at__gt=clock.now())
               .first())
    if request is None or confirmation.code_for(request) != confirmation.normalise(code):
        return None
    return request


def waiting_for_code(code: str) -> AppreciationRequest | None:
    """The open request this code would confirm (nothing changes): the confirm page shows
    where the money goes before the person presses the button."""
    return _waiting_for(code, AppreciationRequest.objects.all())


@transaction.atomic
def confirm_with_code(code: str) -> AppreciationRequest | None:
    """The caregiver typed (or clicked) the code from their e-mail or letter. None when no
    open request waits for that code: wrong, used, expired, or the request was decided."""
    request = _waiting_for(code, AppreciationRequest.objects.select_for_update(of=("self",)))
    return None if request is None else _confirm(request)


@transaction.atomic
def ask_confirmation_again(request, by, *, expected_state=None) -> AppreciationRequest:
    """A consulent sends a new code (the old one expired or the letter got lost); the
    earlier code stops working. Only for an open request that still waits."""
    request = _locked(request, expected_state)
    if not roles.is_staff_member(by):
        raise PermissionDenied
    if request.caregiver_confirmed_at is not None or request.state not in OPEN_STATES:
        raise TransitionNotAllowed(_("Deze aanvraag hoeft niet (meer) bevestigd te worden."))
    confirmation.issue(request)
    request.save(update_fields=confirmation.CODE_FIELDS)
    queue_letter(request, AppreciationLetter.WAARDERING_CONFIRM)
    return request


@transaction.atomic
@translation.override(languages.SOURCE)  # stored text: Dutch, whatever the page spoke
def withdraw(request, caregiver: Caregiver | None = None, by=None, *,
             expected_state=None) -> AppreciationRequest:
    """The caregiver (or a consulent at their request) withdraws before a decision."""
    request = _locked(request, expected_state)
    if caregiver is not None and request.caregiver_id != caregiver.pk:
        raise PermissionDenied
    request.withdraw(by=by, description=_("Ingetrokken door de mantelzorger"))
    request.save()
    return request


@transaction.atomic
def recheck(request, *, expected_state=None) -> AppreciationRequest:
    request = _locked(request, expected_state)
    refresh_checks(request)
    request.save(update_fields=["checks", "checks_passed"])
    return request


def recheck_after_registration_check(caregiver: Caregiver) -> None:
    """A consulent checked a registration: the person's open requests show it at once
    (inside the check's transaction). For someone who registered through a request its
    "gecontroleerd" check turns green; for someone registered earlier and still waiting
    for the check, "ingeschreven" does."""
    requests = (AppreciationRequest.objects.select_for_update(of=("self",))
                .select_related("year", "caregiver")
                .filter(caregiver=caregiver, state__in=OPEN_STATES))
    for request in requests:
        refresh_checks(request)
        request.save(update_fields=["checks", "checks_passed"])


def bulk_approve(request_ids, by, *, over_budget_ok=False) -> tuple[int, int]:
    """A coordinator approves requests that pass every check, in one go; never without a
    person. Returns (approved, skipped): skipped are those that changed or fail a check."""
    if not roles.is_coordinator(by):
        raise PermissionDenied
    with transaction.atomic():
        candidates = list(
            AppreciationRequest.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("year", "caregiver")
            .filter(pk__in=request_ids, checks_passed=True,
                    caregiver_confirmed_at__isnull=False,
                    state__in=[RequestState.INGEDIEND, RequestState.IN_BEHANDELING])
            .order_by("submitted_at", "pk"))
        for year_id in sorted({c.year_id for c in candidates}):
            year = _lock_year(year_id)
            needed = sum(c.amount_cents for c in candidates if c.year_id == year_id)
            _check_budget(year, needed, over_budget_ok)

        now = clock.now()
        for request in candidates:
            _start_review_if_new(request, by)
            request.approve(by=by, description=_("Goedgekeurd (alle controles goed)"))
            request.decided_at = now
            request.save()
            _after_approval(request, by)
    return len(candidates), len(set(request_ids)) - len(candidates)

