#!/usr/bin/env bash
# Webhook benchmark (issue 2): `opas serve` against a fast fake Telegram API, loaded with wrk
# on POST /webhooks/telegram (distinct update ids, the secret header), at 2 and 64 connections,
# beside a bare Beast server answering 200 (the ceiling) on the same machine in the same run.
# Prints one line per run and a Markdown table of medians.
#
#   tests/bench/webhook_bench.sh                 # defaults below
#   BUILD_DIR=build-x RUNS=3 DURATION=10 CONNS="2 64" SYNC_MODES="false true" tests/bench/webhook_bench.sh
#
# SYNC_MODES: values of database_sync_full for opas (true = fsync every group commit, the default
# of a real deployment; false = WAL with synchronous=NORMAL). Each opas run starts on a fresh
# database in a temp dir. Needs wrk (apt-get install wrk) and sqlite3 (optional, for counts).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
build=${BUILD_DIR:-build}
runs=${RUNS:-3}
duration=${DURATION:-10}
conns=${CONNS:-2 64}
sync_modes=${SYNC_MODES:-false true}
threads=${THREADS:-2}          # io threads of opas and of the bare server
wrk_threads=${WRK_THREADS:-1}
users=${BENCH_USERS:-1000}
send_rate=${SEND_RATE:-10000}  # the sender's messages/s to the fake API (Telegram allows 30)
secret=bench-secret_1

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 2; }
if [[ ! -x $build/opas || ! -x $build/tests/bench/bench_bare_server || ${BENCH_BUILD:-1} == 1 ]]; then
    [[ -f $build/CMakeCache.txt ]] || cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
    cmake --build "$build" --target opas bench_bare_server -j"${JOBS:-1}" >/dev/null
fi
opas=${OPAS_BIN:-$root/$build/opas}
bare=${BARE_BIN:-$root/$build/tests/bench/bench_bare_server}

work=$(mktemp -d /tmp/opas-bench-XXXXXX)
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

# Starts a command with stdout to $2, waits for "listening on ...:PORT", prints the port.
start_and_wait() {
    local out=$1; shift
    "$@" >"$out" 2>"$out.err" &
    local pid=$!
    pids+=("$pid")
    for _ in $(seq 1 300); do
        if grep -q 'listening on' "$out" 2>/dev/null; then
            LAST_PID=$pid
            LAST_PORT=$(grep -o 'listening on http://127.0.0.1:[0-9]*\|listening on 127.0.0.1:[0-9]*' "$out" | head -1 | grep -o '[0-9]*$')
            return 0
        fi
        kill -0 "$pid" 2>/dev/null || { cat "$out.err" >&2; return 1; }
        sleep 0.1
    done
    echo "timed out waiting for $*" >&2
    return 1
}

stop_pid() {
    kill -TERM "$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
}

rss_kib() { awk '/VmHWM/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
# CPU seconds (user + system) a process has used so far.
cpu_s() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f", ($14 + $15) / hz}' "/proc/$1/stat" 2>/dev/null || echo 0; }

# The fast fake Telegram API that opas's senders deliver to.
start_and_wait "$work/api.out" "$bare" --api --threads 1
api_pid=$LAST_PID
api_port=$LAST_PORT

opas_config() {  # $1 dir, $2 sync
    cat <<EOF
{"listen": {"address": "127.0.0.1", "port": 0, "threads": $threads},
 "database": "$1/opas.db", "database_sync_full": $2,
 "locales_dir": "$root/locales", "log_level": "warn",
 "telegram": {"api_base": "http://127.0.0.1:$api_port", "bot_token": "123:BENCH",
              "secret_token": "$secret", "rate_per_second": $send_rate, "per_chat_interval_ms": 0}}
EOF
}

run_wrk() {  # $1 port, $2 connections, $3 id base -> RESULT line
    BENCH_SECRET=$secret BENCH_ID_BASE=$3 BENCH_USERS=$users \
        wrk -t"$wrk_threads" -c"$2" -d"${duration}s" --timeout 5s \
        -s "$root/tests/bench/telegram_updates.lua" "http://127.0.0.1:$1/webhooks/telegram" |
        grep '^RESULT'
}

results=$work/results.txt
: >"$results"
field() { sed -n "s/.* $1=\([0-9.]*\).*/\1/p" <<<"$2"; }

for run in $(seq 1 "$runs"); do
    for c in $conns; do
        start_and_wait "$work/bare.out" "$bare" --threads "$threads"
        cpu0=$(cpu_s "$LAST_PID")
        line=$(run_wrk "$LAST_PORT" "$c" 1)
        cpu=$(awk -v a="$cpu0" -v b="$(cpu_s "$LAST_PID")" 'BEGIN {printf "%.2f", b - a}')
        stop_pid "$LAST_PID"
        echo "bare c=$c run=$run $line cpu_s=$cpu" | tee -a "$results"
        for sync in $sync_modes; do
            dir=$work/opas-$run-$c-$sync
            mkdir -p "$dir"
            opas_config "$dir" "$sync" >"$dir/opas.json"
            start_and_wait "$dir/out" "$opas" serve --config "$dir/opas.json"
            pid=$LAST_PID
            cpu0=$(cpu_s "$pid")
            line=$(run_wrk "$LAST_PORT" "$c" $((run * 100000000)))
            cpu=$(awk -v a="$cpu0" -v b="$(cpu_s "$pid")" 'BEGIN {printf "%.2f", b - a}')
            rss=$(rss_kib "$pid")
            stop_pid "$pid"
            extra=""
            if command -v sqlite3 >/dev/null; then
                seen=$(sqlite3 "$dir/opas.db" 'SELECT count(*) FROM seen')
                sent=$(sqlite3 "$dir/opas.db" "SELECT count(*) FROM outbox WHERE state='sent'")
                rows=$(sqlite3 "$dir/opas.db" 'SELECT count(*) FROM outbox')
                extra=" seen=$seen outbox=$rows sent=$sent"
            fi
            echo "opas-sync-$sync c=$c run=$run $line cpu_s=$cpu rss_kib=$rss$extra" | tee -a "$results"
            rm -rf "$dir"
        done
    done
done
stop_pid "$api_pid"

median() { sort -n | awk '{a[NR]=$1} END {if (NR == 0) print 0; else print a[int((NR + 1) / 2)]}'; }
med_eff() {  # $1 label, $2 conns: median of accepted requests per CPU-second of the server
    grep "^$1 c=$2 " "$results" | while read -r l; do
        awk -v ok="$(field ok "$l")" -v cpu="$(field cpu_s "$l")" 'BEGIN {printf "%.0f\n", (cpu > 0 ? ok / cpu : 0)}'
    done | median
}
med() {  # $1 label, $2 conns, $3 field
    grep "^$1 c=$2 " "$results" | while read -r l; do field "$3" "$l"; done | median
}

echo
echo "Medians of $runs runs of ${duration} s, wrk -t$wrk_threads, $threads io threads, $(nproc) cores, $users people."
echo
echo "| server | connections | accepted updates/s | p50 ms | p99 ms | ratio to bare | requests per CPU-second | ratio (CPU) |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
for c in $conns; do
    bare_rps=$(med bare "$c" rps)
    bare_eff=$(med_eff bare "$c")
    for label in bare $(for s in $sync_modes; do echo "opas-sync-$s"; done); do
        rps=$(med "$label" "$c" rps)
        p50=$(med "$label" "$c" p50_us)
        p99=$(med "$label" "$c" p99_us)
        eff=$(med_eff "$label" "$c")
        name=$label
        [[ $label == opas-sync-true ]] && name="opas (database_sync_full=true)"
        [[ $label == opas-sync-false ]] && name="opas (database_sync_full=false)"
        [[ $label == bare ]] && name="bare Beast server"
        awk -v n="$name" -v c="$c" -v r="$rps" -v a="$p50" -v b="$p99" -v base="$bare_rps" \
            -v e="$eff" -v ebase="$bare_eff" \
            'BEGIN {printf "| %s | %d | %.0f | %.2f | %.2f | %.0f %% | %.0f | %.0f %% |\n", n, c, r, a / 1000, b / 1000, (base > 0 ? 100 * r / base : 0), e, (ebase > 0 ? 100 * e / ebase : 0)}'
    done
done
