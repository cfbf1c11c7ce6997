"""Automatic checks on a waardering request, shown to the consulent.

They run on submission and again when something changes (an answer, a confirmation, a
consulent's "check again"). A failed check never rejects anything by itself: a consulent
decides. Only requests that pass every check may be approved in bulk by a coordinator.
"""

import datetime
import unicodedata

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core import languages
from core.dates import add_months
from core.postcodes import CanonicalHouseNumber, canonical_house_number
from registrations.models import State

from ..models import NOT_COUNTED_STATES, AppreciationRequest, RequestState, Route

# Requests whose account the Servicepunt has checked and used (or is about to).
PAID_OR_APPROVED = [RequestState.GOEDGEKEURD, RequestState.IN_BETAALBATCH,
                    RequestState.UITBETAALD]


def _check(code: str, ok: bool, label: str, detail: str = "") -> dict:
    return {"code": code, "ok": bool(ok), "label": label, "detail": detail}


def _same_year(request):
    """This year's other requests; `caregiver_house` and `recipient_house` are their house
    numbers in canonical form ('12 a' is '12a'), as every address comparison uses."""
    return (AppreciationRequest.objects.filter(year_id=request.year_id)
            .exclude(state__in=NOT_COUNTED_STATES).exclude(pk=request.pk)
            .alias(caregiver_house=CanonicalHouseNumber("caregiver__house_number"),
                   recipient_house=CanonicalHouseNumber("recipient_house_number")))


def _registration_check(request, caregiver) -> dict | None:
    """Someone registered through this very request: nobody else vouched for them. Their
    e-mail confirmation only proves the address they typed themselves, so a stranger could
    register under a real caregiver's details (spelt a little differently) and be paid by
    bulk approval. A consulent checks such a registration first (`mark_checked`)."""
    if not request.caregiver_was_unknown:
        return None
    checked = caregiver.checked_by_consulent_at is not None
    return _check("registration_checked", checked,
                  _("Inschrijving gecontroleerd door een consulent"),
                  "" if checked else _(
                      "Nieuw ingeschreven via deze aanvraag. Kijk of deze persoon niet al "
                      "bij ons staat en of de gegevens kloppen. Klik dan bij de mantelzorger "
                      "op 'Gecontroleerd'."))


def _plain_name(name: str) -> str:
    """'  José  de Vries' and 'jose de vries' are the same name; accents, capitals, dots,
    dashes and spaces do not count."""
    decomposed = unicodedata.normalize("NFKD", name or "")
    return "".join(c for c in decomposed if c.isalnum()).casefold()


def _name_check(request, caregiver) -> dict | None:
    """The name typed on the public form against the name on file. Someone who knows a
    caregiver's date of birth and address can ask in their name; a different name is a
    warning sign for the consulent. Not for someone registered by this very request."""
    if not request.typed_name or request.caregiver_was_unknown:
        return None
    on_file = caregiver.full_name
    same = _plain_name(request.typed_name) == _plain_name(on_file)
    # No names in the stored checks (they outlive an erasure); the detail page shows both.
    return _check("name", same, _("Naam klopt met de inschrijving"),
                  "" if same else _("De ingevulde naam is anders dan de naam bij ons."))


def _previous_iban_check(request) -> dict | None:
    """A new account number for a caregiver we paid before: the money could go to someone
    else. Compared with the latest earlier year's approved or paid request."""
    if not request.iban:
        return None
    previous = (AppreciationRequest.objects
                .filter(caregiver_id=request.caregiver_id, year__year__lt=request.year.year,
                        state__in=PAID_OR_APPROVED).exclude(iban="")
                .order_by("-year__year", "-submitted_at").first())
    if previous is None:
        return None
    return _check("iban_previous", previous.iban == request.iban,
                  _("Zelfde rekeningnummer als vorig jaar"),
                  _("In %(year)s eindigde het rekeningnummer op %(end)s.")
                  % {"year": previous.year.year, "end": previous.iban[-4:]})


def _dmy(day: datetime.date) -> str:
    return day.strftime("%d-%m-%Y")


def care_in_year(care_since: datetime.date, care_ended_on: datetime.date,
                 year: int) -> tuple[datetime.date, datetime.date]:
    """The part of an ended care that fell in the waardering's year: from its start (or 1
    January) to its end. An end before the year gives an empty span (end before start)."""
    return max(care_since, datetime.date(year, 1, 1)), care_ended_on


def _duration_check(request, caregiver, submitted_on) -> dict:
    """Long enough care. A former caregiver (care ended) counts only the care given within
    the year: from its start or 1 January to the day it ended, at least the required months.
    The consulent sees the dates."""
    months = request.year.min_months_for(request.age_group)
    since = _dmy(request.care_since)
    ended_on = caregiver.care_ended_on if caregiver.state == State.VOORMALIG else None
    if ended_on is None:
        return _check("duration", request.care_since <= add_months(submitted_on, -months),
                      _("Zorgt minstens %(n)s maanden") % {"n": months},
                      _("Zorgt sinds %(d)s") % {"d": since})
    start, end = care_in_year(request.care_since, ended_on, request.year.year)
    label = _("Zorgde minstens %(n)s maanden in %(year)s") % {
        "n": months, "year": request.year.year}
    if end < start:
        return _check("duration", False, label, _(
            "Voormalig mantelzorger: de zorg stopte op %(end)s, voor %(year)s begon.") % {
            "end": _dmy(end), "year": request.year.year})
    return _check("duration", add_months(start, months) <= end, label,
                  _("Voormalig mantelzorger: zorgde van %(start)s tot %(end)s (zorg sinds "
                    "%(since)s, gestopt op %(end)s)") % {
                      "start": _dmy(start), "end": _dmy(end), "since": since})


def compute_checks(request: AppreciationRequest) -> list[dict]:
    """Every check with its outcome; the order is the order the consulent reads them."""
    rules = request.year
    caregiver = request.caregiver
    submitted_on = request.submitted_at.date()
    others = _same_year(request)
    min_hours = rules.min_hours_for(request.age_group)
    checks = [
        _check("hours", request.hours_per_week >= min_hours,
               _("Minstens %(n)s uur zorg per week") % {"n": min_hours},
               _("Opgegeven: %(n)s uur") % {"n": request.hours_per_week}),
        _duration_check(request, caregiver, submitted_on),
        _check("residence", rules.recipient_postcode_ok(request.recipient_postcode),
               _("Naaste woont in de gemeente"),
               _("Postcode naaste: %(p)s") % {"p": request.recipient_postcode}),
    ]
    duplicates = others.filter(
        caregiver__date_of_birth=caregiver.date_of_birth,
        caregiver__postcode=caregiver.postcode,
        caregiver_house=canonical_house_number(caregiver.house_number)).count()
    checks.append(_check("duplicate", duplicates == 0, _("Geen andere aanvraag dit jaar"),
                         ngettext("%(n)s aanvraag van iemand met dezelfde geboortedatum "
                                  "en hetzelfde adres",
                                  "%(n)s aanvragen van iemand met dezelfde geboortedatum "
                                  "en hetzelfde adres", duplicates) % {"n": duplicates}
                         if duplicates else ""))
    if rules.max_per_recipient:
        same_recipient = others.filter(
            recipient_name__iexact=request.recipient_name,
            recipient_postcode=request.recipient_postcode,
            recipient_house=canonical_house_number(request.recipient_house_number)).count()
        checks.append(_check(
            "per_recipient", same_recipient < rules.max_per_recipient,
            _("Hoogstens %(n)s per naaste") % {"n": rules.max_per_recipient},
            ngettext("Al %(n)s andere aanvraag voor deze naaste",
                     "Al %(n)s andere aanvragen voor deze naaste",
                     same_recipient) % {"n": same_recipient}))
    if rules.max_per_address:
        same_address = others.filter(
            caregiver__postcode=caregiver.postcode,
            caregiver_house=canonical_house_number(caregiver.house_number)).count()
        checks.append(_check(
            "per_address", same_address < rules.max_per_address,
            _("Hoogstens %(n)s per adres") % {"n": rules.max_per_address},
            ngettext("Al %(n)s andere aanvraag op dit adres",
                     "Al %(n)s andere aanvragen op dit adres",
                     same_address) % {"n": same_address}))
    name = _name_check(request, caregiver)
    if name:
        checks.append(name)
    previous_iban = _previous_iban_check(request)
    if previous_iban:
        checks.append(previous_iban)
    if request.iban:
        same_iban = others.filter(iban=request.iban).count() + 1
        checks.append(_check(
            "iban", same_iban <= rules.max_requests_per_iban,
            _("Rekeningnummer niet op te veel aanvragen"),
            _("Dit rekeningnummer staat op %(n)s aanvragen") % {"n": same_iban}))
    registered = caregiver.state in (State.ACTIEF, State.VOORMALIG)
    checks.append(_check(
        "registered", registered, _("Ingeschreven bij het Servicepunt"),
        _("Nieuw ingeschreven via deze aanvraag") if request.caregiver_was_unknown
        else caregiver.get_state_display()))
    registration_checked = _registration_check(request, caregiver)
    if registration_checked:
        checks.append(registration_checked)
    if request.route == Route.ON_BEHALF or request.needs_confirmation:
        checks.append(_check(
            "confirmed", request.caregiver_confirmed_at is not None,
            _("Mantelzorger heeft de aanvraag bevestigd"),
            "" if request.caregiver_confirmed_at else
            _("Niet ingelogd aangevraagd. De mantelzorger kreeg een code per e-mail of brief.")))
    return checks


@translation.override(languages.SOURCE)  # stored text: Dutch, whatever the page spoke
def refresh_checks(request: AppreciationRequest) -> None:
    """Recompute and store the checks (the caller saves inside its transaction). Staff read
    them, in Dutch, also when the caregiver asked on an Arabic page."""
    request.checks = compute_checks(request)
    request.checks_passed = all(check["ok"] for check in request.checks)
