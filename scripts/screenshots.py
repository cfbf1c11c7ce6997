"""`make screenshots`: pictures of the main pages for the README, in every language listed.

Starts the app as `make run` shows it (demo mode, the demo data of `load_demo_data`) on a
throwaway database `mantelzorg_screenshots` on the PostgreSQL server of DATABASE_URL (the
Makefile gives the tests' server) and a free port, then lets Debian's Chromium, the browser
the tests drive, take each page at 1280 × 800 (and the home page at 320 px, as on a phone).
The PNGs go to docs/screenshots/<language>/<name>.png; the database is dropped at the end.

LANGUAGES is the one setting for languages: each code is set as the language choice's
cookie (core/middleware_language.py; the browser's own language is not followed). The back
office is Dutch only, so the other languages take the public pages.
"""

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import psycopg
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
DB_NAME = "mantelzorg_screenshots"
LANGUAGES = ["nl", "tr", "ar"]  # Turkish, and Arabic for a right-to-left page
DEMO_PASSWORD = "mantelzorg-demo"  # mantelzorg/management/commands/load_demo_data.py
WIDE = {"width": 1280, "height": 800}
PHONE = {"width": 320, "height": 640}

# (file name, path or a function of the first waardering request's pk, who, viewport)
PAGES = [
    ("home", "/", None, WIDE),
    ("home-phone", "/", None, PHONE),
    ("aanmelden", "/aanmelden/over-mij", None, WIDE),
    ("waardering", "/waardering", None, WIDE),
    ("waardering-formulier", "/waardering/zelf/mantelzorger", None, WIDE),
    ("zwemkaartjes", "/zwemkaartjes", None, WIDE),
    ("mijn-gegevens-inloggen", "/mijn-gegevens/inloggen", None, WIDE),
    ("backoffice-overzicht", "/backoffice/", "consulent", WIDE),
    ("backoffice-waardering-lijst", "/backoffice/waardering/", "consulent", WIDE),
    ("backoffice-waardering-aanvraag", "REQUEST", "consulent", WIDE),
    ("backoffice-mantelzorgers", "/backoffice/mantelzorgers/", "consulent", WIDE),
    ("backoffice-opvolging", "/backoffice/opvolging/", "consulent", WIDE),
    ("backoffice-campagnes", "/backoffice/campagnes/", "consulent", WIDE),
    ("backoffice-inzicht", "/backoffice/inzicht/", "consulent", WIDE),
    ("backoffice-betalingen", "/backoffice/betalingen/", "coordinator", WIDE),
]


def database_urls() -> tuple[str, str]:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("screenshots: DATABASE_URL must point at PostgreSQL (make screenshots sets it).")
    parts = urlparse(url)
    return (urlunparse(parts._replace(path="/postgres")),
            urlunparse(parts._replace(path=f"/{DB_NAME}")))


def recreate_database(admin_url: str, drop_only: bool = False) -> None:
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        if not drop_only:
            conn.execute(f'CREATE DATABASE "{DB_NAME}"')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "/health", timeout=2):
                return
        except (urllib.error.URLError, OSError):
            time.sleep(0.5)
    sys.exit("screenshots: the app did not start.")


def manage(env, *args, **kwargs):
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env,
                          check=True, **kwargs)


def first_request_pk(env) -> int:
    result = manage(env, "shell", "-c",
                    "from appreciation.models import AppreciationRequest as R; "
                    "print(R.objects.filter(state='ingediend').order_by('pk').first().pk)",
                    capture_output=True, text=True)
    return int(result.stdout.strip().splitlines()[-1])


def log_in(page, username: str) -> None:
    page.goto("/backoffice/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url("**/backoffice/")


def shoot(browser, base_url: str, language: str, request_pk: int) -> list[Path]:
    written = []
    contexts = {}
    try:
        for name, path, who, viewport in PAGES:
            if who and language != "nl":
                continue  # the back office is always Dutch
            key = (who, viewport["width"])
            if key not in contexts:
                context = browser.new_context(
                    base_url=base_url, viewport=viewport, locale=language,
                    extra_http_headers={"Accept-Language": language})
                context.add_cookies([{"name": "taal", "value": language, "url": base_url}])
                page = context.new_page()
                if who:
                    log_in(page, who)
                contexts[key] = (context, page)
            page = contexts[key][1]
            page.goto(f"/backoffice/waardering/{request_pk}/" if path == "REQUEST" else path)
            page.wait_for_load_state("load")
            target = OUT / language / f"{name}.png"
            target.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(target))
            written.append(target)
    finally:
        for context, _ in contexts.values():
            context.close()
    return written


def main() -> None:
    admin_url, db_url = database_urls()
    recreate_database(admin_url)
    server = None
    try:
        with tempfile.TemporaryDirectory(prefix="mantelzorg-screenshots-") as var_dir:
            port = free_port()
            # No Redis and no broker server: the cache in memory, tasks in the var dir.
            env = {key: value for key, value in os.environ.items()
                   if key not in ("REDIS_URL", "CELERY_BROKER_URL", "EMAIL_URL")}
            env.update({"DATABASE_URL": db_url, "MANTELZORG_DEMO": "1",
                        "MANTELZORG_VAR_DIR": var_dir, "DEBUG": "0",
                        "DJANGO_ENV": "development", "STAFF_SSO_ISSUER": "",
                        "DIGID_ISSUER": "", "SITE_URL": f"http://127.0.0.1:{port}"})
            manage(env, "migrate", "--noinput", stdout=subprocess.DEVNULL)
            manage(env, "load_demo_data", stdout=subprocess.DEVNULL)
            request_pk = first_request_pk(env)
            base_url = f"http://127.0.0.1:{port}"
            server = subprocess.Popen(
                [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
                cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            wait_until_up(base_url)
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
                try:
                    for language in LANGUAGES:
                        for path in shoot(browser, base_url, language, request_pk):
                            print(path.relative_to(ROOT))
                finally:
                    browser.close()
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        recreate_database(admin_url, drop_only=True)


if __name__ == "__main__":
    main()
