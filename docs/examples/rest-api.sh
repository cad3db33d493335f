#!/usr/bin/env bash
# Deposits a file in my-site through the REST API, publishes it, finds it with
# a search and downloads it again. Shown in docs/usage.rst; run as it is by
# tests/api/test_docs_usage.py.
#
# Usage: rest-api.sh FILE [DOWNLOAD_TO]
#
#   MY_SITE_TOKEN   a personal access token (required)
#   MY_SITE_URL     the site (default: https://127.0.0.1:5000)
#   CURL_CA_BUNDLE  a certificate to trust, e.g. var/tls/cert.pem for the
#                   development server's self-signed one
#
# Needs bash, curl (7.76 or newer) and python3, which reads the JSON answers.
set -euo pipefail

SITE="${MY_SITE_URL:-https://127.0.0.1:5000}"
API="${SITE}/api"
FILE="${1:?usage: rest-api.sh FILE [DOWNLOAD_TO]}"
KEY="$(basename "${FILE}")" # the file's name in the record
DOWNLOAD_TO="${2:-downloaded-${KEY}}"
: "${MY_SITE_TOKEN:?set MY_SITE_TOKEN to a personal access token}"

# api METHOD PATH [CURL_OPTIONS...]: one authenticated request; prints the
# answer, and on an HTTP error prints it and stops the script.
api() {
    local method="$1" path="$2"
    shift 2
    curl --silent --show-error --fail-with-body --request "${method}" \
        --header "Authorization: Bearer ${MY_SITE_TOKEN}" "$@" "${API}${path}"
}

# json_get KEY[.KEY...]: one value of the JSON document read from stdin.
json_get() {
    python3 -c '
import json, sys
value = json.load(sys.stdin)
for key in sys.argv[1].split("."):
    value = value[int(key)] if isinstance(value, list) else value[key]
print(value)' "$1"
}

# hit_ids: the ids of the records in the search answer read from stdin.
hit_ids() {
    python3 -c 'import json, sys; print(*(hit["id"] for hit in json.load(sys.stdin)["hits"]["hits"]))'
}

echo "1. Creating a draft with its metadata..."
draft="$(api POST /records --header "Content-Type: application/json" --data @- <<'EOF'
{
  "access": {"record": "public", "files": "public"},
  "files": {"enabled": true},
  "metadata": {
    "title": "Glacier surface elevation from a UAV lidar survey",
    "publication_date": "2026-01-15",
    "resource_type": {"id": "dataset"},
    "creators": [
      {"person_or_org": {"type": "personal", "given_name": "Ada", "family_name": "Lovelace"}}
    ]
  },
  "custom_fields": {
    "mysite:instrument": {"id": "lidar-uav"},
    "mysite:acquisition_notes": "Flown at 80 m above the glacier surface."
  }
}
EOF
)"
id="$(json_get id <<<"${draft}")"
echo "   draft ${id}"

echo "2. Uploading ${KEY}: declare it, send its content, commit it..."
api POST "/records/${id}/draft/files" --header "Content-Type: application/json" \
    --data "[{\"key\": \"${KEY}\"}]" >/dev/null
api PUT "/records/${id}/draft/files/${KEY}/content" \
    --header "Content-Type: application/octet-stream" --data-binary "@${FILE}" >/dev/null
api POST "/records/${id}/draft/files/${KEY}/commit" >/dev/null

echo "3. Publishing..."
record="$(api POST "/records/${id}/draft/actions/publish")"
echo "   $(json_get status <<<"${record}"): $(json_get links.self_html <<<"${record}")"

echo "4. Searching by instrument (a custom field) and title word..."
query='custom_fields.mysite\:instrument.id:lidar-uav AND glacier'
found=""
for _ in $(seq 20); do # a new record is searchable within a second or two
    hits="$(api GET /records --get --data-urlencode "q=${query}" --data-urlencode "sort=newest")"
    if [[ " $(hit_ids <<<"${hits}") " == *" ${id} "* ]]; then
        found=yes
        break
    fi
    sleep 0.5
done
[[ -n "${found}" ]] || { echo "record ${id} not found by: ${query}" >&2; exit 1; }
echo "   found among $(json_get hits.total <<<"${hits}") hit(s)"

echo "5. Downloading ${KEY} and comparing its checksum..."
api GET "/records/${id}/files/${KEY}/content" --location --output "${DOWNLOAD_TO}"
stored="$(api GET "/records/${id}/files/${KEY}" | json_get checksum)"
downloaded="md5:$(md5sum "${DOWNLOAD_TO}" | cut -d' ' -f1)"
[[ "${downloaded}" == "${stored}" ]] || { echo "checksum mismatch: ${downloaded} != ${stored}" >&2; exit 1; }
echo "   ${DOWNLOAD_TO}: ${downloaded}, as stored"

echo "Published record ${id}"
