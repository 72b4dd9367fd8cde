#!/usr/bin/env bash
# The embedded tier in one command (called by `make run`): migrate, static files, keys, demo
# data, then the background worker and gunicorn side by side; Ctrl-C stops both.
set -euo pipefail
BIN=${BIN:-.venv/bin}
PORT=${PORT:-8000}
WORKERS=${WORKERS:-2}

"$BIN/wulian" migrate --noinput -v 0
"$BIN/wulian" collectstatic --noinput -v 0
"$BIN/wulian" audit keygen >/dev/null
"$BIN/wulian" keys generate >/dev/null
"$BIN/wulian" demo_seed --if-empty
"$BIN/wulian" demo_accounts

"$BIN/wulian" worker &
worker=$!
trap 'kill "$worker" 2>/dev/null || true; wait "$worker" 2>/dev/null || true' EXIT INT TERM

echo "Wulian is starting on http://127.0.0.1:${PORT}/ (Ctrl-C to stop)"
"$BIN/gunicorn" wulian.wsgi:application --bind "127.0.0.1:${PORT}" \
  --workers "$WORKERS" --access-logfile - --forwarded-allow-ips=127.0.0.1
