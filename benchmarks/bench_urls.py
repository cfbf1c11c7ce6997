"""The product's URLs plus the benchmark's floor page (bench_settings only).

The floor (POST /bench/floor) is the least a registration step can cost: the same
middleware, session and CSRF check, one row read and written, the session changed and
saved, and a redirect, as a wizard step answers. `make bench-load` reports the CPU of a
registration step as a ratio to it.
"""

from django.db import connection, transaction
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.urls import path

from mantelzorg.urls import handler400, handler403, handler404, handler500  # noqa: F401
from mantelzorg.urls import urlpatterns as product_patterns

FLOOR_TABLE = "bench_floor"


def floor(request):
    """Read and write one row (one per session), change the session, redirect."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    slot = hash(request.session.session_key) % 1000
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SELECT n FROM {FLOOR_TABLE} WHERE id = %s", [slot])
        row = cursor.fetchone()
        cursor.execute(f"UPDATE {FLOOR_TABLE} SET n = %s WHERE id = %s",
                       [(row[0] if row else 0) + 1, slot])
    request.session["bench_floor"] = request.POST.get("step", "")
    return HttpResponseRedirect("/bench/floor")


urlpatterns = [path("bench/floor", floor), *product_patterns]
