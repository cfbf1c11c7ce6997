"""The entrypoint that docker-compose uses, started here without Docker.

web (gunicorn) answers /health, worker runs a ping queued from this process, beat sends its
scheduled heartbeat which the worker runs, and migrate applies migrations. If these commands
are right here, they are right in the compose file, which calls the same script.
"""

import json
import os
import re
import signal
import subprocess
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import requests

from tests.oidc_provider import ProviderVisit
from tests.support import ROOT, free_port
from worker.models import SchedulerBeat, WorkerPing
from worker.services import queue_test_ping

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def get_json(url):
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status, json.loads(response.read())
    except OSError:
        return None


def test_web_serves_health_with_gunicorn(process_env, start_process, tmp_path, wait_for):
    port = free_port()
    env = {**process_env, "PORT": str(port), "BIND": "127.0.0.1", "WEB_CONCURRENCY": "1"}
    proc = start_process(["bin/entrypoint", "web"], env, tmp_path / "web.log")
    result = wait_for(lambda: get_json(f"http://127.0.0.1:{port}/health"), timeout=60,
                      message="gunicorn to answer")
    assert result == (200, {"database": "ok", "broker": "ok", "status": "ok"})
    # A sign-in link's token is a credential: the access log writes [token] instead.
    token = "Zx9-secret-token-for-the-log-test"
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{port}/mijn-gegevens/link/{token}", timeout=5)
    except OSError:
        pass  # whatever the page answers, only the log matters here
    assert proc.poll() is None
    log = wait_for(lambda: (lambda text: text if "/link/" in text else None)(
        (tmp_path / "web.log").read_text()), timeout=10, message="the access log line")
    assert "GET /health" in log  # the access log, path only
    assert '"GET /mijn-gegevens/link/[token]"' in log
    assert token not in log


def test_worker_and_beat_run_scheduled_and_queued_work(process_env, start_process, tmp_path,
                                                       wait_for):
    start_process(["bin/entrypoint", "worker", "--concurrency", "1"], process_env,
                  tmp_path / "worker.log")
    beat = start_process(["bin/entrypoint", "beat"], process_env, tmp_path / "beat.log")
    record = queue_test_ping(user=None)
    wait_for(lambda: WorkerPing.objects.filter(pk=record.pk, done_at__isnull=False).exists(),
             timeout=90, message="the worker process to run the ping")
    # beat sends the heartbeat at start-up; the worker process runs it.
    wait_for(lambda: SchedulerBeat.objects.filter(name="heartbeat").exists(), timeout=90,
             message="beat's heartbeat to be run")
    assert beat.poll() is None
    assert "beat: Starting" in (tmp_path / "beat.log").read_text()


def test_migrate_step_applies_migrations_to_an_empty_database(process_env, tmp_path):
    env = {**process_env, "DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.sqlite3'}"}
    result = subprocess.run(["bin/entrypoint", "migrate"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Applying registrations.0002_wijken_harderwijk... OK" in result.stdout


def test_unknown_role_is_refused(process_env):
    result = subprocess.run(["bin/entrypoint", "nonsense"], cwd=ROOT, env=process_env,
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 64
    assert "usage" in result.stderr


def get(url):
    """(status, body) of a GET, also for an error status; None while nothing answers."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()
    except OSError:
        return None


# Run in make run's environment: a small file imported by the coordinator of the demo; prints
# the import's state once the worker is done with it (or after two minutes).
IMPORT_THROUGH_RUN = """
import time
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from registrations.imports import services
from registrations.imports.models import RegistryImport
by = get_user_model().objects.get(username="coordinator")
content = ("Voornaam;Achternaam;Geboortedatum;Postcode;Huisnummer\\r\\n"
           "Tessa;Import;15-3-1958;3841 AB;12\\r\\n").encode()
item = services.upload(SimpleUploadedFile("oud.csv", content), by=by)
services.set_mapping(item, services.guess_mapping(item.headers), by=by)
for _ in range(480):
    item.refresh_from_db()
    if item.state == "gecontroleerd":
        services.confirm(item, by=by)
    if item.state in ("klaar", "mislukt"):
        break
    time.sleep(0.25)
print(item.state)
"""


def test_make_run_shows_the_dutch_404_and_serves_static_files(process_env, start_process,
                                                              tmp_path, wait_for):
    """What `make run` starts (scripts/run.sh: migrate, demo data, web + worker + beat), as on
    a fresh clone (SQLite, no Redis, nothing set): a mistyped address gets the site's Dutch
    404, not Django's English debug page with every URL; static files are still served
    without DEBUG. Issue 14 item 13."""
    port = free_port()
    env = {k: v for k, v in process_env.items() if k not in (
        "DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "DEBUG", "SITE_URL", "SECRET_KEY",
        "DJANGO_ENV", "EMAIL_URL", "MANTELZORG_DEMO")}
    env.update({"PORT": str(port), "WEB_CONCURRENCY": "1", "OIDC_DEMO_PORT": str(free_port()),
                "PATH": f"{Path.home() / '.local' / 'bin'}:{env['PATH']}"})
    proc = start_process(["scripts/run.sh"], env, tmp_path / "run.log")
    try:
        # Until the web answers, or run.sh stopped (a failed migrate or demo load: its log).
        wait_for(lambda: proc.poll() is not None or get(f"http://127.0.0.1:{port}/health"),
                 timeout=240, message="make run's web process to answer")
        assert proc.poll() is None, (tmp_path / "run.log").read_text()[-3000:]
        status, html = get(f"http://127.0.0.1:{port}/bestaat-niet")
        assert status == 404
        assert "Pagina niet gevonden" in html and re.search(r'<html lang="nl"[ >]', html)
        assert "URLconf" not in html and "Page not found" not in html
        status, css = get(f"http://127.0.0.1:{port}/static/css/site.css")
        assert status == 200 and css.strip()
        # The NL Design System CSS from npm and the theme made from its JSON (issue 16).
        for path in ("nlds/utrecht-components.css", "nlds/utrecht-html.css",
                     "nlds/utrecht-design-tokens.css", "nlds/theme.css"):
            status, css = get(f"http://127.0.0.1:{port}/static/{path}")
            assert status == 200 and "{" in css, path
        # make run's demo provider (issue 15): "Inloggen met DigiD (demo)" signs a demo
        # caregiver in to Mijn gegevens.
        site = f"http://127.0.0.1:{port}"
        wait_for(lambda: get(f"http://127.0.0.1:{env['OIDC_DEMO_PORT']}"
                             "/.well-known/openid-configuration"),
                 timeout=60, message="make run's demo provider to answer")
        assert "Inloggen met DigiD (demo)" in get(f"{site}/mijn-gegevens/inloggen")[1]
        browser = requests.Session()
        start = browser.get(f"{site}/mijn-gegevens/digid/", allow_redirects=False, timeout=10)
        back = ProviderVisit(start.headers["location"]).sign_in_as("digid-mantelzorger")
        mine = browser.get(back, timeout=10)
        assert mine.url == f"{site}/mijn-gegevens/" and "Uitloggen" in mine.text
        # The registry import's jobs on make run's SQLite and worker (they once used a
        # PostgreSQL-only lock, and a second connection SQLite makes wait for the first).
        shell = subprocess.run(
            ["uv", "run", "--frozen", "python", "manage.py", "shell", "-c", IMPORT_THROUGH_RUN],
            cwd=ROOT, env={**env, "MANTELZORG_DEMO": "1"}, capture_output=True, text=True,
            timeout=240)
        assert shell.returncode == 0, shell.stderr[-3000:]
        assert shell.stdout.split()[-1] == "klaar", (shell.stdout[-2000:],
                                                     (tmp_path / "run.log").read_text()[-3000:])
        assert proc.poll() is None
    finally:
        os.killpg(proc.pid, signal.SIGTERM)  # honcho and the three processes it started
        proc.wait(timeout=30)
