#!/usr/bin/env bash
# Runs the whole suite on SQLite and, when a PostgreSQL server is given (TEST_POSTGRES_URL) or
# we are in CI, on PostgreSQL too. In CI a missing service is a failure, never a skip.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
workers=${TEST_WORKERS:-auto}
status=0

echo "== test suite on SQLite =="
env -u DATABASE_URL $PY -m pytest -n "$workers" -q "$@" || status=$?

if [[ -n "${TEST_POSTGRES_URL:-}" ]]; then
  echo "== test suite on PostgreSQL =="
  DATABASE_URL="$TEST_POSTGRES_URL" $PY -m pytest -n "$workers" -q "$@" || status=$?
elif [[ "${CI:-}" == "true" ]]; then
  echo "CI=true but TEST_POSTGRES_URL is not set: the PostgreSQL run cannot be skipped." >&2
  status=1
else
  echo "(PostgreSQL run skipped: set TEST_POSTGRES_URL=postgres://user:pass@host/db to run it)"
fi
exit $status
