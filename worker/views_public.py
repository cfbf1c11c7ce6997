"""The one public page of the mail engine: the newsletter's unsubscribe link."""

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from core import ratelimit

from .newsletters import caregiver_for_unsubscribe_token
from .registry import recipients


@csrf_exempt
@never_cache
@ratelimit.limit("form")
def unsubscribe(request, token):
    """Newsletter unsubscribe. GET: a page with a button. POST: done; a mail client's
    one-click POST (RFC 8058) gets a plain 200 without a page. The registration stays."""
    caregiver = caregiver_for_unsubscribe_token(token)
    if caregiver is None:
        return render(request, "errors/link_invalid.html", status=400)
    if request.method != "POST":
        return render(request, "worker/public/unsubscribe.html")
    recipients().unsubscribe(caregiver)
    if request.POST.get("List-Unsubscribe") == "One-Click":
        return HttpResponse("OK", content_type="text/plain")
    return render(request, "worker/public/unsubscribed.html")
