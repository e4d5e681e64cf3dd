#!/usr/bin/env bash
# Alder TLS benchmark driver: one echo server, the Alder image (tls_bench) and the plain mbedTLS client (tls_bench_host)
# against it in turn, medians, our overhead, a markdown table (recorded in docs/benchmarks.md with --record).
# It must never judge a speed: it fails only when the server or a program fails, or prints a malformed line.
set -euo pipefail
export LC_ALL=C

me=tls_bench.sh
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

usage() {
    cat >&2 <<EOF
usage: $me --echo-server PATH --certs DIR --alder PATH --host PATH [--tls-port N] [--plain-port N]
          [--rounds N] [--handshakes N] [--connects N] [--megabytes N] [--smoke] [--record FILE]
  defaults: ports 9010 and 9011, 5 rounds of 200 handshakes, 2000 connects and 32 MB each way per program
  --certs DIR     the test certificates (tools/certs/make_certs.sh makes them when missing); the programs must
                  embed this directory's ca.crt
  --smoke         1 round of 5 handshakes, 20 connects and 1 MB: checks the programs, records nothing
  --record FILE   write the table into FILE's section posix-tls (tools/bench/record_section.sh)
EOF
    exit 2
}

die() {
    echo "$me: $*" >&2
    exit 1
}

server=
certs=
alder=
host=
tls_port=9010
plain_port=9011
rounds=5
handshakes=200
connects=2000
megabytes=32
record=
# --smoke sets smaller defaults; an explicit option still wins, wherever it stands.
for arg in "$@"; do
    if [ "$arg" = --smoke ]; then
        rounds=1 handshakes=5 connects=20 megabytes=1
    fi
done
while [ $# -gt 0 ]; do
    case "$1" in
    --smoke) shift; continue ;;
    --echo-server) server=${2:-} ;;
    --certs) certs=${2:-} ;;
    --alder) alder=${2:-} ;;
    --host) host=${2:-} ;;
    --tls-port) tls_port=${2:-} ;;
    --plain-port) plain_port=${2:-} ;;
    --rounds) rounds=${2:-} ;;
    --handshakes) handshakes=${2:-} ;;
    --connects) connects=${2:-} ;;
    --megabytes) megabytes=${2:-} ;;
    --record) record=${2:-} ;;
    *) echo "$me: unknown option $1" >&2; usage ;;
    esac
    [ $# -ge 2 ] || { echo "$me: $1 needs a value" >&2; usage; }
    shift 2
done
for name in server certs alder host; do
    [ -n "${!name}" ] || { echo "$me: --${name/server/echo-server} is required" >&2; usage; }
done
for name in tls_port plain_port rounds handshakes connects megabytes; do
    [[ "${!name}" =~ ^[1-9][0-9]{0,6}$ ]] || die "--${name/_/-} needs a positive number, not '${!name}'"
done
for program in "$server" "$alder" "$host"; do
    [ -x "$program" ] || die "$program is not an executable (build it first: make build)"
done

work="$(mktemp -d "${TMPDIR:-/tmp}/tls_bench.XXXXXX")"
server_pid=
cleanup() {
    if [ -n "$server_pid" ]; then
        kill -TERM "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- the echo server ---------------------------------------------------------------------------

start_server() {
    "$here/../certs/make_certs.sh" "$certs" >/dev/null
    "$server" --tls-port "$tls_port" --plain-port "$plain_port" --ca "$certs/ca.crt" --cert "$certs/server_ec.crt" \
        --key "$certs/server_ec.key" --any-client-cert --quiet </dev/null >"$work/server.out" 2>"$work/server.err" &
    server_pid=$!
    for _ in $(seq 100); do
        grep -q '^echo_server ready' "$work/server.out" && return 0
        if ! kill -0 "$server_pid" 2>/dev/null; then
            server_pid=
            cat "$work/server.err" >&2
            die "the echo server exited before it was ready (ports $tls_port/$plain_port in use?)"
        fi
        sleep 0.1
    done
    die "no ready line from the echo server within 10 s"
}

stop_server() {
    kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.err" >&2; die "the echo server died during the run"; }
    kill -TERM "$server_pid"
    local status=0
    wait "$server_pid" || status=$?
    server_pid=
    [ "$status" -eq 0 ] || { cat "$work/server.err" >&2; die "the echo server exited with status $status"; }
}

# ---- one run of one program, and its lines ------------------------------------------------------

# check_output IMPL FILE: every line well formed, each result present once with the counts asked for.
check_output() {
    local impl=$1 file=$2 bytes=$((megabytes * 1048576))
    awk -v impl="$impl" -v handshakes="$handshakes" -v connects="$connects" -v bytes="$bytes" '
        function bad(why) { printf "line %d: %s: %s\n", NR, why, $0; failed = 1 }
        $1 != "tls_bench" || $2 != "impl=" impl { bad("not a tls_bench line of " impl); next }
        $3 == "test=session" {
            if ($0 !~ /^tls_bench impl=[a-z]+ test=session version=TLSv1\.2 suite=[A-Z0-9-]+ mbedtls=[0-9.]+$/)
                bad("malformed session line")
            seen["session"]++; next
        }
        $3 == "test=heap" {
            if ($0 !~ /^tls_bench impl=[a-z]+ test=heap handshake_peak=[1-9][0-9]* session=[1-9][0-9]* session_peak=[1-9][0-9]*( socket_state=[1-9][0-9]*)?$/ ||
                (impl == "alder") != ($0 ~ / socket_state=/))
                bad("malformed heap line (socket_state is Alder'"'"'s alone)")
            seen["heap"]++; next
        }
        $3 == "test=port_stats" {
            if ($0 !~ /^tls_bench impl=alder test=port_stats row=[a-z]+\/[a-z]+ cpu_thread_s=[0-9]+\.[0-9]+ cpu_helpers_s=[0-9]+\.[0-9]+( [a-z_]+=[0-9]+)+$/)
                bad("malformed port_stats line")
            seen["port_stats"]++; next
        }
        {
            if ($0 !~ /^tls_bench impl=[a-z]+ test=(handshake|connect|throughput) transport=(tls|plain) (count|bytes)=[0-9]+ wall_s=[0-9]+\.[0-9]+ cpu_s=[0-9]+\.[0-9]+ rate=[0-9]+\.[0-9]+ unit=(per_s|MB_per_s)$/) {
                bad("malformed result line"); next
            }
            key = $3 "/" $4; seen[key]++
            want = key == "test=handshake/transport=tls" ? "count=" handshakes : \
                   key == "test=connect/transport=plain" ? "count=" connects : "bytes=" bytes
            if ($5 != want) bad("expected " want)
            if ($6 == "wall_s=0.000000") bad("no time passed")
        }
        END {
            split("session heap test=handshake/transport=tls test=throughput/transport=tls " \
                  "test=connect/transport=plain test=throughput/transport=plain", need, " ")
            for (i in need) if (seen[need[i]] != 1) { printf "%s: %d lines instead of 1\n", need[i], seen[need[i]]; failed = 1 }
            if (seen["port_stats"] != (impl == "alder" ? 4 : 0)) { printf "%d port_stats lines\n", seen["port_stats"]; failed = 1 }
            exit failed
        }' "$file" >"$work/check.txt" || { cat "$work/check.txt" >&2; die "$impl printed malformed output ($file)"; }
}

# run IMPL PROGRAM ROUND
run() {
    local impl=$1 program=$2 round=$3 status=0
    local out="$work/$impl.$round.out"
    "$program" --tls-port "$tls_port" --plain-port "$plain_port" --handshakes "$handshakes" --connects "$connects" \
        --megabytes "$megabytes" >"$out" 2>"$work/$impl.$round.err" || status=$?
    if [ "$status" -ne 0 ]; then
        cat "$work/$impl.$round.err" >&2
        die "$impl ($program) failed with status $status in round $round"
    fi
    check_output "$impl" "$out"
    echo "round $round: $impl done" >&2
}

# field IMPL ROUND TEST KEY [TRANSPORT]: one value from one run's output.
field() {
    awk -v t="test=$3" -v k="$4" -v r="${5:-}" '
        $3 == t && (r == "" || $4 == "transport=" r) { for (i = 4; i <= NF; i++) if (index($i, k "=") == 1) print substr($i, length(k) + 2) }' \
        "$work/$1.$2.out"
}

# values IMPL TEST KEY [TRANSPORT]: that value of every round, one per line.
values() {
    for round in $(seq "$rounds"); do field "$1" "$round" "$2" "$3" "${4:-}"; done
}

# stat_values ROW KEY: a value of Alder's port_stats line for ROW (e.g. handshake/tls), every round.
stat_values() {
    for round in $(seq "$rounds"); do
        awk -v row="row=$1" -v k="$2" '$3 == "test=port_stats" && $4 == row {
            for (i = 5; i <= NF; i++) if (index($i, k "=") == 1) print substr($i, length(k) + 2) }' "$work/alder.$round.out"
    done
}

median() {
    sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# ---- the run -----------------------------------------------------------------------------------

load_before=$(cut -d' ' -f1 /proc/loadavg)
start_server
for round in $(seq "$rounds"); do
    # Alternate who goes first, so that a machine warming up or slowing down favours neither.
    if [ $((round % 2)) -eq 1 ]; then
        run alder "$alder" "$round"
        run mbedtls "$host" "$round"
    else
        run mbedtls "$host" "$round"
        run alder "$alder" "$round"
    fi
done
stop_server
load_after=$(cut -d' ' -f1 /proc/loadavg)

for key in version suite mbedtls; do
    a=$(field alder 1 session "$key")
    m=$(field mbedtls 1 session "$key")
    [ "$a" = "$m" ] || die "the two clients negotiated differently: $key $a (Alder) against $m (mbedTLS)"
done
suite=$(field alder 1 session suite)
mbedtls_version=$(field alder 1 session mbedtls)

# row TEST TRANSPORT LABEL: one markdown row of rates, overheads and CPU per operation.
row() {
    local test=$1 transport=$2 label=$3 unit per
    local ours theirs ours_cpu theirs_cpu amount
    ours=$(values alder "$test" rate "$transport" | median)
    theirs=$(values mbedtls "$test" rate "$transport" | median)
    if [ "$test" = throughput ]; then
        unit="MB/s" per="per MB" amount=$megabytes
    else
        unit="/s" per="each" amount=$([ "$test" = handshake ] && echo "$handshakes" || echo "$connects")
    fi
    ours_cpu=$(values alder "$test" cpu_s "$transport" | median)
    theirs_cpu=$(values mbedtls "$test" cpu_s "$transport" | median)
    awk -v label="$label" -v unit="$unit" -v per="$per" -v n="$amount" -v a="$ours" -v m="$theirs" \
        -v ac="$ours_cpu" -v mc="$theirs_cpu" 'BEGIN {
        printf "| %s | %.1f %s | %.1f %s | %.1f %% | %.3f ms %s | %.3f ms %s | %.1f %% |\n", label, a, unit, m, unit,
               (m - a) / m * 100, ac / n * 1000, per, mc / n * 1000, per, (ac - mc) / mc * 100 }'
}

# heap_row KEY LABEL
heap_row() {
    local ours theirs
    ours=$(values alder heap "$1" | median)
    theirs=$(values mbedtls heap "$1" | median)
    awk -v label="$2" -v a="$ours" -v m="$theirs" \
        'BEGIN { printf "| %s | %d B | %d B | %+.1f %% | | | |\n", label, a, m, (a - m) / m * 100 }'
}

# split_row TEST TRANSPORT LABEL: where Alder's CPU time goes in one row, per operation (ms), medians.
split_row() {
    local test=$1 transport=$2 label=$3 amount per plain thread helpers ticks signals
    case "$test" in
    handshake) amount=$handshakes per="each" ;;
    connect) amount=$connects per="each" ;;
    *) amount=$megabytes per="per MB" ;;
    esac
    plain=$(values mbedtls "$test" cpu_s "$transport" | median)
    thread=$(stat_values "$test/$transport" cpu_thread_s | median)
    helpers=$(stat_values "$test/$transport" cpu_helpers_s | median)
    ticks=$(stat_values "$test/$transport" ticks | median)
    signals=$(stat_values "$test/$transport" signals | median)
    awk -v label="$label" -v per="$per" -v n="$amount" -v p="$plain" -v t="$thread" -v h="$helpers" -v k="$ticks" \
        -v s="$signals" 'BEGIN {
        printf "| %s | %.3f ms %s | %.3f ms (%+.1f %%) | %.3f ms (%.1f %%) | %.1f | %.1f |\n", label, p / n * 1000, per,
               t / n * 1000, (t - p) / p * 100, h / n * 1000, h / p * 100, k / n, s / n }'
}

per_round() {
    values "$1" "$2" rate "$3" | awk '{ printf "%s%.1f", (NR > 1 ? ", " : ""), $1 }'
}

cpu_model=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
command="tools/bench/tls_bench.sh --tls-port $tls_port --plain-port $plain_port --rounds $rounds --handshakes $handshakes --connects $connects --megabytes $megabytes"
{
    echo "## TLS through Secure Sockets on the posix simulator, against a plain mbedTLS client"
    echo
    echo "Written by \`make bench\` (libraries/tls/bench, \`$command\`), $(date -u +%Y-%m-%d)."
    echo "Machine: ${cpu_model:-unknown CPU}, $(nproc) CPUs (\`nproc\`). mbedTLS $mbedtls_version (Debian's shared"
    echo "library) in both clients and in the echo server. Session: TLS 1.2, $suite, EC P-256 server certificate"
    echo "(\`server_ec\`), SNI and certificate name \`localhost\`, the test CA as the only root; the server asks for a client"
    echo "certificate and gets none (\`--any-client-cert\`). Load average (1 min) $load_before before the run, $load_after after:"
    echo "the machine is shared, and a load near the CPU count makes every figure slower and noisier."
    echo
    echo "One echo server (tools/echo_server on 127.0.0.1, TLS port $tls_port, plain port $plain_port) serves both clients in"
    echo "turn, alternating which goes first, $rounds rounds; each figure is the median of the rounds. **Alder**: the"
    echo "\`tls_bench\` image, Secure Sockets with \`SOCKETS_SO_REQUIRE_TLS\` over libraries/tls on the posix simulator (one"
    echo "simulated CPU; the host kernel signals it when a socket it waits on has news). **plain mbedTLS**: \`tls_bench_host\`, a C11 program"
    echo "calling \`mbedtls_net_*\` and \`mbedtls_ssl_*\` directly with the same TLS settings, its root and configuration set"
    echo "up once. Echo: one thread writes 16 KB at a time while the echo comes back (Alder: a reader task; plain: one"
    echo "non-blocking thread); MB = 2^20 bytes of payload each way. Overhead: how much slower (rates) or bigger (heap)"
    echo "Alder is. CPU: the process's user + system time per operation, all its threads. Heap: the C library's bytes"
    echo "(mbedTLS's calloc), counted as"
    echo "libraries/tls/test/tls_test_heap.c does; Alder's include the root certificate it parses at every connect."
    echo
    echo "| What | Alder | plain mbedTLS | overhead | Alder CPU | plain mbedTLS CPU | CPU overhead |"
    echo "|---|---|---|---|---|---|---|"
    row handshake tls "TLS handshakes: connect + handshake + close, $handshakes in a row"
    row throughput tls "TLS echo: $megabytes MB through one connection, 16 KB writes"
    row connect plain "plain TCP: connect + close, $connects in a row"
    row throughput plain "plain TCP echo: $megabytes MB through one connection, 16 KB writes"
    heap_row handshake_peak "heap: peak during one handshake"
    heap_row session "heap: an established session"
    heap_row session_peak "heap: peak while the session echoes 1 MB"
    echo "| kernel heap: an open TLS socket's Secure Sockets state | $(values alder heap socket_state | median) B | - | | | | |"
    echo
    echo "Where Alder's CPU time goes, per operation (medians). The simulated CPU is one host thread: it runs the kernel,"
    echo "Secure Sockets, libraries/tls, mbedTLS and the simulated interrupts; its figure is set against the plain client's"
    echo "one thread. Helper threads: any other host thread of the process (the port itself has none; the sockets"
    echo "transport starts one only for a name lookup); their percentage is of the plain client's CPU. Ticks and signals"
    echo "(tick, socket and retry signals) come from \`posix_get_stats()\`."
    echo
    echo "| What | plain mbedTLS CPU | Alder: simulated CPU thread | Alder: helper threads | ticks | interrupt signals |"
    echo "|---|---|---|---|---|---|"
    split_row handshake tls "TLS handshake"
    split_row throughput tls "TLS echo"
    split_row connect plain "plain TCP connect + close"
    split_row throughput plain "plain TCP echo"
    echo
    echo "Per round: TLS handshakes/s Alder $(per_round alder handshake tls), plain mbedTLS $(per_round mbedtls handshake tls);"
    echo "TLS echo MB/s Alder $(per_round alder throughput tls), plain mbedTLS $(per_round mbedtls throughput tls)."
} >"$work/section.md"

cat "$work/section.md"
if [ -n "$record" ]; then
    "$here/record_section.sh" "$record" posix-tls <"$work/section.md"
    echo "$me: recorded in $record (section posix-tls)" >&2
fi
