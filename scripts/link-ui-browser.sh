#!/usr/bin/env bash
# Headless-browser test of the hosted Link UI against a fresh `gridlink serve` (scripts/link-ui-browser.py).
#
# Usage: scripts/link-ui-browser.sh [extra args for link-ui-browser.py, e.g. --flows AB]
#
# Steps: gridlink migrate + clients create --json (fresh SQLite file in a temp dir) -> gridlink serve on a free
#        127.0.0.1 port (background, PID recorded, stopped on exit) -> wait for GET /health/ready == 204
#        -> token via POST /oauth2/token (client_credentials) -> scripts/link-ui-browser.py with the
#        venv's python, which drives Debian's chromium + chromedriver through Selenium and saves a
#        numbered PNG per step under .build/ci-artifacts/link-ui/.
# Exits non-zero if any step fails (the server log tail is printed then).
#
# Needs: apt packages chromium chromium-driver; selenium (scripts/requirements-ci.txt) in .build/ci-venv.
#
# Environment (all optional):
#   GRIDLINK_BIN              server binary (default .build/debug/gridlink)
#   LINK_UI_PYTHON            python with selenium (default .build/ci-venv/bin/python, else python3)
#   LINK_UI_ARTIFACT_DIR      screenshot directory (default .build/ci-artifacts/link-ui)
#   LINK_UI_READY_TIMEOUT     seconds to wait for /health/ready (default 30)
#   LINK_UI_TIMEOUT           seconds the browser test may take before it is stopped (default 300)
#   CHROMIUM_BIN, CHROMEDRIVER_BIN   default /usr/bin/chromium, /usr/bin/chromedriver
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

log() { printf '[link-ui-browser.sh] %s\n' "$*" >&2; }
die() {
    log "ERROR: $*"
    exit 1
}

GRIDLINK_BIN=${GRIDLINK_BIN:-$ROOT/.build/debug/gridlink}
if [[ -z "${LINK_UI_PYTHON:-}" ]]; then
    if [[ -x "$ROOT/.build/ci-venv/bin/python" ]]; then
        LINK_UI_PYTHON=$ROOT/.build/ci-venv/bin/python
    else
        LINK_UI_PYTHON=$(command -v python3 || true)
    fi
fi
ARTIFACT_DIR=${LINK_UI_ARTIFACT_DIR:-$ROOT/.build/ci-artifacts/link-ui}
READY_TIMEOUT=${LINK_UI_READY_TIMEOUT:-30}
TEST_TIMEOUT=${LINK_UI_TIMEOUT:-300}
CHROMIUM_BIN=${CHROMIUM_BIN:-/usr/bin/chromium}
CHROMEDRIVER_BIN=${CHROMEDRIVER_BIN:-/usr/bin/chromedriver}
export CHROMIUM_BIN CHROMEDRIVER_BIN

[[ -x "$GRIDLINK_BIN" ]] || die "gridlink binary not found at $GRIDLINK_BIN (run 'swift build' first)"
[[ -n "$LINK_UI_PYTHON" && -x "$LINK_UI_PYTHON" ]] || die "no python found (create .build/ci-venv, see .ci/run)"
"$LINK_UI_PYTHON" -c 'import selenium' 2>/dev/null ||
    die "selenium is not installed for $LINK_UI_PYTHON (pip install -r scripts/requirements-ci.txt into .build/ci-venv)"
[[ -x "$CHROMIUM_BIN" ]] || die "chromium not found at $CHROMIUM_BIN (apt-get install chromium chromium-driver)"
[[ -x "$CHROMEDRIVER_BIN" ]] || die "chromedriver not found at $CHROMEDRIVER_BIN (apt-get install chromium-driver)"
command -v curl >/dev/null || die "curl not found"
command -v python3 >/dev/null || die "python3 not found"

WORKDIR=$(mktemp -d "${TMPDIR:-/tmp}/gridlink-link-ui.XXXXXX")
SERVER_PID=""
SERVER_LOG=$WORKDIR/server.log

dump_server_log_tail() {
    if [[ -s "$SERVER_LOG" ]]; then
        log "----- last 60 lines of the gridlink serve log ($SERVER_LOG) -----"
        tail -n 60 "$SERVER_LOG" >&2 || true
        log "----- end of server log -----"
    fi
}

cleanup() {
    local rc=$?
    if ((rc != 0)); then
        dump_server_log_tail
    fi
    if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
        log "stopping gridlink serve (PID $SERVER_PID)"
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        local i
        for ((i = 0; i < 50; i++)); do
            kill -0 "$SERVER_PID" 2>/dev/null || break
            sleep 0.2
        done
        if kill -0 "$SERVER_PID" 2>/dev/null; then
            log "gridlink serve (PID $SERVER_PID) ignored SIGTERM; sending SIGKILL"
            kill -KILL "$SERVER_PID" 2>/dev/null || true
        fi
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    rm -rf -- "$WORKDIR"
    if ((rc != 0)); then
        log "FAILED (exit $rc); screenshots so far: $ARTIFACT_DIR"
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# free_port and json_field.
# shellcheck source=lib/script-helpers.sh
source "$ROOT/scripts/lib/script-helpers.sh"

DATABASE=$WORKDIR/gridlink.sqlite
log "database: $DATABASE (fresh)"

log "gridlink migrate"
"$GRIDLINK_BIN" migrate --database "$DATABASE" >/dev/null || die "gridlink migrate failed"

log "gridlink clients create"
CLIENT_JSON=$("$GRIDLINK_BIN" clients create --name "link-ui-browser-$(date +%s)-$$" --environment sandbox --json \
    --database "$DATABASE") || die "gridlink clients create failed"
CLIENT_ID=$(json_field clientId <<<"$CLIENT_JSON") || die "unexpected 'clients create --json' output: $CLIENT_JSON"
CLIENT_SECRET=$(json_field clientSecret <<<"$CLIENT_JSON") || die "unexpected 'clients create --json' output (no clientSecret)"

PORT=$(free_port)
BASE_URL="http://127.0.0.1:$PORT"
log "starting gridlink serve on $BASE_URL (log: $SERVER_LOG)"
"$GRIDLINK_BIN" serve --host 127.0.0.1 --port "$PORT" --database "$DATABASE" >"$SERVER_LOG" 2>&1 &
SERVER_PID=$!
log "gridlink serve PID $SERVER_PID"

deadline=$((SECONDS + READY_TIMEOUT))
ready=0
code=""
while ((SECONDS < deadline)); do
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
        wait "$SERVER_PID" && status=0 || status=$?
        SERVER_PID=""
        die "gridlink serve exited (status $status) before becoming ready"
    fi
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$BASE_URL/health/ready" || true)
    if [[ "$code" == 204 ]]; then
        ready=1
        break
    fi
    sleep 0.5
done
((ready == 1)) || die "GET $BASE_URL/health/ready did not return 204 within ${READY_TIMEOUT}s (last status: ${code:-none})"
log "server ready"

TOKEN_JSON=$(curl -sS --max-time 10 -u "$CLIENT_ID:$CLIENT_SECRET" -d grant_type=client_credentials "$BASE_URL/oauth2/token") ||
    die "POST /oauth2/token failed"
TOKEN=$(json_field access_token <<<"$TOKEN_JSON") || die "POST /oauth2/token returned no access_token: $TOKEN_JSON"

log "running scripts/link-ui-browser.py with $("$LINK_UI_PYTHON" -c 'import selenium; print("selenium", selenium.__version__)'), $("$CHROMIUM_BIN" --version 2>/dev/null | head -n 1)"
test_rc=0
# The token goes through the environment, not argv (argv is visible in `ps`).
# `timeout` stops a hung browser session; the python script quits chromium itself on every normal path.
GRIDLINK_BASE_URL=$BASE_URL GRIDLINK_TOKEN=$TOKEN LINK_UI_ARTIFACT_DIR=$ARTIFACT_DIR \
    timeout --kill-after=10 "$TEST_TIMEOUT" "$LINK_UI_PYTHON" "$ROOT/scripts/link-ui-browser.py" "$@" || test_rc=$?
if ((test_rc == 124)); then
    log "the browser test did not finish within ${TEST_TIMEOUT}s"
fi
if ((test_rc != 0)); then
    log "browser test FAILED (exit $test_rc)"
    exit "$test_rc"
fi
if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    die "gridlink serve died during the run"
fi
log "browser test passed; screenshots: $ARTIFACT_DIR"
