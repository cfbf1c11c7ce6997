#!/usr/bin/env bash
# Make this machine able to run the project: uv, the Debian libraries WeasyPrint needs,
# and (with --test) Chromium for the browser tests. Installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0
[ "${1:-}" = "--test" ] && want_test=1

apt_install() {
  if ! command -v apt-get >/dev/null; then
    echo "Missing system packages: $*; install them with your package manager." >&2
    exit 1
  fi
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "==> Installing Debian packages: $*"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

missing=()
for pkg in libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ "$want_test" = 1 ]; then
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  command -v pdftoppm >/dev/null || missing+=(poppler-utils)
fi
command -v node >/dev/null && command -v npm >/dev/null || missing+=(nodejs npm)
command -v msgfmt >/dev/null || missing+=(gettext)
if [ ${#missing[@]} -gt 0 ]; then apt_install "${missing[@]}"; fi

# The demo OpenID Connect provider (tools/oidc-provider) for make run and the tests: its npm
# packages, exactly as locked, installed again only when the lock file changed.
provider_dir=tools/oidc-provider
lock_sum=$(sha256sum "$provider_dir/package-lock.json" | cut -d' ' -f1)
if [ "$(cat "$provider_dir/node_modules/.lock-sha256" 2>/dev/null)" != "$lock_sum" ]; then
  echo "==> Installing the demo OpenID Connect provider (npm ci)"
  (cd "$provider_dir" && npm ci --no-audit --no-fund --loglevel=error)
  echo "$lock_sum" > "$provider_dir/node_modules/.lock-sha256"
fi

# NL Design System CSS (tools/frontend: Utrecht's components and design tokens), exactly as
# locked, copied into static/nlds/ (not committed) where Django's static files find it.
frontend_dir=tools/frontend
lock_sum=$(sha256sum "$frontend_dir/package-lock.json" | cut -d' ' -f1)
if [ "$(cat "$frontend_dir/node_modules/.lock-sha256" 2>/dev/null)" != "$lock_sum" ]; then
  echo "==> Installing the NL Design System CSS (npm ci)"
  (cd "$frontend_dir" && npm ci --no-audit --no-fund --loglevel=error)
  echo "$lock_sum" > "$frontend_dir/node_modules/.lock-sha256"
fi
"$frontend_dir/copy-static.sh"

if ! command -v uv >/dev/null; then
  echo "==> Installing uv"
  if ! python3 -m pip --version >/dev/null 2>&1; then apt_install python3-pip python3-venv; fi
  python3 -m pip install --quiet uv 2>/dev/null \
    || python3 -m pip install --quiet --break-system-packages uv
fi
command -v uv >/dev/null || export PATH="$HOME/.local/bin:$PATH"

export UV_PYTHON_DOWNLOADS=never
echo "==> Syncing the Python environment (uv sync)"
# --compile-bytecode: the .pyc files are written once here (seconds on the first sync, then
# nothing). Without them every Python process compiles what it imports again when the
# environment has PYTHONDONTWRITEBYTECODE set, and the tests start many (xdist workers,
# gunicorn, Celery, manage.py).
uv sync --frozen --quiet --compile-bytecode

# The translations (locale/*/LC_MESSAGES/django.po, Dutch being the source): compiled to the
# .mo files Django reads, again only when a catalogue changed. --check refuses a translation
# whose placeholders differ from the Dutch text's.
for po in locale/*/LC_MESSAGES/django.po; do
  mo="${po%.po}.mo"
  if [ ! -f "$mo" ] || [ "$po" -nt "$mo" ]; then
    echo "==> Compiling the translations: $po"
    msgfmt --check -o "$mo" "$po"
  fi
done
