"""Staff sign-in through the organisation's provider ("Inloggen via uw organisatie").

/backoffice/inloggen/organisatie/ sends the browser to the provider; it comes back at
…/terug, where core/oidc.py checks everything and services_sso decides who comes in. Any
fault (provider down or slow, a wrong or used state, a bad token, a cancel) is a Dutch page
with a way back and no session. Signing out of an SSO session also signs out at the
provider (RP-initiated logout).
"""

import logging

from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from core import oidc
from core.staff_access import SSO_SESSION_KEY

from . import services_sso
from .views_staff import safe_next

logger = logging.getLogger(__name__)
PENDING_KEY = "staff_sso_pending"
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _callback_url(request) -> str:
    return request.build_absolute_uri(reverse("mantelzorg:staff_sso_callback"))


def _failed(request, reason: str):
    """One page for every way signing in can fail; the status says what kind."""
    status = {"unreachable": 503, "cancelled": 200, "no_role": 403, "deactivated": 403,
              "no_second_factor": 403}.get(reason, 400)
    logger.info("Staff SSO sign-in not completed: %s", reason)
    return render(request, "mantelzorg/staff/sso_failed.html", {"reason": reason},
                  status=status)


@never_cache
@require_GET
def sso_start(request):
    if not services_sso.enabled():
        raise Http404
    try:
        url = oidc.start(request.session, PENDING_KEY, services_sso.provider(),
                         _callback_url(request), next=request.GET.get("next", ""))
    except oidc.SignInFailed as failed:
        return _failed(request, failed.reason)
    return redirect(url)


@never_cache
@require_GET
def sso_callback(request):
    if not services_sso.enabled():
        raise Http404
    try:
        claims, id_token, extra = oidc.finish(
            request.session, PENDING_KEY, services_sso.provider(), _callback_url(request),
            request.GET)
        user = services_sso.sign_in(claims)
    except oidc.SignInFailed as failed:
        return _failed(request, failed.reason)
    except services_sso.SsoRefused as refused:
        return _failed(request, refused.reason)
    auth_login(request, user, backend=MODEL_BACKEND)
    request.session[SSO_SESSION_KEY] = {"id_token": id_token}
    oidc.remember_provider(request.session, services_sso.provider())
    return redirect(safe_next(request, extra.get("next", "")))


@never_cache
@require_POST
def logout_view(request):
    """Sign out here; after an SSO sign-in, at the provider too."""
    sso = request.session.get(SSO_SESSION_KEY)
    auth_logout(request)
    back = request.build_absolute_uri(reverse("mantelzorg:staff_login"))
    if sso and services_sso.enabled():
        url = oidc.logout_url(services_sso.provider(), sso["id_token"], back)
        if url:
            return redirect(url)
    return redirect("mantelzorg:staff_login")
