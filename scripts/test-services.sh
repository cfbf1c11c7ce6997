#!/usr/bin/env bash
# Prints `export` lines for the test suite's PostgreSQL and Redis.
#
# DATABASE_URL / REDIS_URL already set (CI, a developer's own services): used as they are.
# Otherwise throwaway instances are started (installed with apt when missing) and reused by
# later runs; `scripts/test-services.sh stop` stops them; `scripts/test-services.sh dir`
# prints where they keep their files.
#
# Their files are NOT in the clone: as root, PostgreSQL runs as the user postgres, who may not
# be able to enter the clone (a checkout under /root, any folder with mode 0700). They live in
# /tmp/mantelzorg-test-services-<uid>-<hash of the clone's path> (TEST_SERVICES_DIR
# overrides), one folder per user and clone, owned by that user; inside it pg/ (the data
# directory) and run/ (socket and server log) belong to postgres, mode 0700. Their ports too
# are the clone's own (TEST_PG_PORT / TEST_REDIS_PORT override).
set -euo pipefail
cd "$(dirname "$0")/.."
uid=$(id -u)
key=$(printf '%s:%s' "$uid" "$PWD" | sha256sum | cut -c1-12)
state="${TEST_SERVICES_DIR:-/tmp/mantelzorg-test-services-$uid-$key}"
# Ports of this clone's own, from the same hash: two clones on one machine (a second checkout,
# a fresh clone next to a working copy) never find each other's servers on a shared port.
offset=$(( 16#${key:0:4} % 5000 ))
pg_port="${TEST_PG_PORT:-$(( 40000 + offset ))}"
redis_port="${TEST_REDIS_PORT:-$(( 45000 + offset ))}"
legacy="$PWD/var/test-services"  # where earlier versions kept them

as_postgres() {  # from / : postgres may not be able to enter the clone, the current folder
  if [ "$uid" -eq 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
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

# The state folder, created if missing; refused if it is a symlink or someone else's
# (it sits in the world-writable /tmp).
make_state_dir() {
  mkdir -p "$(dirname "$state")"
  [ -e "$state" ] || mkdir -m 0755 "$state"
  if [ -L "$state" ] || [ ! -d "$state" ] || [ "$(stat -c %u "$state")" != "$uid" ]; then
    echo "test-services: $state is not a folder of user $uid; remove it or set TEST_SERVICES_DIR" >&2
    exit 1
  fi
  chmod 0755 "$state"  # postgres must be able to enter it; nothing secret is kept here
}

# A folder for postgres inside the state folder, mode 0700.
postgres_dir() {
  mkdir -p -m 0700 "$1"
  if [ "$uid" -eq 0 ]; then chown postgres: "$1"; fi
  chmod 0700 "$1"
}

pg_running_port() {  # the port of the running server of this data directory, or nothing
  local bin=$1
  as_postgres "$bin/pg_ctl" -D "$state/pg" status >/dev/null 2>&1 || return 0
  sed -n 4p "$state/pg/postmaster.pid" 2>/dev/null || true
}

start_postgres() {
  local bin; bin=$(pg_bin)
  make_state_dir
  if [ ! -f "$state/pg/PG_VERSION" ]; then
    rm -rf "$state/pg"
    postgres_dir "$state/pg"
    as_postgres "$bin/initdb" -D "$state/pg" -U postgres -A trust --no-sync >/dev/null
  fi
  postgres_dir "$state/run"
  local running; running=$(pg_running_port "$bin")
  if [ -n "$running" ] && [ "$running" != "$pg_port" ]; then  # asked for another port
    as_postgres "$bin/pg_ctl" -D "$state/pg" -w stop -m fast >/dev/null
    running=""
  fi
  if [ -z "$running" ]; then
    as_postgres "$bin/pg_ctl" -D "$state/pg" -l "$state/run/pg.log" -w start \
      -o "-p $pg_port -k $state/run -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" >/dev/null
  fi
}

start_redis() {
  command -v redis-server >/dev/null || pg_bin >/dev/null
  if ! redis-cli -p "$redis_port" ping >/dev/null 2>&1; then
    make_state_dir
    redis-server --port "$redis_port" --bind 127.0.0.1 --daemonize yes --save "" \
      --appendonly no --dir "$state" --logfile "$state/redis.log" --pidfile "$state/redis.pid"
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
    [ -d "$state" ] && printf '%s\n' "$PWD" > "$state/clone"  # whose services these are
    ;;
  stop)
    bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    for data in "$state/pg" "$legacy/pg"; do
      if [ -n "$bin" ] && [ -f "$data/PG_VERSION" ]; then
        as_postgres "$bin/pg_ctl" -D "$data" -w stop -m fast 2>/dev/null || true
      fi
    done
    redis-cli -p "$redis_port" shutdown nosave 2>/dev/null || true
    ;;
  dir)
    echo "$state"
    ;;
  *)
    echo "usage: scripts/test-services.sh [env|stop|dir]" >&2
    exit 64
    ;;
esac
