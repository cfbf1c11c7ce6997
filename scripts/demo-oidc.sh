#!/usr/bin/env bash
# make run's demo OpenID Connect provider (tools/oidc-provider), for the site under every
# address in OIDC_DEMO_APP_URLS (scripts/run-env.sh). Made-up identities only; never part
# of production.
set -euo pipefail
cd "$(dirname "$0")/../tools/oidc-provider"
app_urls=()
for url in $OIDC_DEMO_APP_URLS; do app_urls+=(--app-url "$url"); done
exec node server.js --port "$OIDC_DEMO_PORT" --issuer "$OIDC_DEMO_URL" "${app_urls[@]}"
