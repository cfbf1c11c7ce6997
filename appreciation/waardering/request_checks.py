"""Automatic checks on a waardering request, shown to the consulent.

They run on submission and again when something changes (an answer, a confirmation, a
consulent's "check again"). A failed check never rejects anything by itself: a consulent
decides. Only requests that pass every check may be approved in bulk by a coordinator.
"""

from django.utils.translation import gettext as _

from core.dates import add_months
from registrations.models import State

from ..models import AppreciationRequest, RequestState, Route


def _check(code: str, ok: bool, label: str, detail: str = "") -> dict:
    return {"code": code, "ok": bool(ok), "label": label, "detail": detail}


def _same_year(request):
    return (AppreciationRequest.objects.filter(year_id=request.year_id)
            .exclude(state=RequestState.INGETROKKEN).exclude(pk=request.pk))


def compute_checks(request: AppreciationRequest) -> list[dict]:
    """Every check with its outcome; the order is the order the consulent reads them."""
    rules = request.year
    caregiver = request.caregiver
    submitted_on = request.submitted_at.date()
    others = _same_year(request)
    checks = [
        _check("hours", request.hours_per_week >= rules.min_hours_per_week,
               _("Minstens %(n)s uur zorg per week") % {"n": rules.min_hours_per_week},
               _("Opgegeven: %(n)s uur") % {"n": request.hours_per_week}),
        _check("duration",
               request.care_since <= add_months(submitted_on, -rules.min_months_of_care),
               _("Zorgt minstens %(n)s maanden") % {"n": rules.min_months_of_care},
               _("Zorgt sinds %(d)s") % {"d": request.care_since.strftime("%d-%m-%Y")}),
        _check("residence", rules.recipient_postcode_ok(request.recipient_postcode),
               _("Naaste woont in de gemeente"),
               _("Postcode naaste: %(p)s") % {"p": request.recipient_postcode}),
    ]
    duplicates = others.filter(
        caregiver__date_of_birth=caregiver.date_of_birth,
        caregiver__postcode=caregiver.postcode,
        caregiver__house_number__iexact=caregiver.house_number).count()
    checks.append(_check("duplicate", duplicates == 0, _("Geen andere aanvraag dit jaar"),
                         _("%(n)s aanvraag of aanvragen van iemand met dezelfde "
                           "geboortedatum en hetzelfde adres") % {"n": duplicates}
                         if duplicates else ""))
    if rules.max_per_recipient:
        same_recipient = others.filter(
            recipient_name__iexact=request.recipient_name,
            recipient_postcode=request.recipient_postcode,
            recipient_house_number__iexact=request.recipient_house_number).count()
        checks.append(_check(
            "per_recipient", same_recipient < rules.max_per_recipient,
            _("Hoogstens %(n)s per naaste") % {"n": rules.max_per_recipient},
            _("Al %(n)s andere aanvraag of aanvragen voor deze naaste") % {"n": same_recipient}))
    if rules.max_per_address:
        same_address = others.filter(
            caregiver__postcode=caregiver.postcode,
            caregiver__house_number__iexact=caregiver.house_number).count()
        checks.append(_check(
            "per_address", same_address < rules.max_per_address,
            _("Hoogstens %(n)s per adres") % {"n": rules.max_per_address},
            _("Al %(n)s andere aanvraag of aanvragen op dit adres") % {"n": same_address}))
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
    if request.route == Route.ON_BEHALF:
        checks.append(_check("confirmed", request.caregiver_confirmed_at is not None,
                             _("Mantelzorger heeft de aanvraag bevestigd")))
    return checks


def refresh_checks(request: AppreciationRequest) -> None:
    """Recompute and store the checks (the caller saves inside its transaction)."""
    request.checks = compute_checks(request)
    request.checks_passed = all(check["ok"] for check in request.checks)
