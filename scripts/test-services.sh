#!/usr/bin/env bash
# Prints `export` lines for the test suite's PostgreSQL and Redis.
#
# DATABASE_URL / REDIS_URL already set (CI, a developer's own services): used as they are.
# Otherwise throwaway instances are started under var/test-services (installed with apt when
# missing) and reused by later runs; `scripts/test-services.sh stop` stops them.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD/var/test-services"
pg_port="${TEST_PG_PORT:-55432}"
redis_port="${TEST_REDIS_PORT:-56379}"

as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_bin() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -z "$dir" ]; then
    echo "==> Installing PostgreSQL and Redis for the tests" >&2
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql redis-server >&2
    dir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  fi
  echo "$dir"
}

start_postgres() {
  local bin; bin=$(pg_bin)
  mkdir -p "$root"
  if [ ! -f "$root/pg/PG_VERSION" ]; then
    mkdir -p "$root/pg"
    [ "$(id -u)" -eq 0 ] && chown postgres "$root/pg" "$root"
    as_postgres "$bin/initdb" -D "$root/pg" -U postgres -A trust --no-sync >/dev/null
  fi
  if ! as_postgres "$bin/pg_ctl" -D "$root/pg" status >/dev/null 2>&1; then
    as_postgres "$bin/pg_ctl" -D "$root/pg" -l "$root/pg.log" -w start \
      -o "-p $pg_port -k $root -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" >/dev/null
  fi
}

start_redis() {
  command -v redis-server >/dev/null || pg_bin >/dev/null
  if ! redis-cli -p "$redis_port" ping >/dev/null 2>&1; then
    redis-server --port "$redis_port" --bind 127.0.0.1 --daemonize yes --save "" \
      --appendonly no --dir "$root" --logfile "$root/redis.log" --pidfile "$root/redis.pid"
    for _ in $(seq 50); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done
  fi
}

case "${1:-env}" in
  env)
    if [ -z "${DATABASE_URL:-}" ]; then
      start_postgres >&2
      echo "export DATABASE_URL=postgres://postgres@127.0.0.1:$pg_port/postgres"
    fi
    if [ -z "${REDIS_URL:-}" ]; then
      start_redis >&2
      echo "export REDIS_URL=redis://127.0.0.1:$redis_port/0"
    fi
    ;;
  stop)
    bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    [ -n "$bin" ] && [ -f "$root/pg/PG_VERSION" ] && as_postgres "$bin/pg_ctl" -D "$root/pg" stop -m fast || true
    redis-cli -p "$redis_port" shutdown nosave 2>/dev/null || true
    ;;
esac
