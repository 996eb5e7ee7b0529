#!/usr/bin/env bash
# Install what the dashboard's browser tests (tests/e2e) need: Debian's Chromium, and Playwright for Python in the
# project's virtualenv. Playwright drives that Chromium through `executable_path`; its own browser download
# (`playwright install`) is never run: it fetches browsers from outside the package registries and fails here.
#
#   bash scripts/ci_browser.sh            # then: .venv/bin/python -m pytest tests/e2e
#
# Idempotent: safe to run on a fresh Debian machine (as root) and again on one where it already ran.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=${VENV:-.venv}
log() { echo "ci_browser: $*" >&2; }

if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" -ne 0 ]; then
    log "chromium is missing and installing it needs root (apt-get install chromium)"
    exit 1
  fi
  log "installing chromium with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium >/dev/null
fi

if ! "$VENV/bin/python" -c "import playwright.sync_api" >/dev/null 2>&1; then
  log "installing playwright into $VENV"
  "$VENV/bin/pip" install --quiet playwright
fi

log "ready: $(chromium --version 2>/dev/null | head -n 1)"
