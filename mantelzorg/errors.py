"""Error pages in plain Dutch, in the site's layout."""

from django.shortcuts import render

from worker.contact import last_known


def bad_request(request, exception=None):
    """A request Django refuses (a Host header not in ALLOWED_HOSTS, too many form fields, a
    broken cookie): the site's Dutch page, never Django's English "Bad Request (400)". The
    page must not ask for `request.get_host()`: for a bad Host that raises again.

    A database gone while the session is saved reaches Django as SessionInterrupted, a
    400: that person's form was fine, so they get the 503 page ("try again in a few
    minutes")."""
    from .middleware import caused_by_database, unavailable_response

    if caused_by_database(exception):
        return unavailable_response()
    return render(request, "errors/400.html", status=400)


def forbidden(request, exception=None):
    return render(request, "errors/403.html", status=403)


def not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def server_error(request):
    # No context processors that touch the database: it may be what failed.
    from django.http import HttpResponseServerError
    from django.template import loader

    return HttpResponseServerError(loader.get_template("errors/500.html").render(
        {"servicepunt": last_known()}))


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: a form sent without a valid security cookie (an old tab, cookies
    blocked, a page open too long). Django's own page is English and technical; this one
    says in Dutch what to do and leads back. The reason is not shown (nor needed by them)."""
    return render(request, "errors/csrf.html", {"back_url": _same_site_referer(request)},
                  status=403)


def _same_site_referer(request) -> str:
    """The page the form came from, only if it is on this site: a way back, never a way out."""
    from django.utils.http import url_has_allowed_host_and_scheme

    referer = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(
            referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return referer
    return ""
