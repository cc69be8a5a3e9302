#!/usr/bin/env bash
# Mixed-workload load benchmark (issue 6): `opas serve` with a fast fake Telegram API, loaded
# by wrk with tests/bench/mixed_updates.lua (texts in 13 languages, button presses, booking
# requests).
#   Part 1 (rates): fixed connections, increasing request rates, fresh database each time.
#   Part 2 (scale): the database pre-filled with N people, N bookings, N outbox rows (sent),
#   N seen update ids and N contact-log rows, N = 10^3 .. 10^6 (sqlite3 inserts), then the
#   same workload drawn from those N people at full speed.
# Reports throughput, p50/p99/p99.9 latency and peak RSS of opas.
#
#   tests/bench/load_bench.sh
#   RATES="100 500 1000 0" SIZES="1000 1000000" DURATION=10 CONNECTIONS=16 tests/bench/load_bench.sh
#   PARTS=rates tests/bench/load_bench.sh      # or PARTS=scale
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
build=${BUILD_DIR:-build}
duration=${DURATION:-10}
connections=${CONNECTIONS:-16}
rates=${RATES:-100 250 500 1000 2000 0}
sizes=${SIZES:-1000 10000 100000 1000000}
parts=${PARTS:-rates scale}
sync=${SYNC:-false}
threads=${THREADS:-2}
secret=bench-secret_1

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 2; }
command -v sqlite3 >/dev/null || { echo "sqlite3 is missing: apt-get install sqlite3" >&2; exit 2; }
if [[ ${BENCH_BUILD:-1} == 1 ]]; then
    [[ -f $build/CMakeCache.txt ]] || cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
    cmake --build "$build" --target opas bench_bare_server -j"${JOBS:-1}" >/dev/null
fi
opas=${OPAS_BIN:-$root/$build/opas}
bare=${BARE_BIN:-$root/$build/tests/bench/bench_bare_server}

work=$(mktemp -d /tmp/opas-load-XXXXXX)
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

start_and_wait() {  # $1 stdout file, then the command; sets LAST_PID, LAST_PORT
    local out=$1; shift
    "$@" >"$out" 2>"$out.err" &
    local pid=$!
    pids+=("$pid")
    for _ in $(seq 1 600); do
        if grep -q 'listening on' "$out" 2>/dev/null; then
            LAST_PID=$pid
            LAST_PORT=$(grep -o 'listening on [a-z:/]*127.0.0.1:[0-9]*' "$out" | head -1 | grep -o '[0-9]*$')
            return 0
        fi
        kill -0 "$pid" 2>/dev/null || { cat "$out.err" >&2; return 1; }
        sleep 0.1
    done
    echo "timed out waiting for $*" >&2
    return 1
}
stop_pid() { kill -TERM "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }
rss_mib() { awk '/VmHWM/ {printf "%.0f", $2 / 1024}' "/proc/$1/status" 2>/dev/null || echo 0; }

start_and_wait "$work/api.out" "$bare" --api --threads 1
api_pid=$LAST_PID
api_port=$LAST_PORT

write_config() {  # $1 dir
    cat >"$1/opas.json" <<EOF
{"listen": {"address": "127.0.0.1", "port": 0, "threads": $threads},
 "database": "$1/opas.db", "database_sync_full": $sync,
 "locales_dir": "$root/locales", "log_level": "warn",
 "telegram": {"api_base": "http://127.0.0.1:$api_port", "bot_token": "123:BENCH",
              "secret_token": "$secret", "rate_per_second": 10000, "per_chat_interval_ms": 0}}
EOF
}

prefill() {  # $1 db, $2 N. Recent activity (retention must not erase them), future bookings.
    local now
    now=$(date +%s)
    sqlite3 "$1" <<EOF
PRAGMA journal_mode = WAL;
PRAGMA synchronous = OFF;
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $2)
INSERT INTO people (id, channel, user_id, chat_id, pseudonym, language, state, created_at, last_inbound_at)
SELECT i, 'telegram', CAST(999999 + i AS TEXT), CAST(999999 + i AS TEXT), printf('prefill%012d', i),
       'fi', '', $now - 86400 * 30, $now - i % 86400 FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $2)
INSERT INTO outbox (person_id, channel, kind, payload, state, attempts, next_attempt_at, created_at, sent_at)
SELECT i, 'telegram', 'message', '{"text":"Hei! Olen Opas, monikulttuurikeskuksen neuvontabotti."}',
       'sent', 1, ($now - 86400) * 1000, ($now - 86400) * 1000 + i, ($now - 86400) * 1000 + i FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $2)
INSERT INTO bookings (person_id, pseudonym, slot_start, slot_minutes, topic, language, created_at)
SELECT i, printf('prefill%012d', i), $now + 7 * 86400 + i * 60, 30, 'guidance.housing', 'fi', $now - 86400 FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $2)
INSERT INTO seen (id, at) SELECT -i, $now - 86400 FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $2)
INSERT INTO contact_log (pseudonym, hour, channel, language, intent, outcome)
SELECT printf('prefill%012d', i), ($now - 86400) / 3600 * 3600, 'telegram', 'fi', 'guidance.housing', 'answered' FROM n;
COMMIT;
PRAGMA wal_checkpoint(TRUNCATE);
EOF
}

run_wrk() {  # $1 port, $2 rate, $3 users, $4 id base
    BENCH_SECRET=$secret BENCH_ID_BASE=$4 BENCH_USERS=$3 BENCH_RATE=$2 BENCH_CONNECTIONS=$connections \
        wrk -t1 -c"$connections" -d"${duration}s" --timeout 5s \
        -s "$root/tests/bench/mixed_updates.lua" "http://127.0.0.1:$1/webhooks/telegram" | grep '^RESULT'
}
field() { sed -n "s/.* $1=\([0-9.]*\).*/\1/p" <<<"$2"; }
row() {  # label, RESULT line, rss
    awk -v l="$1" -v r="$(field rps "$2")" -v a="$(field p50_us "$2")" -v b="$(field p99_us "$2")" \
        -v c="$(field p999_us "$2")" -v f="$(field status_errors "$2")" -v m="$3" \
        'BEGIN {printf "| %s | %.0f | %.2f | %.2f | %.2f | %d | %d |\n", l, r, a / 1000, b / 1000, c / 1000, f, m}'
}

echo "wrk -t1 -c$connections, ${duration} s per row, $threads io threads, database_sync_full=$sync, $(nproc) cores"
if [[ " $parts " == *" rates "* ]]; then
    echo
    echo "| offered rate (req/s) | accepted/s | p50 ms | p99 ms | p99.9 ms | non-2xx | peak RSS MiB |"
    echo "|---|---:|---:|---:|---:|---:|---:|"
    for rate in $rates; do
        dir=$work/rate-$rate
        mkdir -p "$dir"
        write_config "$dir"
        start_and_wait "$dir/out" "$opas" serve --config "$dir/opas.json"
        pid=$LAST_PID
        line=$(run_wrk "$LAST_PORT" "$rate" 1000 1)
        rss=$(rss_mib "$pid")
        stop_pid "$pid"
        row "$([[ $rate == 0 ]] && echo "max" || echo "$rate")" "$line" "$rss"
        rm -rf "$dir"
    done
fi
if [[ " $parts " == *" scale "* ]]; then
    echo
    echo "| people = bookings = outbox rows = N | accepted/s | p50 ms | p99 ms | p99.9 ms | non-2xx | peak RSS MiB | db MiB | prefill s |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
    for n in $sizes; do
        dir=$work/size-$n
        mkdir -p "$dir"
        write_config "$dir"
        "$opas" migrate --config "$dir/opas.json" >/dev/null
        t0=$(date +%s.%N)
        prefill "$dir/opas.db" "$n" >/dev/null
        t1=$(date +%s.%N)
        start_and_wait "$dir/out" "$opas" serve --config "$dir/opas.json"
        pid=$LAST_PID
        line=$(run_wrk "$LAST_PORT" 0 "$n" 1)
        rss=$(rss_mib "$pid")
        stop_pid "$pid"
        size=$(du -sm "$dir" | cut -f1)
        r=$(row "$n" "$line" "$rss")
        echo "${r%|}| $size | $(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.1f", b - a}') |"
        rm -rf "$dir"
    done
fi
stop_pid "$api_pid"
