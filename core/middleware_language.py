"""Which language a page speaks.

The person's own choice (a cookie set by the language choice on every public page), else
Dutch. Not the browser's Accept-Language: Dutch is the municipality's language and the legal
version, and a Dutch resident with an English browser should not get English pages they did
not ask for. The back office and the admin are always Dutch: staff work in Dutch.

A POST that carries LANGUAGE_FIELD is a language switch from a form page (the buttons of the
language choice belong to the page's form, so what the person typed comes along): the page
is shown again in the new language with their input, and nothing is saved
(core/forms_language.KeepsInputOnLanguageSwitch).
"""

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers

from core import languages

LANGUAGE_FIELD = "_language"
DUTCH_ONLY_PREFIXES = ("/backoffice/", "/beheer/")
ONE_YEAR = 365 * 24 * 60 * 60


class LanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.switching_language = False
        if request.path.startswith(DUTCH_ONLY_PREFIXES):
            code = languages.SOURCE
        else:
            code = languages.known(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME))
            if request.method == "POST" and LANGUAGE_FIELD in request.POST:
                request.switching_language = True
                code = languages.known(request.POST.get(LANGUAGE_FIELD))
        translation.activate(code)
        request.LANGUAGE_CODE = code
        response = self.get_response(request)
        # Only a switch that passed the CSRF check is remembered: another site could
        # otherwise post one and fix someone's language (and so their e-mails') for a year.
        if request.switching_language and getattr(request, "csrf_processing_done", False):
            remember_language(response, code)
        response.headers.setdefault("Content-Language", code)
        patch_vary_headers(response, ("Cookie",))
        translation.deactivate()
        return response


def remember_language(response, code: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME, code, max_age=ONE_YEAR, samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE, httponly=True)
