"""Fault test: kill -9 the worker while a newsletter to 10,000 recipients goes out, start it
again, and check that everyone got it, nobody was lost, and count duplicates
(`make chaos-mailing`). Duplicates can only be messages sent since the last 'sent' mark of
each killed process (MARK_EVERY per process). Last line:
`CHAOS mailing recipients=… delivered=… lost=… duplicates=…`.
"""

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_newsletter import (  # noqa: E402
    ROOT,
    prepare_run,
)

RECIPIENTS = int(os.environ.get("CHAOS_RECIPIENTS", "10000"))


def start_worker(env):
    return subprocess.Popen(["bin/entrypoint", "worker"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)


def main() -> None:
    sys.path.insert(0, str(ROOT))
    smtp_port = prepare_run("chaos_mailing", RECIPIENTS, "chaos-mailing")
    from django.db import connection

    from core import clock
    from worker.models import Delivery, DeliveryStatus, Newsletter, NewsletterStatus
    from worker.newsletters import STUCK_AFTER, queue_senders, reap_stuck_deliveries, schedule

    newsletter = Newsletter.objects.create(subject="Chaos", body="Beste mantelzorger.")
    counts_file = Path(tempfile.mkdtemp()) / "sink.json"
    sink = subprocess.Popen([sys.executable, "benchmarks/smtp_sink.py", str(smtp_port),
                             str(counts_file)], cwd=ROOT)
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
           "LOG_LEVEL": "WARNING"}
    worker = start_worker(env)
    time.sleep(4)
    schedule(newsletter, None)
    sent = lambda: Delivery.objects.filter(newsletter=newsletter,  # noqa: E731
                                           status=DeliveryStatus.SENT).count()
    while sent() < RECIPIENTS * 0.4:
        time.sleep(0.05)
    os.killpg(worker.pid, signal.SIGKILL)  # the whole worker: main process and children
    worker.wait()
    in_flight = Delivery.objects.filter(newsletter=newsletter,
                                        status=DeliveryStatus.SENDING).count()
    print(f"killed the worker at {sent()} sent; {in_flight} rows were claimed ('bezig')")

    worker = start_worker(env)
    time.sleep(4)
    # What the beat job does 15 minutes later: stuck rows back to waiting, senders queued.
    reap_stuck_deliveries(now=clock.now() + STUCK_AFTER + STUCK_AFTER)
    queue_senders(newsletter.pk)
    deadline = time.monotonic() + 600
    while Newsletter.objects.get(pk=newsletter.pk).status != NewsletterStatus.SENT:
        time.sleep(0.2)
        if time.monotonic() > deadline:
            break
    os.killpg(worker.pid, signal.SIGTERM)
    worker.wait(timeout=60)
    sink.terminate()
    sink.wait(timeout=30)
    per_recipient = json.loads(counts_file.read_text())
    delivered = len(per_recipient)
    duplicates = sum(n - 1 for n in per_recipient.values() if n > 1)
    connection.close()
    print(f"CHAOS mailing recipients={RECIPIENTS} delivered={delivered} "
          f"lost={RECIPIENTS - delivered} duplicates={duplicates}")


if __name__ == "__main__":
    main()
