#!/usr/bin/env bash
# Run schemathesis against a live `gridlink serve`, using the server's own OpenAPI document.
#
# Usage: scripts/schemathesis.sh [DATABASE]
#   DATABASE   SQLite file path or postgres:// URL; default: a fresh SQLite file in a temp directory.
#
# Steps: gridlink migrate -> gridlink clients create --json -> gridlink serve on a free 127.0.0.1 port
#        (background, PID recorded, killed on exit) -> wait for GET /health/ready == 204 -> token via
#        POST /oauth2/token (client_credentials) -> schemathesis run /openapi.json with the Bearer token.
# Exits non-zero if any step fails or schemathesis reports failures/errors.
#
# Environment (all optional):
#   GRIDLINK_BIN                   server binary (default .build/debug/gridlink)
#   SCHEMATHESIS_BIN               schemathesis CLI (default .build/ci-venv/bin/schemathesis, else PATH)
#   SCHEMATHESIS_LABEL             name used in the report path and logs (default: sqlite/postgres)
#   SCHEMATHESIS_MAX_EXAMPLES      max test cases per operation and phase (default 50)
#   SCHEMATHESIS_MODE              positive | negative | all (default all)
#   SCHEMATHESIS_SEED              fixed seed (default: random; schemathesis prints the seed it used)
#   SCHEMATHESIS_WORKERS           concurrent workers (default 1: hypothesis hits a CPython 3.11 AST race with threads)
#   SCHEMATHESIS_READY_TIMEOUT     seconds to wait for /health/ready (default 30)
#   SCHEMATHESIS_REPORT_DIR        where the JUnit XML goes (default .build/ci-reports)
#   SCHEMATHESIS_EXTRA_ARGS        extra words appended to `schemathesis run` (word-split)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

log() { printf '[schemathesis.sh] %s\n' "$*" >&2; }
die() {
    log "ERROR: $*"
    exit 1
}

GRIDLINK_BIN=${GRIDLINK_BIN:-$ROOT/.build/debug/gridlink}
if [[ -z "${SCHEMATHESIS_BIN:-}" ]]; then
    if [[ -x "$ROOT/.build/ci-venv/bin/schemathesis" ]]; then
        SCHEMATHESIS_BIN=$ROOT/.build/ci-venv/bin/schemathesis
    else
        SCHEMATHESIS_BIN=$(command -v schemathesis || true)
    fi
fi
MAX_EXAMPLES=${SCHEMATHESIS_MAX_EXAMPLES:-30}
MODE=${SCHEMATHESIS_MODE:-all}
WORKERS=${SCHEMATHESIS_WORKERS:-1}
READY_TIMEOUT=${SCHEMATHESIS_READY_TIMEOUT:-30}
REPORT_DIR=${SCHEMATHESIS_REPORT_DIR:-$ROOT/.build/ci-reports}
CHECKS=not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance

[[ -x "$GRIDLINK_BIN" ]] || die "gridlink binary not found at $GRIDLINK_BIN (run 'swift build' first)"
[[ -n "$SCHEMATHESIS_BIN" && -x "$SCHEMATHESIS_BIN" ]] ||
    die "schemathesis not found (pip install -r scripts/requirements-ci.txt into .build/ci-venv)"
command -v curl >/dev/null || die "curl not found"
command -v python3 >/dev/null || die "python3 not found"

WORKDIR=$(mktemp -d "${TMPDIR:-/tmp}/gridlink-schemathesis.XXXXXX")
SERVER_PID=""

cleanup() {
    local rc=$?
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
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

DATABASE=${1:-$WORKDIR/gridlink.sqlite}
case "$DATABASE" in
    postgres://* | postgresql://*) DEFAULT_LABEL=postgres ;;
    *) DEFAULT_LABEL=sqlite ;;
esac
LABEL=${SCHEMATHESIS_LABEL:-$DEFAULT_LABEL}
# Never print a postgres password.
DATABASE_SHOWN=$(printf '%s' "$DATABASE" | sed -E 's#(postgres(ql)?://[^:/@]*):[^@]*@#\1:***@#')
log "[$LABEL] database: $DATABASE_SHOWN"

# free_port and json_field.
# shellcheck source=lib/script-helpers.sh
source "$ROOT/scripts/lib/script-helpers.sh"

log "[$LABEL] gridlink migrate"
"$GRIDLINK_BIN" migrate --database "$DATABASE" || die "gridlink migrate failed"

log "[$LABEL] gridlink clients create"
CLIENT_NAME="schemathesis-$(date +%s)-$$"
CLIENT_JSON=$("$GRIDLINK_BIN" clients create --name "$CLIENT_NAME" --environment sandbox --json --database "$DATABASE") ||
    die "gridlink clients create failed"
CLIENT_ID=$(json_field clientId <<<"$CLIENT_JSON") || die "unexpected 'clients create --json' output: $CLIENT_JSON"
CLIENT_SECRET=$(json_field clientSecret <<<"$CLIENT_JSON") || die "unexpected 'clients create --json' output (no clientSecret)"

PORT=$(free_port)
BASE_URL="http://127.0.0.1:$PORT"
SERVER_LOG=$WORKDIR/server.log
log "[$LABEL] starting gridlink serve on $BASE_URL (log: $SERVER_LOG)"
"$GRIDLINK_BIN" serve --host 127.0.0.1 --port "$PORT" --database "$DATABASE" >"$SERVER_LOG" 2>&1 &
SERVER_PID=$!
log "[$LABEL] gridlink serve PID $SERVER_PID"

dump_server_log() {
    log "----- gridlink serve log ($SERVER_LOG) -----"
    cat "$SERVER_LOG" >&2 || true
    log "----- end of server log -----"
}

deadline=$((SECONDS + READY_TIMEOUT))
ready=0
while ((SECONDS < deadline)); do
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
        wait "$SERVER_PID" && status=0 || status=$?
        SERVER_PID=""
        dump_server_log
        die "gridlink serve exited (status $status) before becoming ready"
    fi
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$BASE_URL/health/ready" || true)
    if [[ "$code" == 204 ]]; then
        ready=1
        break
    fi
    sleep 0.5
done
if ((ready != 1)); then
    dump_server_log
    die "GET $BASE_URL/health/ready did not return 204 within ${READY_TIMEOUT}s (last status: ${code:-none})"
fi
log "[$LABEL] server ready"

TOKEN_JSON=$(curl -sS --max-time 10 -u "$CLIENT_ID:$CLIENT_SECRET" -d grant_type=client_credentials "$BASE_URL/oauth2/token") || {
    dump_server_log
    die "POST /oauth2/token failed"
}
TOKEN=$(json_field access_token <<<"$TOKEN_JSON") || {
    dump_server_log
    die "POST /oauth2/token returned no access_token: $TOKEN_JSON"
}

# The document must be reachable (and JSON) before schemathesis gets it.
curl -sS --fail --max-time 10 -o "$WORKDIR/openapi.json" "$BASE_URL/openapi.json" || {
    dump_server_log
    die "GET /openapi.json failed"
}
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print("openapi", d.get("openapi"), "-", len(d.get("paths") or {}), "paths")' \
    "$WORKDIR/openapi.json" >&2 || die "/openapi.json is not valid JSON"

mkdir -p "$REPORT_DIR"
JUNIT=$REPORT_DIR/schemathesis-$LABEL.xml

ST_ARGS=(
    run "$BASE_URL/openapi.json"
    # Requests go to this server whatever `servers` the document lists; its base path, if any, is kept.
    --origin "$BASE_URL"
    --checks "$CHECKS"
    --header "Authorization: Bearer $TOKEN"
    --max-examples "$MAX_EXAMPLES"
    --mode "$MODE"
    --workers "$WORKERS"
    --request-timeout 10
    --generation-database none
    --report junit --report-junit-path "$JUNIT"
    # GET /sandbox/events is an endless Server-Sent Events stream (it answers until the client leaves), so a request
    # to it never completes; it is exercised end to end by `gridlink sandbox listen` (ListenEndToEndTests).
    --exclude-operation-id streamSandboxEvents
)
if [[ -n "${SCHEMATHESIS_SEED:-}" ]]; then
    ST_ARGS+=(--seed "$SCHEMATHESIS_SEED")
fi
if [[ -n "${SCHEMATHESIS_EXTRA_ARGS:-}" ]]; then
    # shellcheck disable=SC2206  # intentional word splitting
    ST_ARGS+=($SCHEMATHESIS_EXTRA_ARGS)
fi

ST_GLOBAL=(--no-color)
# A project-level config, if one is ever added, still applies although we run from $WORKDIR.
if [[ -f "$ROOT/schemathesis.toml" ]]; then
    ST_GLOBAL+=(--config-file "$ROOT/schemathesis.toml")
fi

log "[$LABEL] schemathesis $("$SCHEMATHESIS_BIN" --version 2>/dev/null | awk '{print $NF}'): checks=$CHECKS max-examples=$MAX_EXAMPLES mode=$MODE"
st_status=0
# Run from the temp dir: schemathesis writes its crash cache to ./.schemathesis/, which must not land in the repo.
(cd "$WORKDIR" && NO_COLOR=1 "$SCHEMATHESIS_BIN" "${ST_GLOBAL[@]}" "${ST_ARGS[@]}") || st_status=$?

if ((st_status != 0)); then
    log "[$LABEL] schemathesis FAILED (exit $st_status); JUnit report: $JUNIT"
    log "[$LABEL] last 40 lines of the server log:"
    tail -n 40 "$SERVER_LOG" >&2 || true
    exit "$st_status"
fi
if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    dump_server_log
    die "gridlink serve died during the run"
fi
log "[$LABEL] schemathesis passed; JUnit report: $JUNIT"
