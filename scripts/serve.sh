#!/usr/bin/env bash
# Install shiptrack into ./.venv and start it on a SQLite file (./shiptrack.db), with the
# tracking engine and the sandbox courier. The first start prints an API key and writes it to
# ./shiptrack-api-key.txt. Extra arguments go to `shiptrack serve` (e.g. --port 9000).
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -m venv .venv 2>/dev/null || python3 -m venv --clear .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e .

exec .venv/bin/shiptrack serve "$@"
