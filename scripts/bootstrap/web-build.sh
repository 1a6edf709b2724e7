#!/usr/bin/env bash
# Builds the SPA (web/dist) that the `web` app serves, when any of its sources is newer than the last build.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
log() { printf '[bootstrap] %s\n' "$*"; }

built=web/dist/index.html
# The SPA bundles the contracts and the link parsers from their TypeScript sources.
sources=(web/src web/public web/index.html web/vite.config.ts web/package.json services/contracts/src services/providers/src)
if [ -f "$built" ] && [ -z "$(find "${sources[@]}" -newer "$built" -not -name '*.spec.ts' -print -quit)" ]; then
  log "web app: up to date"
else
  log "building the web app (vite build)"
  npm run build --silent -w web -- --logLevel warn
fi
