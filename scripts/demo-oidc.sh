#!/usr/bin/env bash
# make run's demo OpenID Connect provider (tools/oidc-provider), for the site on $PORT under
# both names a browser may use. Made-up identities only; never part of production.
set -euo pipefail
cd "$(dirname "$0")/../tools/oidc-provider"
exec node server.js --port "$OIDC_DEMO_PORT" --issuer "$OIDC_DEMO_URL" \
  --app-url "http://localhost:$PORT" --app-url "http://127.0.0.1:$PORT" --app-url "$SITE_URL"
