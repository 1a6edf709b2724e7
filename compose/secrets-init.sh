#!/bin/sh
# The secrets-init one-shot in docker-compose.yml: makes every password, key and token the stack uses, random, on the
# first `up`, and keeps them in named volumes, so nothing secret is in the repository or in the Compose file.
# Each app's volume (secrets-<app>) holds what that app and its sidecar need and nothing else; secrets-infra holds the
# stores' own credentials, readable by root only (the stores' entry points read them before dropping privileges),
# except DATABASE_URL for the migration.
#   secrets-init.sh                  makes what is missing (runs on every `up`; changes nothing that exists)
#   secrets-init.sh rotate tokens    a new DAPR_API_TOKEN and APP_API_TOKEN for every app
#   secrets-init.sh rotate s3        a new secret key for the apps' S3 user
#   secrets-init.sh rotate webhook   a new WEBHOOK_SECRET (every job's derived webhook secret changes with it)
set -eu
umask 077

root=${SECRETS_DIR:-/secrets}
infra=$root/infra
apps="api lister transfer web"
node_uid=1000   # `node`, the user of the app images
dapr_uid=65532  # the user of compose/dapr.Dockerfile, as in the official Dapr image

hex() { od -An -tx1 -N"$1" /dev/urandom | tr -d ' \n'; }
# keep FILE BYTES: FILE gets BYTES random bytes, hex-encoded, unless it already holds a value.
keep() { [ -s "$1" ] || { hex "$2" > "$1.tmp" && mv "$1.tmp" "$1"; }; }

if [ "${1:-}" = rotate ]; then
  case "${2:-}" in
    tokens) for app in $apps; do rm -f "$root/$app/dapr-api-token" "$root/$app/app-api-token"; done ;;
    s3) rm -f "$infra/s3-secret-key" ;;
    webhook) rm -f "$infra/webhook-secret" ;;
    *) echo "usage: secrets-init.sh [rotate tokens|s3|webhook]" >&2; exit 2 ;;
  esac
fi

keep "$infra/postgres-password" 24
keep "$infra/rabbitmq-password" 24
keep "$infra/minio-root-user" 10
keep "$infra/minio-root-password" 24
# The apps' S3 identity: a MinIO user that compose/minio/bucket-init.sh limits to the bucket, never the root account.
keep "$infra/s3-access-key" 10
keep "$infra/s3-secret-key" 24
keep "$infra/webhook-secret" 32
printf 'postgres://postgres:%s@postgres:5432/importer' "$(cat "$infra/postgres-password")" > "$infra/database-url"
printf 'amqp://importer:%s@rabbitmq:5672' "$(cat "$infra/rabbitmq-password")" > "$infra/rabbitmq-url"
chown 0:0 "$infra"/*
chmod 0400 "$infra"/*
chown "0:$node_uid" "$infra/database-url"
chmod 0440 "$infra/database-url"

# share APP NAME...: copies of the stores' secrets that APP or its sidecar uses.
share() { app=$1; shift; for name in "$@"; do cp "$infra/$name" "$root/$app/$name"; done; }
for app in $apps; do
  keep "$root/$app/dapr-api-token" 32
  keep "$root/$app/app-api-token" 32
done
share api database-url s3-access-key s3-secret-key webhook-secret rabbitmq-url
share lister database-url rabbitmq-url
share transfer database-url s3-access-key s3-secret-key rabbitmq-url
# Read by the app (group node) and by its sidecar (owner): nobody else mounts the volume.
for app in $apps; do
  chown "$dapr_uid:$node_uid" "$root/$app"/*
  chmod 0440 "$root/$app"/*
done
echo "secrets-init: secrets ready"
