"""Production mode: refuses a missing or weak secret and passes `check --deploy` cleanly."""

import os
import secrets
import stat
import subprocess
import sys

import pytest

from tests.support import ROOT


def manage(*args, env_overrides):
    dropped = ("SECRET_KEY", "MANTELZORG_DEMO", "DJANGO_ALLOW_ASYNC_UNSAFE", "EMAIL_URL",
               "DEBUG", "SITE_URL", "PORT")
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(env_overrides)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


PRODUCTION = {"DJANGO_ENV": "production", "ALLOWED_HOSTS": "mantelzorg.example.org",
              "EMAIL_URL": "smtp+tls://mantelzorg:geheim@mail.example.org:587"}


def test_check_deploy_has_no_warnings_with_a_real_secret():
    result = manage("check", "--deploy", "--fail-level", "WARNING",
                    env_overrides={**PRODUCTION, "SECRET_KEY": secrets.token_urlsafe(64)})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


@pytest.mark.parametrize("secret", [None, "short", "django-insecure-" + "x" * 60, "a" * 60])
def test_production_refuses_to_start_without_a_real_secret(secret):
    overrides = dict(PRODUCTION)
    if secret is not None:
        overrides["SECRET_KEY"] = secret
    result = manage("check", env_overrides=overrides)
    assert result.returncode != 0
    assert "needs a real SECRET_KEY" in result.stderr


def test_production_refuses_demo_mode():
    result = manage("check", env_overrides={**PRODUCTION, "SECRET_KEY": secrets.token_urlsafe(64),
                                            "MANTELZORG_DEMO": "1"})
    assert result.returncode != 0
    assert "MANTELZORG_DEMO cannot be used" in result.stderr


def test_production_cookies_and_transport_are_secure():
    code = ("from django.conf import settings as s; "
            "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, "
            "s.SECURE_HSTS_SECONDS >= 31536000, s.DEBUG, s.STAFF_2FA_REQUIRED)")
    result = manage("shell", "-v", "0", "-c", code,
                    env_overrides={**PRODUCTION, "SECRET_KEY": secrets.token_urlsafe(64)})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True", "True", "True", "False", "True"]


def test_embedded_defaults_need_no_server(tmp_path):
    """Without DATABASE_URL/REDIS_URL/EMAIL_URL: SQLite, filesystem broker, outbox under var/."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "EMAIL_URL")}
    env["MANTELZORG_VAR_DIR"] = str(tmp_path)
    code = ("from django.conf import settings as s; "
            "print(s.DATABASES['default']['ENGINE']); print(s.CELERY_BROKER_URL); "
            "print(s.EMAIL_BACKEND); print(s.EMAIL_FILE_PATH)")
    result = subprocess.run([sys.executable, "manage.py", "shell", "-v", "0", "-c", code], cwd=ROOT,
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    engine, broker, backend, outbox = result.stdout.split()
    assert engine == "django.db.backends.sqlite3"
    assert broker == "filesystem://"
    assert backend == "django.core.mail.backends.filebased.EmailBackend"
    assert outbox == str(tmp_path / "outbox")


def test_secrets_come_only_from_the_environment():
    """The settings module holds no secret: no key, password or token literal, and no
    credentials in a default URL. SECRET_KEY is read from the environment, else (outside
    production) from this installation's own key file."""
    import ast
    import re

    source = (ROOT / "mantelzorg" / "settings.py").read_text()
    tree = ast.parse(source)
    literals = [node.value for node in ast.walk(tree)
                if isinstance(node, ast.Constant) and isinstance(node.value, str)]
    # (the bare prefix "django-insecure" is what production refuses)
    assert not [value for value in literals if value.startswith("django-insecure-")]
    secret_looking = [value for value in literals
                      if re.fullmatch(r"[A-Za-z0-9_\-+/=!@#$%^&*]{32,}", value)]
    assert secret_looking == []
    assert not [value for value in literals if re.search(r"://[^/\s:@]+:[^@\s/]+@", value)]
    assignments = [node for node in ast.walk(tree) if isinstance(node, ast.Assign)
                   and any(getattr(t, "id", "") == "SECRET_KEY" for t in node.targets)]
    assert len(assignments) == 1
    value = assignments[0].value
    assert isinstance(value, ast.BoolOp) and isinstance(value.op, ast.Or)
    from_env, fallback = value.values
    assert isinstance(from_env, ast.Call) and ast.unparse(from_env.func) == "env.str"
    assert ast.literal_eval(from_env.args[0]) == "SECRET_KEY"
    assert "installation_secret_key(VAR_DIR)" in ast.unparse(fallback)
    for name in ("PASSWORD", "TOKEN", "API_KEY"):
        assert not re.search(rf"^\w*{name}\w*\s*=\s*[\"']", source, re.M), name


def test_production_never_uses_a_development_key():
    """Even if someone copies a django-insecure key into the environment."""
    key = "django-insecure-development-only-" + "k3y" * 12
    result = manage("check", env_overrides={**PRODUCTION, "SECRET_KEY": key})
    assert result.returncode != 0
    assert "needs a real SECRET_KEY" in result.stderr


# --- item 5: production needs a mail server ---------------------------------------------

@pytest.mark.parametrize("email_url", [None, "", "consolemail://", "filemail:///tmp/mail"])
def test_production_refuses_to_start_without_a_mail_server(email_url):
    overrides = {**PRODUCTION, "SECRET_KEY": secrets.token_urlsafe(64)}
    del overrides["EMAIL_URL"]
    if email_url is not None:
        overrides["EMAIL_URL"] = email_url
    result = manage("check", env_overrides=overrides)
    assert result.returncode != 0
    assert "needs EMAIL_URL" in result.stderr


# --- items 13, 14, 15: what `make run` sets -------------------------------------------------

RUN_ENV = ROOT / "scripts" / "run-env.sh"
SHOW = ("from django.conf import settings as s; "
        "print(s.DEBUG, s.SITE_URL, s.SECRET_KEY, s.DEMO_MODE)")


def as_make_run(var_dir, **overrides):
    """The settings as `make run` has them: scripts/run.sh sources scripts/run-env.sh, then
    starts the processes, which read the settings. Returns DEBUG, SITE_URL, SECRET_KEY."""
    dropped = ("SECRET_KEY", "MANTELZORG_DEMO", "DJANGO_ALLOW_ASYNC_UNSAFE", "DEBUG",
               "SITE_URL", "PORT", "DJANGO_ENV", "EMAIL_URL")
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update({"MANTELZORG_VAR_DIR": str(var_dir), **overrides})
    command = f'. "{RUN_ENV}" && exec "{sys.executable}" manage.py shell -v 0 -c "{SHOW}"'
    result = subprocess.run(["bash", "-c", command], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    debug, site_url, secret_key, demo = result.stdout.split()
    assert demo == "True"
    return debug == "True", site_url, secret_key


def test_make_run_serves_without_debug_unless_asked(tmp_path):
    assert as_make_run(tmp_path)[0] is False
    assert as_make_run(tmp_path, DEBUG="1")[0] is True


def test_make_run_links_follow_the_port(tmp_path):
    assert as_make_run(tmp_path, PORT="8300")[1] == "http://localhost:8300"
    assert as_make_run(tmp_path)[1] == "http://localhost:8000"
    assert as_make_run(tmp_path, PORT="8300", SITE_URL="https://mz.example.org")[1] == \
        "https://mz.example.org"


def test_settings_site_url_follows_the_port_without_run_env(tmp_path):
    """The entrypoint started by hand (bin/entrypoint web with PORT) agrees with make run."""
    code = "from django.conf import settings as s; print(s.SITE_URL)"
    result = manage("shell", "-v", "0", "-c", code,
                    env_overrides={"PORT": "8377", "MANTELZORG_VAR_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "http://localhost:8377"


def test_each_installation_has_its_own_secret_key(tmp_path):
    """No shared development key: two var dirs, two keys; one var dir keeps its key across
    restarts, in a file only its owner can read."""
    first, second = tmp_path / "first", tmp_path / "second"
    key = as_make_run(first)[2]
    assert len(key) >= 50 and not key.startswith("django-insecure")
    assert as_make_run(first)[2] == key  # a restart
    assert as_make_run(second)[2] != key
    key_file = first / "secret_key"
    assert key_file.read_text().strip() == key
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert as_make_run(first, SECRET_KEY="x" * 60)[2] == "x" * 60  # the environment wins


def test_the_public_development_key_is_gone_from_the_code():
    """The old constant (and any other django-insecure key) appears nowhere in the product."""
    found = [str(path.relative_to(ROOT)) for folder in
             ("core", "worker", "registrations", "appreciation", "insight", "mantelzorg",
              "scripts", "bin")
             for path in (ROOT / folder).rglob("*") if path.is_file()
             and path.suffix in ("", ".py", ".sh", ".txt", ".html")
             and "django-insecure-" in path.read_text(errors="ignore")]
    assert found == []
