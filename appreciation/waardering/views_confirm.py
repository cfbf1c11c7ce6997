"""/waardering/bevestigen: the caregiver confirms a request with the code from their e-mail
(the link fills it in) or letter. Nothing is confirmed by opening the link alone (mail
scanners open links): the person presses the button. Two posts: the code first, then (for
a valid code only) the page says where the money goes, last 4 digits of the account and
the holder, and the person confirms. Rate limited per client address (both posts count);
a wrong, used or expired code gets one message next to the field and tells nothing else.
"""

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from core import ratelimit

from . import services
from .forms_public import ConfirmCodeForm

TEMPLATE = "appreciation/waardering/public/confirm_code.html"


@never_cache
@require_http_methods(["GET", "POST"])
@ratelimit.limit("form")
def confirm_code(request):
    if request.method == "POST":
        form = ConfirmCodeForm(request.POST)
        if form.is_valid():
            code = form.cleaned_data["code"]
            if request.POST.get("bevestigen") != "ja":
                waiting = services.waiting_for_code(code)
                if waiting is not None:
                    return render(request, TEMPLATE, {"form": form, "code": code,
                                                      "account": _account(waiting)})
            else:
                confirmed = services.confirm_with_code(code)
                if confirmed is not None:
                    return render(request, "appreciation/waardering/public/confirmed.html",
                                  {"reference": confirmed.reference})
            form.add_error("code", _(
                "Deze code klopt niet, is al gebruikt of is verlopen. Kijk of u de code goed "
                "heeft overgenomen. Lukt het niet? Bel ons gerust."))
    else:
        form = ConfirmCodeForm(initial={"code": request.GET.get("code", "")[:20]})
    return render(request, TEMPLATE, {"form": form})


def _account(waiting) -> dict:
    """Where the money would go, as much as the person needs to recognise it: the last 4
    digits of the account (never the whole IBAN) and the holder's name."""
    return {"iban_end": waiting.iban[-4:] if waiting.iban else "",
            "holder": waiting.account_holder}
