"""Public pages (home, accessibility and privacy statements), the health check, and the
back-office dashboard shell."""

from django.conf import settings
from django.db import connection
from django.http import FileResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import cache_control, never_cache

from appreciation.campaigns.selectors import stock_warnings
from core.staff_access import staff_required
from registrations.models import CareNeed
from registrations.selectors import caregiver_counts

from .celery import app as celery_app


def home(request):
    return render(request, "mantelzorg/public/home.html")


@never_cache
def choose_language(request):
    """The language choice of a page without a form: the middleware has switched the
    language and remembers it (core/middleware_language.py); back to the same page. A
    `next` that points elsewhere goes to the home page."""
    target = request.POST.get("next", "") if request.method == "POST" else ""
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = "home"
    return redirect(target)


@cache_control(max_age=86400, public=True)
def favicon(request):
    """Browsers ask every site for /favicon.ico; without it every page logs a 404."""
    return FileResponse((settings.BASE_DIR / "static" / "favicon.ico").open("rb"),
                        content_type="image/x-icon")


def accessibility_statement(request):
    return render(request, "mantelzorg/public/toegankelijkheid.html")


def privacy_statement(request):
    """The care-need answers are read from the registration form's own choices, so the page
    names exactly what is asked."""
    return render(request, "mantelzorg/public/privacy.html",
                  {"care_needs": [label for _value, label in CareNeed.choices]})


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        return False


def _broker_ok() -> bool:
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=3)
        return True
    except Exception:
        return False


@never_cache
def health(request):
    """For orchestration: 200 when the database and the broker answer, 503 otherwise."""
    checks = {"database": _database_ok(), "broker": _broker_ok()}
    body = {name: "ok" if ok else "error" for name, ok in checks.items()}
    healthy = all(checks.values())
    body["status"] = "ok" if healthy else "error"
    return JsonResponse(body, status=200 if healthy else 503)


@staff_required
def dashboard(request):
    return render(request, "mantelzorg/backoffice/dashboard.html", {
        "counts": caregiver_counts(), "campaign_warnings": stock_warnings()})
