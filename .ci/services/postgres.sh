#!/usr/bin/env bash
# Starts a PostgreSQL 15 server for the store conformance suite on 127.0.0.1:5433 (idempotent).
# Installs nothing (the packages are in .ci/apt-packages.d/store.txt). Tests read
# VIGIL_TEST_PG_URL, default postgres://vigil:vigil@127.0.0.1:5433/vigil_test.
set -euo pipefail
PORT=${VIGIL_PG_PORT:-5433}
DATA=${VIGIL_PG_DATA:-/var/tmp/vigil-pg}
BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [ -z "$BIN" ] || [ ! -x "$BIN/pg_ctl" ]; then echo "postgres.sh: PostgreSQL server binaries not found" >&2; exit 1; fi
as_pg() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$1"; else sh -c "$1"; fi; }

if [ ! -f "$DATA/PG_VERSION" ]; then
  mkdir -p "$DATA"
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$DATA"
  as_pg "$BIN/initdb -D '$DATA' -A trust -U postgres >/dev/null"
fi
if ! as_pg "$BIN/pg_ctl -D '$DATA' status >/dev/null 2>&1"; then
  as_pg "$BIN/pg_ctl -D '$DATA' -w -t 30 -o \"-c listen_addresses=127.0.0.1 -p $PORT -k /tmp\" -l '$DATA/server.log' start >/dev/null"
fi
PSQL="psql -h 127.0.0.1 -p $PORT -U postgres -v ON_ERROR_STOP=1 -qtA"
for _ in $(seq 1 30); do $PSQL -c 'select 1' >/dev/null 2>&1 && break; sleep 0.5; done
if [ "$($PSQL -c "select 1 from pg_roles where rolname='vigil'")" != 1 ]; then
  $PSQL -c "create role vigil login password 'vigil'"
fi
if [ "$($PSQL -c "select 1 from pg_database where datname='vigil_test'")" != 1 ]; then
  $PSQL -c "create database vigil_test owner vigil"
fi
echo "postgres ready: postgres://vigil:vigil@127.0.0.1:$PORT/vigil_test"
