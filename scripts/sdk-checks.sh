#!/usr/bin/env bash
# Client-library checks against a live `gridlink serve` (CI step 5):
#   scripts/enode-sdk-check.py         Enode's Python SDK (`enode`) calls the health and integrations operations
#   scripts/standard-webhooks-check.py the `standardwebhooks` package verifies Standard Webhooks deliveries
#
# Usage: scripts/sdk-checks.sh     (fresh SQLite file in a temp directory; the server runs with --sim-speed 60)
# Environment: GRIDLINK_BIN (default .build/debug/gridlink), SDK_PYTHON (default .build/ci-venv/bin/python, else python3).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
log() { printf '[sdk-checks.sh] %s\n' "$*" >&2; }
die() {
    log "ERROR: $*"
    exit 1
}

GRIDLINK_BIN=${GRIDLINK_BIN:-$ROOT/.build/debug/gridlink}
if [[ -z "${SDK_PYTHON:-}" ]]; then
    if [[ -x "$ROOT/.build/ci-venv/bin/python" ]]; then SDK_PYTHON=$ROOT/.build/ci-venv/bin/python; else SDK_PYTHON=python3; fi
fi
[[ -x "$GRIDLINK_BIN" ]] || die "gridlink binary not found at $GRIDLINK_BIN (run 'swift build' first)"
"$SDK_PYTHON" -c 'import enode, standardwebhooks' 2>/dev/null ||
    die "$SDK_PYTHON lacks enode or standardwebhooks (pip install -r scripts/requirements-ci.txt)"

WORKDIR=$(mktemp -d "${TMPDIR:-/tmp}/gridlink-sdk-checks.XXXXXX")
SERVER_PID=""
cleanup() {
    local rc=$?
    if [[ -n "$SERVER_PID" ]]; then
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    if ((rc != 0)) && [[ -f "$WORKDIR/server.log" ]]; then
        log "----- gridlink serve log -----"
        tail -n 50 "$WORKDIR/server.log" >&2 || true
    fi
    rm -rf -- "$WORKDIR"
    exit "$rc"
}
trap cleanup EXIT

# shellcheck source=lib/script-helpers.sh
source "$ROOT/scripts/lib/script-helpers.sh"

DATABASE=$WORKDIR/gridlink.sqlite
"$GRIDLINK_BIN" migrate --database "$DATABASE" >/dev/null || die "gridlink migrate failed"
CLIENT_JSON=$("$GRIDLINK_BIN" clients create --name sdk-checks --environment sandbox --json --database "$DATABASE")
GRIDLINK_CLIENT_ID=$(json_field clientId <<<"$CLIENT_JSON")
GRIDLINK_CLIENT_SECRET=$(json_field clientSecret <<<"$CLIENT_JSON")
PORT=$(free_port)
GRIDLINK_URL=http://127.0.0.1:$PORT
export GRIDLINK_URL GRIDLINK_CLIENT_ID GRIDLINK_CLIENT_SECRET
"$GRIDLINK_BIN" serve --host 127.0.0.1 --port "$PORT" --database "$DATABASE" --sim-speed 60 >"$WORKDIR/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 60); do
    [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$GRIDLINK_URL/health/ready" || true)" == 204 ]] && break
    kill -0 "$SERVER_PID" 2>/dev/null || die "gridlink serve exited before becoming ready"
    sleep 0.5
done
log "server on $GRIDLINK_URL (PID $SERVER_PID)"

status=0
"$SDK_PYTHON" "$ROOT/scripts/enode-sdk-check.py" || status=1
"$SDK_PYTHON" "$ROOT/scripts/standard-webhooks-check.py" || status=1
exit "$status"
