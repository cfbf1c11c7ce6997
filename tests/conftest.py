"""Shared fixtures. The suite runs against real PostgreSQL and Redis (see `make test`)."""

import datetime
import email
import os
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import time_machine
from aiosmtpd.controller import Controller

from tests import mutation_slots, support
from tests import oidc_provider as oidc_support
from tests.factories import (
    STAFF_PASSWORD,
    AppreciationYearFactory,
    CampaignFactory,
    StaffUserFactory,
)
from tests.support import ROOT, free_port, test_database_url


def pytest_configure(config):
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres", "postgresql")):
        pytest.exit("The tests need PostgreSQL and Redis: run them with `make test`.", 2)
    if not os.environ.get("REDIS_URL"):
        pytest.exit("REDIS_URL is not set: run the tests with `make test`.", 2)


def _redis_database(url: str, offset: int) -> str:
    """The Redis URL `offset` databases further (redis://host:port/N)."""
    database = int(urlsplit(url).path.strip("/") or 0) + offset
    if database > 15:
        raise pytest.UsageError(f"{url}: no Redis database {database} for xdist worker "
                                f"{offset}; use fewer workers or a lower database number.")
    return support.redis_url_with_database(url, database)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_setupnodes(config, specs):
    """`make test` runs the suite in several pytest-xdist workers. Each gets, before its
    Django settings load, a Redis database of its own (the broker and the cache: Celery
    workers started by one never take another's tasks, a purge or a rate-limit reset stays
    in its own database) and a var dir of its own (media, outbox, beat schedule, file locks).
    pytest-django gives each its own test database (test_<name>_gwN)."""
    var_dir = Path(os.environ.get("MANTELZORG_VAR_DIR") or ROOT / "var" / "test")
    for index, spec in enumerate(specs):
        env = {"MANTELZORG_VAR_DIR": str(var_dir / spec.id)}
        for name in ("REDIS_URL", "CELERY_BROKER_URL"):
            if os.environ.get(name, "").startswith(("redis://", "rediss://")):
                env[name] = _redis_database(os.environ[name], index)
        spec.env.update(env)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """Under `make mutate` each mutant process tests in a database and Redis database of its
    own (tests/mutation_slots.py); otherwise pytest-django's per-xdist-worker names stand."""
    from django.conf import settings

    slot = mutation_slots.mutant_slot()
    if slot is not None:
        mutation_slots.use_slot(slot, settings)


@pytest.fixture(scope="session")
def django_db_keepdb(request):
    """A mutant process's database is copied fresh for it (above): keep it, don't recreate it."""
    return mutation_slots.mutant_slot() is not None or request.config.getvalue("reuse_db")


# The longest browser tests (20-40 s each: axe on every page at three sizes), run first of
# the browser tests: at the end the two workers then finish with short tests, instead of one
# core waiting half a minute for the other (make test took 346-360 s with them in file order).
LONGEST_BROWSER_TESTS = ("test_nlds_browser.py::test_every_page_has_no_axe_violations",)


def pytest_collection_modifyitems(items):
    """Browser tests are marked `e2e` and run last (see tests/e2e/conftest.py for why), the
    longest of them first.

    Under pytest-xdist `--dist load` (make test) hands the tests out in this order, so in
    every worker too the browser tests come after all others; pytest_runtest_setup below
    refuses to run a test that is not a browser test after them."""
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)

    def order(item):
        browser = "/e2e/" in str(item.fspath)
        longest = browser and any(name in item.nodeid for name in LONGEST_BROWSER_TESTS)
        return (browser, not longest)

    items.sort(key=order)


BROWSER_STARTED = pytest.StashKey[bool]()  # set by tests/e2e/conftest.py's browser fixture


def pytest_runtest_setup(item):
    if item.config.stash.get(BROWSER_STARTED, False) and "e2e" not in item.keywords:
        pytest.fail("A test that is not a browser test runs after the browser tests in this "
                    "process (DJANGO_ALLOW_ASYNC_UNSAFE is set): keep `--dist load` and the "
                    "browser tests last, see tests/e2e/conftest.py.", pytrace=False)


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hasher():
    """Passwords hashed with MD5 in the tests, as Django's testing docs advise: the
    production PBKDF2 (1,000,000 rounds) costs about 0.8 s a hash on a busy 2-core machine,
    and most back-office tests create and sign in staff. The other hashers stay accepted;
    what is tested (which password works, lockouts, second factor) does not depend on the
    algorithm. Child processes (gunicorn, Celery, manage.py) keep Django's hashers and so
    cannot check a password set in a test: sign staff in within the test process."""
    from django.conf import settings
    from django.test.utils import override_settings

    with override_settings(PASSWORD_HASHERS=[
            "django.contrib.auth.hashers.MD5PasswordHasher", *settings.PASSWORD_HASHERS]):
        yield


@pytest.fixture(autouse=True)
def _outbox_and_time(settings, tmp_path):
    """Each test gets its own outbox directory; mail is never left in var/outbox."""
    settings.EMAIL_FILE_PATH = str(tmp_path / "outbox")


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Forget the rate-limit counters (only their `rl:` keys), so the many form posts of the
    suite from one test client never add up; tests/core/test_ratelimit.py exercises the limits."""
    from core import ratelimit

    ratelimit.reset_all()


@pytest.fixture
def inline_tasks(monkeypatch):
    """Run `.delay()` in this process, for view tests about what a task produces.

    Tests about tasks themselves use a real worker (the `real_worker` fixture). Combine with
    `django_capture_on_commit_callbacks(execute=True)` in non-transactional tests, since
    tasks are queued on commit.
    """
    from celery.app.task import Task

    monkeypatch.setattr(Task, "delay", lambda self, *args, **kwargs: self.apply(args, kwargs))


@pytest.fixture
def make_staff(db):
    """`make_staff(role="consulent", username=None, with_device=False)`: a consulent or
    coordinator made by the staff service (StaffUserFactory), `<role>-test` unless named;
    returns (user, password, device or None)."""
    def make(role="consulent", username=None, with_device=False):
        user = StaffUserFactory(role=role, username=username or f"{role}-test")
        device = None
        if with_device:
            from django_otp.plugins.otp_totp.models import TOTPDevice

            device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
        return user, STAFF_PASSWORD, device

    return make


@pytest.fixture
def empty_queue():
    """Drop tasks an earlier run left in the broker, so only this test's tasks run."""
    from mantelzorg.celery import app

    app.control.purge()


@pytest.fixture
def process_env(tmp_path, empty_queue):
    """Environment for starting the project's own processes (web, worker, beat)."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update({
        "DATABASE_URL": test_database_url(),
        "MANTELZORG_VAR_DIR": str(tmp_path / "var"),
        "PATH": f"{Path(sys.executable).parent}:{env.get('PATH', '')}",
        "PYTHONUNBUFFERED": "1",
        "SCHEDULER_HEARTBEAT_SECONDS": "2",
    })
    return env


@pytest.fixture
def start_process():
    """Start a command; it is terminated (and its output shown on failure) after the test."""
    started = []

    def start(args, env, log_path):
        log = open(log_path, "wb")
        proc = subprocess.Popen(args, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)
        started.append((proc, log))
        return proc

    yield start
    for proc, log in started:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        log.close()


# --- the waardering tests' day, year and staff -------------------------------------------------

WAARDERING_DAY = datetime.datetime(2026, 9, 15, 10, 0)


@pytest.fixture
def waardering_day():
    """15 September 2026, 10:00, the clock standing still: inside the window that
    `waardering_year` opens. Yields the traveller, so a test can move the clock on."""
    with time_machine.travel(WAARDERING_DAY, tick=False) as traveller:
        yield traveller


@pytest.fixture
def waardering_year(waardering_day):
    """The 2026 waardering with its default (seed) rules and an open window."""
    return AppreciationYearFactory(open_on=WAARDERING_DAY.date())


@pytest.fixture
def consulent(make_staff):
    return make_staff("consulent")[0]


@pytest.fixture
def coordinator(make_staff):
    return make_staff("coordinator")[0]


@pytest.fixture
def media(settings, tmp_path):
    """Stored files go to this test's own folder, not the shared var/media."""
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path / "media")}}}
    return tmp_path / "media"


@pytest.fixture
def as_consulent(client):
    """The test client, signed in as a consulent who passed the second factor."""
    support.login_fully(client, "consulent")
    return client


@pytest.fixture
def as_coordinator(client):
    """The test client, signed in as a coordinator who passed the second factor."""
    support.login_fully(client, "coordinator")
    return client


# --- signing in ----------------------------------------------------------------------------

@pytest.fixture
def login_fully(db):
    """`login_fully(client, role)`: a new consulent or coordinator signed in with password and
    second factor on that client; returns the user."""
    return support.login_fully


@pytest.fixture
def password_step():
    """`password_step(client, user, password, **extra)`: the staff login's first step."""
    return support.password_step


@pytest.fixture
def totp_now():
    """`totp_now(device)`: the code an authenticator app shows now."""
    return support.totp_now


@pytest.fixture
def sign_in(db):
    """`sign_in(client, caregiver)`: into Mijn gegevens with a fresh link; returns the client."""
    return support.sign_in


# --- campaigns -----------------------------------------------------------------------------

@pytest.fixture
def make_campaign(db):
    """`make_campaign(codes=4, **fields)`: the summer's swimming tickets (CampaignFactory)."""
    return CampaignFactory


# --- a real Celery worker ------------------------------------------------------------------

@pytest.fixture
def wait_for():
    """`wait_for(check, timeout=30, message=…)`: poll until `check()` is truthy."""
    return support.wait_for


@pytest.fixture
def worker_loglevel():
    """The real worker's log level; a module overrides this fixture to see more."""
    return None


@pytest.fixture
def real_worker(transactional_db, empty_queue, worker_loglevel):
    """A Celery worker (solo pool, in a thread of this process) on the test Redis, seeing
    the test database. Tests queue with `.delay()` and wait with `wait_for`."""
    from celery.contrib.testing.worker import start_worker

    from mantelzorg.celery import app

    assert app.conf.broker_url.startswith("redis://")
    options = {"loglevel": worker_loglevel} if worker_loglevel else {}
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10,
                      **options) as worker:
        yield worker


# --- a real SMTP server --------------------------------------------------------------------

class Sink:
    """An SMTP server that keeps what it receives; some addresses fail on purpose."""

    def __init__(self):
        self.messages = []
        self.envelopes = []  # (the envelope's recipients, the message)
        self.temporary_failures = Counter()  # address -> how many times to answer 451
        self.refused = set()  # addresses answered with 550
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        with self.lock:
            if address in self.refused:
                return "550 5.1.1 Mailbox unavailable"
            if self.temporary_failures[address] > 0:
                self.temporary_failures[address] -= 1
                return "451 4.3.0 Try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            message = email.message_from_bytes(envelope.content)
            self.messages.append(message)
            self.envelopes.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted"

    def count_to(self) -> Counter:
        return Counter(str(m["To"]) for m in self.messages)


@pytest.fixture
def smtp_sink(settings):
    """A real SMTP server on localhost that Django's SMTP backend sends to (the worker tests,
    and browser tests that read the e-mail a person gets)."""
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield sink
    controller.stop()


# --- the demo OpenID Connect provider (tools/oidc-provider), a real process -----------------

@pytest.fixture(scope="session")
def oidc_provider():
    """The provider, started once per test process for the test client's host; killed at the
    end. `oidc_provider.misbehave(...)` switches its test faults (reset after each test)."""
    provider = oidc_support.start_provider(["http://testserver"])
    yield provider
    provider.stop()


@pytest.fixture
def staff_sso(settings, oidc_provider):
    """Staff SSO on, against the demo provider, as a municipality would configure it."""
    settings.STAFF_SSO = oidc_support.staff_sso_settings(oidc_provider.issuer)
    settings.OIDC_TIMEOUT_SECONDS = 2.0
    yield oidc_provider
    oidc_provider.misbehave()


@pytest.fixture
def digid(settings, oidc_provider):
    """DigiD (through the demo broker) on for caregivers."""
    settings.DIGID = oidc_support.digid_settings(oidc_provider.issuer)
    settings.OIDC_TIMEOUT_SECONDS = 2.0
    yield oidc_provider
    oidc_provider.misbehave()
