"""docker-compose.yml: parses, names the services, and runs the tested entrypoint."""

from pathlib import Path

import yaml

from tests.support import ROOT

COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]


def test_all_services_are_there():
    assert {"db", "redis", "migrate", "web", "worker", "beat", "mailpit"} <= set(SERVICES)


def test_app_services_use_the_entrypoint_the_tests_start():
    for name, role in [("migrate", "migrate"), ("web", "web"), ("worker", "worker"),
                       ("beat", "beat")]:
        assert SERVICES[name]["command"] == ["bin/entrypoint", role], name


def test_exactly_one_beat():
    beat = SERVICES["beat"]
    assert beat.get("deploy", {}).get("replicas", 1) == 1
    assert "scale" not in beat


def test_healthchecks_and_ordering():
    for name in ("db", "redis", "web", "mailpit"):
        assert "healthcheck" in SERVICES[name], name
    for name in ("web", "worker", "beat"):
        depends = SERVICES[name]["depends_on"]
        assert depends["db"]["condition"] == "service_healthy"
        assert depends["redis"]["condition"] == "service_healthy"
        assert depends["migrate"]["condition"] == "service_completed_successfully"
    assert SERVICES["migrate"]["restart"] == "no"


def test_app_services_point_at_the_real_services():
    env = COMPOSE["x-app"]["environment"]
    assert env["DATABASE_URL"].startswith("postgres://")
    assert env["REDIS_URL"].startswith("redis://redis:")
    assert env["DJANGO_ENV"] == "production"
    assert "SECRET_KEY" in env and "${SECRET_KEY:?" in env["SECRET_KEY"]


def test_no_secret_has_a_default_in_the_compose_file():
    """Secrets only from the environment: compose refuses to start without them."""
    assert "${POSTGRES_PASSWORD:?" in COMPOSE["x-app"]["environment"]["DATABASE_URL"]
    assert "${POSTGRES_PASSWORD:?" in SERVICES["db"]["environment"]["POSTGRES_PASSWORD"]
    assert "mantelzorg@db" not in Path(ROOT / "docker-compose.yml").read_text()


def test_volumes_keep_the_data():
    assert "pgdata" in COMPOSE["volumes"]
    assert any("pgdata" in v for v in SERVICES["db"]["volumes"])


def test_dockerfile_builds_from_the_lock_file():
    dockerfile = Path(ROOT / "Dockerfile").read_text()
    assert "uv sync --frozen" in dockerfile
    assert "libharfbuzz-subset0" in dockerfile
    assert 'ENTRYPOINT' not in dockerfile or "bin/entrypoint" in dockerfile


def test_mail_goes_to_the_server_the_environment_names():
    """No mail catcher by default: compose refuses to start without EMAIL_URL."""
    email_url = COMPOSE["x-app"]["environment"]["EMAIL_URL"]
    assert email_url.startswith("${EMAIL_URL:?"), email_url
    assert "mailpit" not in email_url


def test_mailpit_only_in_the_development_profile_and_only_on_this_machine():
    """Mailpit shows every message (sign-in links too) without a login: never in the
    production stack, and in development reachable from 127.0.0.1 only."""
    mailpit = SERVICES["mailpit"]
    assert mailpit.get("profiles") == ["dev"]
    for port in mailpit.get("ports", []):
        published = port if isinstance(port, str) else f"{port.get('host_ip', '')}:" \
            f"{port.get('published')}:{port.get('target')}"
        assert published.startswith("127.0.0.1:"), port
    for name, service in SERVICES.items():
        if name != "mailpit":
            assert "profiles" not in service, name
            assert "mailpit" not in service.get("depends_on", {}), name


def test_the_local_var_dir_never_goes_into_the_image():
    """var/ holds this installation's own secret key (var/secret_key) and its data: the
    image build (COPY . .) must leave it out."""
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert "/var/" in ignored or "var/" in ignored or "var" in ignored
