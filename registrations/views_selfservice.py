"""Mijn gegevens: caregivers see and change their own data, without a password.

Sign-in is a single-use link by e-mail, or DigiD (views_digid.py). The link opens a page
with a button; only the POST uses the token, so mail scanners that open every link cannot
sign anyone in. After that the caregiver comes from the session only
(`selfservice_session`), never from the URL or a form.
Views parse, call a service, and render; every change goes through `services.py`.
"""

import json

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_fsm import ConcurrentTransition, TransitionNotAllowed

from core import clock, ratelimit

from . import exports, services, services_records, views_digid
from . import selfservice_session as session
from .extensions import my_data_page_context
from .forms_selfservice import CareEndedForm, ContactDetailsForm, RequestLinkForm
from .models import RegistrationRules, State
from .selfservice_session import caregiver_required

GET_POST = require_http_methods(["GET", "POST"])


def _posted(request):
    """Form data on a POST (also an empty one, so it gets its messages), else None."""
    return request.POST if request.method == "POST" else None


# --- signing in and out ------------------------------------------------------------------
@never_cache
@GET_POST
@ratelimit.limit("link", email_field="email")
def request_link(request):
    """Ask for a sign-in link. The answer never shows whether the address is registered."""
    form = RequestLinkForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        services.request_magic_link(form.cleaned_data["email"])
        return render(request, "registrations/selfservice/link_sent.html")
    return render(request, "registrations/selfservice/request_link.html", {"form": form})


@never_cache
@GET_POST
def magic_link(request, token):
    """GET shows a button (scanners only GET); the POST uses the link once and signs in."""
    if request.method != "POST":
        return render(request, "registrations/selfservice/open_link.html")
    caregiver = services.open_magic_link(token)
    if caregiver is None:
        return render(request, "errors/link_invalid.html", status=400)
    session.login(request, caregiver)
    if session.digid_waiting_to_link(request):  # DigiD found no registration a moment ago
        return redirect("registrations:digid_link")
    return redirect("registrations:my_data")


@never_cache
@require_POST
def logout(request):
    """Signed in with DigiD, the broker's session ends too (RP-initiated logout)."""
    at_broker = views_digid.logout_url(request) if session.signed_in_with_digid(request) else ""
    session.logout(request)
    if at_broker:
        return redirect(at_broker)
    messages.info(request, _("U bent uitgelogd. Sluit de browser als u een computer met "
                             "anderen deelt."))
    return redirect("home")


# --- the pages behind the sign-in ----------------------------------------------------------
def _retention_words(rules) -> str:
    months = rules.former_retention_months
    if months % 12 == 0:
        years = months // 12
        return ngettext("%(n)s jaar", "%(n)s jaar", years) % {"n": years}
    return ngettext("%(n)s maand", "%(n)s maanden", months) % {"n": months}


@never_cache
@require_http_methods(["GET"])
@caregiver_required
def my_data(request, caregiver):
    """What is stored, from the same export as the download, with links to the actions."""
    rules = RegistrationRules.current()
    return render(request, "registrations/selfservice/overview.html", {
        "caregiver": caregiver,
        "data": exports.for_display(exports.export_caregiver(caregiver)),
        "retention_end": caregiver.retention_end(rules),
        "waiting_for_guardian": caregiver.needs_guardian(rules)
        and not caregiver.guardian_confirmed(),
        "can_end_care": caregiver.state == State.ACTIEF,
        **my_data_page_context(caregiver),
    })


@never_cache
@GET_POST
@caregiver_required
def edit_contact(request, caregiver):
    initial = {"email": caregiver.email, "phone": caregiver.phone,
               "channel": caregiver.channel, "wants_newsletter": caregiver.wants_newsletter,
               "language": caregiver.language}
    young = caregiver.is_young()
    form = ContactDetailsForm(_posted(request), initial=initial, young=young)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        new_email = data["email"] and data["email"] != caregiver.email.lower()
        services.update_contact_details(
            caregiver, email=data["email"], phone=data["phone"], channel=data["channel"],
            wants_newsletter=data["wants_newsletter"], language=data["language"])
        messages.success(request, _("Je gegevens zijn opgeslagen.") if young
                         else _("Uw gegevens zijn opgeslagen."))
        if new_email:
            messages.info(request, _(
                "Wij hebben een e-mail gestuurd naar %(email)s. Klik op de link in die "
                "e-mail. Dan weten wij dat het nieuwe adres klopt.") % {"email": data["email"]})
        return redirect("registrations:my_data")
    return render(request, "registrations/selfservice/edit_contact.html",
                  {"form": form, "caregiver": caregiver})


@never_cache
@GET_POST
@caregiver_required
def newsletter_stop(request, caregiver):
    if request.method == "POST":
        services.unsubscribe_newsletter(caregiver)
        messages.success(request, _("Je krijgt de nieuwsbrief niet meer. Je blijft wel "
                                    "ingeschreven.") if caregiver.is_young() else
                         _("U krijgt de nieuwsbrief niet meer. U blijft wel ingeschreven."))
        return redirect("registrations:my_data")
    return render(request, "registrations/selfservice/newsletter_stop.html",
                  {"caregiver": caregiver})


@never_cache
@GET_POST
@caregiver_required
def care_ended(request, caregiver):
    if caregiver.state != State.ACTIEF:
        messages.info(request, _("Je hebt al doorgegeven dat de zorg is gestopt.")
                      if caregiver.is_young() else
                      _("U heeft al doorgegeven dat de zorg is gestopt."))
        return redirect("registrations:my_data")
    rules, young = RegistrationRules.current(), caregiver.is_young()
    cared_for = list(caregiver.care_recipients.filter(care_ended_on__isnull=True))
    form = CareEndedForm(_posted(request), registered_on=caregiver.registered_on,
                         recipients=cared_for, young=young)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        one = next((r for r in cared_for if str(r.pk) == data.get("recipient")), None)
        try:
            if one is not None:
                # One of several naasten: the caregiver goes on caring for the others.
                services_records.end_recipient_care(
                    one, on=data["ended_on"], reason=data["reason"], version=one.version,
                    by=None)
                messages.success(request, _(
                    "Bedankt voor het doorgeven. Wij hebben genoteerd dat de zorg voor "
                    "%(name)s is gestopt.") % {"name": one.name})
                return redirect("registrations:my_data")
            updated = services.end_care(caregiver, data["ended_on"], data["reason"])
        except (TransitionNotAllowed, ConcurrentTransition, services_records.StaleEdit,
                services_records.NotEditable):
            messages.error(request, _("Dit lukte niet. Je gegevens zijn net veranderd. "
                                      "Kijk hieronder of alles klopt.") if young else
                           _("Dit lukte niet. Uw gegevens zijn net veranderd. "
                             "Kijk hieronder of alles klopt."))
            return redirect("registrations:my_data")
        words = (_("Bedankt voor het doorgeven. Je blijft ingeschreven tot en met %(day)s.")
                 if young else
                 _("Bedankt voor het doorgeven. U blijft ingeschreven tot en met %(day)s."))
        messages.success(request, words % {
            "day": updated.retention_end(rules).strftime("%d-%m-%Y")})
        return redirect("registrations:my_data")
    return render(request, "registrations/selfservice/care_ended.html", {
        "form": form, "caregiver": caregiver, "retention": _retention_words(rules),
        "cared_for": len(cared_for)})


@never_cache
@require_http_methods(["GET"])
@caregiver_required
def download_json(request, caregiver):
    data = exports.export_caregiver(caregiver)
    response = HttpResponse(json.dumps(data, ensure_ascii=False, indent=2),
                            content_type="application/json; charset=utf-8")
    filename = f"mijn-gegevens-{clock.today().isoformat()}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@never_cache
@require_http_methods(["GET"])
@caregiver_required
def download_page(request, caregiver):
    data = exports.export_caregiver(caregiver)
    return render(request, "registrations/selfservice/download_page.html", {
        "data": exports.for_display(data), "parts": exports.parts_for_display(data)})


@never_cache
@GET_POST
@caregiver_required
def remove(request, caregiver):
    rules = RegistrationRules.current()
    if request.method == "POST":
        try:
            services.end_registration(caregiver)
        except (TransitionNotAllowed, ConcurrentTransition):
            messages.error(request, _("Dit lukte niet. Probeer het nog een keer."))
            return redirect("registrations:remove")
        session.logout(request)
        return redirect("registrations:removed")
    return render(request, "registrations/selfservice/remove.html", {
        "caregiver": caregiver, "grace_days": rules.erasure_grace_days})


@never_cache
@require_http_methods(["GET"])
def removed(request):
    """The goodbye page. It shows no personal data: the session is already gone."""
    return render(request, "registrations/selfservice/removed.html",
                  {"grace_days": RegistrationRules.current().erasure_grace_days})
