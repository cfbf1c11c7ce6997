"""Django's session middleware, except that a request sent with a session that no longer
exists leaves the browser's session cookie alone.

Django deletes the cookie on the response to any request whose session turned out empty.
Signing in replaces the session, so a request the browser sent with the old key while the
sign-in was on its way (the favicon, say) came back after it and deleted the new cookie:
the person was signed out on their next click. Seen in the browser tests; it can happen
to anyone. The cookie is still deleted when the request itself emptied the session
(signing out), which is when it must go.
"""

from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware
from django.utils.cache import patch_vary_headers


class SessionMiddleware(DjangoSessionMiddleware):
    def process_response(self, request, response):
        session = getattr(request, "session", None)
        if session is not None and session.is_empty() and not session.modified:
            if session.accessed:
                patch_vary_headers(response, ("Cookie",))
            return response  # a stale key: nothing to store, and no cookie of ours to delete
        return super().process_response(request, response)
