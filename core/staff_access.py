"""Who may see staff pages: a consulent or coordinator, logged in, with the second factor.

The second factor is the local authenticator code, or, for a session signed in through the
organisation's provider (staff SSO), the provider's own second factor, checked at sign-in
(mantelzorg/services_sso.py) and marked in the session under SSO_SESSION_KEY.

Every back-office view is wrapped in `staff_required` (or `coordinator_required`), so a new
page cannot forget the two-factor check.
"""

from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django_otp.plugins.otp_totp.models import TOTPDevice

from core import roles

SSO_SESSION_KEY = "staff_sso"


def second_factor_ok(request) -> bool:
    """True when 2FA is not required (demo mode) or this session passed the second factor
    (the local code, or the provider's at an SSO sign-in)."""
    if not settings.STAFF_2FA_REQUIRED:
        return True
    if request.session.get(SSO_SESSION_KEY):
        return True
    return bool(getattr(request.user, "is_verified", lambda: False)())


def has_confirmed_device(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def _guard(view, role_check):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not role_check(user):
            raise PermissionDenied
        if not second_factor_ok(request):
            if has_confirmed_device(user):
                return redirect("mantelzorg:staff_verify")
            return redirect("mantelzorg:staff_setup_2fa")
        return view(request, *args, **kwargs)

    return wrapper


def staff_required(view):
    return _guard(view, roles.is_staff_member)


def coordinator_required(view):
    return _guard(view, roles.is_coordinator)
