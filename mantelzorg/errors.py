"""Error pages in plain Dutch, in the site's layout."""

from django.shortcuts import render


def bad_request(request, exception=None):
    """A database gone while the session is saved reaches Django as SessionInterrupted, a
    400: that person's form was fine, so they get the 503 page ("try again in a few
    minutes"). Any other bad request keeps Django's own 400 answer."""
    from django.views import defaults

    from .middleware import caused_by_database, unavailable_response

    if caused_by_database(exception):
        return unavailable_response()
    return defaults.bad_request(request, exception)


def forbidden(request, exception=None):
    return render(request, "errors/403.html", status=403)


def not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def server_error(request):
    # No context processors that touch the database: it may be what failed.
    from django.http import HttpResponseServerError
    from django.template import loader

    return HttpResponseServerError(loader.get_template("errors/500.html").render())
