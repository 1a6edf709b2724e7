#!/usr/bin/env bash
# Installs whatever is missing for `npm start` and `npm test`, and does next to nothing when it is all there:
# Node packages (with a current Node from the npm registry), the compiled services and the web app, the Dapr runtime, CLI and MinIO built from the
# Go module proxy, then the local platform (MinIO, bucket, placement, scheduler; PostgreSQL, Redis, RabbitMQ checked).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
log() { printf '[bootstrap] %s\n' "$*"; }
started=$(date +%s)

# Node packages: reinstalled only when the lock file changed since the last install.
lock_hash="$(sha256sum package-lock.json | cut -d' ' -f1)"
stamp=node_modules/.bootstrap-lock-hash
if [ "$(cat "$stamp" 2>/dev/null)" != "$lock_hash" ]; then
  log "installing Node packages (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_hash" > "$stamp"
else
  log "Node packages: up to date"
fi

# npm puts node_modules/.bin first on every script's PATH; the `node` package there is a current Node.
node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$node_major" -lt 22 ]; then
  log "Node $(node --version) is too old and node_modules/.bin/node is missing: run this through npm (npm start, npm test)."
  exit 1
fi
log "Node $(node --version)"

# The apps run from compiled JavaScript (dist/), as they would in production; tsc -b is incremental.
log "compiling TypeScript (tsc -b)"
tsc -b
bash scripts/bootstrap/web-build.sh

bash scripts/bootstrap/go-binaries.sh
tsx --conditions=source scripts/platform/up.ts
log "ready in $(( $(date +%s) - started ))s"
