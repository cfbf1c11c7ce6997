"""The sign-in settings refuse what would be unsafe: staff SSO without a rule for the
provider's second factor, and DigiD in production without a pseudonym key of its own."""

import os
import secrets
import subprocess
import sys

from tests.support import ROOT

PRODUCTION = {"DJANGO_ENV": "production", "ALLOWED_HOSTS": "mantelzorg.example.org",
              "EMAIL_URL": "smtp+tls://mantelzorg:geheim@mail.example.org:587",
              "SECRET_KEY": secrets.token_urlsafe(64)}


def check(**env_overrides):
    dropped = ("MANTELZORG_DEMO", "DJANGO_ALLOW_ASYNC_UNSAFE", "DEBUG", "SITE_URL", "PORT",
               "SECRET_KEY", "EMAIL_URL")
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(env_overrides)
    return subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_staff_sso_needs_a_rule_for_the_second_factor(tmp_path):
    result = check(MANTELZORG_VAR_DIR=str(tmp_path), STAFF_SSO_ISSUER="https://idp.example.org",
                   STAFF_SSO_CLIENT_ID="mantelzorg")
    assert result.returncode != 0
    assert "STAFF_SSO_ACR_VALUES or STAFF_SSO_AMR_VALUES" in result.stderr


def test_production_digid_needs_its_own_pseudonym_key():
    result = check(**PRODUCTION, DIGID_ISSUER="https://digid-broker.example.org",
                   DIGID_CLIENT_ID="mantelzorg")
    assert result.returncode != 0
    assert "needs BSN_PSEUDONYM_KEY" in result.stderr
