"""A consulent types in a paper request form: the online form's steps on one page.

The same forms as online (with prefixes), route CONSULENT, the consulent recorded as `by`.
A hidden key makes pressing the button twice store one request.
"""

import uuid

from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from core.formats import euros
from core.staff_access import staff_required

from ..models import Route
from .forms_public import (
    CareForm,
    CaregiverDetailsForm,
    NewsletterForm,
    PaperSignedForm,
    PaymentForm,
    age_group_for,
    payout_needs_bank,
)
from .submission import RequestData, RequestRefused, next_opening, open_year, submit_request


def _submission_key(value) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return uuid.uuid4()


@never_cache
@require_http_methods(["GET", "POST"])
@staff_required
def paper_entry(request):
    year = open_year()
    if year is None:
        return render(request, "appreciation/waardering/intake/closed.html",
                      {"next_opening": next_opening()})
    data = request.POST if request.method == "POST" else None
    caregiver_form = CaregiverDetailsForm(data, prefix="mantelzorger")
    born = caregiver_form.cleaned_data.get("date_of_birth") \
        if data is not None and caregiver_form.is_valid() else None
    forms = {
        "caregiver": caregiver_form,
        # Young caregivers may have criteria of their own: known once the birth date is.
        "care": CareForm(data, prefix="zorg", year=year, age_group=age_group_for(born)),
        "payment": PaymentForm(data, prefix="betaling", required=False),
        "newsletter": NewsletterForm(data, prefix="nieuwsbrief"),
        "signed": PaperSignedForm(data, prefix="papier"),
    }
    key = _submission_key(request.POST.get("submission_key")) if data else uuid.uuid4()
    error = ""
    if data is not None and all([form.is_valid() for form in forms.values()]):
        born = forms["caregiver"].cleaned_data["date_of_birth"]
        if payout_needs_bank(year, born) and not forms["payment"].cleaned_data["iban"]:
            forms["payment"].add_error("iban", _("Vul het rekeningnummer (IBAN) in."))
        else:
            try:
                stored = submit_request(_request_data(forms), route=Route.CONSULENT,
                                        by=request.user, submission_key=key)
            except RequestRefused as refused:
                error = _place_refusal(forms, refused)
            else:
                return redirect("appreciation:review_detail", stored.pk)
    return render(request, "appreciation/waardering/intake/entry.html", {
        **forms, "submission_key": key, "error": error, "year": year,
        "amount_adult": euros(year.amount_adult_cents),
        "amount_young": euros(year.amount_young_cents)})


def _request_data(forms) -> RequestData:
    caregiver = {**forms["caregiver"].cleaned_data,
                 "wants_newsletter": forms["newsletter"].cleaned_data["wants_newsletter"]}
    payment = forms["payment"].cleaned_data
    return RequestData(recipient=dict(forms["care"].cleaned_data), caregiver=caregiver,
                       iban=payment["iban"], account_holder=payment["account_holder"])


def _place_refusal(forms, refused: RequestRefused) -> str:
    """Put the service's message next to its field; without a field, above the form."""
    for form in forms.values():
        if refused.field and refused.field in form.fields:
            form.add_error(refused.field, refused.message)
            return ""
    return refused.message
