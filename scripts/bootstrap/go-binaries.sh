#!/usr/bin/env bash
# Builds daprd, placement, scheduler, sentry, the dapr CLI, MinIO and kustomize from the Go module proxy, once per pinned version.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../versions.env
source "$here/../versions.env"

DAPR_BIN="${DAPR_BIN:-$HOME/.dapr/bin}"
TOOLS_BIN="${TOOLS_BIN:-$HOME/.cache/image-importer/bin}"
mkdir -p "$DAPR_BIN" "$TOOLS_BIN"
export CGO_ENABLED=0 GOFLAGS=-buildvcs=false

log() { printf '[bootstrap] %s\n' "$*"; }
elapsed() { printf '%ss' "$(( $(date +%s) - $1 ))"; }

command -v go >/dev/null || { log "Go is missing: install Go >= 1.26.6 (https://go.dev/dl) and run again."; exit 1; }

# A binary counts as installed only when its stamp names the pinned version and tags, so a bump rebuilds it
# (placement and scheduler have no --version flag, and -trimpath keeps ldflags out of the build info).
runtime_stamp="$DAPR_VERSION $DAPR_BUILD_TAGS"
dapr_runtime_ok() { [ -x "$DAPR_BIN/$1" ] && [ "$(cat "$DAPR_BIN/.$1.stamp" 2>/dev/null)" = "$runtime_stamp" ]; }

build_dapr_runtime() {
  local missing=() b
  for b in daprd placement scheduler sentry; do dapr_runtime_ok "$b" || missing+=("$b"); done
  [ ${#missing[@]} -eq 0 ] && { log "dapr runtime $DAPR_VERSION: cached"; return; }
  log "dapr runtime $DAPR_VERSION: downloading module source"
  local dir
  dir="$(go mod download -json "github.com/dapr/dapr@v$DAPR_VERSION" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')"
  # Building inside the module cache makes dapr the main module, so its own replace directives apply.
  local ldflags="-s -w -X github.com/dapr/dapr/pkg/buildinfo.version=$DAPR_VERSION -X github.com/dapr/kit/logger.DaprVersion=$DAPR_VERSION -X github.com/dapr/dapr/pkg/buildinfo.gitversion=v$DAPR_VERSION"
  for b in "${missing[@]}"; do
    local t0; t0=$(date +%s)
    log "dapr runtime $DAPR_VERSION: building $b (the first build takes several minutes)"
    (cd "$dir" && go build -trimpath -tags "$DAPR_BUILD_TAGS" -ldflags "$ldflags" -o "$DAPR_BIN/$b.tmp" "./cmd/$b")
    mv "$DAPR_BIN/$b.tmp" "$DAPR_BIN/$b"
    echo "$runtime_stamp" > "$DAPR_BIN/.$b.stamp"
    log "dapr runtime $DAPR_VERSION: $b built in $(elapsed "$t0")"
  done
}

build_dapr_cli() {
  if [ -x "$DAPR_BIN/dapr" ] && "$DAPR_BIN/dapr" version 2>/dev/null | grep -q "CLI version: $DAPR_CLI_VERSION"; then
    log "dapr CLI $DAPR_CLI_VERSION: cached"; return
  fi
  local t0 gobin; t0=$(date +%s); gobin="$(mktemp -d)"
  log "dapr CLI $DAPR_CLI_VERSION: building"
  # Optional: the platform launcher runs dapr/dapr.yaml itself, so a proxy that refuses the CLI's source is not fatal.
  if GOBIN="$gobin" go install -trimpath -ldflags "-s -w -X main.version=$DAPR_CLI_VERSION -X main.apiVersion=1.0" \
      "github.com/dapr/cli@v$DAPR_CLI_VERSION" 2>"$gobin/err"; then
    mv "$gobin/cli" "$DAPR_BIN/dapr"
    log "dapr CLI $DAPR_CLI_VERSION: built in $(elapsed "$t0")"
  else
    log "dapr CLI $DAPR_CLI_VERSION: not available from the Go module proxy ($(grep -m1 -o '[0-9]\{3\} [A-Za-z ]*' "$gobin/err" || echo 'build failed')); skipped, npm start runs dapr/dapr.yaml without it"
  fi
  rm -rf "$gobin"
}

# A tool built with `go install <module>@<version>` into TOOLS_BIN, once per version, linked under its plain name.
install_go_tool() {
  local name="$1" module="$2" version="$3" target
  target="$TOOLS_BIN/$name-$version"
  if [ -x "$target" ]; then log "$name $version: cached"; else
    local t0 gobin; t0=$(date +%s); gobin="$(mktemp -d)"
    log "$name $version: building (the first build can take minutes)"
    GOBIN="$gobin" go install -trimpath -ldflags "-s -w" "$module@$version"
    mv "$gobin/$name" "$target"; rm -rf "$gobin"
    log "$name $version: built in $(elapsed "$t0")"
  fi
  ln -sf "$target" "$TOOLS_BIN/$name"
}

build_dapr_runtime
build_dapr_cli
install_go_tool minio github.com/minio/minio "$MINIO_VERSION"
# kustomize renders k8s/ for services/devkit/test/integration/k8s-render.test.ts, as `kubectl apply -k` would.
install_go_tool kustomize sigs.k8s.io/kustomize/kustomize/v5 "$KUSTOMIZE_VERSION"
