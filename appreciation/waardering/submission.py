"""Submitting a waardering request: the window, the rules a person can check themselves,
matching or registering the caregiver, and one request per caregiver per year.

Used by the public form, Mijn gegevens and a consulent's paper entry. What happens after
submission (review, decisions, letters) is in `services.py`.
"""

import datetime
import hashlib
import uuid
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from core import clock, languages
from core.dates import add_months
from core.locks import lock_until_commit
from core.postcodes import canonical_house_number, normalise_postcode
from registrations import services as registrations
from registrations.models import Caregiver, Channel, RegistrationRules, Source
from registrations.selectors import find_caregiver
from registrations.services import RegistrationData
from worker.services import queue_letter as queue

from ..models import (
    NOT_COUNTED_STATES,
    AgeGroup,
    AppreciationLetter,
    AppreciationRequest,
    AppreciationYear,
    PayoutForm,
    Route,
)
from . import confirmation
from .request_checks import refresh_checks
from .services import queue_letter


def _dutch(text: str) -> str:
    """A text stored for staff: in Dutch, whatever language the caregiver's page spoke."""
    with translation.override(languages.SOURCE):
        return _(text)


class RequestRefused(Exception):
    """A request that cannot be stored, with a Dutch message for the person (and the form
    field it belongs to, if any). A duplicate carries the request already there, so the
    caregiver can be told through their own channel (`report_duplicate`)."""

    def __init__(self, message: str, field: str | None = None, code: str = "",
                 existing: AppreciationRequest | None = None):
        super().__init__(message)
        self.message, self.field, self.code = message, field, code
        self.existing = existing


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
    (absent when the caregiver signed in with a link or DigiD). `requester`: who asked on
    the caregiver's behalf. `recipient`: the care (name, postcode, house number, relationship,
    living_together, hours_per_week, care_since).
    """

    recipient: dict
    iban: str = ""
    account_holder: str = ""
    caregiver: dict | None = None
    requester: dict = field(default_factory=dict)
    # Signed in with DigiD Machtigen: who acts for the signed-in caregiver (a pseudonym).
    mandate_representative: str = ""


def _lock_identity(details: dict) -> None:
    """Serialise submissions for the same person (date of birth + address), so two parallel
    requests by someone unknown register them once and store one request."""
    identity = (f"{details['date_of_birth']}|{normalise_postcode(details['postcode'])}"
                f"|{canonical_house_number(details['house_number'])}")
    lock_until_commit(
        int.from_bytes(hashlib.sha256(identity.encode()).digest()[:8], "big", signed=True))


def age_group_of(date_of_birth: datetime.date | None) -> str:
    """Young up to and including the registration rules' young_max_age, today."""
    if date_of_birth is None:
        return AgeGroup.ADULT
    young = clock.age_on(date_of_birth, clock.today()) <= RegistrationRules.current().young_max_age
    return AgeGroup.YOUNG if young else AgeGroup.ADULT


def _validate_care(rules: AppreciationYear, recipient: dict, today: datetime.date,
                   age_group: str) -> None:
    """The rules a person can check themselves (those of their age group): refused at once,
    with the reason."""
    min_hours, min_months = rules.min_hours_for(age_group), rules.min_months_for(age_group)
    if recipient["hours_per_week"] < min_hours:
        raise RequestRefused(_(
            "De waardering is voor mantelzorgers die minstens %(n)s uur per week zorgen.")
            % {"n": min_hours}, field="hours_per_week", code="hours")
    if recipient["care_since"] > add_months(today, -min_months):
        raise RequestRefused(_(
            "De waardering is voor mantelzorgers die al minstens %(n)s maanden zorgen.")
            % {"n": min_months}, field="care_since", code="duration")
    if not rules.recipient_postcode_ok(recipient["recipient_postcode"]):
        raise RequestRefused(_(
            "Uw naaste moet in Harderwijk of Hierden wonen. Bel ons gerust als u twijfelt."),
            field="recipient_postcode", code="residence")


def submit_request(data: RequestData, *, route: str, caregiver: Caregiver | None = None,
                   by=None, submission_key: uuid.UUID | None = None) -> AppreciationRequest:
    """Store a request: match or register the caregiver, run the checks, send the receipt.

    Refused (RequestRefused, nothing stored) outside the window, below the minimum care, for
    a bank payout without IBAN, and for a second request by the same caregiver this year —
    also when two arrive at once: each waits for the caregiver's row (and someone unknown
    for their identity), so the second sees the first. A repeated submission of the same
    form (same key) returns the first request, also when both arrive at once.

    `caregiver` is the caregiver signed in to Mijn gegevens (or None: the details were typed).
    Typed details that match an existing registration do not prove who typed them: such a
    request, like one on someone's behalf, waits for the caregiver's confirmation through
    their own channel on file (a code by e-mail or post) before anyone can approve it.
    """
    if submission_key:
        existing = AppreciationRequest.objects.filter(submission_key=submission_key).first()
        if existing:
            return existing
    today = clock.today()
    rules = open_year(today)
    if rules is None:
        raise RequestRefused(_("U kunt de waardering nu niet aanvragen."), code="closed")
    born = caregiver.date_of_birth if caregiver else (data.caregiver or {}).get("date_of_birth")
    _validate_care(rules, data.recipient, today, age_group_of(born))
    with transaction.atomic():
        return _submit(rules, data, route, caregiver, by, submission_key)


def _already_requested(rules) -> str:
    return _("Voor deze mantelzorger is de waardering van %(year)s al aangevraagd. U kunt "
             "één keer per jaar een waardering krijgen.") % {"year": rules.year}


def _request_of(rules, caregiver) -> AppreciationRequest | None:
    """This year's request of the caregiver, if any (withdrawn ones do not count)."""
    return (AppreciationRequest.objects.filter(year=rules, caregiver=caregiver)
            .exclude(state__in=NOT_COUNTED_STATES).select_related("year").first())


def _typed_name(details: dict | None) -> str:
    if not details:
        return ""
    return " ".join(str(details[part]).strip()
                    for part in ("first_name", "surname_prefix", "last_name")
                    if details.get(part))[:150]


def _submit(rules, data, route, caregiver, by, submission_key):
    signed_in = caregiver is not None
    if caregiver is None:
        _lock_identity(data.caregiver)
        caregiver = find_caregiver(data.caregiver["date_of_birth"], data.caregiver["postcode"],
                                   data.caregiver["house_number"])
    was_unknown = caregiver is None
    if was_unknown:
        caregiver = _register_through_request(data, route, by)
    # Every submission for this caregiver waits here for the one before it to finish.
    caregiver = Caregiver.objects.select_for_update().get(pk=caregiver.pk)
    existing = _request_of(rules, caregiver)
    if existing is not None:
        if submission_key and existing.submission_key == submission_key:
            return existing  # the same form sent twice at once (a double click)
        raise RequestRefused(_already_requested(rules), code="duplicate", existing=existing)
    age_group = AgeGroup.YOUNG if caregiver.is_young() else AgeGroup.ADULT
    payout = rules.payout_for(age_group)
    if payout == PayoutForm.BANK and not data.iban:
        raise RequestRefused(_("Vul het rekeningnummer (IBAN) in."), field="iban", code="iban")
    now = clock.now()
    # Someone unknown registers through this request: nobody else is on file to ask, and
    # their registration is checked as any other (e-mail confirmation or a consulent). A
    # consulent's paper entry and a signed-in caregiver need no confirmation either.
    # DigiD Machtigen: the representative is authorised to act for the signed-in caregiver.
    mandate = signed_in and bool(data.mandate_representative and caregiver.bsn_pseudonym)
    needs_confirmation = route == Route.ON_BEHALF or (
        route == Route.SELF and not signed_in and not was_unknown)
    request = AppreciationRequest(
        year=rules, caregiver=caregiver, route=route,
        requester_name=data.requester.get("name", "") or (
            _dutch("Gemachtigde (DigiD Machtigen)") if mandate else ""),
        requester_relation=data.requester.get("relation", ""),
        requester_contact=data.requester.get("contact", ""),
        caregiver_confirmed_at=None if needs_confirmation else now,
        needs_confirmation=needs_confirmation,
        typed_name=_typed_name(data.caregiver),
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
        mandate_representee=caregiver.bsn_pseudonym if mandate else "",
        mandate_representative=data.mandate_representative if mandate else "",
    )
    request.save()  # the one-per-year constraint backs the check above
    refresh_checks(request)
    if needs_confirmation:
        confirmation.issue(request)
    request.save(update_fields=["checks", "checks_passed", *confirmation.CODE_FIELDS])
    if route == Route.ON_BEHALF or not needs_confirmation:
        queue_letter(request, AppreciationLetter.WAARDERING_RECEIPT)
    if needs_confirmation:  # the letter that says how to confirm also says what comes next
        queue_letter(request, AppreciationLetter.WAARDERING_CONFIRM)
    return request


@transaction.atomic
def report_duplicate(existing: AppreciationRequest) -> None:
    """Someone not signed in asked again for a caregiver who already has a request this
    year. The page they see does not say so (it would tell a stranger who is registered);
    the caregiver hears it through their own channel, at most once a day."""
    kind = AppreciationLetter.WAARDERING_DUPLICATE
    queue(kind, existing.caregiver_id, f"{kind}:{existing.pk}:{clock.today().isoformat()}",
          about=existing)


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
