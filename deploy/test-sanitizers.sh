#!/usr/bin/env bash
# Builds the whole suite once more with AddressSanitizer + UndefinedBehaviorSanitizer (gcc) in
# build-asan and runs it through CTest. Fails on any failing test and on any sanitizer report,
# also one written by a child process (the loopback tests run `opas serve` as a child): every
# report goes to build-asan/sanitizer-logs/ as well, and a non-empty directory fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${ASAN_BUILD_DIR:-build-asan}
jobs=${JOBS:-$(nproc)}
# -O1 -g1: cheaper to compile than the default -O2, still quick enough at run time for the
# loopback tests' deadlines; -g1 keeps file:line in the stack traces. The Debug build type
# keeps assert() live as well. SANITIZE_CXX_FLAGS overrides the flags.
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Debug \
      -DCMAKE_CXX_FLAGS_DEBUG="${SANITIZE_CXX_FLAGS:--O1 -g1}" -DOPAS_SANITIZE=ON \
      -DOPAS_WERROR="${OPAS_WERROR:-OFF}" >/dev/null
start=$SECONDS
cmake --build "$build" -j"$jobs"
echo "sanitizer build: $((SECONDS - start)) s" >&2
logs=$(pwd)/$build/sanitizer-logs
rm -rf "$logs"
mkdir -p "$logs"
export ASAN_OPTIONS="halt_on_error=1:detect_leaks=1:abort_on_error=0:log_path=$logs/asan:${ASAN_EXTRA_OPTIONS:-}"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:log_path=$logs/ubsan"
status=0
start=$SECONDS
# deploy_container is left out: it checks that the runtime image installs every library the
# binary links, and a sanitized binary links libasan/libubsan, which no image ever ships.
ctest --test-dir "$build" --output-on-failure -j"$jobs" -E '^deploy_container$' || status=$?
echo "sanitizer tests: $((SECONDS - start)) s" >&2
if compgen -G "$logs/*" >/dev/null; then
    echo "sanitizer reports:" >&2
    for f in "$logs"/*; do echo "== $f" >&2; head -60 "$f" >&2; done
    status=1
fi
exit "$status"
