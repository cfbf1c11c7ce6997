#!/usr/bin/env bash
# `make run`: migrate, load the demo data once, then web + worker + beat until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
export MANTELZORG_DEMO=1 UV_PYTHON_DOWNLOADS=never
export PORT="${PORT:-8000}" BIND="${BIND:-127.0.0.1}" WEB_CONCURRENCY="${WEB_CONCURRENCY:-2}"
uv run --frozen python manage.py migrate --noinput
uv run --frozen python manage.py load_demo_data
cat <<BANNER

  Mantelzorg draait (demo). Stoppen: Ctrl-C.

    Website:      http://localhost:$PORT/
    Waardering:   http://localhost:$PORT/waardering
    Backoffice:   http://localhost:$PORT/backoffice/
    Beheer:       http://localhost:$PORT/beheer/
    Gezondheid:   http://localhost:$PORT/health
    Verstuurde e-mail: var/outbox/

    Demo-login:   consulent / mantelzorg-demo   (of coordinator / mantelzorg-demo)

BANNER
exec uv run --frozen honcho start -f Procfile
