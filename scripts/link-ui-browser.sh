#!/usr/bin/env bash
# Runs the headless-browser test of the Link UI (scripts/link-ui-browser.py) against a fresh server:
# a temporary SQLite database, a new sandbox client, `gridlink serve` on a free loopback port.
# Screenshots land in .build/ci-artifacts/link-ui/ (or $LINK_UI_ARTIFACT_DIR).
# Env: GRIDLINK_BIN (default .build/debug/gridlink), PYTHON (default .build/ci-venv/bin/python).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
BIN=${GRIDLINK_BIN:-$ROOT/.build/debug/gridlink}
PYTHON=${PYTHON:-$ROOT/.build/ci-venv/bin/python}
ARTIFACTS=${LINK_UI_ARTIFACT_DIR:-$ROOT/.build/ci-artifacts/link-ui}
log() { printf '[link-ui-browser.sh] %s\n' "$*"; }

[[ -x "$BIN" ]] || { log "no gridlink binary at $BIN (run swift build)"; exit 2; }
[[ -x "$PYTHON" ]] || { log "no python at $PYTHON (install scripts/requirements-ci.txt into .build/ci-venv)"; exit 2; }

WORK=$(mktemp -d /tmp/gridlink-link-ui.XXXXXX)
SERVER_PID=""
cleanup() {
    if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT

free_port() {
    local port
    for port in $(seq 18600 18700); do
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return 0; fi
    done
    return 1
}

DB="$WORK/gridlink.sqlite"
PORT=$(free_port)
"$BIN" migrate --database "$DB" >/dev/null
CREDENTIALS=$("$BIN" clients create --name link-ui-browser --environment sandbox --json --database "$DB" | tail -n 1)
CLIENT_ID=$("$PYTHON" -c 'import json,sys; print(json.loads(sys.argv[1])["clientId"])' "$CREDENTIALS")
CLIENT_SECRET=$("$PYTHON" -c 'import json,sys; print(json.loads(sys.argv[1])["clientSecret"])' "$CREDENTIALS")

"$BIN" serve --host 127.0.0.1 --port "$PORT" --database "$DB" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
BASE="http://127.0.0.1:$PORT"
for _ in $(seq 1 150); do
    if [[ "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/health/ready" || true)" == "204" ]]; then break; fi
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then log "server exited during start-up"; cat "$WORK/server.log"; exit 1; fi
    sleep 0.2
done
TOKEN=$(curl -s -u "$CLIENT_ID:$CLIENT_SECRET" -d grant_type=client_credentials "$BASE/oauth2/token" \
    | "$PYTHON" -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')

rm -rf "$ARTIFACTS"
mkdir -p "$ARTIFACTS"
log "server $BASE (PID $SERVER_PID); screenshots in $ARTIFACTS"
if "$PYTHON" "$ROOT/scripts/link-ui-browser.py" --base-url "$BASE" --token "$TOKEN" --out-dir "$ARTIFACTS"; then
    log "browser test passed ($(find "$ARTIFACTS" -name '*.png' | wc -l) screenshots)"
else
    status=$?
    log "browser test FAILED (exit $status); last server log lines:"
    tail -n 40 "$WORK/server.log"
    exit "$status"
fi
