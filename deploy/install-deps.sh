#!/usr/bin/env bash
# Installs what opas needs to build and test on Debian 12 (bookworm).
# Boost 1.81 replaces Debian's default 1.74 headers (see STYLE.md §1).
set -euo pipefail
pkgs=(build-essential cmake pkg-config git ca-certificates python3
      libboost1.81-dev nlohmann-json3-dev libicu-dev libsqlite3-dev sqlite3
      libspdlog-dev libfmt-dev catch2 libssl-dev libstemmer-dev curl
      chromium)
# Only for the checks of deploy/ (deploy/check-nginx.sh runs the real nginx, check-systemd.sh
# systemd-analyze). --build-only (the container's build stage): what building opas needs.
# --fuzz: also clang-14 and its libFuzzer runtime (tests/fuzz/run.sh).
if [ "${1:-}" = "--fuzz" ]; then
    pkgs+=(clang-14 libclang-rt-14-dev)
fi
if [ "${1:-}" = "--build-only" ]; then
    pkgs=(build-essential cmake pkg-config ca-certificates libboost1.81-dev nlohmann-json3-dev
          libicu-dev libsqlite3-dev libspdlog-dev libfmt-dev libssl-dev libstemmer-dev)
else
    pkgs+=(nginx-light systemd)
fi
missing=()
for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    sudo_cmd=""
    [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
    echo "opas: installing ${missing[*]}" >&2
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
