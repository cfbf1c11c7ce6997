"""Inloggen met DigiD: Mijn gegevens, the waardering and the zwemkaartjes, without the link.

/mijn-gegevens/digid/?next=/waardering sends the browser to the DigiD broker; it comes
back at …/terug. The BSN becomes a pseudonym at once (digid.py) and signs in the caregiver
whose registration has that pseudonym. Someone not linked yet is offered to register, or to
open their e-mailed link once in this browser, after which they are asked to link DigiD. A
caregiver signed in by link who then uses DigiD is asked the same. Every fault is a Dutch page
with the e-mail link as the way back; no session is signed in.
"""

import logging

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from core import oidc

from . import digid, services_digid
from . import selfservice_session as session
from .selfservice_session import caregiver_required

logger = logging.getLogger(__name__)
PENDING_KEY = "digid_pending"


def _callback_url(request) -> str:
    return request.build_absolute_uri(reverse("registrations:digid_callback"))


def _local_next(request, candidate: str) -> str:
    if candidate and candidate.startswith("/") and url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return candidate
    return reverse("registrations:my_data")


def _failed(request, reason: str):
    status = {"unreachable": 503, "cancelled": 200}.get(reason, 400)
    logger.info("DigiD sign-in not completed: %s", reason)
    return render(request, "registrations/selfservice/digid_failed.html", {"reason": reason},
                  status=status)


@never_cache
@require_GET
def digid_start(request):
    if not digid.enabled():
        raise Http404
    try:
        url = oidc.start(request.session, PENDING_KEY, digid.provider(), _callback_url(request),
                         next=_local_next(request, request.GET.get("next", "")))
    except oidc.SignInFailed as failed:
        return _failed(request, failed.reason)
    return redirect(url)


@never_cache
@require_GET
def digid_callback(request):
    if not digid.enabled():
        raise Http404
    try:
        claims, _id_token, extra = oidc.finish(
            request.session, PENDING_KEY, digid.provider(), _callback_url(request), request.GET)
        person = digid.person_from_claims(claims)
    except oidc.SignInFailed as failed:
        return _failed(request, failed.reason)
    except digid.NoUsableBsn:
        return _failed(request, "no_bsn")
    del claims  # the BSN goes no further; the ID token holding it is not kept either
    next_url = _local_next(request, extra.get("next", ""))
    if person.representee:
        caregiver = services_digid.caregiver_with_digid(person.representee)
        if caregiver is None:
            session.logout(request)
            return render(request, "registrations/selfservice/digid_unknown.html",
                          {"mandate": True})
        session.login(request, caregiver, digid=True, representative=person.pseudonym)
        oidc.remember_provider(request.session, digid.provider())
        return redirect(next_url)
    caregiver = services_digid.caregiver_with_digid(person.pseudonym)
    if caregiver is None:
        return _not_linked_yet(request, person.pseudonym, next_url)
    session.login(request, caregiver, digid=True)
    oidc.remember_provider(request.session, digid.provider())
    return redirect(next_url)


def _not_linked_yet(request, pseudonym: str, next_url: str):
    """Signed in by link already: ask to link (the page names the registration, so someone
    at a computer left signed in sees it is not theirs). Otherwise offer to register or to
    open their own e-mailed link."""
    by_link, _expired = session.current_caregiver(request)
    if by_link is not None and not session.signed_in_with_digid(request):
        session.remember_digid_to_link(request, pseudonym)
        return redirect("registrations:digid_link")
    session.logout(request)
    session.remember_digid_to_link(request, pseudonym)
    return redirect("registrations:digid_unknown")


@never_cache
@require_http_methods(["GET", "POST"])
@caregiver_required
def digid_link(request, caregiver):
    """"Koppel uw DigiD aan deze inschrijving": a button, so linking is always a choice."""
    if not session.digid_waiting_to_link(request):
        return redirect("registrations:my_data")
    if request.method == "POST":
        if "koppelen" in request.POST and services_digid.link_digid(
                caregiver, session.take_digid_to_link(request)):
            session.login(request, caregiver, digid=True)
            oidc.remember_provider(request.session, digid.provider())
            messages.success(request, _("Je DigiD is gekoppeld. Voortaan kun je ook met "
                                        "DigiD inloggen.") if caregiver.is_young() else
                             _("Uw DigiD is gekoppeld. Voortaan kunt u ook met "
                               "DigiD inloggen."))
        else:
            session.take_digid_to_link(request)
            messages.info(request, _("Je DigiD is niet gekoppeld.") if caregiver.is_young()
                          else _("Uw DigiD is niet gekoppeld."))
        return redirect("registrations:my_data")
    return render(request, "registrations/selfservice/digid_link.html",
                  {"caregiver": caregiver})


@never_cache
@require_GET
def digid_unknown(request):
    """DigiD knows this person, we do not (yet): register, or sign in once by link."""
    return render(request, "registrations/selfservice/digid_unknown.html", {"mandate": False})


def link_waiting_digid(request, caregiver) -> bool:
    """After a registration in this browser: link the DigiD sign-in that found no
    registration a moment ago (the registration is this person's own). True when linked."""
    pseudonym = session.take_digid_to_link(request)
    return bool(pseudonym) and services_digid.link_digid(caregiver, pseudonym)


def logout_url(request) -> str:
    """Where a DigiD session signs out at the broker too; "" when not needed or possible."""
    if not digid.enabled():
        return ""
    return oidc.logout_url(digid.provider(), "", request.build_absolute_uri("/"))
