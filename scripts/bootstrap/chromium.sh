#!/usr/bin/env bash
# The browser tests drive Debian's Chromium through playwright-core (no browser download): installed here when missing.
set -euo pipefail
log() { printf '[bootstrap] %s\n' "$*"; }

if [ -x /usr/bin/chromium ]; then
  log "Chromium: $(/usr/bin/chromium --version 2>/dev/null | head -1)"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  log "Chromium is missing: install Debian's package (sudo apt-get install -y chromium) and run the tests again."
  exit 1
fi
log "installing Chromium from Debian's packages (apt-get)"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# Liberation and DejaVu give the screenshots real fonts.
apt-get install -y -qq --no-install-recommends chromium fonts-liberation fonts-dejavu-core >/dev/null
log "Chromium: $(/usr/bin/chromium --version 2>/dev/null | head -1)"
