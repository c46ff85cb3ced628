#!/usr/bin/env bash
# What the browser tests of the tracking page need besides Python packages: Debian's
# `chromium` (Playwright's own browser download does not work offline; the tests point
# Playwright at the system browser) and axe-core from npm (tests/pages/browser/package.json).
# Called by scripts/test.sh; safe to run again. Installs chromium with apt only when it is
# missing and we are root; otherwise the browser tests say what is missing and fail.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium >/dev/null \
    || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive \
         apt-get install -y -q --no-install-recommends chromium >/dev/null; }
fi
if command -v npm >/dev/null 2>&1 && [ ! -f tests/pages/browser/node_modules/axe-core/axe.min.js ]; then
  npm install --silent --no-audit --no-fund --prefix tests/pages/browser >/dev/null
fi
