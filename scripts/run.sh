#!/usr/bin/env bash
# `make run`: migrate, load the demo data once, then web + worker + beat until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/run-env.sh
uv run --frozen python manage.py migrate --noinput
uv run --frozen python manage.py load_demo_data
cat <<BANNER

  Mantelzorg draait (demo). Stoppen: Ctrl-C.

    Website:      $SITE_URL/
    Waardering:   $SITE_URL/waardering
    Backoffice:   $SITE_URL/backoffice/
    Beheer:       $SITE_URL/beheer/
    Gezondheid:   $SITE_URL/health
    Verstuurde e-mail: var/outbox/

    Demo-login:   consulent / mantelzorg-demo   (of coordinator / mantelzorg-demo)
                  of "Inloggen via uw organisatie (demo)" op de inlogpagina
    DigiD (demo): "Inloggen met DigiD (demo)" bij Mijn gegevens, de waardering en de
                  zwemkaartjes; kies "Mantelzorger met DigiD" (BSN 999990019)
    Demo-inlogdienst (OpenID Connect): $OIDC_DEMO_URL/.well-known/openid-configuration

BANNER
exec uv run --frozen honcho start -f Procfile
