"""Benchmark: a mixed day on one machine (`make bench-mixed`, issue 17). Not a test.

The real risk on a busy day is flows getting in each other's way. On its own database
`bench_mixed` (mixed_data.py fills it) it starts, with production settings as bench-load
does, gunicorn (`bin/entrypoint web`), a real Celery worker (`bin/entrypoint worker`) and
the counting SMTP sink, and runs three flows with wrk, each connection a person who takes
BENCH_THINK_MS (public, default 100) or BENCH_STAFF_THINK_MS (consulenten, default 300)
between requests:
- register: 4 caregivers registering (load/mixed_register.lua: register.lua with a pause);
- waardering: 4 caregivers asking the waardering for themselves (load/waardering.lua);
- consulent: 5 consulenten paging the queue, opening a request and approving it
  (load/consulent.lua; each has a list of its own).
First the flows run BENCH_IDLE_SECONDS (20) without any job: "idle". Then the jobs are
queued at once, as a busy day can have them: the retention job over BENCH_SCALE × 1,000,000
registrations and the print batches of BENCH_SCALE × 1,000 letters (Celery tasks), a
newsletter to BENCH_SCALE × 100,000 recipients (`schedule`, as the back office does), and
the coordinator's payment batch of BENCH_SCALE × 10,000 payouts (POST to the web page, where
the product makes it). The flows run on until every job has finished (at least
BENCH_MIN_MIXED_SECONDS, 20): "mixed".

Reported: p50/p95/p99 per flow and phase (wrk, client side), errors (socket errors,
non-2xx/3xx, answers the script did not expect), the longest wait for a PostgreSQL lock
(pg_stat_activity sampled every 50 ms, mixed_checks.LockSampler), each job's time from
queueing to done and its run time in the worker (the worker's log), and the checks that no
work was lost or done twice (mixed_checks.check_work). Goals: no errors, nothing lost or
doubled, public p95 at most 2× idle, consulent p95 at most 500 ms, every job finishes.
BENCH_SCALE=0.1 runs a quick version. Last line `BENCH mixed …`.
"""

import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import bench_load
import mixed_checks
import mixed_data
from bench_newsletter import free_port
from benchdb import blank_text_defaults, drop_database, recreate_database, server_urls

ROOT = Path(__file__).resolve().parent.parent
LOAD = ROOT / "benchmarks" / "load"
SCALE = float(os.environ.get("BENCH_SCALE", "1"))
SIZES = {"registrations": int(1_000_000 * SCALE), "queue": int(20_000 * SCALE),
         "payments": int(10_000 * SCALE), "newsletter": int(100_000 * SCALE),
         "letters": int(1_000 * SCALE)}
THINK_MS = int(os.environ.get("BENCH_THINK_MS", "100"))
STAFF_THINK_MS = int(os.environ.get("BENCH_STAFF_THINK_MS", "300"))
IDLE_SECONDS = int(os.environ.get("BENCH_IDLE_SECONDS", "20"))
MIN_MIXED_SECONDS = int(os.environ.get("BENCH_MIN_MIXED_SECONDS", "20"))
MAX_MIXED_SECONDS = int(os.environ.get("BENCH_MAX_MIXED_SECONDS", "1800"))
WARM_SECONDS = 5
PEOPLE = {"register": 4, "waardering": 4, "consulent": 5}
PER_CONSULENT = 400  # requests on each consulent's list (more than they get through)
DB_NAME = "bench_mixed"
KEEP_DB = os.environ.get("BENCH_KEEP_DB") == "1"
PORT = bench_load.PORT


def get(path: str, headers: dict | None = None):
    """GET without following redirects; a redirect is an answer too (its cookies count)."""
    try:
        return bench_load.get(path, headers)
    except urllib.error.HTTPError as answer:
        if answer.code in (301, 302, 303):
            return answer
        raise


def cookies_and_token(response) -> tuple[dict, str]:
    cookies = {}
    for header in response.headers.get_all("Set-Cookie") or []:
        name, _, rest = header.partition("=")
        cookies[name.strip()] = rest.split(";", 1)[0]
    body = response.read().decode()
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    return cookies, match.group(1) if match else ""


def waardering_sessions(path: Path, people: int) -> None:
    """Per person: open the wizard (session), then its first step (CSRF cookie, token)."""
    lines = []
    for _ in range(people):
        session, _token = cookies_and_token(get("/waardering/zelf"))
        cookie = f"sessionid={session['sessionid']}"
        more, token = cookies_and_token(get("/waardering/zelf/mantelzorger",
                                                       {"Cookie": cookie}))
        lines.append(f"{session['sessionid']} {more['csrftoken']} {token}")
    path.write_text("\n".join(lines) + "\n")


def consulent_sessions(path: Path, sessions: list[str], lists: list[list[int]]) -> None:
    """Per consulent: the signed-in session, a CSRF cookie and token, its own request ids."""
    lines = []
    for session, ids in zip(sessions, lists, strict=True):
        cookies, token = cookies_and_token(get(
            "/backoffice/waardering/", {"Cookie": f"sessionid={session}"}))
        lines.append(f"{session} {cookies['csrftoken']} {token} "
                     f"{','.join(map(str, ids)) or '-'}")
    path.write_text("\n".join(lines) + "\n")


def start_flows(folder: Path, seconds: int, first_round: int, lists) -> dict:
    """The three flows as wrk processes (stopped with SIGINT, or after `seconds`)."""
    folder.mkdir()
    bench_load.fetch_registration_sessions(folder / "register.txt", PEOPLE["register"])
    waardering_sessions(folder / "waardering.txt", PEOPLE["waardering"])
    consulent_sessions(folder / "consulent.txt", *lists)
    url = f"http://127.0.0.1:{PORT}/"
    args = {
        "register": ["mixed_register.lua", str(folder / "register.txt"), str(PORT),
                     str(folder), str(first_round), str(THINK_MS)],
        "waardering": ["waardering.lua", str(folder / "waardering.txt"), str(PORT),
                       str(first_round), str(THINK_MS)],
        "consulent": ["consulent.lua", str(folder / "consulent.txt"), str(PORT),
                      str(STAFF_THINK_MS)],
    }
    flows = {}
    for name, (script, *rest) in args.items():
        people = PEOPLE[name]
        flows[name] = subprocess.Popen(
            ["wrk", "-t", str(people), "-c", str(people), "-d", f"{seconds}s", "--timeout",
             "10s", "-s", str(LOAD / script), url, "--", *rest],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return flows


def finish_flows(flows: dict, interrupt: bool) -> dict:
    """Stop (SIGINT: wrk prints its figures) and read each flow's WRK line."""
    results = {}
    for name, proc in flows.items():
        if interrupt:
            proc.send_signal(signal.SIGINT)
        output, _ = proc.communicate(timeout=60)
        match = bench_load.WRK_LINE.search(output)
        if not match:
            sys.exit(f"wrk ({name}) printed no figures:\n{output}")
        out = {k: float(v) for k, v in (i.split("=") for i in match.group(1).split())}
        out["rps"] = out["requests"] / out["seconds"]
        out["errors"] = int(sum(out[k] for k in ("connect", "read", "write", "status",
                                                 "timeout", "bad")))
        results[name] = out
    return results


def run_flows(folder: Path, seconds: int, first_round: int, lists) -> dict:
    return finish_flows(start_flows(folder, seconds, first_round, lists), interrupt=False)


def post_payment_batch(session: str, year: int, result: dict) -> None:
    """The coordinator presses "Nieuwe batch" (bank): the web page makes the batch."""
    cookies, token = cookies_and_token(get(
        f"/backoffice/betalingen/{year}/", {"Cookie": f"sessionid={session}"}))
    request = urllib.request.Request(
        f"http://127.0.0.1:{PORT}/backoffice/betalingen/{year}/nieuwe-batch/",
        data=f"csrfmiddlewaretoken={token}&payout_form=bank".encode(), headers={
            "X-Forwarded-Proto": "https", "Origin": f"https://127.0.0.1:{PORT}",
            "Referer": f"https://127.0.0.1:{PORT}/backoffice/betalingen/{year}/",
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"sessionid={session}; csrftoken={cookies['csrftoken']}"})
    started = time.monotonic()
    try:
        status = urllib.request.build_opener(bench_load.NoRedirect).open(
            request, timeout=600).status
    except urllib.error.HTTPError as error:
        status = error.code
    except OSError:
        status = 0
    result.update(status=status, seconds=time.monotonic() - started)


def production_env(bench_url: str, workdir: Path, smtp_port: int) -> dict:
    """As bench-load's gunicorn: production settings on 127.0.0.1, behind a 'TLS proxy'."""
    env = {k: v for k, v in os.environ.items() if k not in ("MANTELZORG_DEMO", "DEBUG")}
    env.pop("CELERY_BROKER_URL", None)
    env.update({
        "DJANGO_ENV": "production", "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1,localhost", "DATABASE_URL": bench_url,
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
        "REDIS_URL": bench_load.redis_url(os.environ["REDIS_URL"]), "CONN_MAX_AGE": "60",
        "MANTELZORG_VAR_DIR": str(workdir / "var"), "STATIC_ROOT": str(workdir / "static"),
        "LOG_LEVEL": "WARNING", "BIND": "127.0.0.1", "PORT": str(PORT),
        "PATH": f"{Path(sys.executable).parent}:{os.environ.get('PATH', '')}",
        "PYTHONUNBUFFERED": "1", "RATELIMIT_FORM_PER_IP": "0",
        "DJANGO_SETTINGS_MODULE": "mantelzorg.settings",
    })
    return env


def jobs_done(data: dict, sepa: dict, worker_log: Path) -> dict[str, bool]:
    from worker.models import Letter, Newsletter, NewsletterStatus

    done = {
        "newsletter": Newsletter.objects.get(pk=data["newsletter_id"]).status
        == NewsletterStatus.SENT,
        "print": not Letter.objects.filter(pk__in=data["letter_ids"],
                                           print_batch__isnull=True,
                                           status="te_printen").exists(),
        "retention": "worker.run_retention" in mixed_checks.task_times(worker_log),
        "sepa": "status" in sepa,
    }
    return done


def report(phase: str, results: dict) -> None:
    for name, r in results.items():
        print(f"  {phase:5s} {name:10s} {r['requests']:6.0f} req {r['rps']:6.1f}/s  "
              f"p50 {r['p50_us'] / 1000:6.1f}  p95 {r['p95_us'] / 1000:6.1f}  "
              f"p99 {r['p99_us'] / 1000:6.1f}  max {r['max_us'] / 1000:6.1f} ms  "
              f"errors {r['errors']} (non-2xx/3xx {r['status']:.0f}, unexpected "
              f"{r['bad']:.0f}, timeout {r['timeout']:.0f})", flush=True)


def stop(proc, sig=signal.SIGTERM) -> None:
    if proc is not None and proc.poll() is None:
        os.killpg(proc.pid, sig)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def main() -> None:  # noqa: C901 - one story, told in order
    sys.path.insert(0, str(ROOT))
    for tool, why in (("wrk", "make bench-mixed installs it"),):
        if not shutil.which(tool):
            sys.exit(f"{tool} is not installed ({why}).")
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith(("postgres://", "postgresql://")) or not os.environ.get(
            "REDIS_URL"):
        sys.exit("DATABASE_URL (PostgreSQL) and REDIS_URL must be set (`make bench-mixed`).")
    admin_url, bench_url = server_urls(database_url, DB_NAME)
    recreate_database(admin_url, DB_NAME)
    workdir = Path(tempfile.mkdtemp(prefix="bench_mixed_"))
    smtp_port = free_port()
    env = production_env(bench_url, workdir, smtp_port)
    os.environ.update(env)
    web = worker = sink = sampler = None
    web_log, worker_log = workdir / "web.log", workdir / "worker.log"
    counts_file = workdir / "sink.json"
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        from core import clock
        from registrations.tasks import run_retention
        from worker.models import Newsletter
        from worker.newsletters import schedule
        from worker.tasks import make_print_batches

        call_command("migrate", verbosity=0)
        blank_text_defaults()
        call_command("collectstatic", interactive=False, verbosity=0)
        started = time.monotonic()
        data = mixed_data.fill(clock.today(), SIZES)
        sessions = [mixed_data.verified_session(f"consulent{n}", "consulent")
                    for n in range(PEOPLE["consulent"])]
        coordinator = mixed_data.verified_session("coordinator", "coordinator")
        connection.close()
        print(f"filled in {time.monotonic() - started:.0f} s: {SIZES}; "
              f"{len(data['open_request_ids'])} open requests for the consulenten", flush=True)
        ids = data["open_request_ids"]
        n = PEOPLE["consulent"]
        warm_lists = [ids[i * 2:(i + 1) * 2] for i in range(n)]
        idle_lists = [ids[2 * n + i * 20:2 * n + (i + 1) * 20] for i in range(n)]
        rest = ids[22 * n:]
        mixed_lists = [rest[i * PER_CONSULENT:(i + 1) * PER_CONSULENT] for i in range(n)]
        data["all_consulent_ids"] = ids[:22 * n + n * PER_CONSULENT]

        sink = subprocess.Popen([sys.executable, "benchmarks/smtp_sink.py", str(smtp_port),
                                 str(counts_file)], cwd=ROOT, start_new_session=True)
        with web_log.open("wb") as log:
            web = subprocess.Popen([str(ROOT / "bin/entrypoint"), "web"], cwd=ROOT, env=env,
                                   stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)
        with worker_log.open("wb") as log:
            worker = subprocess.Popen([str(ROOT / "bin/entrypoint"), "worker"], cwd=ROOT,
                                      env={**env, "LOG_LEVEL": "INFO"}, stdout=log,
                                      stderr=subprocess.STDOUT, start_new_session=True)
        bench_load.wait_for_web(web)
        sampler = mixed_checks.LockSampler(bench_url, DB_NAME)
        sampler.start()

        warm = run_flows(workdir / "warm", WARM_SECONDS, 0, (sessions, warm_lists))
        if any(r["errors"] for r in warm.values()):
            report("warm", warm)
            sys.exit("the warm-up had errors; see above and the web log")
        idle_start = web_log.stat().st_size
        idle = run_flows(workdir / "idle", IDLE_SECONDS, 10_000, (sessions, idle_lists))
        report("idle", idle)

        sampler.phase = "mixed"
        mixed_start = web_log.stat().st_size
        flows = start_flows(workdir / "mixed", 3600, 20_000, (sessions, mixed_lists))
        queued = time.monotonic()
        data["jobs_queued_at"] = clock.now()
        run_retention.delay()
        make_print_batches.delay()
        schedule(Newsletter.objects.get(pk=data["newsletter_id"]), None)
        sepa: dict = {}
        threading.Thread(target=post_payment_batch, args=(coordinator, data["year"], sepa),
                         daemon=True).start()
        finished: dict[str, float] = {}
        while True:
            time.sleep(1)
            for job, done in jobs_done(data, sepa, worker_log).items():
                if done and job not in finished:
                    finished[job] = time.monotonic() - queued
                    print(f"  job {job} done after {finished[job]:.1f} s", flush=True)
            elapsed = time.monotonic() - queued
            if (len(finished) == 4 and elapsed >= MIN_MIXED_SECONDS) or (
                    elapsed > MAX_MIXED_SECONDS):
                break
        mixed = finish_flows(flows, interrupt=True)
        report("mixed", mixed)
        sampler.stop()
        stop(worker)
        stop(sink)
        sink_counts = json.loads(counts_file.read_text())
        access = mixed_checks.access_counts(web_log)
        checks = mixed_checks.check_work(data, sink_counts, access, sepa.get("status", 0))
        connection.close()
        tasks = mixed_checks.task_times(worker_log)
        idle_server = mixed_checks.server_ms(web_log, idle_start, mixed_start)
        mixed_server = mixed_checks.server_ms(web_log, mixed_start, web_log.stat().st_size)
    except BaseException:
        for log in (web_log, worker_log):
            if log.exists():
                print(f"--- {log.name}\n{log.read_text(errors='replace')[-4000:]}",
                      file=sys.stderr)
        raise
    finally:
        if sampler is not None:
            sampler.stop()
        for proc in (web, worker, sink):
            stop(proc)
        try:
            import redis

            redis.Redis.from_url(env["REDIS_URL"]).flushdb()
        except Exception as exc:  # noqa: BLE001 - cleanup only
            print(f"could not flush Redis: {exc}", file=sys.stderr)
        if not KEEP_DB:
            drop_database(admin_url, DB_NAME)
        shutil.rmtree(workdir, ignore_errors=True)

    print("server time (median ms) idle → mixed:")
    for key in sorted(set(idle_server) | set(mixed_server)):
        print(f"    {key:45s} {idle_server.get(key, 0):7.1f} → {mixed_server.get(key, 0):7.1f}")
    print("jobs (queued → done s; run time in the worker s):")
    runtime = {"newsletter": sum(tasks.get("worker.send_newsletter", [])),
               "print": sum(tasks.get("worker.make_print_batches", [])),
               "retention": sum(tasks.get("worker.run_retention", [])),
               "sepa": sepa.get("seconds", 0)}
    for job in ("retention", "print", "newsletter", "sepa"):
        print(f"    {job:10s} {finished.get(job, float('nan')):7.1f}  {runtime[job]:7.1f}")
    lock_ms, lock_what = sampler.longest("mixed")
    idle_lock_ms, idle_lock_what = sampler.longest("idle")
    print(f"lock waits: idle {sampler.count('idle')}, longest {idle_lock_ms:.0f} ms "
          f"({idle_lock_what[:150]}); mixed {sampler.count('mixed')}, longest {lock_ms:.0f} ms "
          f"({lock_what[:150]})")
    print("checks:", " ".join(f"{k}={v}" for k, v in checks.items()))
    refused = {k: v for k, v in access.items() if int(k[2]) >= 400}
    if refused:
        print("answers of 400 and up:", refused)

    errors = sum(r["errors"] for r in list(idle.values()) + list(mixed.values()))
    lost = sum(v for k, v in checks.items() if k.endswith(("_lost", "_missing", "_left",
                                                           "not_sent", "not_printed",
                                                           "_wrong", "_miscounted")))
    doubled = sum(v for k, v in checks.items() if k.endswith(("duplicates", "doubled")))
    ratio = {f: mixed[f]["p95_us"] / idle[f]["p95_us"] for f in ("register", "waardering")}
    staff_p95 = mixed["consulent"]["p95_us"] / 1000
    all_jobs = len(finished) == 4 and checks["sepa_http_status"] == 302
    met = (errors == 0 and lost == 0 and doubled == 0 and max(ratio.values()) <= 2
           and staff_p95 <= 500 and all_jobs)
    flows = " ".join(
        f"{f}_p50_ms={mixed[f]['p50_us'] / 1000:.0f} {f}_p95_ms={mixed[f]['p95_us'] / 1000:.0f} "
        f"{f}_p99_ms={mixed[f]['p99_us'] / 1000:.0f} "
        f"{f}_idle_p95_ms={idle[f]['p95_us'] / 1000:.0f}" for f in mixed)
    print(f"BENCH mixed scale={SCALE:g} {flows} register_p95_ratio={ratio['register']:.2f} "
          f"waardering_p95_ratio={ratio['waardering']:.2f} errors={errors} lost={lost} "
          f"doubled={doubled} longest_lock_wait_ms={lock_ms:.0f} "
          + " ".join(f"{job}_s={finished.get(job, -1):.1f}" for job in
                     ("retention", "print", "newsletter", "sepa"))
          + f" goals_met={'yes' if met else 'no'}")


if __name__ == "__main__":
    main()
