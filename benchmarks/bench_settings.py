"""Settings of the benchmarks' own web server: production's, plus the floor page.

Only `make bench-load` and `make bench-mixed` start gunicorn with this module
(DJANGO_SETTINGS_MODULE=bench_settings, PYTHONPATH=benchmarks): the floor view is mounted in
`bench_urls`, never in the product's URLconf, so production cannot reach it.
BENCH_SESSION_ENGINE swaps the session backend to compare (e.g. cached_db).
"""

import os

from mantelzorg.settings import *  # noqa: F403 - the product's settings, unchanged

ROOT_URLCONF = "bench_urls"
SESSION_ENGINE = os.environ.get("BENCH_SESSION_ENGINE", "django.contrib.sessions.backends.db")
