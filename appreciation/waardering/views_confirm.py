"""/waardering/bevestigen: the caregiver confirms a request with the code from their e-mail
(the link fills it in) or letter. Nothing is confirmed by opening the link alone (mail
scanners open links): the person presses the button. Rate limited per client address; a
wrong, used or expired code gets one message next to the field and tells nothing else.
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
            confirmed = services.confirm_with_code(form.cleaned_data["code"])
            if confirmed is not None:
                return render(request, "appreciation/waardering/public/confirmed.html",
                              {"reference": confirmed.reference})
            form.add_error("code", _(
                "Deze code klopt niet, is al gebruikt of is verlopen. Kijk of u de code goed "
                "heeft overgenomen. Lukt het niet? Bel ons gerust."))
    else:
        form = ConfirmCodeForm(initial={"code": request.GET.get("code", "")[:20]})
    return render(request, TEMPLATE, {"form": form})
