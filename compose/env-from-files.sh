#!/bin/sh
# Entry point of the Compose containers that need generated secrets (the apps, their sidecars, the migration): each
# NAME=FILE pair in ENV_FROM_FILES becomes the variable NAME holding FILE's contents, then the command runs in its
# place. FILE is in a volume that secrets-init or trust-anchors filled; it is waited for, up to a minute.
# daprd needs this for DAPR_TRUST_ANCHORS, which it reads only from the environment (it has no file flag).
set -eu
set -f
for pair in ${ENV_FROM_FILES:-}; do
  name=${pair%%=*}
  file=${pair#*=}
  waited=0
  until [ -s "$file" ]; do
    [ "$waited" -lt 60 ] || { echo "env-from-files: $file (for $name) is missing or empty" >&2; exit 1; }
    waited=$((waited + 1))
    sleep 1
  done
  value=$(cat "$file")
  export "$name=$value"
done
unset ENV_FROM_FILES
exec "$@"
