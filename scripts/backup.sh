#!/usr/bin/env bash
# Back up the PostgreSQL database of DATABASE_URL to one file (pg_dump's custom format:
# compressed, restorable table by table with pg_restore).
#
#   DATABASE_URL=postgres://user:pass@host:5432/mantelzorg scripts/backup.sh [FILE]
#
# FILE defaults to $BACKUP_DIR/mantelzorg-<UTC time>.dump (BACKUP_DIR: var/backups). The dump
# is written next to FILE first and renamed when complete, so a file with the final name is
# always a whole backup. It holds personal data: it is created readable by its owner only.
# pg_dump must not be older than the server (PostgreSQL 15 in docker-compose.yml); set
# PG_DUMP to use another binary. Prints the file's path.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

url="${DATABASE_URL:?DATABASE_URL must point at the PostgreSQL database to back up}"
case "$url" in
  postgres://*|postgresql://*) ;;
  *) echo "backup.sh: DATABASE_URL is not a PostgreSQL URL" >&2; exit 64 ;;
esac

file="${1:-${BACKUP_DIR:-$root/var/backups}/mantelzorg-$(date -u +%Y%m%dT%H%M%SZ).dump}"
mkdir -p "$(dirname "$file")"
umask 077
partial="$file.partial"
trap 'rm -f "$partial"' EXIT

"${PG_DUMP:-pg_dump}" --format=custom --no-owner --no-privileges --file="$partial" \
  --dbname="$url"
mv "$partial" "$file"
trap - EXIT
echo "$file"
