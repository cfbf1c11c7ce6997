"""Production mode: refuses a missing or weak secret and passes `check --deploy` cleanly."""

import os
import secrets
import subprocess
import sys

import pytest

from tests.support import ROOT


def manage(*args, env_overrides):
    dropped = ("SECRET_KEY", "MANTELZORG_DEMO", "DJANGO_ALLOW_ASYNC_UNSAFE")
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(env_overrides)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


PRODUCTION = {"DJANGO_ENV": "production", "ALLOWED_HOSTS": "mantelzorg.example.org"}


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
    """The settings module holds no secret: no key, password or token literal except the
    development key that production refuses (see the tests above), and no credentials in a
    default URL. SECRET_KEY is read from the environment only."""
    import ast
    import re

    source = (ROOT / "mantelzorg" / "settings.py").read_text()
    tree = ast.parse(source)
    literals = [node.value for node in ast.walk(tree)
                if isinstance(node, ast.Constant) and isinstance(node.value, str)]
    dev_keys = [value for value in literals if value.startswith("django-insecure-")]
    assert len(dev_keys) == 1  # (the bare prefix "django-insecure" is what production refuses)
    secret_looking = [value for value in literals
                      if re.fullmatch(r"[A-Za-z0-9_\-+/=!@#$%^&*]{32,}", value)
                      and value not in dev_keys]
    assert secret_looking == []
    assert not [value for value in literals if re.search(r"://[^/\s:@]+:[^@\s/]+@", value)]
    assignments = [node for node in ast.walk(tree) if isinstance(node, ast.Assign)
                   and any(getattr(t, "id", "") == "SECRET_KEY" for t in node.targets)]
    assert len(assignments) == 1
    value = assignments[0].value
    assert isinstance(value, ast.Call) and ast.unparse(value.func) == "env.str"
    assert ast.literal_eval(value.args[0]) == "SECRET_KEY"
    for name in ("PASSWORD", "TOKEN", "API_KEY"):
        assert not re.search(rf"^\w*{name}\w*\s*=\s*[\"']", source, re.M), name


def test_production_never_uses_the_development_key():
    """Even if someone copies the development key into the environment."""
    from mantelzorg.settings import _DEV_SECRET_KEY

    result = manage("check", env_overrides={**PRODUCTION, "SECRET_KEY": _DEV_SECRET_KEY})
    assert result.returncode != 0
    assert "needs a real SECRET_KEY" in result.stderr
