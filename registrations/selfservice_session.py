"""Who is signed in to Mijn gegevens: a caregiver id and an expiry time in the session.

Opening a sign-in link (`services.open_magic_link`) or DigiD (views_digid.py) lets one in;
with DigiD Machtigen the session also holds the representative's pseudonym. The caregiver is
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
WITH_KEY = "selfservice_signed_in_with"  # "link" or "digid"
REPRESENTATIVE_KEY = "selfservice_representative"  # DigiD Machtigen: a BSN pseudonym
# DigiD said who someone is, but no registration has that BSN pseudonym yet: kept briefly,
# to link it once they register or open their e-mailed link in this browser.
DIGID_TO_LINK_KEY = "selfservice_digid_to_link"


def _expiry() -> str:
    return (clock.now() + datetime.timedelta(minutes=SESSION_MINUTES)).isoformat()


def login(request, caregiver: Caregiver, *, digid: bool = False,
          representative: str = "") -> None:
    """Start a fresh session for this caregiver (new session key: no session fixation)."""
    request.session.cycle_key()
    request.session[CAREGIVER_KEY] = caregiver.pk
    request.session[EXPIRES_KEY] = _expiry()
    request.session[WITH_KEY] = "digid" if digid else "link"
    request.session[REPRESENTATIVE_KEY] = representative if digid else ""


def signed_in_with_digid(request) -> bool:
    return request.session.get(WITH_KEY) == "digid"


def representative(request) -> str:
    """The pseudonym of who acts for the signed-in caregiver (DigiD Machtigen), or ""."""
    return request.session.get(REPRESENTATIVE_KEY, "") if signed_in_with_digid(request) else ""


def remember_digid_to_link(request, pseudonym: str) -> None:
    request.session[DIGID_TO_LINK_KEY] = {"pseudonym": pseudonym, "until": _expiry()}


def digid_waiting_to_link(request) -> bool:
    pending = request.session.get(DIGID_TO_LINK_KEY) or {}
    try:
        return datetime.datetime.fromisoformat(pending["until"]) > clock.now()
    except (KeyError, TypeError, ValueError):
        return False


def take_digid_to_link(request) -> str:
    """The pseudonym waiting to be linked in this browser (once), or "" when none or late."""
    pending = request.session.pop(DIGID_TO_LINK_KEY, None) or {}
    try:
        until = datetime.datetime.fromisoformat(pending["until"])
    except (KeyError, TypeError, ValueError):
        return ""
    return pending.get("pseudonym", "") if until > clock.now() else ""


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
        # The form of address of every page this person sees (context_processors.py).
        request.caregiver_is_young = caregiver.is_young()
        return view(request, caregiver, *args, **kwargs)

    return wrapper
