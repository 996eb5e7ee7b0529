#!/usr/bin/env bash
# Install (if needed) and start a local PostgreSQL server for the store tests, then print the URL to test with.
#
#   export WIRECODER_TEST_PG_URL="$(bash scripts/ci_postgres.sh)"
#
# Idempotent: safe to run on a fresh Debian machine (as root) and again on one where it already ran. Everything
# but the URL goes to stderr, so that the command substitution above captures only the URL.
set -euo pipefail

PG_USER=${PG_USER:-wirecoder}
PG_PASSWORD=${PG_PASSWORD:-wirecoder}
PG_DB=${PG_DB:-wirecoder_test}
PG_PORT=${PG_PORT:-5432}

log() { echo "ci_postgres: $*" >&2; }

if [ "$(id -u)" -ne 0 ]; then
  log "must run as root (installs packages and starts the server as the postgres user)"
  exit 1
fi

if ! command -v pg_ctlcluster >/dev/null 2>&1 || [ -z "$(ls /usr/lib/postgresql 2>/dev/null)" ]; then
  log "installing postgresql with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
fi

version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
if ! pg_lsclusters -h | awk '{print $1, $2}' | grep -qx "$version main"; then
  log "creating cluster $version/main"
  pg_createcluster "$version" main --port "$PG_PORT" >&2
fi

status=$(pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" {print $4}')
if [ "$status" != "online" ]; then
  log "starting cluster $version/main"
  pg_ctlcluster "$version" main start >&2
fi
port=$(pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" {print $3}')

for _ in $(seq 1 30); do
  if su postgres -c "pg_isready -q -p $port -h 127.0.0.1"; then break; fi
  sleep 1
done
su postgres -c "pg_isready -q -p $port -h 127.0.0.1" || { log "server did not come up on port $port"; exit 1; }

psql_admin() { su postgres -c "psql -v ON_ERROR_STOP=1 -qAt -p $port -c \"$1\""; }
if [ "$(psql_admin "SELECT 1 FROM pg_roles WHERE rolname = '$PG_USER'")" != "1" ]; then
  log "creating role $PG_USER"
  psql_admin "CREATE ROLE $PG_USER LOGIN PASSWORD '$PG_PASSWORD'" >&2
else
  psql_admin "ALTER ROLE $PG_USER LOGIN PASSWORD '$PG_PASSWORD'" >&2
fi
if [ "$(psql_admin "SELECT 1 FROM pg_database WHERE datname = '$PG_DB'")" != "1" ]; then
  log "creating database $PG_DB"
  psql_admin "CREATE DATABASE $PG_DB OWNER $PG_USER" >&2
fi

echo "postgresql://$PG_USER:$PG_PASSWORD@127.0.0.1:$port/$PG_DB"
