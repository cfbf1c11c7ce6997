"""Let a signed-in session's forms end at the OpenID Connect provider it came from.

Signing out posts to us, and we redirect the browser on to the provider's end_session
endpoint (RP-initiated logout). Browsers apply the page's CSP `form-action` to every
redirect after a form is sent, so with `form-action 'self'` alone that last step would be
blocked. For a session signed in through a provider (staff SSO or DigiD; the callbacks
remember its origin, core/oidc.remember_provider) this adds that one origin to
`form-action`; every other page keeps `'self'` only.
"""

from core.oidc import PROVIDER_ORIGIN_KEY


class SignInProvidersCSPMiddleware:
    """Listed after csp.middleware.CSPMiddleware, so its response is seen first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        origin = session.get(PROVIDER_ORIGIN_KEY) if session is not None else None
        if origin:
            update = dict(getattr(response, "_csp_update", None) or {})
            update["form-action"] = [*update.get("form-action", []), origin]
            response._csp_update = update
        return response
