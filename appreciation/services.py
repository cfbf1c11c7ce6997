"""Every write about the waardering: one function per use case, each in one transaction.

Views and jobs call these; they never change a state or send anything themselves. Each
decision queues its letter in the same transaction (a `Letter` row with a dedupe key) and
asks a worker to send it after commit, so a rolled-back decision sends nothing.
"""

import datetime
import hashlib
import uuid
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.db.models import Sum
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition

from mantelzorg import clock, roles
from registrations import services as registrations
from registrations.models import Caregiver, Channel, Source, State, add_months
from registrations.services import LINK_STATES, RegistrationData

from .checks import refresh_checks
from .models import (
    COMMITTED_STATES,
    AgeGroup,
    AppreciationRequest,
    AppreciationYear,
    PayoutForm,
    RejectionReason,
    RequestState,
    Route,
)


class RequestRefused(Exception):
    """A request that cannot be stored, with a Dutch message for the person (and the form
    field it belongs to, if any)."""

    def __init__(self, message: str, field: str | None = None, code: str = ""):
        super().__init__(message)
        self.message, self.field, self.code = message, field, code


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


def open_year(day: datetime.date | None = None) -> AppreciationYear | None:
    """The year whose application window includes `day` (today), if any."""
    day = day or clock.today()
    return AppreciationYear.objects.filter(window_opens__lte=day, window_closes__gte=day).first()


def next_opening(day: datetime.date | None = None) -> datetime.date | None:
    """When requests can next be made: a year already set up, else last year's date + 1."""
    day = day or clock.today()
    upcoming = (AppreciationYear.objects.filter(window_opens__gt=day)
                .order_by("window_opens").first())
    if upcoming:
        return upcoming.window_opens
    last = AppreciationYear.objects.order_by("-year").first()
    if last is None:
        return None
    opening = last.window_opens
    while opening <= day:
        opening = add_months(opening, 12)
    return opening


# --- submitting ------------------------------------------------------------------------

@dataclass
class RequestData:
    """What a request form collected, already validated by the form.

    `caregiver`: the caregiver's details, to match a registration or register someone new
    (absent when the caregiver signed in with a link). `requester`: who asked on the
    caregiver's behalf. `recipient`: the care (name, postcode, house number, relationship,
    living_together, hours_per_week, care_since).
    """

    recipient: dict
    iban: str = ""
    account_holder: str = ""
    caregiver: dict | None = None
    requester: dict = field(default_factory=dict)


def find_caregiver(date_of_birth, postcode: str, house_number: str) -> Caregiver | None:
    """A registration that is still running, matched on date of birth and address."""
    return (Caregiver.objects
            .filter(date_of_birth=date_of_birth, postcode=postcode.replace(" ", "").upper(),
                    house_number__iexact=house_number.strip(), state__in=LINK_STATES,
                    merged_into__isnull=True)
            .order_by("registered_on", "pk").first())


def _lock_identity(details: dict) -> None:
    """Serialise submissions for the same person (date of birth + address), so two parallel
    requests by someone unknown register them once and store one request."""
    if connection.vendor != "postgresql":
        return
    identity = "|".join(str(details.get(k, "")).strip().upper()
                        for k in ("date_of_birth", "postcode", "house_number"))
    key = int.from_bytes(hashlib.sha256(identity.encode()).digest()[:8], "big", signed=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


def _validate_care(rules: AppreciationYear, recipient: dict, today: datetime.date) -> None:
    """The rules a person can check themselves: refused at once, with the reason."""
    if recipient["hours_per_week"] < rules.min_hours_per_week:
        raise RequestRefused(_(
            "De waardering is voor mantelzorgers die minstens %(n)s uur per week zorgen.")
            % {"n": rules.min_hours_per_week}, field="hours_per_week", code="hours")
    if recipient["care_since"] > add_months(today, -rules.min_months_of_care):
        raise RequestRefused(_(
            "De waardering is voor mantelzorgers die al minstens %(n)s maanden zorgen.")
            % {"n": rules.min_months_of_care}, field="care_since", code="duration")
    if not rules.recipient_postcode_ok(recipient["recipient_postcode"]):
        raise RequestRefused(_(
            "Uw naaste moet in Harderwijk of Hierden wonen. Bel ons gerust als u twijfelt."),
            field="recipient_postcode", code="residence")


def submit_request(data: RequestData, *, route: str, caregiver: Caregiver | None = None,
                   by=None, submission_key: uuid.UUID | None = None) -> AppreciationRequest:
    """Store a request: match or register the caregiver, run the checks, send the receipt.

    Refused (RequestRefused, nothing stored) outside the window, below the minimum care, for
    a bank payout without IBAN, and for a second request by the same caregiver this year —
    also when two arrive at once (the database constraint decides). A repeated submission
    of the same form (same key) returns the first request.
    """
    if submission_key:
        existing = AppreciationRequest.objects.filter(submission_key=submission_key).first()
        if existing:
            return existing
    today = clock.today()
    rules = open_year(today)
    if rules is None:
        raise RequestRefused(_("U kunt de waardering nu niet aanvragen."), code="closed")
    _validate_care(rules, data.recipient, today)
    try:
        with transaction.atomic():
            return _submit(rules, data, route, caregiver, by, submission_key)
    except IntegrityError:
        existing = AppreciationRequest.objects.filter(submission_key=submission_key).first()
        if submission_key and existing:
            return existing
        raise RequestRefused(_already_requested(rules), code="duplicate") from None


def _already_requested(rules) -> str:
    return _("Voor deze mantelzorger is de waardering van %(year)s al aangevraagd. U kunt "
             "één keer per jaar een waardering krijgen.") % {"year": rules.year}


def _submit(rules, data, route, caregiver, by, submission_key):
    if caregiver is None:
        _lock_identity(data.caregiver)
        caregiver = find_caregiver(data.caregiver["date_of_birth"], data.caregiver["postcode"],
                                   data.caregiver["house_number"])
    was_unknown = caregiver is None
    if was_unknown:
        caregiver = _register_through_request(data, route, by)
    caregiver = Caregiver.objects.select_for_update().get(pk=caregiver.pk)
    if (AppreciationRequest.objects.filter(year=rules, caregiver=caregiver)
            .exclude(state=RequestState.INGETROKKEN).exists()):
        raise RequestRefused(_already_requested(rules), code="duplicate")
    age_group = AgeGroup.YOUNG if caregiver.is_young() else AgeGroup.ADULT
    payout = rules.payout_for(age_group)
    if payout == PayoutForm.BANK and not data.iban:
        raise RequestRefused(_("Vul het rekeningnummer (IBAN) in."), field="iban", code="iban")
    now = clock.now()
    request = AppreciationRequest(
        year=rules, caregiver=caregiver, route=route,
        requester_name=data.requester.get("name", ""),
        requester_relation=data.requester.get("relation", ""),
        requester_contact=data.requester.get("contact", ""),
        caregiver_confirmed_at=None if route == Route.ON_BEHALF else now,
        caregiver_was_unknown=was_unknown,
        recipient_name=data.recipient["recipient_name"],
        recipient_postcode=data.recipient["recipient_postcode"].replace(" ", "").upper(),
        recipient_house_number=data.recipient["recipient_house_number"],
        hours_per_week=data.recipient["hours_per_week"],
        care_since=data.recipient["care_since"],
        age_group=age_group, payout_form=payout, amount_cents=rules.amount_for(age_group),
        iban=data.iban if payout == PayoutForm.BANK else "",
        account_holder=data.account_holder if payout == PayoutForm.BANK else "",
        submission_key=submission_key, submitted_at=now,
    )
    request.save()  # a racing twin fails here, on the one-per-year constraint
    refresh_checks(request)
    request.save(update_fields=["checks", "checks_passed"])
    from worker.models import LetterKind

    queue_letter(request, LetterKind.WAARDERING_RECEIPT)
    if route == Route.ON_BEHALF:
        queue_letter(request, LetterKind.WAARDERING_CONFIRM)
    return request


def _register_through_request(data, route, by) -> Caregiver:
    """Someone unknown asked: register them (the seed counts these: '109 of 168')."""
    details = dict(data.caregiver)
    wants_newsletter = details.pop("wants_newsletter", False)
    guardian = details.pop("guardian", None)  # under 16: who must agree (art. 5 UAVG)
    recipient = data.recipient
    registration = RegistrationData(
        caregiver={**details, "channel": Channel.EMAIL if details.get("email") else Channel.POST,
                   "wants_newsletter": wants_newsletter},
        care_recipients=[{
            "name": recipient["recipient_name"],
            "relationship": recipient["relationship"],
            "lives_in_municipality": True,
            "living_together": recipient["living_together"],
            "hours_per_week": recipient["hours_per_week"],
            "care_since": recipient["care_since"],
        }],
        guardian=guardian,
        consent_given_by="namens" if route == Route.ON_BEHALF else "mantelzorger",
    )
    return registrations.register(registration, source=Source.WAARDERING, by=by)


# --- letters -----------------------------------------------------------------------------

def queue_letter(request: AppreciationRequest, kind: str) -> None:
    """Queue the letter for this step once (the key holds the step's number), and ask a
    worker to send it after commit."""
    from worker.models import Letter
    from worker.tasks import dispatch_letters

    step = Letter.objects.filter(appreciation_request=request, kind=kind).count() + 1
    Letter.objects.get_or_create(
        dedupe_key=f"{kind}:{request.pk}:{step}",
        defaults={"kind": kind, "caregiver_id": request.caregiver_id,
                  "appreciation_request": request, "created_at": clock.now()})
    transaction.on_commit(dispatch_letters.delay)


# --- the consulent's decisions ---------------------------------------------------------

def _locked(request: AppreciationRequest, expected_state: str | None) -> AppreciationRequest:
    """The request's row, locked. If the page showed another state than the one now stored,
    a colleague acted first: refuse, so nobody decides on what they did not see."""
    locked = (AppreciationRequest.objects.select_for_update(of=("self",))
              .select_related("year", "caregiver").get(pk=request.pk))
    if expected_state and locked.state != expected_state:
        raise ConcurrentTransition(_("De aanvraag is intussen veranderd."))
    return locked


def _require(method, user) -> None:
    """The transition's `permission` (staff or coordinator). A transition not allowed from
    the current state is left to raise TransitionNotAllowed when it is called."""
    meta, instance = method._django_fsm, method.__self__
    state = meta.field.get_state(instance)
    if meta.has_transition(state) and not meta.has_transition_perm(instance, state, user):
        raise PermissionDenied


def _start_review_if_new(request, by) -> None:
    if request.state == RequestState.INGEDIEND:
        _require(request.start_review, by)
        request.start_review(by=by, description=_("In behandeling genomen"))


@transaction.atomic
def start_review(request, by, expected_state=None) -> AppreciationRequest:
    request = _locked(request, expected_state)
    _require(request.start_review, by)
    request.start_review(by=by, description=_("In behandeling genomen"))
    request.save()
    return request


def budget_summary(year: AppreciationYear) -> dict:
    """Committed (approved or in a batch) and paid against the year's budget, in cents."""
    totals = dict(AppreciationRequest.objects.filter(year=year).values_list("state")
                  .annotate(total=Sum("amount_cents")).values_list("state", "total"))
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
    _require(request.approve, by)
    _check_budget(year, request.amount_cents, over_budget_ok)
    request.approve(by=by, description=_("Goedgekeurd"))
    request.decided_at = clock.now()
    request.save()
    _after_approval(request, by)
    return request


def _after_approval(request, by) -> None:
    """The approval letter; and a consulent who approved has checked the person, so a
    registration made through the request becomes active (as after an intake)."""
    from worker.models import LetterKind

    queue_letter(request, LetterKind.WAARDERING_APPROVED)
    if request.caregiver.state == State.AANGEMELD:
        registrations.mark_checked(request.caregiver, by)


@transaction.atomic
def reject(request, by, reason: str, text: str = "", *, expected_state=None):
    if reason not in RejectionReason.values:
        raise ValueError(f"unknown rejection reason {reason!r}")
    request = _locked(request, expected_state)
    _require(request.reject, by)
    request.reject(reason=reason, text=text, by=by,
                   description=f"{RejectionReason(reason).label}. {text}".strip())
    request.decided_at = clock.now()
    request.save()
    from worker.models import LetterKind

    queue_letter(request, LetterKind.WAARDERING_REJECTED)
    return request


@transaction.atomic
def ask_information(request, by, question: str, *, expected_state=None):
    request = _locked(request, expected_state)
    _start_review_if_new(request, by)
    _require(request.ask_information, by)
    due = clock.today() + datetime.timedelta(weeks=request.year.answer_within_weeks)
    request.ask_information(question=question, due_on=due, by=by, description=question)
    request.save()
    from worker.models import LetterKind

    queue_letter(request, LetterKind.WAARDERING_INFO)
    return request


@transaction.atomic
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
def confirm_by_caregiver(request, caregiver: Caregiver | None = None, by=None):
    """The caregiver agreed to a request made on their behalf (in Mijn gegevens, or on the
    phone with a consulent, who records it)."""
    request = _locked(request, None)
    if caregiver is not None and request.caregiver_id != caregiver.pk:
        raise PermissionDenied
    if by is None and caregiver is None:
        raise PermissionDenied
    if request.caregiver_confirmed_at is None:
        request.caregiver_confirmed_at = clock.now()
        refresh_checks(request)
        request.save(update_fields=["caregiver_confirmed_at", "checks", "checks_passed"])
    return request


@transaction.atomic
def withdraw(request, caregiver: Caregiver | None = None, by=None) -> AppreciationRequest:
    """The caregiver (or a consulent at their request) withdraws before a decision."""
    request = _locked(request, None)
    if caregiver is not None and request.caregiver_id != caregiver.pk:
        raise PermissionDenied
    request.withdraw(by=by, description=_("Ingetrokken door de mantelzorger"))
    request.save()
    return request


@transaction.atomic
def recheck(request) -> AppreciationRequest:
    request = _locked(request, None)
    refresh_checks(request)
    request.save(update_fields=["checks", "checks_passed"])
    return request


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


def expire_information_requests(today: datetime.date | None = None) -> int:
    """The daily job: questions not answered in time end in a rejection with a letter.

    Safe to run twice or in parallel: rows are claimed with SKIP LOCKED and only requests
    still waiting for an answer move.
    """
    from worker.models import LetterKind

    today = today or clock.today()
    expired = 0
    while True:
        with transaction.atomic():
            due = list(AppreciationRequest.objects.select_for_update(skip_locked=True)
                       .filter(state=RequestState.AANVULLING_NODIG, info_due_on__lt=today)
                       .order_by("pk")[:200])
            for request in due:
                request.expire(description=_("Geen antwoord op onze vraag"))
                request.decided_at = clock.now()
                request.save()
                queue_letter(request, LetterKind.WAARDERING_REJECTED)
        expired += len(due)
        if len(due) < 200:
            return expired
