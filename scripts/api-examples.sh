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
# Prints one line per call (`ok` or `FAIL`, status, method, path) and exits non-zero if any call failed.
set -uo pipefail

BASE_URL="${BASE_URL:-http://127.0.0.1:8080/api}"
DRIVE_FOLDER_URL="${DRIVE_FOLDER_URL:-https://drive.google.com/drive/folders/1DemoImporterFolder0000000000000A}"
DROPBOX_FOLDER_URL="${DROPBOX_FOLDER_URL:-}"
IMAGE_URLS="${IMAGE_URLS:-}"
JOB_TIMEOUT="${JOB_TIMEOUT:-180}"

failures=0
body_file="$(mktemp)"
trap 'rm -f "$body_file"' EXIT

# call EXPECTED METHOD PATH [curl args...]: the answer's body is left in $body_file.
call() {
  local expected="$1" method="$2" path="$3"
  shift 3
  local status
  status="$(curl -sS -o "$body_file" -w '%{http_code}' -X "$method" "$@" "$BASE_URL$path")" || status="000"
  if [[ " $expected " == *" $status "* ]]; then
    printf 'ok    %s %-5s %s\n' "$status" "$method" "$path"
  else
    printf 'FAIL  %s %-5s %s (expected %s): %s\n' "$status" "$method" "$path" "$expected" "$(head -c 300 "$body_file")"
    failures=$((failures + 1))
  fi
}

json() { jq -r "$1" "$body_file"; }

# wait_for_job ID: polls GET /import/jobs/ID until the job has ended, then prints its status and counts.
wait_for_job() {
  local id="$1" deadline=$((SECONDS + JOB_TIMEOUT)) status=""
  while ((SECONDS < deadline)); do
    curl -sS -o "$body_file" "$BASE_URL/import/jobs/$id" || true
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
    [[ "$(curl -sS -o /dev/null -w '%{http_code}' "$BASE_URL/images/$image_id/thumbnail")" == 200 ]] && break
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

if ((failures > 0)); then
  echo "$failures call(s) failed"
  exit 1
fi
echo "every call answered as expected"
