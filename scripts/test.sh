#!/usr/bin/env bash
# Install shiptrack with its test dependencies into ./.venv and run the whole test suite,
# on SQLite and on PostgreSQL (127.0.0.1:5432, user postgres; started here if installed and
# down). Extra arguments go to pytest, e.g. `bash scripts/test.sh tests/api -x`.
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -m venv .venv 2>/dev/null || python3 -m venv --clear .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
# Chromium and axe-core for the tracking page's browser tests.
bash scripts/browser-deps.sh

if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
  if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start || true
    for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
  fi
fi

# Two test processes: much of the suite waits on sockets, subprocesses and sleeps.
exec .venv/bin/python -m pytest -n 2 "$@"
