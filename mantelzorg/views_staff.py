"""Staff login in two steps (password, then the code from an authenticator app) and setup.

Where staff SSO is configured the page also offers "Inloggen via uw organisatie"
(views_sso.py); STAFF_LOCAL_LOGIN=off leaves only that.

The password step does not log in a user who has an authenticator: it only remembers who
passed it, for a few minutes, so nothing is reachable with the password alone.
"""

import base64
import time

import qrcode
import qrcode.image.svg
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, get_user_model
from django.contrib.auth import login as auth_login
from django.contrib.auth.decorators import login_required
from django.db.models import Sum
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from core import clock
from core.ratelimit import client_ip
from core.staff_access import SSO_SESSION_KEY, has_confirmed_device, second_factor_ok

from . import services_sso
from .forms_staff import StaffLoginForm, TokenForm

PENDING_USER = "staff_pending_user"
PENDING_SINCE = "staff_pending_since"
PENDING_BACKEND = "staff_pending_backend"
PENDING_NEXT = "staff_pending_next"
PENDING_SECONDS = 300


def safe_next(request, candidate):
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse(settings.LOGIN_REDIRECT_URL)


def address_locked_out(request) -> bool:
    """Too many wrong passwords from this address, over all usernames together.

    django-axes locks one username *from one address*; this is the broader limit against one
    address guessing across many accounts, counted on axes' own records of the cool-off.
    """
    limit = settings.STAFF_LOGIN_FAILURES_PER_ADDRESS
    address = client_ip(request)
    if not limit or not address:
        return False
    failures = AccessAttempt.objects.filter(
        ip_address=address, attempt_time__gte=clock.now() - settings.AXES_COOLOFF_TIME,
    ).aggregate(total=Sum("failures_since_start"))["total"] or 0
    return failures >= limit


@sensitive_post_parameters("password")
@never_cache
def login_view(request):
    if request.method == "POST" and address_locked_out(request):
        return render(request, settings.AXES_LOCKOUT_TEMPLATE, status=429)
    next_url = request.POST.get("next") or request.GET.get("next", "")
    form = StaffLoginForm(request, data=request.POST or None)
    context = {"form": form, "next": next_url, "local_login": settings.STAFF_LOCAL_LOGIN,
               "sso_enabled": services_sso.enabled(), "sso_demo": settings.STAFF_SSO["demo"]}
    if request.method == "POST" and not settings.STAFF_LOCAL_LOGIN:
        return render(request, "mantelzorg/staff/login.html", context, status=403)
    if request.method == "POST" and form.is_valid():
        user = form.get_user()
        if settings.STAFF_2FA_REQUIRED and has_confirmed_device(user):
            request.session.cycle_key()
            request.session[PENDING_USER] = user.pk
            request.session[PENDING_SINCE] = time.time()
            request.session[PENDING_BACKEND] = user.backend
            request.session[PENDING_NEXT] = next_url
            return redirect("mantelzorg:staff_verify")
        auth_login(request, user)
        return redirect(safe_next(request, next_url))
    return render(request, "mantelzorg/staff/login.html", context)


def _pending_user(request):
    """The user who passed the password step, or the logged-in user who still needs 2FA."""
    if request.user.is_authenticated:
        return request.user, request.session.get(BACKEND_SESSION_KEY)
    pk = request.session.get(PENDING_USER)
    since = request.session.get(PENDING_SINCE, 0)
    if pk is None or time.time() - since > PENDING_SECONDS:
        return None, None
    user = get_user_model().objects.filter(pk=pk, is_active=True).first()
    return user, request.session.get(PENDING_BACKEND)


@never_cache
def verify_view(request):
    user, backend = _pending_user(request)
    if user is None:
        return redirect("mantelzorg:staff_login")
    if second_factor_ok(request) and request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        return redirect("mantelzorg:staff_setup_2fa" if request.user.is_authenticated
                        else "mantelzorg:staff_login")
    form = TokenForm(device, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        next_url = request.session.get(PENDING_NEXT, "")
        if not request.user.is_authenticated:
            auth_login(request, user, backend=backend)
        otp_login(request, device)
        for key in (PENDING_USER, PENDING_SINCE, PENDING_BACKEND, PENDING_NEXT):
            request.session.pop(key, None)
        return redirect(safe_next(request, next_url))
    return render(request, "mantelzorg/staff/verify.html", {"form": form})


def _qr_data_uri(url: str) -> str:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return "data:image/svg+xml;base64," + base64.b64encode(image.to_string()).decode()


@login_required
@never_cache
def setup_2fa_view(request):
    """Link an authenticator app: scan the QR code (or type the key), confirm with a code."""
    if has_confirmed_device(request.user) or request.session.get(SSO_SESSION_KEY):
        # SSO sessions passed the provider's second factor: no local authenticator needed.
        return redirect("mantelzorg:staff_verify" if not second_factor_ok(request)
                        else "mantelzorg:dashboard")
    device, _ = TOTPDevice.objects.get_or_create(
        user=request.user, confirmed=False, defaults={"name": "Authenticator-app"}
    )
    form = TokenForm(device, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        otp_login(request, device)
        return redirect("mantelzorg:dashboard")
    secret = base64.b32encode(device.bin_key).decode()
    return render(request, "mantelzorg/staff/setup_2fa.html", {
        "form": form,
        "qr_code": _qr_data_uri(device.config_url),
        "secret_groups": [secret[i:i + 4] for i in range(0, len(secret), 4)],
    })
