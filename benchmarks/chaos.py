"""Fault tests (`make chaos`): each scenario prints `CHAOS <name> … lost=… duplicates=…`.

The script starts its own throwaway PostgreSQL and Redis (ports CHAOS_PG_PORT=55442,
CHAOS_REDIS_PORT=56389; same binaries as scripts/test-services.sh) so that restarting them
never disturbs the test services or anyone else's. Like the test services they keep their
files outside the clone, in /tmp/mantelzorg-chaos-services-<uid>-<hash of the clone's path>
(CHAOS_SERVICES_DIR overrides): as root PostgreSQL runs as postgres, who may not be able to
enter the clone (a checkout under /root, a folder with mode 0700). All traffic goes to
127.0.0.1. The project's own processes are started with bin/entrypoint.

1. redis_restart_newsletter: newsletter to CHAOS_RECIPIENTS (5,000) through a real worker and
   the SMTP sink; Redis is shut down (nosave: every queued task is lost) and started again
   mid-send; the worker reconnects; what beat does (reaper + queue_senders) finishes it.
2. postgres_restart_requests: gunicorn under GET /health and people registering through
   the whole public wizard (one new person per round; a 503 is pressed again) while
   PostgreSQL is stopped for a few seconds; counts 503s, other 5xx, time to recovery, then
   checks in the database that every person who reached /aanmelden/verstuurd is stored once
   and whole (care recipient, consent, e-mail confirmation token).
3. worker_killed_sepa / worker_killed_print_batch: kill -9 during a SEPA batch (a subprocess
   running appreciation.waardering.payouts.create_payment_batch: after 1.5 s, and right after the
   file is written but before the commit, CHAOS_KILL_AFTER_FILE) and during
   worker.make_print_batches in the worker; run again; check nothing is in two batches,
   every file exists, no end-to-end id twice (also not in files no batch references, after
   the sweep moved those aside), no letter lost.
4. beat_twice: two `bin/entrypoint beat` with a 1 s heartbeat; after 14 s the one holding
   the lock is stopped and the other must take over; every send is timed from the logs.
"""

import datetime
import glob
import hashlib
import http.cookiejar
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_newsletter import ROOT, fill_recipients, free_port  # noqa: E402


def _services_dir() -> Path:
    key = hashlib.sha256(f"{os.getuid()}:{ROOT}".encode()).hexdigest()[:12]
    default = f"/tmp/mantelzorg-chaos-services-{os.getuid()}-{key}"
    return Path(os.environ.get("CHAOS_SERVICES_DIR", default))


SERVICES = _services_dir()
PG_PORT = int(os.environ.get("CHAOS_PG_PORT", "55442"))
REDIS_PORT = int(os.environ.get("CHAOS_REDIS_PORT", "56389"))
RECIPIENTS = int(os.environ.get("CHAOS_RECIPIENTS", "5000"))
PAYMENTS = int(os.environ.get("CHAOS_PAYMENTS", "5000"))
LETTERS = int(os.environ.get("CHAOS_LETTERS", "900"))
DB_NAME = "chaos"
RESULTS = []


# --- the throwaway services -----------------------------------------------------------

def _pg_bin() -> str:
    dirs = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda d: int(d.split("/")[4]))
    if not dirs:
        sys.exit("PostgreSQL binaries not found: run scripts/test-services.sh env once.")
    return dirs[-1]


def _as_postgres(cmd: list[str]) -> list[str]:
    """As postgres when root; run it with cwd="/" (postgres may not enter the clone)."""
    return ["runuser", "-u", "postgres", "--", *cmd] if os.getuid() == 0 else cmd


def _services_mkdir() -> None:
    """The services' folder, owned by this user (refused if not: it sits in /tmp)."""
    SERVICES.mkdir(mode=0o755, parents=True, exist_ok=True)
    if SERVICES.is_symlink() or SERVICES.stat().st_uid != os.getuid():
        sys.exit(f"{SERVICES} is not a folder of this user; remove it or set "
                 "CHAOS_SERVICES_DIR.")
    SERVICES.chmod(0o755)  # postgres must be able to enter it


def _postgres_dir(path: Path) -> None:
    """A folder of postgres (when run as root), mode 0700."""
    path.mkdir(mode=0o700, exist_ok=True)
    if os.getuid() == 0:
        shutil.chown(path, "postgres", "postgres")
    path.chmod(0o700)


def pg_start() -> None:
    data = SERVICES / "pg"
    _services_mkdir()
    _postgres_dir(SERVICES / "run")
    if not (data / "PG_VERSION").exists():
        shutil.rmtree(data, ignore_errors=True)
        _postgres_dir(data)
        subprocess.run(_as_postgres([f"{_pg_bin()}/initdb", "-D", str(data), "-U", "postgres",
                                     "-A", "trust", "--no-sync"]),
                       check=True, stdout=subprocess.DEVNULL, cwd="/")
    subprocess.run(_as_postgres([
        f"{_pg_bin()}/pg_ctl", "-D", str(data), "-l", str(SERVICES / "run" / "pg.log"),
        "-w", "start",
        "-o", f"-p {PG_PORT} -k {SERVICES / 'run'} -c listen_addresses=127.0.0.1 -c fsync=off "
              "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"]),
        check=True, stdout=subprocess.DEVNULL, cwd="/")


def pg_stop() -> None:
    subprocess.run(_as_postgres([f"{_pg_bin()}/pg_ctl", "-D", str(SERVICES / "pg"), "-w",
                                 "-m", "fast", "stop"]),
                   check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd="/")


def redis_start() -> None:
    _services_mkdir()
    subprocess.run(["redis-server", "--port", str(REDIS_PORT), "--bind", "127.0.0.1",
                    "--daemonize", "yes", "--save", "", "--appendonly", "no",
                    "--dir", str(SERVICES), "--logfile", str(SERVICES / "redis.log"),
                    "--pidfile", str(SERVICES / "redis.pid")], check=True)
    for _ in range(100):
        if redis_up():
            return
        time.sleep(0.05)


def redis_up() -> bool:
    return subprocess.run(["redis-cli", "-p", str(REDIS_PORT), "ping"], capture_output=True,
                          text=True).stdout.strip() == "PONG"


def redis_stop() -> None:
    subprocess.run(["redis-cli", "-p", str(REDIS_PORT), "shutdown", "nosave"],
                   capture_output=True)
    for _ in range(100):
        if not redis_up():
            return
        time.sleep(0.05)


# --- processes ------------------------------------------------------------------------

def proc_env(**extra) -> dict:
    return {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
            "PYTHONUNBUFFERED": "1", **extra}


def start(role: str, log: Path, *args: str, **extra) -> subprocess.Popen:
    return subprocess.Popen(["bin/entrypoint", role, *args], cwd=ROOT, env=proc_env(**extra),
                            stdout=open(log, "wb"), stderr=subprocess.STDOUT,  # noqa: SIM115
                            start_new_session=True)


def stop(proc: subprocess.Popen, sig=signal.SIGTERM) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, sig)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def wait_until(check, timeout: float, interval: float = 0.2) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if check():
                return True
        except Exception:
            from django.db import connection

            connection.close()
        time.sleep(interval)
    return False


def report(line: str) -> None:
    print(line, flush=True)
    RESULTS.append(line)


# --- 1. Redis restarted while a newsletter goes out -------------------------------------

def redis_restart_newsletter(logs: Path, smtp_port: int) -> None:
    from core import clock
    from worker.models import Delivery, DeliveryStatus, Newsletter, NewsletterStatus
    from worker.newsletters import STUCK_AFTER, queue_senders, reap_stuck_deliveries, schedule

    fill_recipients(RECIPIENTS, clock.today())
    newsletter = Newsletter.objects.create(subject="Chaos Redis", body="Beste mantelzorger.")
    counts_file = logs / "sink.json"
    sink = subprocess.Popen([sys.executable, "benchmarks/smtp_sink.py", str(smtp_port),
                             str(counts_file)], cwd=ROOT)
    worker = start("worker", logs / "worker-redis.log", LOG_LEVEL="WARNING")
    time.sleep(4)
    started = time.monotonic()
    schedule(newsletter, None)

    def sent():
        return Delivery.objects.filter(newsletter=newsletter, status=DeliveryStatus.SENT).count()

    wait_until(lambda: sent() >= RECIPIENTS * 0.3, 120, 0.05)
    at = sent()
    redis_stop()
    time.sleep(3)
    redis_start()
    print(f"  Redis shut down (nosave) at {at} sent, up again after 3 s", flush=True)
    # What beat does every 5 minutes: the reaper (rows of tasks that died go back to
    # 'wacht', here with the clock moved past STUCK_AFTER) and senders queued again. Only
    # once sending has stood still for 5 s, as the real reaper only takes rows claimed 15
    # minutes ago: reaping rows a live task is still sending would make duplicates.
    last, still_since = -1, time.monotonic()
    while time.monotonic() - still_since < 5:
        now_sent = sent()
        if now_sent != last:
            last, still_since = now_sent, time.monotonic()
        time.sleep(0.5)
    reaped = reap_stuck_deliveries(now=clock.now() + 2 * STUCK_AFTER)
    queue_senders(newsletter.pk)
    done = wait_until(lambda: Newsletter.objects.get(pk=newsletter.pk).status
                      == NewsletterStatus.SENT, 300)
    seconds = time.monotonic() - started
    worker_alive = worker.poll() is None
    stop(worker)
    sink.terminate()
    sink.wait(timeout=30)
    per_recipient = json.loads(counts_file.read_text())
    delivered = len(per_recipient)
    duplicates = sum(n - 1 for n in per_recipient.values() if n > 1)
    report(f"CHAOS redis_restart_newsletter recipients={RECIPIENTS} restarted_at_sent={at} "
           f"reaped={reaped} finished={'yes' if done else 'no'} seconds={seconds:.0f} "
           f"worker_survived={'yes' if worker_alive else 'no'} delivered={delivered} "
           f"lost={RECIPIENTS - delivered} duplicates={duplicates}")


# --- 2. PostgreSQL restarted while people register ------------------------------------

REGISTRATION_STEPS = ["over-mij", "naaste", "contact", "belasting", "controleren"]
# Where each answer must send the browser next (an adult: no guardian step).
NEXT_PATH = {"over-mij": "/aanmelden/naaste", "naaste": "/aanmelden/contact",
             "contact": "/aanmelden/belasting", "belasting": "/aanmelden/controleren",
             "controleren": "/aanmelden/klaar", "klaar": "/aanmelden/verstuurd"}
CHAOS_EMAIL = "chaos-person-{}@example.nl"
PRESS_AGAIN_AFTER = 0.5  # seconds a person waits before pressing again after a 503
GIVE_UP_AFTER = 60  # seconds of 503s on one step after which a person gives up


def person_fields(number: int, step: str) -> list[tuple[str, str]]:
    """The fields a browser posts for `step` (as
    tests/registrations/test_registration_public.py fills them), for person `number`: date of
    birth, house number and e-mail differ per person, so neither the per-identity rate limit
    nor duplicate detection sees the same person."""
    born = datetime.date(1940, 1, 1) + datetime.timedelta(days=number)
    fields = {
        "over-mij": [("first_name", "Riet"), ("last_name", f"Chaos{number}"),
                     ("date_of_birth", born.strftime("%d-%m-%Y")), ("postcode", "3845 AB"),
                     ("house_number", str(number + 1)), ("street", "Lindenlaan"),
                     ("city", "Harderwijk"), ("email", CHAOS_EMAIL.format(number)),
                     ("phone", "06-1234 5678")],
        "naaste": [("name", "Henk Bakker"), ("date_of_birth", ""), ("relationship", "partner"),
                   ("lives_in_municipality", "ja"), ("living_together", "ja"),
                   ("care_kinds", "huishouden"), ("care_kinds", "verzorging"),
                   ("hours_per_week", "20"), ("care_since", "01-03-2019"), ("care_need", "")],
        "contact": [("channel", "email"), ("wants_newsletter", "on")],
        "belasting": [("skip", "1")],  # the optional self-check's "Overslaan" button
        "controleren": [("consent", "on")],
    }[step]
    return [("registration_wizard-current_step", step)] + [(f"{step}-{k}", v) for k, v in fields]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """Each client checks where a step sends it, so redirects are not followed."""

    def redirect_request(self, *args, **kwargs):
        return None


class Traffic:
    """GET /health in a loop, and people registering through the whole public wizard.

    A person is one cookie jar (session + csrftoken), as a browser: GET the first step for
    the form token, POST the five steps, GET /aanmelden/klaar (where the registration is
    stored) and /aanmelden/verstuurd. A 503 (or no answer) means: wait a moment and press
    again, same session. An unexpected answer (a form page again: the session lost its
    steps; a 403) makes the person start over. After `stop` the people on their way
    finish their registration; nobody new starts.
    """

    def __init__(self, base: str, health_threads: int = 1, people_threads: int = 4):
        self.base, self.stop = base, threading.Event()
        self.lock = threading.Lock()
        self.answers = []  # (time, kind, status, is_dutch_503_page)
        self.people = {}  # number → "verstuurd" | "gave_up"
        self.restarts = []  # (number, step, status, location): a person started over
        self.next_number = 0
        self.threads = ([threading.Thread(target=self.run_health) for _ in range(health_threads)]
                        + [threading.Thread(target=self.run_people)
                           for _ in range(people_threads)])

    def run_health(self) -> None:
        opener = urllib.request.build_opener(NoRedirect)
        while not self.stop.is_set():
            status, body, _ = self.fetch(opener, "/health")
            self.record("health", status, body)
            time.sleep(0.02)

    def run_people(self) -> None:
        while not self.stop.is_set():
            with self.lock:
                number, self.next_number = self.next_number, self.next_number + 1
            outcome = self.register(number)
            with self.lock:
                self.people[number] = outcome

    def register(self, number: int) -> str:
        """One person's registration, started over (same person) at most five times."""
        for _ in range(5):
            opener = urllib.request.build_opener(
                urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect)
            outcome = self.one_attempt(opener, number)
            if outcome != "start_over":
                return outcome
        return "gave_up"

    def one_attempt(self, opener, number: int) -> str:
        answer = self.press(opener, "over-mij-get", "/aanmelden/over-mij")
        if answer is None:
            return "gave_up"
        status, body, _ = answer
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        if status != 200 or not token:
            self.restarts.append((number, "over-mij-get", status, ""))
            return "start_over"
        for step in REGISTRATION_STEPS:
            data = urllib.parse.urlencode(
                [("csrfmiddlewaretoken", token.group(1)), *person_fields(number, step)]).encode()
            answer = self.press(opener, step, f"/aanmelden/{step}", data)
            if answer is None:
                return "gave_up"
            status, _, location = answer
            if status != 302 or location != NEXT_PATH[step]:
                self.restarts.append((number, step, status, location))
                return "start_over"
        answer = self.press(opener, "klaar", "/aanmelden/klaar")
        if answer is None:
            return "gave_up"
        status, _, location = answer
        if status != 302 or location != NEXT_PATH["klaar"]:
            self.restarts.append((number, "klaar", status, location))
            return "start_over"
        self.press(opener, "verstuurd", "/aanmelden/verstuurd")  # the page a person reads
        return "verstuurd"

    def press(self, opener, kind: str, path: str, data: bytes | None = None):
        """Send a request; on a 503 or no answer wait and press again (same session).
        None when it kept failing for GIVE_UP_AFTER seconds."""
        deadline = time.monotonic() + GIVE_UP_AFTER
        while True:
            status, body, location = self.fetch(opener, path, data)
            self.record(kind, status, body)
            if status not in (0, 503):
                return status, body, location
            if time.monotonic() > deadline:
                return None
            time.sleep(PRESS_AGAIN_AFTER)

    def fetch(self, opener, path, data=None):
        headers = {"Referer": self.base + path, "Origin": self.base}
        if data is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        request = urllib.request.Request(self.base + path, data=data, headers=headers)
        try:
            with opener.open(request, timeout=10) as response:
                return response.status, response.read().decode(errors="replace"), ""
        except urllib.error.HTTPError as exc:
            return (exc.code, exc.read().decode(errors="replace"),
                    exc.headers.get("Location", ""))
        except OSError:
            return 0, "", ""

    def record(self, kind, status, body):
        dutch = status == 503 and ("Even niet beschikbaar" in body or '"database"' in body)
        with self.lock:
            self.answers.append((time.monotonic(), kind, status, dutch))


def check_registrations(people: dict) -> dict:
    """What the database holds for the people of `Traffic`, matched by e-mail address."""
    from django.db.models import Exists, OuterRef, Q

    from registrations.models import (
        AccessToken,
        Caregiver,
        CareRecipient,
        ConsentKind,
        ConsentRecord,
        TokenPurpose,
    )

    caregivers = Caregiver.objects.filter(email__startswith="chaos-person-")
    stored = list(caregivers.values_list("email", flat=True))
    per_email = {}
    for email in stored:
        per_email[email] = per_email.get(email, 0) + 1
    completed = [n for n, outcome in people.items() if outcome == "verstuurd"]
    # What one online registration writes (registrations/services.py `_register`).
    mine = OuterRef("pk")
    half_written = caregivers.annotate(
        recipient=Exists(CareRecipient.objects.filter(caregiver=mine)),
        consent=Exists(ConsentRecord.objects.filter(caregiver=mine,
                                                    kind=ConsentKind.PROCESSING)),
        token=Exists(AccessToken.objects.filter(caregiver=mine,
                                                purpose=TokenPurpose.CONFIRM_EMAIL)),
    ).filter(Q(recipient=False) | Q(consent=False) | (~Q(email="") & Q(token=False))).count()
    return {
        "people": len(people), "completed": len(completed), "stored": len(stored),
        "half_written": half_written,
        "lost": sum(1 for n in completed if CHAOS_EMAIL.format(n) not in per_email),
        "duplicates": sum(count - 1 for count in per_email.values()),
        "stored_not_completed": sum(1 for n, outcome in people.items()
                                    if outcome != "verstuurd"
                                    and CHAOS_EMAIL.format(n) in per_email),
    }


def postgres_restart_requests(logs: Path) -> None:
    from django.db import connection

    connection.close()
    port = free_port()
    web = start("web", logs / "web.log", PORT=str(port), BIND="127.0.0.1",
                WEB_CONCURRENCY="2", DEBUG="false", RATELIMIT_FORM_PER_IP="0")
    base = f"http://127.0.0.1:{port}"
    wait_until(lambda: urllib.request.urlopen(base + "/health", timeout=2).status == 200, 60)
    traffic = Traffic(base)
    for thread in traffic.threads:
        thread.start()
    time.sleep(3)
    down_at = time.monotonic()
    pg_stop()
    time.sleep(5)
    pg_start()
    up_at = time.monotonic()
    time.sleep(8)
    traffic.stop.set()
    for thread in traffic.threads:
        thread.join()
    stop(web)
    connection.close()
    answers = traffic.answers
    by_status = {}
    for _, kind, status, _ in answers:
        by_status[(kind, status)] = by_status.get((kind, status), 0) + 1
    unavailable = [a for a in answers if a[2] == 503]
    other_5xx = [a for a in answers if a[2] >= 500 and a[2] != 503]
    client_errors = [a for a in answers if 400 <= a[2] < 500]  # e.g. a broken session, CSRF
    not_dutch = [a for a in unavailable if not a[3]]
    no_answer = [a for a in answers if a[2] == 0]
    after_up = [a for a in answers if a[0] >= up_at]
    # Recovery: the first moment after PostgreSQL is up from which every answer is a 2xx/3xx.
    recovered_at = None
    for a in after_up:
        if a[2] in (0,) or a[2] >= 500:
            recovered_at = None
        elif recovered_at is None:
            recovered_at = a[0]
    recovery = f"{recovered_at - up_at:.1f}" if recovered_at else "never"
    db = check_registrations(traffic.people)
    print("  answers by (kind, status): " + ", ".join(
        f"{k[0]} {k[1]}: {v}" for k, v in sorted(by_status.items())), flush=True)
    if traffic.restarts:
        print(f"  started over: {traffic.restarts[:10]}", flush=True)
    report(f"CHAOS postgres_restart_requests requests={len(answers)} "
           f"down_s={up_at - down_at:.1f} http_503={len(unavailable)} "
           f"503_without_dutch_page={len(not_dutch)} other_5xx={len(other_5xx)} "
           f"http_4xx={len(client_errors)} no_answer={len(no_answer)} recovery_s={recovery} "
           f"people={db['people']} "
           f"completed={db['completed']} gave_up={db['people'] - db['completed']} "
           f"started_over={len(traffic.restarts)} stored={db['stored']} "
           f"stored_not_completed={db['stored_not_completed']} "
           f"half_written_registrations={db['half_written']} "
           f"lost={db['lost']} duplicates={db['duplicates']}")


# --- 3. worker killed during a SEPA batch and during a print batch ----------------------

SEPA_CHILD = """
import os, signal, sys, django
sys.path.insert(0, os.getcwd())
django.setup()
from django.contrib.auth.models import User
from appreciation.waardering import payouts
from appreciation.models import AppreciationYear, PaymentBatch, PayoutForm
if os.environ.get("CHAOS_KILL_AFTER_FILE") == "1":
    save = PaymentBatch.save

    def save_then_die(batch, *args, **kwargs):
        if batch.export:  # the file is on disk, the batch's transaction not committed
            os.kill(os.getpid(), signal.SIGKILL)
        return save(batch, *args, **kwargs)

    PaymentBatch.save = save_then_die
year = AppreciationYear.objects.get(pk=int(sys.argv[1]))
by = User.objects.get(username="bench-coordinator")
print("start", flush=True)
batch = payouts.create_payment_batch(year, PayoutForm.BANK, by)
print("done", batch and batch.request_count, flush=True)
"""


def run_sepa_child(year_id: int, kill_after: float | None, **env: str) -> str:
    proc = subprocess.Popen([sys.executable, "-c", SEPA_CHILD, str(year_id)], cwd=ROOT,
                            env=proc_env(**env), stdout=subprocess.PIPE, text=True,
                            start_new_session=True)
    line = proc.stdout.readline()
    if kill_after is not None and line.startswith("start"):
        time.sleep(kill_after)
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            return "killed"
    out, _ = proc.communicate(timeout=300)
    if proc.returncode == -signal.SIGKILL:
        return "killed"
    return (line + out).strip().replace("\n", " ")


def payment_files(year) -> tuple[list[Path], list[Path]]:
    """The year's payment files in the batch file folder (what a coordinator could send to
    the bank): (referenced by a batch, referenced by none). Files the sweep moved aside to
    payment_files.ORPHAN_DIRECTORY are not among them."""
    from appreciation.models import PaymentBatch

    on_disk = sorted(Path(p).resolve() for p in glob.glob(str(
        Path(os.environ["MANTELZORG_VAR_DIR"]) / "media" / "payments" / f"MZW{year.year}B*.xml")))
    referenced = {Path(b.export.path).resolve()
                  for b in PaymentBatch.objects.filter(year=year) if b.export}
    return ([p for p in on_disk if p in referenced], [p for p in on_disk if p not in referenced])


def set_aside(year) -> list[str]:
    """The year's payment files moved out of the batch folder (no batch referenced them)."""
    from appreciation.waardering.payment_files import ORPHAN_DIRECTORY

    return glob.glob(str(Path(os.environ["MANTELZORG_VAR_DIR"]) / "media" / ORPHAN_DIRECTORY
                         / f"MZW{year.year}B*.xml"))


def end_to_end_ids(paths: list[Path]) -> list[str]:
    return [i for p in paths for i in re.findall(r"<EndToEndId>([^<]+)</EndToEndId>",
                                                 p.read_text())]


def sepa_kill_point(year, kill: str, kill_after: float | None, **env: str) -> None:
    """Kill a batch run, run it again twice, then check rows and files; then sweep the
    files no batch references as the daily job does (clock moved past their minimum age)."""
    from django.db import connection

    from appreciation.models import AppreciationRequest, PaymentBatch, RequestState
    from appreciation.waardering import payouts
    from core import clock

    first = run_sepa_child(year.pk, kill_after=kill_after, **env)
    second = run_sepa_child(year.pk, kill_after=None)
    third = run_sepa_child(year.pk, kill_after=None)
    connection.close()
    requests = AppreciationRequest.objects.filter(year=year)
    in_batch = requests.filter(state=RequestState.IN_BETAALBATCH)
    without_batch = in_batch.filter(payment_batch__isnull=True).count()
    batches = list(PaymentBatch.objects.filter(year=year))
    missing_files = sum(1 for b in batches if not b.export or not Path(b.export.path).exists())
    count_mismatch = sum(1 for b in batches if b.requests.count() != b.request_count)
    referenced, orphans = payment_files(year)
    ids = end_to_end_ids(referenced)
    # The double-payment risk: payments in a file no batch references that a batch pays too.
    paid_twice_on_disk = len(set(end_to_end_ids(orphans)) & set(ids))
    swept = payouts.set_aside_orphan_payment_files(now=clock.now() + payouts.ORPHAN_FILE_MIN_AGE)
    referenced_after, orphans_after = payment_files(year)
    all_ids_after = end_to_end_ids(referenced_after + orphans_after)
    waiting = requests.filter(state=RequestState.GOEDGEKEURD).count()
    paid = in_batch.count()
    report(f"CHAOS worker_killed_sepa kill={kill} payments={PAYMENTS} "
           f"first_run={first.split()[0]} rerun={second!r} third_run={third!r} "
           f"batches={len(batches)} in_batch={paid} still_waiting={waiting} "
           f"in_batch_without_batch={without_batch} missing_files={missing_files} "
           f"count_mismatch={count_mismatch} end_to_end_ids={len(ids)} "
           f"orphan_files={len(orphans)} orphan_ids_also_in_a_batch={paid_twice_on_disk} "
           f"moved_aside_by_sweep={swept} orphan_files_after_sweep={len(orphans_after)} "
           f"set_aside_in_total={len(set_aside(year))} "
           f"lost={PAYMENTS - paid - waiting} "
           f"duplicates={len(all_ids_after) - len(set(all_ids_after))}")


def worker_killed_sepa() -> None:
    """Two kill points: a timer (1.5 s, mostly before the file exists) and the moment right
    after the file is written, before the batch's transaction commits."""
    os.environ["BENCH_PAYMENTS"] = str(PAYMENTS)
    from unittest import mock

    import bench_sepa

    from core import clock

    bench_sepa.PAYMENTS = PAYMENTS
    year, coordinator = bench_sepa.fill(clock.today())
    sepa_kill_point(year, "timer_1.5s", kill_after=1.5)
    # A second year with its own approved requests (fill makes the coordinator once).
    with mock.patch("mantelzorg.services_staff.create_staff_user", return_value=coordinator):
        other_year, _ = bench_sepa.fill(datetime.date(clock.today().year - 1, 6, 1))
    sepa_kill_point(other_year, "after_file", kill_after=None, CHAOS_KILL_AFTER_FILE="1")


def worker_killed_print_batch(logs: Path) -> None:
    from django.db import connection

    from core import clock
    from registrations.models import Caregiver, RegistrationLetter, State
    from worker.models import Letter, LetterStatus, PrintBatch
    from worker.tasks import make_print_batches

    today = clock.today()
    people = Caregiver.objects.bulk_create(
        Caregiver(first_name=f"Brief{i}", last_name=f"Chaos{i}",
                  date_of_birth=datetime.date(1950, 1, 1), street="Lindenlaan",
                  house_number=str(i % 180 + 1), postcode=f"38{i % 50 + 40:02d}AB",
                  city="Harderwijk", state=State.VOORMALIG,
                  care_ended_on=today - datetime.timedelta(days=700),
                  care_end_reason="overlijden", registered_on=datetime.date(2020, 1, 1))
        for i in range(LETTERS))
    letters = Letter.objects.bulk_create(
        Letter(kind=RegistrationLetter.RETENTION_NOTICE, caregiver=person,
               status=LetterStatus.TO_PRINT,
               channel="post", dedupe_key=f"chaos-print:{person.pk}", created_at=clock.now())
        for person in people)
    ids = [letter.pk for letter in letters]
    worker = start("worker", logs / "worker-print.log", "--concurrency", "1",
                   LOG_LEVEL="WARNING")
    time.sleep(4)
    make_print_batches.delay()
    # Kill once the first batch is committed, in the middle of the next PDF.
    wait_until(lambda: PrintBatch.objects.exists(), 120, 0.05)
    time.sleep(1.0)
    batches_at_kill = PrintBatch.objects.count()
    stop(worker, signal.SIGKILL)
    worker = start("worker", logs / "worker-print-2.log", "--concurrency", "1",
                   LOG_LEVEL="WARNING")
    time.sleep(4)
    make_print_batches.delay()  # what beat does the next morning
    done = wait_until(lambda: not Letter.objects.filter(
        pk__in=ids, print_batch__isnull=True).exists(), 300, 0.5)
    stop(worker)
    connection.close()
    batches = list(PrintBatch.objects.all())
    missing_files = sum(1 for b in batches if not b.pdf or not Path(b.pdf.path).exists())
    count_mismatch = sum(1 for b in batches if b.letters.count() != b.letter_count)
    in_batch = Letter.objects.filter(pk__in=ids, print_batch__isnull=False).count()
    waiting = Letter.objects.filter(pk__in=ids, print_batch__isnull=True,
                                    status=LetterStatus.TO_PRINT).count()
    report(f"CHAOS worker_killed_print_batch letters={LETTERS} batches_at_kill={batches_at_kill} "
           f"finished={'yes' if done else 'no'} batches={len(batches)} in_batch={in_batch} "
           f"still_waiting={waiting} missing_files={missing_files} "
           f"count_mismatch={count_mismatch} lost={LETTERS - in_batch - waiting} "
           f"duplicates={sum(b.letter_count for b in batches) - in_batch}")


# --- 4. beat started twice ------------------------------------------------------------

# As the settings' LOGGING format writes it (local time of the beat process).
SEND_LINE = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}) INFO celery\.beat Scheduler: "
                       r"Sending due task scheduler-heartbeat", re.M)


def send_times(log: Path) -> list[datetime.datetime]:
    return [datetime.datetime.strptime(m.group(1), "%Y-%m-%d %H:%M:%S,%f")
            for m in SEND_LINE.finditer(log.read_text())]


def beat_twice(logs: Path) -> None:
    """Two beats at once with a 1 s heartbeat; after 14 s the beat that holds the lock is
    stopped and the other must take over. Every second should see exactly one send."""
    from django.db import connection

    from worker.models import SchedulerBeat

    SchedulerBeat.objects.filter(name="heartbeat").delete()
    env = {"SCHEDULER_HEARTBEAT_SECONDS": "1", "BEAT_LOCK_TTL_SECONDS": "6"}
    worker = start("worker", logs / "worker-beat.log", "--concurrency", "1", **env)
    time.sleep(4)
    beats = {1: start("beat", logs / "beat-1.log", **env),
             2: start("beat", logs / "beat-2.log", **env)}
    time.sleep(14)
    sent_so_far = {n: len(send_times(logs / f"beat-{n}.log")) for n in beats}
    holder = max(sent_so_far, key=sent_so_far.get)
    stop(beats[holder])
    time.sleep(10)
    stop(beats[3 - holder])
    time.sleep(2)
    stop(worker)
    connection.close()
    times = {n: send_times(logs / f"beat-{n}.log") for n in beats}
    every = sorted(times[1] + times[2])
    waited = ["is held by another beat" in (logs / f"beat-{n}.log").read_text() for n in beats]
    row = SchedulerBeat.objects.filter(name="heartbeat").first()
    runs = row.runs if row else 0
    gaps = [(b - a).total_seconds() for a, b in zip(every, every[1:], strict=False)]
    # Two sends less than half a heartbeat apart: the same tick sent twice.
    twice = sum(1 for gap in gaps if gap < 0.5)
    # From the stopped holder's last send to the other beat's first send after it.
    last_of_holder = max(times[holder], default=None)
    after_stop = [t for t in times[3 - holder] if last_of_holder and t > last_of_holder]
    takeover = (f"{(after_stop[0] - last_of_holder).total_seconds():.1f}" if after_stop
                else "never")
    report(f"CHAOS beat_twice beats=2 heartbeat_s=1 holder=beat{holder} "
           f"sends_before_stop={sent_so_far[holder]}+{sent_so_far[3 - holder]} "
           f"sends_total={len(every)} longest_gap_s={max(gaps, default=0):.1f} "
           f"waiting_beats={sum(waited)} takeover_s={takeover} worker_runs={runs} "
           f"lost={max(0, len(every) - runs)} duplicates={twice}")


def main() -> None:
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    started = time.monotonic()
    logs = Path(tempfile.mkdtemp(prefix="chaos-"))
    pg_stop()
    redis_stop()
    pg_start()
    redis_start()
    import psycopg

    with psycopg.connect(f"postgresql://postgres@127.0.0.1:{PG_PORT}/postgres",
                         autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB_NAME}"')
    smtp_port = free_port()
    os.environ.update(
        DATABASE_URL=f"postgres://postgres@127.0.0.1:{PG_PORT}/{DB_NAME}",
        REDIS_URL=f"redis://127.0.0.1:{REDIS_PORT}/0",
        EMAIL_URL=f"smtp://127.0.0.1:{smtp_port}",
        MANTELZORG_VAR_DIR=str(logs / "var"),
        DJANGO_SETTINGS_MODULE="mantelzorg.settings",
        RATELIMIT_ENABLED="off",
    )
    os.environ.pop("CELERY_BROKER_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    print(f"services on 127.0.0.1:{PG_PORT} (PostgreSQL) and :{REDIS_PORT} (Redis); "
          f"logs in {logs}", flush=True)
    scenarios = [
        ("redis_restart_newsletter", lambda: redis_restart_newsletter(logs, smtp_port)),
        ("postgres_restart_requests", lambda: postgres_restart_requests(logs)),
        ("worker_killed_sepa", worker_killed_sepa),
        ("worker_killed_print_batch", lambda: worker_killed_print_batch(logs)),
        ("beat_twice", lambda: beat_twice(logs)),
    ]
    only = set(filter(None, os.environ.get("CHAOS_ONLY", "").split(",")))
    failed = []
    try:
        for name, scenario in scenarios:
            if only and name not in only:
                continue
            try:
                scenario()
            except Exception as exc:  # one broken scenario must not hide the others
                failed.append(name)
                report(f"CHAOS {name} error={exc.__class__.__name__}: {exc}")
                from django.db import connection

                connection.close()
                if not redis_up():
                    redis_start()
    finally:
        from django.db import connection

        connection.close()
        pg_stop()
        redis_stop()
    bad = [line for line in RESULTS if re.search(r" (lost|duplicates)=[1-9]", line)
           or "error=" in line or "other_5xx=0" not in line and "postgres_restart" in line]
    print(f"CHAOS summary scenarios={len(RESULTS)} failed={len(failed)} "
          f"with_loss_or_duplicates_or_500={len(bad)} seconds={time.monotonic() - started:.0f}")


if __name__ == "__main__":
    main()
