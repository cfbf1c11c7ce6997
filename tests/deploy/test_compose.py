"""docker-compose.yml: parses, names the services, and runs the tested entrypoint."""

import json
import re
import subprocess
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


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of the Dockerfile, continuation lines joined, comments out."""
    text = re.sub(r"\\\n", " ", (ROOT / "Dockerfile").read_text())
    lines = [line.strip() for line in text.splitlines()]
    return [(line.split(None, 1)[0].upper(), (line.split(None, 1) + [""])[1].strip())
            for line in lines if line and not line.startswith("#")]


def last(instruction: str):
    """The arguments of the last such instruction (the one that counts), exec form parsed."""
    values = [args for name, args in dockerfile_instructions() if name == instruction]
    assert values, f"no {instruction} in the Dockerfile"
    return json.loads(values[-1]) if values[-1].startswith("[") else values[-1]


def test_dockerfile_builds_from_the_lock_file():
    dockerfile = Path(ROOT / "Dockerfile").read_text()
    assert "uv sync --frozen" in dockerfile
    assert "libharfbuzz-subset0" in dockerfile


def test_the_image_runs_the_compose_command_as_it_stands():
    """Compose gives each service its whole command (`bin/entrypoint <role>`): the image must
    put nothing in front of it. An ENTRYPOINT of ours, or one inherited from the base image,
    would make it `<entrypoint> bin/entrypoint web`; so the Dockerfile sets an explicit empty
    one, and without a command the image starts the web role."""
    entrypoint, cmd = last("ENTRYPOINT"), last("CMD")
    assert entrypoint == [], entrypoint
    assert cmd == ["bin/entrypoint", "web"], cmd
    roles = set(re.findall(r"^  ([a-z]+)\)$", (ROOT / "bin/entrypoint").read_text(), re.M))
    for name in ("migrate", "web", "worker", "beat"):
        argv = entrypoint + SERVICES[name]["command"]
        assert argv[0] == "bin/entrypoint" and argv[1:] == [name] and name in roles, argv
    # The relative path resolves: the code is copied into the working directory, and the
    # script keeps its executable bit (git's mode is what the build context gets).
    assert last("WORKDIR") == "/app"
    assert ("COPY", ". .") in dockerfile_instructions()
    mode = subprocess.run(["git", "ls-files", "-s", "bin/entrypoint"], cwd=ROOT, check=True,
                          capture_output=True, text=True).stdout.split()[0]
    assert mode == "100755"
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert not {"bin", "bin/", "/bin/", "bin/entrypoint", "/bin/entrypoint"} & set(ignored)


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
