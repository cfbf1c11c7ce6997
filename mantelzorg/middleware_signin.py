"""Let forms end at the configured OpenID Connect providers (CSP form-action).

Signing out posts to us, and we redirect the browser on to the provider's end_session
endpoint (RP-initiated logout). Browsers apply the page's `form-action` to every redirect
after a form is sent, so with `form-action 'self'` alone the last step would be blocked.
This adds the origins of the configured issuers (staff SSO, DigiD) to `form-action`, read
from the settings at each response (so a changed configuration needs no restart).
"""

from urllib.parse import urlsplit

from django.conf import settings


def provider_origins() -> list[str]:
    origins = []
    for config in (settings.STAFF_SSO, settings.DIGID):
        parts = urlsplit(config.get("issuer") or "")
        if parts.scheme in ("http", "https") and parts.netloc:
            origins.append(f"{parts.scheme}://{parts.netloc}")
    return sorted(set(origins))


class SignInProvidersCSPMiddleware:
    """Listed after csp.middleware.CSPMiddleware, so its response is seen first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        origins = provider_origins()
        if origins:
            update = dict(getattr(response, "_csp_update", None) or {})
            update["form-action"] = [*update.get("form-action", []), *origins]
            response._csp_update = update
        return response
