#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh into an EMPTY PostgreSQL database.
#
#   createdb -h host -U user mantelzorg_restored
#   DATABASE_URL=postgres://user:pass@host:5432/mantelzorg_restored scripts/restore.sh FILE
#
# Refuses a database that already holds tables (or any other relation): a restore never
# mixes with live data. Objects get the connecting user as owner (--no-owner) and no grants
# from the old server (--no-privileges). Everything is restored in one transaction: on any
# error nothing is left behind. pg_restore must not be older than the dump's pg_dump; set
# PG_RESTORE / PSQL to use other binaries. Afterwards run `manage.py migrate` (a no-op for a
# dump of the same release) and point the app's DATABASE_URL at the restored database.
set -euo pipefail

file="${1:?usage: scripts/restore.sh BACKUP_FILE (DATABASE_URL: the empty target database)}"
url="${DATABASE_URL:?DATABASE_URL must point at the empty database to restore into}"
case "$url" in
  postgres://*|postgresql://*) ;;
  *) echo "restore.sh: DATABASE_URL is not a PostgreSQL URL" >&2; exit 64 ;;
esac
[ -r "$file" ] || { echo "restore.sh: cannot read $file" >&2; exit 66; }

relations=$("${PSQL:-psql}" --no-psqlrc --quiet --tuples-only --no-align --dbname="$url" \
  --command="SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
               AND n.nspname NOT LIKE 'pg\_toast%' AND n.nspname NOT LIKE 'pg\_temp%'")
if [ "$relations" != "0" ]; then
  echo "restore.sh: the target database is not empty ($relations relations); refusing to restore" >&2
  exit 65
fi

"${PG_RESTORE:-pg_restore}" --no-owner --no-privileges --single-transaction --exit-on-error \
  --dbname="$url" "$file"
echo "restore.sh: restored $file"
