"""WSGI entry point for gunicorn."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mantelzorg.settings")
application = get_wsgi_application()

# Everything loaded so far (Django, the apps, models, admin) lives as long as the process.
# Freezing it keeps the garbage collector's full passes from walking it again and again: under
# load those passes paused a request by up to 140 ms (docs/BENCHMARKS.md, make bench-load).
gc.freeze()
