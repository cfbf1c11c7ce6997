"""Benchmark: a newsletter to 100,000 recipients through a real worker to a local SMTP sink
(`make bench-newsletter`).

Own database `bench_newsletter` on the PostgreSQL server of DATABASE_URL, Redis from
REDIS_URL, the worker started with `bin/entrypoint worker` and its default settings, the sink
in benchmarks/smtp_sink.py. Reports messages per second from queueing to the last delivery,
the worker's peak RSS (largest VmHWM of its processes), and checks every recipient got
exactly one message. Targets (issue): at least 800 messages/s, under 300 MB.

The ceiling, measured in the same run (issue 17): a bare `smtplib` loop, no database, no
Django, no Celery, sends the same messages (the worker's own message for one recipient as
bytes, with only the address changed: the same size) to the same sink, over as many SMTP
connections (one per chunk of CHUNK messages) in as many processes as the worker has
slots. `ratio_to_raw` is the worker's rate over that ceiling; goal at least 0.8.
BENCH_RAW_MESSAGES changes how many the loop sends (default: as many as the newsletter).
"""

import json
import multiprocessing
import os
import resource
import signal
import smtplib
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import psycopg
from benchdb import blank_text_defaults

ROOT = Path(__file__).resolve().parent.parent
RECIPIENTS = int(os.environ.get("BENCH_RECIPIENTS", "100000"))
RAW_MESSAGES = int(os.environ.get("BENCH_RAW_MESSAGES", str(RECIPIENTS)))
CHUNK = 250  # worker.tasks.send_newsletter's chunk_size: one SMTP connection per chunk
SENDERS = int(os.environ.get("WORKER_CONCURRENCY", "2"))  # the worker's slots
DB_NAME = "bench_newsletter"
RAW_PREFIX = "ruw"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def recreate_database(server_url: str, name: str = DB_NAME) -> str:
    parts = urlparse(server_url)
    with psycopg.connect(urlunparse(parts._replace(path="/postgres")), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name}")
        conn.execute(f"CREATE DATABASE {name}")
    return urlunparse(parts._replace(path=f"/{name}"))


FILL_SQL = (
    "INSERT INTO registrations_caregiver (first_name, last_name, date_of_birth, "
    "street, house_number, postcode, city, email, email_confirmed_at, phone, channel, "
    "wants_newsletter, parent_of_disabled_child, migration_background, state, source, "
    "registered_on, care_end_reason, end_reason, created_at) "
    "SELECT 'Voornaam' || i, 'Achternaam', DATE '1960-01-01', 'Lindenlaan', '1', "
    "'3845AB', 'Harderwijk', 'persoon' || i || '@example.nl', now(), '', 'email', "
    "true, false, false, 'actief', 'online', %s, '', '', now() "
    "FROM generate_series(1, %s) AS i")


def fill_recipients(count: int, today) -> None:
    """`count` active caregivers with a confirmed address, by one INSERT … SELECT."""
    from django.db import connection

    blank_text_defaults()
    with connection.cursor() as cursor:
        cursor.execute(FILL_SQL, [today, count])
        cursor.execute("ANALYZE")


def prepare_run(db_name: str, recipients: int, make_target: str) -> int:
    """Own database with `recipients` caregivers, Django set up against it, an empty task
    queue, and EMAIL_URL pointing at a free port for the sink. Returns that port."""
    server = os.environ.get("DATABASE_URL", "")
    if not server.startswith("postgres") or not os.environ.get("REDIS_URL"):
        sys.exit(f"DATABASE_URL (PostgreSQL) and REDIS_URL must be set (make {make_target}).")
    os.environ["DATABASE_URL"] = recreate_database(server, db_name)
    smtp_port = free_port()
    os.environ["EMAIL_URL"] = f"smtp://127.0.0.1:{smtp_port}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mantelzorg.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from core import clock
    from mantelzorg.celery import app

    call_command("migrate", verbosity=0)

    blank_text_defaults()
    fill_recipients(recipients, clock.today())
    app.control.purge()
    return smtp_port


def sample_message(newsletter) -> tuple[bytes, str, str]:
    """The worker's message for the first recipient, as the bytes it puts on the wire, its
    sender, and that recipient's address (which the raw loop replaces)."""
    from django.core.mail import get_connection

    from worker.newsletters import build_message, prerender, recipients

    caregiver = recipients().by_email(recipients().newsletter_audience({})).order_by("pk")[0]
    message = build_message(newsletter, caregiver, prerender(newsletter), get_connection())
    return message.message().as_bytes(linesep="\r\n"), message.from_email, caregiver.email


def raw_sender(port: int, template: bytes, sender: str, address: str, first: int,
               count: int) -> None:
    """Send `count` copies of `template` with a bare smtplib loop, CHUNK per connection."""
    done = 0
    while done < count:
        with smtplib.SMTP("127.0.0.1", port) as smtp:
            for i in range(first + done, first + min(count, done + CHUNK)):
                rcpt = f"{RAW_PREFIX}{i}@example.nl"
                smtp.sendmail(sender, [rcpt],
                              template.replace(address.encode(), rcpt.encode()))
        done = min(count, done + CHUNK)


def raw_ceiling(port: int, template: bytes, sender: str, address: str) -> float:
    """Messages per second of the bare loop: SENDERS processes, as the worker has slots."""
    share = RAW_MESSAGES // SENDERS
    processes = [multiprocessing.Process(target=raw_sender, args=(
        port, template, sender, address, n * share, share if n < SENDERS - 1
        else RAW_MESSAGES - n * share)) for n in range(SENDERS)]
    started = time.monotonic()
    for process in processes:
        process.start()
    for process in processes:
        process.join()
        if process.exitcode != 0:
            sys.exit("the raw smtplib loop failed")
    return RAW_MESSAGES / (time.monotonic() - started)


def cpu_seconds(pid: int, with_children: bool = True) -> float:
    """User + system CPU of a process (and of its live children) from /proc."""
    pids = [pid]
    if with_children:
        pids += [int(p) for p in subprocess.run(["pgrep", "-P", str(pid)], capture_output=True,
                                                text=True).stdout.split()]
    ticks = 0
    for one in pids:
        try:
            fields = Path(f"/proc/{one}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def peak_rss_mb(root_pid: int) -> float:
    """Largest VmHWM among the worker's main process and its children."""
    pids = [root_pid] + [int(p) for p in subprocess.run(
        ["pgrep", "-P", str(root_pid)], capture_output=True, text=True).stdout.split()]
    peak = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peak = max(peak, int(line.split()[1]))
        except OSError:
            continue
    return peak / 1024


def main() -> None:
    sys.path.insert(0, str(ROOT))
    smtp_port = prepare_run(DB_NAME, RECIPIENTS, "bench-newsletter")
    from django.db import connection

    from worker.models import Newsletter, NewsletterStatus
    from worker.newsletters import schedule

    newsletter = Newsletter.objects.create(
        subject="Nieuwsbrief december", body="Beste mantelzorger,\n\n**Inloop** in De Roef.\n\n"
        "- yoga op dinsdag\n- wandeling op donderdag\n\n[Meer informatie](https://example.org)")

    counts_file = Path(tempfile.mkdtemp()) / "sink.json"
    sink = subprocess.Popen([sys.executable, "benchmarks/smtp_sink.py", str(smtp_port),
                             str(counts_file)], cwd=ROOT)
    template, sender, address = sample_message(newsletter)
    connection.close()  # the raw loop forks: no shared database connection
    time.sleep(1)  # the sink is listening
    sink_before, senders_before = cpu_seconds(sink.pid, False), children_cpu()
    raw_per_s = raw_ceiling(smtp_port, template, sender, address)
    raw_cpu_ms = (children_cpu() - senders_before) * 1000 / RAW_MESSAGES
    raw_sink_ms = (cpu_seconds(sink.pid, False) - sink_before) * 1000 / RAW_MESSAGES
    print(f"raw smtplib loop: {RAW_MESSAGES} messages of {len(template)} bytes, "
          f"{SENDERS} processes, {CHUNK} per connection: {raw_per_s:.0f} msgs/s", flush=True)
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
           "LOG_LEVEL": "WARNING"}
    worker = subprocess.Popen(["bin/entrypoint", "worker"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True)
    time.sleep(4)  # worker start-up is not part of sending
    sink_before, worker_before = cpu_seconds(sink.pid, False), cpu_seconds(worker.pid)
    started = time.monotonic()
    schedule(newsletter, None)
    while Newsletter.objects.get(pk=newsletter.pk).status != NewsletterStatus.SENT:
        time.sleep(0.2)
        if time.monotonic() - started > 1800:
            sys.exit("gave up after 30 minutes")
    seconds = time.monotonic() - started
    worker_cpu_ms = (cpu_seconds(worker.pid) - worker_before) * 1000 / RECIPIENTS
    sink_ms = (cpu_seconds(sink.pid, False) - sink_before) * 1000 / RECIPIENTS
    peak_mb = peak_rss_mb(worker.pid)
    os.killpg(worker.pid, signal.SIGTERM)
    worker.wait(timeout=60)
    sink.terminate()
    sink.wait(timeout=30)
    counted = json.loads(counts_file.read_text())
    raw_received = sum(n for a, n in counted.items() if a.startswith(RAW_PREFIX))
    per_recipient = {a: n for a, n in counted.items() if not a.startswith(RAW_PREFIX)}
    duplicates = sum(n - 1 for n in per_recipient.values() if n > 1)
    if raw_received != RAW_MESSAGES:
        sys.exit(f"the sink counted {raw_received} of the raw loop's {RAW_MESSAGES} messages")
    connection.close()
    print(f"sent {RECIPIENTS} in {seconds:.1f} s; received by {len(per_recipient)} "
          f"recipients, duplicates {duplicates}")
    print(f"CPU ms per message: raw loop senders {raw_cpu_ms:.2f}, sink {raw_sink_ms:.2f}; "
          f"worker {worker_cpu_ms:.2f} (its processes, not PostgreSQL's), sink {sink_ms:.2f}")
    rate = RECIPIENTS / seconds
    print(f"BENCH newsletter recipients={RECIPIENTS} msgs_per_s={rate:.0f} "
          f"raw_msgs_per_s={raw_per_s:.0f} ratio_to_raw={rate / raw_per_s:.2f} goal=0.8 "
          f"worker_cpu_ms={worker_cpu_ms:.2f} raw_cpu_ms={raw_cpu_ms:.2f} "
          f"peak_mb={peak_mb:.0f} received={sum(per_recipient.values())} "
          f"duplicates={duplicates}")


if __name__ == "__main__":
    main()
