#!/usr/bin/env bash
# The README's console commands on the embedded tier, as a user runs them in the checkout after
# `make run`: no SECRET_KEY exported (the settings read var/secret_key), the SQLite database
# under ./var. Used by .ci/run on a fresh clone.
set -euo pipefail
cd "$(dirname "$0")/.."
make --no-print-directory var/secret_key
unset SECRET_KEY DATABASE_URL
BIN=.venv/bin
"$BIN/wulian" migrate --noinput -v 0
"$BIN/wulian" audit keygen >/dev/null
"$BIN/wulian" keys generate >/dev/null
"$BIN/wulian" demo_seed --if-empty
"$BIN/wulian" calendar status
"$BIN/wulian" audit verify
"$BIN/wulian" draw verify
"$BIN/wulian" figures suggestions --year 2023 --format table >/dev/null
"$BIN/wulian" report annual --year 2023 --output - >/dev/null
echo "console commands: ok"
