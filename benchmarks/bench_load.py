"""Benchmark: the app under load, served as in production, with wrk on the same machine.

Not a test. Creates the database `bench_load` on the PostgreSQL server of DATABASE_URL
(dropped at the end unless BENCH_KEEP_DB=1), migrates it, fills the waardering queue with
20,000 requests (BENCH_ROWS; the set-based fill of bench_queue.py), makes a consulent with a
confirmed TOTP device and a session that passed the second factor, then starts
`bin/entrypoint web` (gunicorn, WEB_CONCURRENCY/WEB_THREADS as set, default 2 × 4) with
DJANGO_ENV=production, a random SECRET_KEY, CONN_MAX_AGE=60 as docker-compose.yml sets it,
Redis (its own database number, BENCH_REDIS_DB, flushed at the end) and every middleware.

Production runs behind a TLS proxy (BEHIND_TLS_PROXY defaults to on): wrk plays that proxy by
sending `X-Forwarded-Proto: https`, so SECURE_SSL_REDIRECT, secure cookies, HSTS and the
HTTPS CSRF checks (Origin) stay as in production; the only changes are plain HTTP on
127.0.0.1 and ALLOWED_HOSTS=127.0.0.1,localhost.

Scenarios (BENCH_SECONDS each, default 20, after a BENCH_WARM_SECONDS warm-up, default 5;
BENCH_CONNECTIONS connections, default gunicorn's threads, WEB_CONCURRENCY × WEB_THREADS):
- get: GET /aanmelden/over-mij without cookies (a new visitor; a new session each time);
- register: full registrations, one person per connection: five step POSTs with the CSRF
  cookie and token and the session, then the redirect to /aanmelden/klaar that stores it;
- overload: register with four times as many connections (BENCH_OVERLOAD_CONNECTIONS);
- queue: a consulent paging through this year's open waardering requests;
- floor: POST /bench/floor (benchmarks/bench_urls.py, mounted only by the benchmark's own
  settings module bench_settings, which gunicorn gets here): the same middleware, session
  and CSRF check as a registration step, one row read and written, the session saved, a
  redirect. The CPU of a registration step over the floor's is `cpu_ratio_to_floor`
  (issue 17: goal at most 1.5, with p99 under 150 ms and no errors).
CPU per request: user + system time of gunicorn's processes from /proc over the requests.
BENCH_SESSION_ENGINE (e.g. django.contrib.sessions.backends.cached_db) swaps the session
backend for a comparison.
Latency from wrk (client side); per step also the server time from gunicorn's access log.
Errors: wrk's socket errors + non-2xx/3xx answers + answers the script did not expect.
The last line is `BENCH load post_rps=… p99_ms=… errors=… cpu_ms_per_step=…
floor_cpu_ms=… cpu_ratio_to_floor=…` (post_* are the register flow).
"""

import os
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlparse, urlunparse

from benchdb import blank_text_defaults, drop_database, recreate_database, server_urls

ROOT = Path(__file__).resolve().parent.parent
LOAD = Path(__file__).resolve().parent / "load"
SECONDS = int(os.environ.get("BENCH_SECONDS", "20"))
WARM_SECONDS = int(os.environ.get("BENCH_WARM_SECONDS", "5"))
WORKERS = int(os.environ.get("WEB_CONCURRENCY", "2"))
THREADS = int(os.environ.get("WEB_THREADS", "4"))
# As many connections as gunicorn has threads: the server is busy all the time and nothing
# waits in its queue. The overload run uses four times as many (see register_overload).
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", str(WORKERS * THREADS)))
OVERLOAD_CONNECTIONS = int(os.environ.get("BENCH_OVERLOAD_CONNECTIONS", str(4 * CONNECTIONS)))
ROWS = int(os.environ.get("BENCH_ROWS", "20000"))
DB_NAME = os.environ.get("BENCH_DB", "bench_load")
REDIS_DB = os.environ.get("BENCH_REDIS_DB", "9")
KEEP_DB = os.environ.get("BENCH_KEEP_DB") == "1"
PORT = int(os.environ.get("BENCH_PORT", "18731"))
WRK_LINE = re.compile(r"^WRK (.*)$", re.M)
ACCESS_LINE = re.compile(r'"(GET|POST) (\S+)" (\d{3}) ([\d.]+)s')


def redis_url(url: str) -> str:
    """The same Redis server, our own database number (other helpers' workers use 0)."""
    return urlunparse(urlparse(url)._replace(path=f"/{REDIS_DB}"))


def setup_database(bench_url: str) -> tuple[str, int]:
    """Migrate, fill the queue, make the consulent's verified session; (cookie, requests)."""
    import django

    django.setup()
    import bench_queue
    from django.core.management import call_command
    from django.db import connection
    from mixed_data import verified_session

    from core import clock

    call_command("migrate", verbosity=0)

    blank_text_defaults()
    call_command("collectstatic", interactive=False, verbosity=0)  # as the Dockerfile does
    bench_queue.ROWS = ROWS
    counts = bench_queue.fill(clock.today())
    session_key = verified_session("bench-consulent", "consulent")
    with connection.cursor() as cursor:  # the floor page's rows (bench_urls.py)
        cursor.execute("CREATE TABLE bench_floor (id int PRIMARY KEY, n bigint NOT NULL)")
        cursor.execute("INSERT INTO bench_floor SELECT i, 0 FROM generate_series(0, 999) i")
    connection.close()
    return session_key, counts["requests"]


def count_caregivers() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM registrations_caregiver")
        n = cursor.fetchone()[0]
    connection.close()
    return n


def get(path: str, headers: dict | None = None):
    request = urllib.request.Request(f"http://127.0.0.1:{PORT}{path}",
                                     headers={"X-Forwarded-Proto": "https", **(headers or {})})
    opener = urllib.request.build_opener(NoRedirect)
    return opener.open(request, timeout=10)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def wait_for_web(proc) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit("gunicorn stopped; see its log above")
        try:
            if get("/health").status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    sys.exit("gunicorn did not answer /health within 60 s")


def fetch_registration_sessions(path: Path, connections: int) -> None:
    """One GET of the first step per connection: its cookies and the form's CSRF token."""
    lines = []
    for _ in range(connections):
        response = get("/aanmelden/over-mij")
        cookies = {}
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            cookies[name.strip()] = rest.split(";", 1)[0]
        body = response.read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
        lines.append(f"{cookies['sessionid']} {cookies['csrftoken']} {token}")
    path.write_text("\n".join(lines) + "\n")


def wrk(script: str, threads: int, seconds: int, *args: str,
        connections: int = CONNECTIONS) -> dict:
    command = ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s",
               "--timeout", "5s", "-s", str(LOAD / script), f"http://127.0.0.1:{PORT}/",
               "--", *args]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True,
                            timeout=seconds + 60)
    match = WRK_LINE.search(result.stdout)
    if result.returncode != 0 or not match:
        sys.exit(f"wrk failed:\n{result.stdout}\n{result.stderr}")
    fields = dict(item.split("=") for item in match.group(1).split())
    out = {k: float(v) for k, v in fields.items()}
    out["rps"] = out["requests"] / out["seconds"]
    out["errors"] = int(sum(out[k] for k in ("connect", "read", "write", "status", "timeout",
                                             "bad")))
    return out


def register(folder: Path, seconds: int, first_round: int,
             connections: int = CONNECTIONS) -> dict:
    """Registrations through all steps, one person per connection (register.lua)."""
    folder.mkdir()
    tokens = folder / "sessions.txt"
    fetch_registration_sessions(tokens, connections)
    return wrk("register.lua", connections, seconds, str(tokens), str(PORT), str(folder),
               str(first_round), connections=connections)


def floor(folder: Path, seconds: int, connections: int = CONNECTIONS) -> dict:
    """POST /bench/floor with the cookies and token of a registration (floor.lua)."""
    folder.mkdir()
    tokens = folder / "sessions.txt"
    fetch_registration_sessions(tokens, connections)
    return wrk("floor.lua", connections, seconds, str(tokens), str(PORT),
               connections=connections)


def web_cpu_seconds(master_pid: int) -> float:
    """CPU time (user + system) of gunicorn's master and workers so far: with the requests
    served, the CPU cost per request, which noise from other processes hardly changes."""
    pids = [master_pid]
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children")
    if children.exists():
        pids += [int(p) for p in children.read_text().split()]
    ticks = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def measured(name: str, master_pid: int, run) -> dict:
    """Runs one scenario and adds gunicorn's CPU milliseconds per request to its figures."""
    before = web_cpu_seconds(master_pid)
    result = run()
    result["cpu_ms"] = (web_cpu_seconds(master_pid) - before) * 1000 / max(result["requests"], 1)
    show(name, result)
    return result


def show(name: str, r: dict) -> None:
    print(f"{name:9s} {r['requests']:8.0f} requests in {r['seconds']:.1f} s  "
          f"{r['rps']:7.1f}/s  p50 {r['p50_us'] / 1000:6.1f} ms  p95 {r['p95_us'] / 1000:6.1f} ms"
          f"  p99 {r['p99_us'] / 1000:6.1f} ms  max {r['max_us'] / 1000:6.1f} ms  "
          f"web CPU {r.get('cpu_ms', 0):4.1f} ms/request  "
          f"errors {r['errors']} (connect {r['connect']:.0f} read {r['read']:.0f} write "
          f"{r['write']:.0f} timeout {r['timeout']:.0f} non-2xx/3xx {r['status']:.0f} "
          f"unexpected {r['bad']:.0f})", flush=True)


def show_unexpected(folder: Path) -> None:
    """What the first unexpected answer of each register thread said (a form's errors)."""
    for dump in sorted(folder.glob("unexpected-*.html")):
        text = dump.read_text(errors="replace")
        head = text.splitlines()[0] if text else dump.name
        errors = re.findall(r'class="error-message"[^>]*>(.*?)</p>', text, re.S)
        title = re.search(r"<title>(.*?)</title>", text, re.S)
        said = "; ".join(re.sub(r"<[^>]+>", " ", e).strip() for e in errors) or (
            title.group(1).strip() if title else text[:200])
        print(f"    unexpected: {head} → {said}", flush=True)


def server_times(log: Path, start: int) -> None:
    """Server-side time per method and path from gunicorn's access log (after `start`)."""
    times: dict[str, list[float]] = {}
    with log.open() as f:
        f.seek(start)
        for line in f:
            m = ACCESS_LINE.search(line)
            if m:
                times.setdefault(f"{m.group(1)} {m.group(2)} {m.group(3)}", []).append(
                    float(m.group(4)) * 1000)
    for key, values in sorted(times.items()):
        values.sort()
        p99 = values[min(len(values) - 1, int(len(values) * 0.99))]
        print(f"    server {key:36s} n={len(values):6d}  median {statistics.median(values):6.1f}"
              f" ms  p99 {p99:6.1f} ms")


def main() -> None:
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (`make bench-load` installs it with apt).")
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith(("postgres://", "postgresql://")):
        sys.exit("DATABASE_URL must point at a PostgreSQL server (`make bench-load`).")
    if not os.environ.get("REDIS_URL"):
        sys.exit("REDIS_URL must point at a Redis server (`make bench-load`).")
    admin_url, bench_url = server_urls(database_url, DB_NAME)
    recreate_database(admin_url, DB_NAME)
    workdir = Path(tempfile.mkdtemp(prefix="bench_load_"))
    env = {k: v for k, v in os.environ.items() if k not in ("MANTELZORG_DEMO", "DEBUG")}
    env.update({
        "DJANGO_ENV": "production", "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1,localhost", "DATABASE_URL": bench_url,
        # Production refuses to start without a mail server; the load sends none.
        "EMAIL_URL": "smtp://127.0.0.1:25",
        "REDIS_URL": redis_url(os.environ["REDIS_URL"]), "CONN_MAX_AGE": "60",
        "MANTELZORG_VAR_DIR": str(workdir / "var"), "STATIC_ROOT": str(workdir / "static"),
        "LOG_LEVEL": "WARNING",
        "PATH": f"{Path(sys.executable).parent}:{os.environ.get('PATH', '')}",
        "BIND": "127.0.0.1", "PORT": str(PORT), "PYTHONUNBUFFERED": "1",
        # All load comes from 127.0.0.1: the per-IP form limit (30 per 10 min) would refuse it.
        # The per-identity limit stays on (every round is another person).
        "RATELIMIT_FORM_PER_IP": "0",
    })
    env.pop("CELERY_BROKER_URL", None)
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mantelzorg.settings")
    # gunicorn alone gets the benchmark's settings: production's plus the floor page.
    env.update({"DJANGO_SETTINGS_MODULE": "bench_settings",
                "PYTHONPATH": str(Path(__file__).resolve().parent)})
    web = None
    log_path = workdir / "web.log"
    try:
        cookie, requests_in_db = setup_database(bench_url)
        print(f"queue: {requests_in_db} waardering requests; gunicorn {WORKERS} workers × "
              f"{THREADS} threads; wrk {CONNECTIONS} connections ({OVERLOAD_CONNECTIONS} in the "
              f"overload run), {SECONDS} s per scenario after {WARM_SECONDS} s warm-up; "
              f"{os.cpu_count()} cores", flush=True)
        log = log_path.open("wb")
        web = subprocess.Popen([str(ROOT / "bin/entrypoint"), "web"], cwd=ROOT, env=env,
                               stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        wait_for_web(web)
        # Warm-up before each measured scenario, as long-running processes are: the first
        # request of a path in a process imports, compiles templates and opens connections
        # (up to 0.5 s), which otherwise shows up as the p99 of a 20-second run.
        warm = wrk("get.lua", 2, WARM_SECONDS)
        if warm["errors"]:
            show("warm-up", warm)
            sys.exit("the warm-up had errors; see the log above")
        results = {}
        offset = log_path.stat().st_size
        results["get"] = measured("get", web.pid, lambda: wrk("get.lua", 2, SECONDS))
        server_times(log_path, offset)

        warm = register(workdir / "warm-up", WARM_SECONDS, first_round=0)
        if warm["errors"]:
            show("warm-up", warm)
            sys.exit("the registration warm-up had errors; see the log above")
        before = count_caregivers()
        offset = log_path.stat().st_size
        # Each round is another person: the measured run starts where the warm-up cannot reach.
        results["register"] = measured("register", web.pid, lambda: register(
            workdir / "measured", SECONDS, first_round=10_000))
        registered = count_caregivers() - before
        show_unexpected(workdir / "measured")
        print(f"    {registered} registrations stored ({registered / SECONDS:.1f}/s); "
              "server time per request:")
        server_times(log_path, offset)

        # The floor: the least a step can cost behind the same middleware, session, CSRF.
        floor(workdir / "floor-warm-up", WARM_SECONDS)
        offset = log_path.stat().st_size
        results["floor"] = measured("floor", web.pid,
                                    lambda: floor(workdir / "floor", SECONDS))
        server_times(log_path, offset)

        # The same with four times as many people at once as there are threads: throughput
        # stays, and each request waits its turn (latency ≈ connections / throughput).
        results["overload"] = measured("overload", web.pid, lambda: register(
            workdir / "overload", SECONDS, first_round=20_000, connections=OVERLOAD_CONNECTIONS))
        show_unexpected(workdir / "overload")

        wrk("queue.lua", 2, WARM_SECONDS, cookie)
        offset = log_path.stat().st_size
        results["queue"] = measured("queue", web.pid,
                                    lambda: wrk("queue.lua", 2, SECONDS, cookie))
        server_times(log_path, offset)
    except BaseException:
        if log_path.exists():
            print(log_path.read_text()[-5000:], file=sys.stderr)
        raise
    finally:
        if web is not None and web.poll() is None:
            os.killpg(web.pid, signal.SIGTERM)
            try:
                web.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(web.pid, signal.SIGKILL)
                web.wait()
        try:
            import redis

            redis.Redis.from_url(env["REDIS_URL"]).flushdb()
        except Exception as exc:  # noqa: BLE001 - cleanup only
            print(f"could not flush Redis db {REDIS_DB}: {exc}", file=sys.stderr)
        if not KEEP_DB:
            drop_database(admin_url, DB_NAME)
        shutil.rmtree(workdir, ignore_errors=True)

    g, r, q, o = results["get"], results["register"], results["queue"], results["overload"]
    f = results["floor"]
    errors = g["errors"] + r["errors"] + q["errors"] + o["errors"] + f["errors"]
    print(f"get_rps={g['rps']:.1f} get_p50_ms={g['p50_us'] / 1000:.1f} "
          f"get_p95_ms={g['p95_us'] / 1000:.1f} get_p99_ms={g['p99_us'] / 1000:.1f}")
    print(f"post_rps={r['rps']:.1f} post_p50_ms={r['p50_us'] / 1000:.1f} "
          f"post_p95_ms={r['p95_us'] / 1000:.1f} post_p99_ms={r['p99_us'] / 1000:.1f} "
          f"post_web_cpu_ms={r['cpu_ms']:.1f} "
          f"registrations_per_s={registered / SECONDS:.1f}")
    print(f"overload_connections={OVERLOAD_CONNECTIONS} overload_rps={o['rps']:.1f} "
          f"overload_p50_ms={o['p50_us'] / 1000:.1f} overload_p99_ms={o['p99_us'] / 1000:.1f}")
    print(f"queue_rps={q['rps']:.1f} queue_p50_ms={q['p50_us'] / 1000:.1f} "
          f"queue_p95_ms={q['p95_us'] / 1000:.1f} queue_p99_ms={q['p99_us'] / 1000:.1f}")
    print(f"floor_rps={f['rps']:.1f} floor_p50_ms={f['p50_us'] / 1000:.1f} "
          f"floor_p99_ms={f['p99_us'] / 1000:.1f} floor_cpu_ms={f['cpu_ms']:.2f}")
    print(f"BENCH load post_rps={r['rps']:.1f} p99_ms={r['p99_us'] / 1000:.1f} "
          f"errors={errors} cpu_ms_per_step={r['cpu_ms']:.2f} floor_cpu_ms={f['cpu_ms']:.2f} "
          f"cpu_ratio_to_floor={r['cpu_ms'] / f['cpu_ms']:.2f} goal_ratio=1.5 goal_p99_ms=150")


if __name__ == "__main__":
    main()
