"""/waardering/opnieuw: ask again in one step with the invitation's code (the e-mail's link
fills it in; a letter prints it). Opening the link changes nothing (mail scanners open
links): the page shows last year's naaste and the account's last 4 digits, and the person
ticks "Ik zorg nog steeds voor …" and presses one button. Rate limited per client address.

A wrong or made-up code gets a message next to the field and tells nothing else; a used
code, a closed window, an ended registration or a request already made get a page that
says so. The request itself is made by `renewal.submit_renewal` through the submission
service; this year's rules may still refuse it (the message is shown on the page).
"""

from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from core import ratelimit
from core.formats import euros

from ..models import AgeGroup, PayoutForm
from . import renewal
from .forms_public import RenewalCodeForm, RenewalForm
from .submission import RequestRefused, age_group_of

TEMPLATE = "appreciation/waardering/public/renewal.html"
WRONG_CODE = _("Deze code klopt niet. Kijk of u de code goed heeft overgenomen. Lukt het "
               "niet? Vraag de waardering dan aan met het gewone formulier, of bel ons.")


@never_cache
@require_http_methods(["GET", "POST"])
@ratelimit.limit("form")
def renewal_page(request):
    posted = request.method == "POST"
    code = ((request.POST if posted else request.GET).get("code") or "")[:30]
    code_form = RenewalCodeForm({"code": code} if (posted or code) else None)
    if not code_form.is_valid():
        return _code_page(request, code_form)
    invitation = renewal.find(code_form.cleaned_data["code"])
    if invitation is None:
        code_form.add_error("code", WRONG_CODE)
        return _code_page(request, code_form)
    try:
        renewal.check_usable(invitation)
    except renewal.RenewalRefused as refused:
        return _refused(request, refused.message, refused.code)
    facts = _facts(invitation)
    form_kwargs = {"recipient_name": invitation.previous.recipient_name,
                   "iban_required": facts["bank"] and not facts["iban_end"]}
    confirming = posted and request.POST.get("stap") == "bevestigen"
    form = RenewalForm(request.POST if confirming else None, **form_kwargs)
    error = ""
    if confirming and form.is_valid():
        try:
            made = renewal.submit_renewal(invitation, iban=form.cleaned_data["iban"],
                                          account_holder=form.cleaned_data["account_holder"])
        except renewal.RenewalRefused as refused:
            return _refused(request, refused.message, refused.code)
        except RequestRefused as refused:
            if refused.field in ("iban", "account_holder"):
                form.add_error(refused.field, refused.message)
            else:
                error = refused.message
        else:
            return render(request, "appreciation/waardering/public/renewal_sent.html", {
                "reference": made.reference, "young": facts["young"],
                "amount": euros(made.amount_cents)})
    context = {"form": form, "code": renewal.normalise(code), "error": error,
               "invitation": invitation, **facts}
    return render(request, TEMPLATE, context, status=400 if confirming else 200)


def _facts(invitation) -> dict:
    """What the page shows: this year's amount and payout for the person's age group now,
    last year's naaste and account (last 4 digits and holder only)."""
    group = age_group_of(invitation.caregiver.date_of_birth)
    year, previous = invitation.year, invitation.previous
    return {"year": year, "previous": previous, "young": group == AgeGroup.YOUNG,
            "amount": euros(year.amount_for(group)),
            "bank": year.payout_for(group) == PayoutForm.BANK,
            "iban_end": previous.iban[-4:] if previous.iban else "",
            "holder": previous.account_holder}


def _code_page(request, form):
    return render(request, TEMPLATE, {"code_form": form},
                  status=400 if form.is_bound and form.errors else 200)


def _refused(request, message: str, code: str):
    return render(request, "appreciation/waardering/public/renewal_refused.html",
                  {"message": message, "reason": code}, status=409)
