# The production image: one image for web, worker, beat and the migrate step.

# The NL Design System CSS (tools/frontend), exactly as locked; only the CSS goes on.
FROM node:20-bookworm-slim AS frontend
WORKDIR /frontend
COPY tools/frontend/package.json tools/frontend/package-lock.json tools/frontend/copy-static.sh ./
RUN npm ci --no-audit --no-fund --loglevel=error && ./copy-static.sh /nlds

FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    UV_PYTHON_DOWNLOADS=never UV_PROJECT_ENVIRONMENT=/app/.venv UV_COMPILE_BYTECODE=1

RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
      libharfbuzz-subset0 fonts-dejavu-core gettext \
 && rm -rf /var/lib/apt/lists/* \
 && pip install --no-cache-dir uv \
 && useradd --create-home --uid 10001 app

WORKDIR /app
COPY pyproject.toml uv.lock .python-version ./
RUN uv sync --frozen --no-dev --no-install-project
COPY . .
COPY --from=frontend /nlds static/nlds
RUN DJANGO_ENV=production SECRET_KEY=build-only-$(head -c 48 /dev/urandom | base64 | tr -d '/+=') \
    ALLOWED_HOSTS=build EMAIL_URL=smtp://build:25 MANTELZORG_VAR_DIR=/tmp/var \
    /app/.venv/bin/python manage.py collectstatic --noinput \
 && for po in locale/*/LC_MESSAGES/django.po; do msgfmt --check -o "${po%.po}.mo" "$po"; done \
 && mkdir -p /app/var && chown -R app /app/var

ENV PATH="/app/.venv/bin:$PATH"
USER app
EXPOSE 8000
ENTRYPOINT []
CMD ["bin/entrypoint", "web"]
