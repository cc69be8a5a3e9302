#!/usr/bin/env bash
# Builds the libFuzzer targets with clang-14 in build-fuzz and runs each for SECONDS seconds
# (default: about a minute in all) from its seed corpus in tests/fuzz/corpus/<target>/.
# New inputs go to build-fuzz/corpus/<target>/ (the checked-in seeds stay untouched); a crash
# leaves build-fuzz/artifacts/<target>/crash-* and fails the script.
#
#   tests/fuzz/run.sh                       # CI: every target, ~6 s each
#   SECONDS_PER_TARGET=600 tests/fuzz/run.sh fuzz_telegram fuzz_whatsapp   # a long run
#   PARALLEL=2 SECONDS_PER_TARGET=600 tests/fuzz/run.sh                    # two at a time
# FUZZ_TIMEOUT (seconds, default 20) is wall-clock: raise it on a busy machine, where a starved
# process would otherwise report a false timeout.
# Needs: apt-get install clang-14 libclang-rt-14-dev
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
build=${FUZZ_BUILD_DIR:-build-fuzz}
seconds=${SECONDS_PER_TARGET:-6}
parallel=${PARALLEL:-1}
all=(fuzz_telegram fuzz_whatsapp fuzz_signature fuzz_http_parser fuzz_server fuzz_classifier
     fuzz_entities fuzz_config fuzz_locale)
targets=("$@")
[[ ${#targets[@]} -gt 0 ]] || targets=("${all[@]}")

if [[ ${FUZZ_CONFIGURE:-1} == 1 ]]; then
    command -v clang++-14 >/dev/null || { echo "clang-14 is missing: apt-get install clang-14 libclang-rt-14-dev" >&2; exit 2; }
    # -O1 -gline-tables-only (as OSS-Fuzz builds): compiles quicker than -O2 -g1, still fuzzes
    # fast, and keeps file:line in the reports. The Debug type keeps assert() live. Configured
    # on every run so that an existing build dir picks up these flags too. FUZZ_CXX_FLAGS
    # overrides. FUZZ_CONFIGURE=0 uses $build as it is (deploy/test-sanitizers.sh made it).
    cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Debug \
          -DCMAKE_CXX_FLAGS_DEBUG="${FUZZ_CXX_FLAGS:--O1 -gline-tables-only}" -DOPAS_FUZZ=ON \
          -DOPAS_TESTS=OFF -DCMAKE_CXX_COMPILER=clang++-14 >/dev/null
fi
start=$SECONDS
cmake --build "$build" --target "${targets[@]}" -j"${JOBS:-$(nproc)}"
echo "fuzz build: $((SECONDS - start)) s" >&2

export ASAN_OPTIONS="detect_leaks=1:allocator_may_return_null=1"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
fail=0
run_one() {
    local t=$1
    local corpus=$build/corpus/$t artifacts=$build/artifacts/$t
    mkdir -p "$corpus" "$artifacts"
    local dict=()
    [[ -f tests/fuzz/$t.dict ]] && dict=(-dict="tests/fuzz/$t.dict")
    if "$build/fuzz/$t" "$corpus" "tests/fuzz/corpus/$t" -max_total_time="$seconds" \
        -max_len=65536 -timeout="${FUZZ_TIMEOUT:-20}" -rss_limit_mb=4096 -print_final_stats=1 "${dict[@]}" \
        -artifact_prefix="$artifacts/" >"$build/$t.log" 2>&1; then
        echo "$t: ok $(grep -E '^stat::number_of_executed_units' "$build/$t.log" | awk '{print $2}') runs," \
             "$(grep -oE 'cov: [0-9]+ ft: [0-9]+' "$build/$t.log" | tail -1)," \
             "corpus $(find "$corpus" -type f | wc -l) files"
    else
        echo "$t: FAILED (see $build/$t.log and $artifacts/)" >&2
        grep -E 'ERROR|SUMMARY|runtime error|deadly signal' "$build/$t.log" | head -5 >&2
        return 1
    fi
}
pids=()
names=()
for t in "${targets[@]}"; do
    run_one "$t" &
    pids+=($!)
    names+=("$t")
    if [[ ${#pids[@]} -ge $parallel ]]; then
        wait "${pids[0]}" || fail=1
        pids=("${pids[@]:1}")
    fi
done
for p in "${pids[@]}"; do wait "$p" || fail=1; done
exit "$fail"
