#!/usr/bin/env bash
# Builds rclone from the Go module proxy once per version, for the benchmark's peer run only (never a runtime dependency).
# Prints the binary's path on stdout; progress goes to stderr.
set -euo pipefail
RCLONE_VERSION="${RCLONE_VERSION:-v1.76.0}"
dir="${RCLONE_CACHE:-$HOME/.cache/image-importer}/rclone-$RCLONE_VERSION"
bin="$dir/rclone"
log() { printf '[rclone] %s\n' "$*" >&2; }

if [ -x "$bin" ]; then log "$RCLONE_VERSION: cached at $bin"; echo "$bin"; exit 0; fi
command -v go >/dev/null || { log "Go is missing: install Go >= 1.26.6 to build rclone"; exit 1; }
mkdir -p "$dir"
t0=$(date +%s); gobin="$(mktemp -d)"
trap 'rm -rf "$gobin"' EXIT
log "$RCLONE_VERSION: building from $(go env GOPROXY) (the first build takes several minutes)"
CGO_ENABLED=0 GOFLAGS=-buildvcs=false GOBIN="$gobin" \
  go install -trimpath -ldflags "-s -w -X github.com/rclone/rclone/fs.Version=$RCLONE_VERSION" "github.com/rclone/rclone@$RCLONE_VERSION"
mv "$gobin/rclone" "$bin"
log "$RCLONE_VERSION: built in $(( $(date +%s) - t0 ))s at $bin"
echo "$bin"
