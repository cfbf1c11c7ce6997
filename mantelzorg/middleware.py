"""The database is away (restart, failover, network): a clear Dutch 503 page, not a 500.

`DatabaseUnavailableMiddleware` answers 503 with `Retry-After` when a view raises
`OperationalError` or `InterfaceError` (Django's wrappers of the driver's "cannot connect",
"server closed the connection", …), and also when such an error escapes from a middleware
further in (a session saved at the end of the request): Django then has made a 500 of it
and sent `got_request_exception`, which marks the request. Django's session store turns a
database error while updating a session into UpdateError, and the session middleware that
into SessionInterrupted, a 400 for which no signal is sent: the 400 handler
(`mantelzorg.errors.bad_request`) answers with this 503 page when `caused_by_database`
finds the database error in the exception's chain. Nothing else changes: other
exceptions stay 500s. Django opens a fresh connection for the next request, so the site
recovers by itself as soon as the database is back.
"""

import logging
import sys

from django.core.signals import got_request_exception
from django.db.utils import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader

from worker.contact import last_known

logger = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 120
_MARK = "_mantelzorg_database_unavailable"


def unavailable_response() -> HttpResponse:
    # A plain template without context processors: they may need the database.
    response = HttpResponse(loader.get_template("errors/503.html").render(
        {"servicepunt": last_known()}), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def caused_by_database(exc: BaseException | None) -> bool:
    """True when `exc`, or an exception it was raised from or while handling, is a database
    error (SessionInterrupted ← UpdateError ← OperationalError)."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, DATABASE_ERRORS):
            return True
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return False


def _mark_database_errors(sender, request=None, **kwargs):
    exc = sys.exc_info()[1]
    if request is not None and isinstance(exc, DATABASE_ERRORS):
        setattr(request, _MARK, True)


got_request_exception.connect(_mark_database_errors, dispatch_uid="mantelzorg-db-unavailable")


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code >= 500 and getattr(request, _MARK, False):
            return unavailable_response()
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_ERRORS):
            logger.warning("database unavailable: %s on %s %s", exception.__class__.__name__,
                           request.method, request.path)
            return unavailable_response()
        return None
