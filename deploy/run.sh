#!/usr/bin/env bash
# Installs what is missing, builds opas, and starts it on the embedded defaults
# (SQLite file under var/, locales from locales/, config opas.json if present).
set -euo pipefail
cd "$(dirname "$0")/.."
bash deploy/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DOPAS_TESTS=OFF >/dev/null
cmake --build build -j"$(nproc)" --target opas
exec build/opas serve "$@"
