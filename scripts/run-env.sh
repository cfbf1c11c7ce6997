# The environment of `make run`, sourced by scripts/run.sh (and by the tests, which check what
# it gives). Demo mode; no debug pages unless DEBUG=1 is asked for, so a visitor sees the
# site's own Dutch error pages; links in mail follow the port unless SITE_URL is set.
export MANTELZORG_DEMO=1 UV_PYTHON_DOWNLOADS=never
export PORT="${PORT:-8000}" BIND="${BIND:-127.0.0.1}" WEB_CONCURRENCY="${WEB_CONCURRENCY:-2}"
export DEBUG="${DEBUG:-0}"
export SITE_URL="${SITE_URL:-http://localhost:$PORT}"
