"""Who is signed in to Mijn gegevens: a caregiver id and an expiry time in the session.

Opening a sign-in link is the only way in (`services.open_magic_link`). The caregiver is
always taken from here, never from an id in a URL or form, so one caregiver can never reach
another's data. The session ends after SESSION_MINUTES without activity, and as soon as the
registration no longer allows signing in (ended or erased, e.g. by a consulent).
"""

import datetime
import functools

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from core import clock

from .models import LINK_STATES, Caregiver

SESSION_MINUTES = 30
CAREGIVER_KEY = "selfservice_caregiver_id"
EXPIRES_KEY = "selfservice_expires_at"


def _expiry() -> str:
    return (clock.now() + datetime.timedelta(minutes=SESSION_MINUTES)).isoformat()


def login(request, caregiver: Caregiver) -> None:
    """Start a fresh session for this caregiver (new session key: no session fixation)."""
    request.session.cycle_key()
    request.session[CAREGIVER_KEY] = caregiver.pk
    request.session[EXPIRES_KEY] = _expiry()


def logout(request) -> None:
    """Forget everything in this browser's session (it may be a shared computer)."""
    request.session.flush()


def _expired(request) -> bool:
    try:
        expires_at = datetime.datetime.fromisoformat(request.session[EXPIRES_KEY])
    except (KeyError, TypeError, ValueError):
        return True
    return expires_at <= clock.now()


def current_caregiver(request) -> tuple[Caregiver | None, bool]:
    """(the signed-in caregiver or None, whether a session just ran out).

    A valid session is extended by SESSION_MINUTES: the limit is on time without activity.
    """
    caregiver_id = request.session.get(CAREGIVER_KEY)
    if caregiver_id is None:
        return None, False
    if _expired(request):
        logout(request)
        return None, True
    caregiver = (Caregiver.objects.select_related("district", "guardian")
                 .filter(pk=caregiver_id, state__in=LINK_STATES).first())
    if caregiver is None:
        logout(request)
        return None, True
    request.session[EXPIRES_KEY] = _expiry()
    return caregiver, False


def caregiver_required(view):
    """Call `view(request, caregiver, ...)` for a signed-in caregiver; else ask for a link."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        caregiver, expired = current_caregiver(request)
        if caregiver is None:
            if expired:
                messages.info(request, _(
                    "U was een tijd niet actief. Daarom bent u uitgelogd. "
                    "Vraag een nieuwe link aan om verder te gaan."))
            return redirect("registrations:request_link")
        return view(request, caregiver, *args, **kwargs)

    return wrapper
