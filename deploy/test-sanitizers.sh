#!/usr/bin/env bash
# The whole suite once more with AddressSanitizer + UndefinedBehaviorSanitizer, then every
# libFuzzer target briefly, all from one build in build-sanitize (CI runs this after the
# normal suite). Fails on any failing test, any sanitizer report (also one written by an
# `opas serve` child of a loopback test: every report goes to build-sanitize/sanitizer-logs/,
# and a non-empty directory fails the run) and any fuzzer finding.
#
#   bash deploy/test-sanitizers.sh            # clang-14 when installed (with the fuzz targets)
#   SANITIZE_CXX=g++ bash deploy/test-sanitizers.sh   # gcc: the suite only, no fuzzing
#   SECONDS_PER_TARGET=30 bash deploy/test-sanitizers.sh
# Needs clang-14 and libclang-rt-14-dev for the fuzzers (bash deploy/install-deps.sh --fuzz).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${SANITIZE_BUILD_DIR:-build-sanitize}
jobs=${JOBS:-$(nproc)}
cxx=${SANITIZE_CXX:-}
if [[ -z $cxx ]]; then
    if command -v clang++-14 >/dev/null; then cxx=clang++-14; else cxx=g++; fi
fi
fuzz=OFF
# -O0 compiles the Beast code about twice as fast as -O1. intents/ is the exception (see its
# CMakeLists.txt): -O1 under the sanitizers for tests_intents and the fuzz targets, and an
# unsanitized -O2 copy for the rest, which only needs a trained classifier at every start.
# Line tables keep file:line in the reports.
flags="-O0 -g1"
if [[ $cxx == clang* ]]; then
    fuzz=ON
    flags="-O0 -gline-tables-only"
fi
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_COMPILER="$cxx" \
      -DCMAKE_CXX_FLAGS_DEBUG="${SANITIZE_CXX_FLAGS:-$flags}" -DOPAS_SANITIZE=ON \
      -DOPAS_FUZZ="$fuzz" -DOPAS_WERROR=OFF >/dev/null
start=$SECONDS
cmake --build "$build" -j"$jobs"
echo "sanitizer build ($cxx): $((SECONDS - start)) s" >&2

logs=$(pwd)/$build/sanitizer-logs
rm -rf "$logs"
mkdir -p "$logs"
status=0
start=$SECONDS
# deploy_container is left out: it checks that the runtime image installs every library the
# binary links, and a sanitized binary links libasan/libubsan, which no image ever ships.
ASAN_OPTIONS="halt_on_error=1:detect_leaks=1:abort_on_error=0:log_path=$logs/asan:${ASAN_EXTRA_OPTIONS:-}" \
UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:log_path=$logs/ubsan" \
    ctest --test-dir "$build" --output-on-failure -j"$jobs" -E '^deploy_container$' || status=$?
echo "sanitizer tests: $((SECONDS - start)) s" >&2
if compgen -G "$logs/*" >/dev/null; then
    echo "sanitizer reports:" >&2
    for f in "$logs"/*; do echo "== $f" >&2; head -60 "$f" >&2; done
    status=1
fi

if [[ $fuzz == ON ]]; then
    start=$SECONDS
    FUZZ_BUILD_DIR=$build FUZZ_CONFIGURE=0 SECONDS_PER_TARGET=${SECONDS_PER_TARGET:-6} \
        bash tests/fuzz/run.sh || status=1
    echo "fuzzing: $((SECONDS - start)) s" >&2
fi
exit "$status"
