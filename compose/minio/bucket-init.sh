#!/bin/sh
# The minio-bucket one-shot in docker-compose.yml: the bucket (the S3 binding never creates it) and the apps' own S3
# user, limited by images-policy.json to that bucket; the sidecars' secret store hands out this user's keys, never
# the root account's. Safe to run again: it sets the user's current secret key (after `secrets-init.sh rotate s3`).
# Shell built-ins only besides mc: the mc image is minimal.
set -eu
secret() { value=''; IFS= read -r value < "/secrets/$1" || [ -n "$value" ]; printf '%s' "$value"; }
export MC_HOST_local="http://$(secret minio-root-user):$(secret minio-root-password)@minio:9000"
access_key=$(secret s3-access-key)
mc mb --ignore-existing local/images
mc admin policy create local importer-images /policy/images-policy.json
mc admin user add local "$access_key" "$(secret s3-secret-key)"
case "$(mc admin user info local "$access_key")" in
  *importer-images*) ;;
  *) mc admin policy attach local importer-images --user "$access_key" ;;
esac
echo "minio-bucket: bucket images and its user ready"
