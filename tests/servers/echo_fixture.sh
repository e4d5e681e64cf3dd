#!/usr/bin/env bash
# Alder tests: starts or stops the echo server (tools/echo_server) that the TCP and TLS groups talk to, for ctest
# fixtures. It must never leave a server behind: stop kills what start started, and start refuses a busy port.
#   echo_fixture.sh start STATE_DIR ECHO_SERVER MAKE_CERTS PLAIN_PORT TLS_PORT   (in the background)
#   echo_fixture.sh run   STATE_DIR ECHO_SERVER MAKE_CERTS PLAIN_PORT TLS_PORT   (in the foreground: the runner's)
#   echo_fixture.sh stop  STATE_DIR
set -euo pipefail

command=${1:?start or stop}
state=${2:?state directory}
pidfile="$state/echo_server.pid"

stop() {
    if [ -f "$pidfile" ]; then
        pid=$(cat "$pidfile")
        kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 50); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$pid" 2>/dev/null || true
        rm -f "$pidfile"
    fi
}

case "$command" in
run)
    mkdir -p "$state"
    "${4:?make_certs.sh path}" "$state/certs" >/dev/null
    exec "${3:?echo_server path}" --plain-port "${5:?plain port}" --tls-port "${6:?tls port}" \
        --ca "$state/certs/ca.crt" --cert "$state/certs/server_ec.crt" --key "$state/certs/server_ec.key"
    ;;
stop)
    stop
    ;;
start)
    server=${3:?echo_server path}
    make_certs=${4:?make_certs.sh path}
    plain=${5:?plain port}
    tls=${6:?tls port}
    mkdir -p "$state"
    stop # a server left by an interrupted run
    "$make_certs" "$state/certs" >/dev/null
    log="$state/echo_server.log"
    # setsid and no inherited descriptors: ctest waits for the setup's output to close.
    setsid "$server" --plain-port "$plain" --tls-port "$tls" --ca "$state/certs/ca.crt" \
        --cert "$state/certs/server_ec.crt" --key "$state/certs/server_ec.key" \
        </dev/null >"$log" 2>&1 &
    echo $! >"$pidfile"
    for _ in $(seq 100); do
        if grep -q '^echo_server ready' "$log"; then
            grep '^echo_server ready' "$log"
            exit 0
        fi
        if ! kill -0 "$(cat "$pidfile")" 2>/dev/null; then
            echo "echo_fixture: the echo server exited:" >&2
            cat "$log" >&2
            rm -f "$pidfile"
            exit 1
        fi
        sleep 0.1
    done
    echo "echo_fixture: no ready line from the echo server within 10 s:" >&2
    cat "$log" >&2
    stop
    exit 1
    ;;
*)
    echo "usage: echo_fixture.sh start|stop STATE_DIR ..." >&2
    exit 2
    ;;
esac
