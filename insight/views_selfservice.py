"""The caregiver's side of the burden self-check: the page in Mijn gegevens and the result.

The check is offered at three places (registration, waardering request, Mijn gegevens);
each announces it (registrations/burden.py), insight stores it (services.record_burden_check)
and then shows the same result page. The result page reads only what the session says (the
score, "je" or "u", where to go on), so it shows no personal data and needs no sign-in: a
person who just registered sees it too.
"""

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from registrations.burden import RESULT_SESSION_KEY, CheckContext, record_and_remember
from registrations.forms_burden import BurdenCheckForm
from registrations.selfservice_session import caregiver_required

from .models import InsightRules

# Where the result page goes on, per place the check was filled in (never from the request).
NEXT_STEP = {
    CheckContext.REGISTRATION: ("registrations:register_sent",
                                _("Verder: wat gebeurt er nu met uw aanmelding?")),
    CheckContext.WAARDERING: ("appreciation:waardering_sent",
                              _("Verder: wat gebeurt er nu met uw aanvraag?")),
    CheckContext.SELF_SERVICE: ("registrations:my_data", _("Terug naar Mijn gegevens")),
}
# MantelzorgNL's national helpline for caregivers.
MANTELZORGLIJN = {"phone": "030 760 60 55", "url": "https://www.mantelzorg.nl"}


@never_cache
@require_http_methods(["GET", "POST"])
@caregiver_required
def self_check(request, caregiver):
    """The check in Mijn gegevens. Skipping stores nothing and goes back to the overview."""
    young = caregiver.is_young()
    form = BurdenCheckForm(request.POST if request.method == "POST" else None, young=young)
    if request.method == "POST" and form.is_valid():
        if form.answers is None:
            return redirect("registrations:my_data")
        return redirect(record_and_remember(request, caregiver, form.answers,
                                            CheckContext.SELF_SERVICE, young=young))
    return render(request, "insight/selfservice/self_check.html",
                  {"form": form, "caregiver": caregiver, "young": young})


@never_cache
@require_http_methods(["GET"])
def result(request):
    """What the answers suggest, in plain words and without a diagnosis, and where to get
    help now."""
    outcome = request.session.get(RESULT_SESSION_KEY)
    if not outcome or outcome.get("context") not in NEXT_STEP:
        return redirect("home")
    url_name, next_label = NEXT_STEP[outcome["context"]]
    rules = InsightRules.current()
    heavy = outcome["score"] >= rules.heavy_from_score if "score" in outcome \
        else bool(outcome.get("heavy"))  # a session from before the score was kept
    return render(request, "insight/selfservice/result.html", {
        "heavy": heavy,
        "young": outcome["young"],
        "days": rules.call_back_within_days,
        "mantelzorglijn": MANTELZORGLIJN,
        "next_url": reverse(url_name),
        "next_label": next_label,
    })
