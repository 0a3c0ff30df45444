#!/usr/bin/env bash
# Throwaway PostgreSQL cluster for CI and local test runs.
#
# Usage:
#   scripts/ci-postgres.sh start [DIR]   start a cluster in DIR (default $CI_PG_DIR or /tmp/gridlink-ci-pg);
#                                        prints `export NAME=VALUE` lines on stdout (logs go to stderr), e.g.
#                                          pg_env=$(scripts/ci-postgres.sh start) && eval "$pg_env"
#   scripts/ci-postgres.sh stop  [DIR]   stop the cluster in DIR (pg_ctl stop, then its recorded PID) and delete DIR
#   scripts/ci-postgres.sh status [DIR]  pg_isready against the cluster in DIR
#   source scripts/ci-postgres.sh        defines ci_pg_start / ci_pg_stop / ci_pg_status (nothing is run)
#
# The cluster:
#   - is created with initdb from /usr/lib/postgresql/<ver>/bin (15 preferred), owned by the `postgres`
#     OS user when run as root (via runuser), or by the current user otherwise;
#   - listens ONLY on 127.0.0.1, on the first free port from $CI_PG_PORT (default 54329);
#     its Unix socket lives inside DIR, so it never touches /var/run/postgresql or a system cluster;
#   - has the password-authenticated role gridlink/gridlink (scram-sha-256) owning databases
#     gridlink_test (Swift store tests) and gridlink_schemathesis (schemathesis run).
#
# Exported by `start`:
#   GRIDLINK_TEST_POSTGRES_URL             postgres://gridlink:gridlink@127.0.0.1:PORT/gridlink_test?sslmode=disable
#   GRIDLINK_SCHEMATHESIS_POSTGRES_URL     same, database gridlink_schemathesis
#   CI_PG_DIR, CI_PG_PORT, CI_PG_PID       where it lives, its port, its postmaster PID
#
# DIR holds: data/ (PGDATA), sock/ (socket dir), postgres.log, postmaster.pid.ci (PID), port,
# and the marker .gridlink-ci-pg; `stop` deletes only directories carrying that marker.

ci_pg__log() { printf '[ci-postgres] %s\n' "$*" >&2; }

ci_pg__bindir() {
    if [[ -n "${CI_PG_BINDIR:-}" ]]; then
        printf '%s\n' "$CI_PG_BINDIR"
        return 0
    fi
    if [[ -x /usr/lib/postgresql/15/bin/initdb ]]; then
        printf '%s\n' /usr/lib/postgresql/15/bin
        return 0
    fi
    local d
    d=$(find /usr/lib/postgresql -mindepth 1 -maxdepth 1 -type d 2>/dev/null | sort -V | tail -n 1)
    if [[ -n "$d" && -x "$d/bin/initdb" ]]; then
        printf '%s\n' "$d/bin"
        return 0
    fi
    ci_pg__log "no PostgreSQL server binaries under /usr/lib/postgresql (apt-get install postgresql)"
    return 1
}

# Run a command as the cluster's OS user: `postgres` when we are root, ourselves otherwise.
ci_pg__as_owner() {
    if [[ "$(id -u)" -eq 0 ]]; then
        (cd / && runuser -u postgres -- "$@")
    else
        (cd / && "$@")
    fi
}

ci_pg__port_free() {
    # Free = nothing accepts a connection on 127.0.0.1:PORT and we can bind it (with SO_REUSEADDR).
    local port=$1
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
        return 1
    fi
    if command -v python3 >/dev/null 2>&1; then
        python3 - "$port" <<'PY' 2>/dev/null
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as postgres does: TIME_WAIT leftovers are fine
try:
    s.bind(("127.0.0.1", int(sys.argv[1])))
except OSError:
    sys.exit(1)
finally:
    s.close()
PY
        return $?
    fi
    return 0
}

# True while PID exists and is not a zombie.
ci_pg__alive() {
    local pid=$1 state
    kill -0 "$pid" 2>/dev/null || return 1
    state=$(awk '/^State:/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)
    [[ "$state" != Z ]]
}

ci_pg_stop() {
    local dir=${1:-${CI_PG_DIR:-/tmp/gridlink-ci-pg}}
    [[ -d "$dir" ]] || return 0
    if [[ ! -e "$dir/.gridlink-ci-pg" ]]; then
        ci_pg__log "refusing to touch $dir: not a ci-postgres directory (no .gridlink-ci-pg marker)"
        return 1
    fi
    local bindir pid=""
    bindir=$(ci_pg__bindir 2>/dev/null || true)
    [[ -f "$dir/postmaster.pid.ci" ]] && pid=$(head -n 1 "$dir/postmaster.pid.ci" 2>/dev/null || true)
    if [[ -z "$pid" && -f "$dir/data/postmaster.pid" ]]; then
        pid=$(head -n 1 "$dir/data/postmaster.pid" 2>/dev/null || true)
    fi
    if [[ -n "$bindir" && -f "$dir/data/postmaster.pid" ]]; then
        ci_pg__log "stopping cluster in $dir (pg_ctl stop -m fast)"
        ci_pg__as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w -t 30 stop >&2 || true
    fi
    # Fall back to the recorded PID if pg_ctl did not manage (or was not available).
    # (pg_ctl returns once postmaster.pid is gone, a moment before the process has exited.)
    local i
    if [[ "$pid" =~ ^[0-9]+$ ]]; then
        for ((i = 0; i < 25; i++)); do
            ci_pg__alive "$pid" || break
            sleep 0.2
        done
    fi
    if [[ "$pid" =~ ^[0-9]+$ ]] && ci_pg__alive "$pid"; then
        ci_pg__log "postmaster $pid still running; sending SIGTERM"
        kill -TERM "$pid" 2>/dev/null || true
        for ((i = 0; i < 50; i++)); do
            ci_pg__alive "$pid" || break
            sleep 0.2
        done
        if ci_pg__alive "$pid"; then
            ci_pg__log "postmaster $pid ignored SIGTERM; sending SIGKILL"
            kill -KILL "$pid" 2>/dev/null || true
        fi
    fi
    rm -rf -- "$dir"
    ci_pg__log "removed $dir"
}

ci_pg_status() {
    local dir=${1:-${CI_PG_DIR:-/tmp/gridlink-ci-pg}}
    local bindir port
    bindir=$(ci_pg__bindir) || return 1
    port=$(cat "$dir/port" 2>/dev/null) || { ci_pg__log "no cluster in $dir"; return 1; }
    "$bindir/pg_isready" -h 127.0.0.1 -p "$port" -t 5
}

ci_pg_start() {
    local dir=${1:-${CI_PG_DIR:-/tmp/gridlink-ci-pg}}
    local port=${CI_PG_PORT:-54329}
    local user=gridlink password=gridlink
    local bindir owner

    bindir=$(ci_pg__bindir) || return 1
    if [[ "$(id -u)" -eq 0 ]]; then
        owner=postgres
        if ! id -u postgres >/dev/null 2>&1; then
            ci_pg__log "OS user 'postgres' does not exist (apt-get install postgresql)"
            return 1
        fi
        command -v runuser >/dev/null 2>&1 || { ci_pg__log "runuser not found"; return 1; }
    else
        owner=$(id -un)
    fi

    # Idempotent: a leftover cluster of ours in the same directory is stopped and wiped first.
    if [[ -e "$dir" ]]; then
        if [[ -e "$dir/.gridlink-ci-pg" ]]; then
            ci_pg__log "found a leftover cluster directory $dir; stopping and removing it"
            ci_pg_stop "$dir" || return 1
        elif [[ -d "$dir" && -z "$(ls -A "$dir")" ]]; then
            : # empty directory (e.g. from mktemp -d): use it
        else
            ci_pg__log "$dir exists and is not a ci-postgres directory; choose another CI_PG_DIR"
            return 1
        fi
    fi

    local tries=0
    while ! ci_pg__port_free "$port"; do
        ci_pg__log "port $port on 127.0.0.1 is busy; trying $((port + 1))"
        port=$((port + 1))
        tries=$((tries + 1))
        if ((tries > 50)); then
            ci_pg__log "no free port found"
            return 1
        fi
    done

    mkdir -p -- "$dir"
    : >"$dir/.gridlink-ci-pg"
    mkdir -p -- "$dir/data" "$dir/sock"
    chmod 700 "$dir/data" "$dir/sock"
    if [[ "$owner" == postgres ]]; then
        chown postgres:postgres "$dir" "$dir/data" "$dir/sock"
    fi
    printf '%s\n' "$port" >"$dir/port"

    # From here on the directory is ours; if anything fails, `start` (script mode) stops and removes it.
    CI_PG__STARTED_DIR=$dir

    ci_pg__log "initdb ($bindir) in $dir/data as OS user $owner"
    ci_pg__as_owner "$bindir/initdb" -D "$dir/data" -U postgres -E UTF8 --locale=C \
        --auth-local=trust --auth-host=scram-sha-256 >"$dir/initdb.log" 2>&1 || {
        cat "$dir/initdb.log" >&2
        return 1
    }

    # Throwaway cluster: durability off for speed; only loopback TCP + a private socket dir.
    cat >>"$dir/data/postgresql.conf" <<EOF

# --- gridlink ci-postgres ---
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir/sock'
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
password_encryption = 'scram-sha-256'
log_min_messages = warning
EOF
    # Unix socket: trust, but the socket directory is mode 700 (only the cluster owner and root get in);
    # TCP: 127.0.0.1 only, with a password.
    cat >"$dir/data/pg_hba.conf" <<'EOF'
# TYPE  DATABASE  USER  ADDRESS        METHOD
local   all       all                  trust
host    all       all   127.0.0.1/32   scram-sha-256
EOF
    if [[ "$owner" == postgres ]]; then
        chown postgres:postgres "$dir/data/postgresql.conf" "$dir/data/pg_hba.conf"
    fi
    touch "$dir/postgres.log"
    if [[ "$owner" == postgres ]]; then
        chown postgres:postgres "$dir/postgres.log"
    fi

    ci_pg__log "starting postgres on 127.0.0.1:$port"
    ci_pg__as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 start >&2 || return 1

    local pid
    pid=$(head -n 1 "$dir/data/postmaster.pid")
    printf '%s\n' "$pid" >"$dir/postmaster.pid.ci"
    ci_pg__log "postmaster PID $pid (recorded in $dir/postmaster.pid.ci)"

    local i
    for ((i = 0; i < 60; i++)); do
        "$bindir/pg_isready" -q -h 127.0.0.1 -p "$port" -t 2 && break
        sleep 0.5
    done
    "$bindir/pg_isready" -h 127.0.0.1 -p "$port" -t 5 >&2 || return 1

    local -a psql_admin=("$bindir/psql" -X -q -v ON_ERROR_STOP=1 -h "$dir/sock" -p "$port" -U postgres -d postgres)
    ci_pg__as_owner "${psql_admin[@]}" >&2 <<SQL || return 1
CREATE ROLE $user LOGIN PASSWORD '$password';
CREATE DATABASE gridlink_test OWNER $user;
CREATE DATABASE gridlink_schemathesis OWNER $user;
SQL

    local base="postgres://$user:$password@127.0.0.1:$port"
    local test_url="$base/gridlink_test?sslmode=disable"
    local st_url="$base/gridlink_schemathesis?sslmode=disable"

    # Check the URL the tests will use really works (password auth over TCP).
    PGCONNECT_TIMEOUT=5 "$bindir/psql" -X -q -v ON_ERROR_STOP=1 -At "$test_url" -c 'select 1' >/dev/null || return 1
    CI_PG__OK=1

    ci_pg__log "ready: $test_url"
    printf 'export CI_PG_DIR=%q\n' "$dir"
    printf 'export CI_PG_PORT=%q\n' "$port"
    printf 'export CI_PG_PID=%q\n' "$pid"
    printf 'export GRIDLINK_TEST_POSTGRES_URL=%q\n' "$test_url"
    printf 'export GRIDLINK_SCHEMATHESIS_POSTGRES_URL=%q\n' "$st_url"
}

ci_pg__cleanup_failed_start() {
    if [[ "${CI_PG__OK:-0}" -ne 1 && -n "${CI_PG__STARTED_DIR:-}" ]]; then
        ci_pg__log "start failed; cleaning up $CI_PG__STARTED_DIR"
        if [[ -f "$CI_PG__STARTED_DIR/postgres.log" ]]; then
            tail -n 50 "$CI_PG__STARTED_DIR/postgres.log" >&2 || true
        fi
        ci_pg_stop "$CI_PG__STARTED_DIR" || true
    fi
}

ci_pg__main() {
    set -euo pipefail
    local cmd=${1:-}
    shift || true
    case "$cmd" in
        start)
            CI_PG__OK=0
            CI_PG__STARTED_DIR=
            trap ci_pg__cleanup_failed_start EXIT
            ci_pg_start "$@"
            ;;
        stop) ci_pg_stop "$@" ;;
        status) ci_pg_status "$@" ;;
        *)
            echo "usage: $0 start|stop|status [DIR]" >&2
            return 2
            ;;
    esac
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
    ci_pg__main "$@"
fi
