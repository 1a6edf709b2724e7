#!/usr/bin/env bash
# Every endpoint of the REST API, called with curl the way a person would, each checked for the answer it should give.
# Needs curl and jq. Through the public door, the web gateway: `npm start` (the default) or Docker Compose:
#   scripts/api-examples.sh
#   BASE_URL=http://localhost:8080/api scripts/api-examples.sh
# Settings (environment):
#   BASE_URL            the API; default http://127.0.0.1:8080/api (the gateway; only the public routes answer there)
#   DRIVE_FOLDER_URL    a public Google Drive folder; default the emulator's demo folder (npm start without GOOGLE_API_KEY)
#   DROPBOX_FOLDER_URL  a Dropbox shared-folder link; the Dropbox calls are skipped without it
#   IMAGE_URLS          image URLs, comma-separated, for the URL-list import (JSON and CSV); skipped without it
#   JOB_TIMEOUT         seconds to wait for an import to end; default 180
#   API_KEY             an API key (npm run admin -- create-api-key --email …, or the web app's Account page); or:
#   EMAIL, PASSWORD     an administrator's: the script signs in (creating the administrator on a fresh system) and makes a key
# Every call but sign-in sends the key as "Authorization: Bearer $API_KEY".
# Prints one line per call (`ok` or `FAIL`, status, method, path) and exits non-zero if any call failed.
set -uo pipefail

BASE_URL="${BASE_URL:-http://127.0.0.1:8080/api}"
DRIVE_FOLDER_URL="${DRIVE_FOLDER_URL:-https://drive.google.com/drive/folders/1DemoImporterFolder0000000000000A}"
DROPBOX_FOLDER_URL="${DROPBOX_FOLDER_URL:-}"
IMAGE_URLS="${IMAGE_URLS:-}"
JOB_TIMEOUT="${JOB_TIMEOUT:-180}"
API_KEY="${API_KEY:-}"
EMAIL="${EMAIL:-}"
PASSWORD="${PASSWORD:-}"

failures=0
body_file="$(mktemp)"
cookie_jar="$(mktemp)"
trap 'rm -f "$body_file" "$cookie_jar"' EXIT
# Credentials for every call; empty until there is a key, and the sign-in calls use the cookie jar instead.
auth=()

# call EXPECTED METHOD PATH [curl args...]: the answer's body is left in $body_file.
call() {
  local expected="$1" method="$2" path="$3"
  shift 3
  local status
  status="$(curl -sS -o "$body_file" -w '%{http_code}' -X "$method" "${auth[@]}" "$@" "$BASE_URL$path")" || status="000"
  if [[ " $expected " == *" $status "* ]]; then
    printf 'ok    %s %-5s %s\n' "$status" "$method" "$path"
  else
    printf 'FAIL  %s %-5s %s (expected %s): %s\n' "$status" "$method" "$path" "$expected" "$(head -c 300 "$body_file")"
    failures=$((failures + 1))
  fi
}

json() { jq -r "$1" "$body_file"; }

# as_key KEY call ...: one call with another key instead of $API_KEY (a second Authorization header would be ignored).
as_key() {
  local saved=("${auth[@]}")
  auth=(-H "Authorization: Bearer $1")
  shift
  "$@"
  auth=("${saved[@]}")
}

# wait_for_job ID: polls GET /import/jobs/ID until the job has ended, then prints its status and counts.
wait_for_job() {
  local id="$1" deadline=$((SECONDS + JOB_TIMEOUT)) status=""
  while ((SECONDS < deadline)); do
    curl -sS -o "$body_file" "${auth[@]}" "$BASE_URL/import/jobs/$id" || true
    status="$(json '.status // empty' 2>/dev/null)"
    case "$status" in completed | completed_with_errors | failed | cancelled) break ;; esac
    sleep 0.5
  done
  call 200 GET "/import/jobs/$id"
  echo "job $id $(json '"\(.status) found=\(.total_files) done=\(.processed_files) failed=\(.failed_files) skipped=\(.skipped_files) bytes=\(.bytes)"')"
  case "$status" in
    completed | completed_with_errors) ;;
    *) echo "FAIL  job $id ended as '${status:-still running}'"; failures=$((failures + 1)) ;;
  esac
}

echo "# health and the API description (readiness and metrics are for the cluster: the gateway does not forward them)"
call 200 GET /health
call 404 GET /ready
call 200 GET /openapi.json

echo "# accounts: anyone may ask the status; nothing else answers without a key or a session"
call 401 GET /import/jobs
call 200 GET /auth/status
if [[ -z "$API_KEY" ]]; then
  if [[ -z "$EMAIL" || -z "$PASSWORD" ]]; then
    echo "FAIL  give API_KEY, or EMAIL and PASSWORD of an administrator"
    exit 1
  fi
  credentials="$(jq -n --arg email "$EMAIL" --arg password "$PASSWORD" '{email: $email, password: $password}')"
  # A fresh system has no user: the first sign-in creates the administrator.
  if [[ "$(json '.setup_required')" == true ]]; then
    call 201 POST /auth/setup -c "$cookie_jar" -H 'content-type: application/json' -d "$credentials"
  else
    call 409 POST /auth/setup -H 'content-type: application/json' -d "$credentials"
  fi
  call 401 POST /auth/sign-in -H 'content-type: application/json' -d "$(jq -n --arg email "$EMAIL" '{email: $email, password: "not the password at all"}')"
  call 200 POST /auth/sign-in -c "$cookie_jar" -H 'content-type: application/json' -d "$credentials"
  call 201 POST /account/api-keys -b "$cookie_jar" -H 'content-type: application/json' -d '{"name": "api-examples.sh"}'
  API_KEY="$(json '.key // empty')"
  call 204 POST /auth/sign-out -b "$cookie_jar" -c "$cookie_jar"
fi
auth=(-H "Authorization: Bearer $API_KEY")
call 200 GET /account
call 200 GET /account/api-keys
call '200 501' GET /account/webhook-secret
as_key imp_not-a-key call 401 GET /account

echo "# import a Google Drive folder, follow it to the end"
call 400 POST /import/google-drive -H 'content-type: application/json' -d '{"folder_url": "https://drive.google.com/file/d/1InXVYI5q3y51BsGjH6hMEK9CGhCZMNcV/view"}'
call 202 POST /import/google-drive -H 'content-type: application/json' -d "$(jq -n --arg url "$DRIVE_FOLDER_URL" '{folder_url: $url}')"
drive_job="$(json '.job_id // empty')"
if [[ -z "$drive_job" ]]; then
  echo "FAIL  no job id in the answer; the rest needs one"
  exit 1
fi
wait_for_job "$drive_job"

echo "# jobs"
call 200 GET '/import/jobs?limit=5'
call 409 POST "/import/jobs/$drive_job/retry"
call 409 POST "/import/jobs/$drive_job/cancel"
call 404 GET "/import/jobs/00000000-0000-4000-8000-000000000000"
call 200 GET "/import/jobs/$drive_job/files?limit=5"

echo "# the gallery"
call 200 GET "/images?job_id=$drive_job&limit=2"
image_id="$(json '.images[0].id // empty')"
cursor="$(json '.next_cursor // empty')"
[[ -n "$cursor" ]] && call 200 GET "/images?job_id=$drive_job&limit=2&cursor=$cursor"
call 200 GET '/images?source=google_drive&page=1&limit=2'
call 400 GET '/images?source=nowhere'
if [[ -n "$image_id" ]]; then
  call 200 GET "/images/$image_id"
  call 200 GET "/images/$image_id/content"
  # Previews are made after the image lands; a 404 `preview_not_found` is the answer until then.
  for _ in 1 2 3 4 5 6 7 8 9 10; do
    [[ "$(curl -sS -o /dev/null -w '%{http_code}' "${auth[@]}" "$BASE_URL/images/$image_id/thumbnail")" == 200 ]] && break
    sleep 1
  done
  call '200 404' GET "/images/$image_id/thumbnail"
else
  echo "FAIL  the import produced no image"
  failures=$((failures + 1))
fi

if [[ -n "$DROPBOX_FOLDER_URL" ]]; then
  echo "# import a Dropbox shared folder"
  call 202 POST /import/dropbox -H 'content-type: application/json' -d "$(jq -n --arg url "$DROPBOX_FOLDER_URL" '{folder_url: $url}')"
  dropbox_job="$(json '.job_id // empty')"
  [[ -n "$dropbox_job" ]] && wait_for_job "$dropbox_job"
fi

if [[ -n "$IMAGE_URLS" ]]; then
  echo "# import a list of image URLs: JSON, then the same list as a CSV upload"
  call 202 POST /import/urls -H 'content-type: application/json' -d "$(jq -n --arg urls "$IMAGE_URLS" '{urls: ($urls | split(","))}')"
  urls_job="$(json '.job_id // empty')"
  [[ -n "$urls_job" ]] && wait_for_job "$urls_job"
  call 202 POST /import/urls -F "file=@-;filename=urls.csv;type=text/csv" < <(printf 'url\n'; tr ',' '\n' <<<"$IMAGE_URLS")
  csv_job="$(json '.job_id // empty')"
  [[ -n "$csv_job" ]] && wait_for_job "$csv_job"
fi

echo "# the account: password, webhook secret, a second key made and revoked"
if [[ -n "$PASSWORD" ]]; then
  call 200 POST /account/password -H 'content-type: application/json' -d "$(jq -n --arg password "$PASSWORD" '{current_password: $password, new_password: $password}')"
fi
call '200 501' POST /account/webhook-secret/rotate
call 201 POST /account/api-keys -H 'content-type: application/json' -d '{"name": "revoked at once"}'
spare_key="$(json '.key // empty')"
spare_id="$(json '.api_key.id // empty')"
call 204 POST "/account/api-keys/$spare_id/revoke"
as_key "$spare_key" call 401 GET /account
call 404 POST "/account/api-keys/$spare_id/revoke"

echo "# sign-up and single sign-on answer by the deployment's settings (closed and off by default)"
call '201 403' POST /auth/sign-up -H 'content-type: application/json' -d "$(jq -n --arg email "someone-$RANDOM$RANDOM@example.com" '{email: $email, password: "a long enough password"}')"
call '302 404' GET /auth/oidc/start
call '302 404' GET '/auth/oidc/callback?code=x&state=y'
call 204 POST /auth/sign-out

echo "# administrators: users (a new one made, disabled and enabled again)"
call 200 GET /admin/users
call 201 POST /admin/users -H 'content-type: application/json' -d "$(jq -n --arg email "colleague-$RANDOM$RANDOM@example.com" '{email: $email, password: "a long enough password", role: "user"}')"
user_id="$(json '.user.id // empty')"
call 200 POST "/admin/users/$user_id/disable"
call 200 POST "/admin/users/$user_id/enable"

if ((failures > 0)); then
  echo "$failures call(s) failed"
  exit 1
fi
echo "every call answered as expected"
