#!/usr/bin/env bash
# Fuzz the REST API with schemathesis against the real app: gunicorn on 127.0.0.1, a throwaway
# database with the demo data, a bearer token of a demo account. Exits non-zero when
# schemathesis finds a server error (5xx) — or anything else stops it from finishing.
#
#   PORT                 port for the app (8765)
#   DATABASE_URL         database to use (default: SQLite file in a temporary directory, deleted
#                        afterwards); an existing one keeps its data (demo data only if empty)
#   SCHEMATHESIS_USER    demo account whose token is used (congress_clerk)
#   MAX_EXAMPLES         test cases per operation and phase (30)
#   MAX_SECONDS          time limit of the schemathesis run (600: 113 operations and more to come)
#   SCHEMATHESIS_SEED    random seed, to repeat a run
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=$(cd "${BIN:-.venv/bin}" && pwd)
PORT=${PORT:-8765}
USERNAME=${SCHEMATHESIS_USER:-congress_clerk}
MAX_EXAMPLES=${MAX_EXAMPLES:-30}
MAX_SECONDS=${MAX_SECONDS:-600}
BASE="http://127.0.0.1:${PORT}"

workdir=$(mktemp -d "${TMPDIR:-/tmp}/wulian-schemathesis.XXXXXX")
server_pid=""

stop_server() {
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  server_pid=""
}

cleanup() {
  local status=$?
  stop_server
  rm -rf "$workdir"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

is_up() {
  "$BIN/python" - "$BASE/healthz" <<'PY' 2>/dev/null
import sys, urllib.request
with urllib.request.urlopen(sys.argv[1], timeout=2) as r:
    sys.exit(0 if r.status == 200 else 1)
PY
}

if is_up; then
  echo "Something already answers on $BASE; set PORT to a free port." >&2
  exit 2
fi

SECRET_KEY=$("$BIN/python" -c 'import secrets; print(secrets.token_urlsafe(50))')
export SECRET_KEY
export WULIAN_HTTPS=false ALLOWED_HOSTS=127.0.0.1 DEBUG=false WULIAN_DEMO_MODE=false
export WULIAN_VAR_DIR="$workdir" STATIC_ROOT="$workdir/static" WULIAN_MANIFEST_STATIC=false
export DATABASE_URL="${DATABASE_URL:-sqlite:///$workdir/wulian.sqlite3}"
mkdir -p "$workdir/static"

echo "== database (${DATABASE_URL%%://*}) and demo data"
"$BIN/wulian" migrate --noinput -v 0
# The field key (encrypted demo data: the sealed draw, petitioners' phones) in the work dir.
"$BIN/wulian" keys generate >/dev/null
"$BIN/wulian" demo_seed --if-empty
KEY=$("$BIN/wulian" api_token "$USERNAME" --name "schemathesis $(date +%F)")

echo "== app on $BASE"
"$BIN/gunicorn" wulian.wsgi:application --bind "127.0.0.1:${PORT}" --workers 2 \
  --timeout 30 --access-logfile "$workdir/access.log" --access-logformat '%(s)s %(m)s %(U)s' \
  --error-logfile "$workdir/server.log" --capture-output &
server_pid=$!
for _ in $(seq 1 60); do
  is_up && break
  kill -0 "$server_pid" 2>/dev/null || { echo "The app did not start:" >&2; cat "$workdir/server.log" >&2; exit 1; }
  sleep 0.5
done
is_up || { echo "The app did not answer on $BASE/healthz." >&2; exit 1; }

echo "== schemathesis (as $USERNAME, at most $MAX_EXAMPLES examples per operation, ${MAX_SECONDS}s)"
seed_args=()
[[ -n "${SCHEMATHESIS_SEED:-}" ]] && seed_args=(--seed "$SCHEMATHESIS_SEED")
started=$(date +%s)
set +e
# Run from the temporary directory: schemathesis keeps a cache in ./.schemathesis. Not the
# token's revocation: the token it runs with (id 1 in a fresh database) would revoke itself.
(cd "$workdir" && timeout --kill-after=10 "$MAX_SECONDS" "$BIN/schemathesis" run "$BASE/api/v1/schema/" \
  --header "Authorization: Bearer $KEY" \
  --checks not_a_server_error \
  --max-examples "$MAX_EXAMPLES" \
  --request-timeout 20 \
  --wait-for-schema 30 \
  --generation-database none \
  --exclude-path-regex 'tokens/\{id\}/revoke/' \
  --no-color \
  "${seed_args[@]}")
status=$?
set -e
elapsed=$(( $(date +%s) - started ))

server_errors=$(awk '$1 ~ /^5[0-9][0-9]$/' "$workdir/access.log" | wc -l)
echo "== ${elapsed}s, $(wc -l < "$workdir/access.log") requests, $server_errors answered 5xx"
if [[ "$server_errors" -gt 0 || "$status" -ne 0 ]]; then
  echo "-- requests answered 5xx:" >&2
  awk '$1 ~ /^5[0-9][0-9]$/' "$workdir/access.log" | sort | uniq -c | sort -rn | head -20 >&2
  echo "-- server errors in the app's log:" >&2
  grep -A40 -E 'ERROR|Traceback' "$workdir/server.log" | tail -200 >&2 || true
fi
if [[ "$status" -eq 124 || "$status" -eq 137 ]]; then
  echo "schemathesis did not finish within ${MAX_SECONDS}s." >&2
fi
if [[ "$status" -eq 0 && "$server_errors" -gt 0 ]]; then
  status=1
fi
exit "$status"
