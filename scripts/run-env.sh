# The environment of `make run`, sourced by scripts/run.sh (and by the tests, which check what
# it gives). Demo mode; no debug pages unless DEBUG=1 is asked for, so a visitor sees the
# site's own Dutch error pages; links in mail follow the port unless SITE_URL is set.
export MANTELZORG_DEMO=1 UV_PYTHON_DOWNLOADS=never
export PORT="${PORT:-8000}" BIND="${BIND:-127.0.0.1}" WEB_CONCURRENCY="${WEB_CONCURRENCY:-2}"
export DEBUG="${DEBUG:-0}"
export SITE_URL="${SITE_URL:-http://localhost:$PORT}"
# The demo OpenID Connect provider (tools/oidc-provider, started by the Procfile) and the
# app's settings for it, so "Inloggen via uw organisatie (demo)" and "Inloggen met DigiD
# (demo)" work with made-up people. Set STAFF_SSO_ISSUER= or DIGID_ISSUER= (empty) to hide one.
export OIDC_DEMO_PORT="${OIDC_DEMO_PORT:-$((PORT + 10))}"
export OIDC_DEMO_URL="http://127.0.0.1:$OIDC_DEMO_PORT"
# The site's addresses the provider sends people back to (honcho gives each process a PORT
# of its own, so the provider cannot take the site's from PORT).
export OIDC_DEMO_APP_URLS="http://localhost:$PORT http://127.0.0.1:$PORT $SITE_URL"
export STAFF_SSO_ISSUER="${STAFF_SSO_ISSUER-$OIDC_DEMO_URL}"
export STAFF_SSO_CLIENT_ID="${STAFF_SSO_CLIENT_ID:-mantelzorg-backoffice}"
export STAFF_SSO_CLIENT_SECRET="${STAFF_SSO_CLIENT_SECRET:-demo-backoffice-secret}"
export STAFF_SSO_CONSULENT_GROUPS="${STAFF_SSO_CONSULENT_GROUPS:-mantelzorg-consulenten}"
export STAFF_SSO_COORDINATOR_GROUPS="${STAFF_SSO_COORDINATOR_GROUPS:-mantelzorg-coordinatoren}"
export STAFF_SSO_ACR_VALUES="${STAFF_SSO_ACR_VALUES:-http://schemas.openid.net/pape/policies/2007/06/multi-factor}"
export DIGID_ISSUER="${DIGID_ISSUER-$OIDC_DEMO_URL}"
export DIGID_CLIENT_ID="${DIGID_CLIENT_ID:-mantelzorg-digid}"
export DIGID_CLIENT_SECRET="${DIGID_CLIENT_SECRET:-demo-digid-secret}"
