#!/usr/bin/env bash
# Validates deploy/Dockerfile and deploy/compose.yaml where no container engine runs (our CI):
#  1. lints the Dockerfile (deploy/dockerfile_check.py: hadolint's rules that matter here and
#     ours: Debian 12 base, multi-stage, non-root, healthcheck, no dev packages at run time),
#     after proving on a bad Dockerfile that the linter does find problems;
#  2. checks compose.yaml's structure (only the proxy is public, opas has a healthcheck);
#  3. EXECUTES the build stage's steps (install-deps.sh, cmake, build opas, locales check) as a
#     script on this machine, in a scratch directory that stands for the image's /, from a copy
#     of the build context made with deploy/Dockerfile.dockerignore;
#  4. assembles the runtime stage's files from its COPY lines and checks the file list (only
#     the binary, the locales and the config), that every library the binary needs comes from
#     a package the runtime stage installs (or the base image), and that no package is unused;
#  5. runs the assembled runtime as an unprivileged user with the image's ENTRYPOINT and CMD
#     and asks it with the image's own HEALTHCHECK command until it answers.
# Usage: deploy/check-container.sh [--binary FILE]   (--binary skips step 3, uses FILE)
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
dockerfile="$repo/deploy/Dockerfile"
check="$repo/deploy/dockerfile_check.py"
given_binary=""
if [ "${1:-}" = "--binary" ]; then given_binary="$(realpath "$2")"; fi

scratch="$(mktemp -d /tmp/opas-container-XXXXXX)"
server_pid=""
cleanup() {
    if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; fi
    rm -rf "$scratch"
}
trap cleanup EXIT
fail() { echo "check-container: FAIL: $*" >&2; exit 1; }
say() { echo "check-container: $*"; }

# A python3 that has PyYAML, if any (compose check); plain python3 otherwise.
py=python3
for candidate in python3 /usr/bin/python3; do
    if command -v "$candidate" >/dev/null && "$candidate" -c 'import yaml' 2>/dev/null; then
        py="$candidate"
        break
    fi
done

# --- 1. lint ---------------------------------------------------------------------------------
cat >"$scratch/bad.Dockerfile" <<'EOF'
FROM debian:latest
ENV OPAS_ADMIN_TOKEN=secret
RUN cd /src && apt-get install -y cmake
CMD opas serve
EOF
if "$py" "$check" lint "$scratch/bad.Dockerfile" >"$scratch/bad.txt"; then
    fail "the linter passed a bad Dockerfile"
fi
grep -q DL3006 "$scratch/bad.txt" && grep -q DL3002 "$scratch/bad.txt" ||
    fail "the linter missed known problems: $(cat "$scratch/bad.txt")"
"$py" "$check" lint "$dockerfile" || fail "deploy/Dockerfile has lint problems"
bash -n "$repo/deploy/install-deps.sh" "$repo/deploy/opas-backup.sh"

# --- 2. compose ------------------------------------------------------------------------------
"$py" - "$repo/deploy/compose.yaml" <<'EOF'
import sys
try:
    import yaml
except ImportError:
    text = open(sys.argv[1]).read()
    for needle in ("network_mode: \"service:opas\"", "healthcheck", "service_healthy"):
        assert needle in text, f"compose.yaml lacks {needle}"
    print("check-container: compose.yaml: text checks only (no PyYAML)")
    sys.exit(0)
c = yaml.safe_load(open(sys.argv[1]))
s = c["services"]
assert set(s) == {"opas", "proxy"}, f"services: {sorted(s)}"
o, p = s["opas"], s["proxy"]
assert o["build"]["dockerfile"] == "deploy/Dockerfile" and o["build"]["context"] == "..", "opas build"
assert p.get("network_mode") == "service:opas", "the proxy shares opas's network namespace"
assert p["depends_on"]["opas"]["condition"] == "service_healthy", "proxy waits for a healthy opas"
ports = [str(x) for x in o.get("ports", [])]
public = [x for x in ports if not x.startswith("127.0.0.1:")]
assert sorted(public) == ["443:443", "80:80"], f"only the proxy's 80/443 may be public: {ports}"
assert any(x.startswith("127.0.0.1:") and x.endswith(":8080") for x in ports), "admin via tunnel"
assert "ALL" in o.get("cap_drop", []) and o.get("read_only") is True, "opas hardening"
assert any("/var/lib/opas" in v for v in o["volumes"]), "state volume"
assert any(v.endswith("/etc/nginx/conf.d/default.conf:ro") for v in p["volumes"]), "nginx config"
print("check-container: compose.yaml: structure ok")
EOF

# --- 3. build stage --------------------------------------------------------------------------
root="$scratch/build-root"
if [ -z "$given_binary" ]; then
    mkdir -p "$scratch/context"
    "$py" "$check" context "$repo" "$scratch/context" "$repo/deploy/Dockerfile.dockerignore"
    [ ! -e "$scratch/context/.git" ] && [ ! -e "$scratch/context/build" ] ||
        fail "the build context holds .git or build/ (Dockerfile.dockerignore)"
    "$py" "$check" stage-script "$dockerfile" build "$root" "$scratch/context" >"$scratch/build.sh"
    say "executing the build stage's steps ($(grep -c '^echo' "$scratch/build.sh") steps)"
    # ccache (when present) may reuse objects between runs of this check.
    CCACHE_BASEDIR="$root/src" CCACHE_NOHASHDIR=true bash "$scratch/build.sh" >"$scratch/build.log" 2>&1 ||
        { tail -40 "$scratch/build.log"; fail "the build stage's steps failed"; }
    grep '^step' "$scratch/build.log" | sed 's/^/  /'
else
    say "skipping the build stage, using $given_binary"
    mkdir -p "$root/src/build"
    cp "$given_binary" "$root/src/build/opas"
    cp -a "$repo/locales" "$root/src/locales"
fi

# --- 4. runtime stage files ------------------------------------------------------------------
"$py" "$check" runtime "$dockerfile" >"$scratch/runtime.json"
rt="$scratch/runtime"
mkdir -p "$rt"
"$py" - "$scratch/runtime.json" "$root" "$repo" "$rt" <<'EOF'
import json, os, shutil, sys
info, build_root, context, rt = json.load(open(sys.argv[1])), sys.argv[2], sys.argv[3], sys.argv[4]
for c in info["copies"]:
    for src in c["src"]:
        origin = build_root + src if c["from"] else os.path.join(context, src)
        assert os.path.exists(origin), f"COPY source missing after the build stage: {src}"
        dest = rt + c["dest"]
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        (shutil.copytree if os.path.isdir(origin) else shutil.copy2)(origin, dest)
EOF
bin="$rt/usr/local/bin/opas"
[ -x "$bin" ] || fail "the runtime stage has no executable /usr/local/bin/opas"
unexpected="$(cd "$rt" && find . -type f | sed 's|^\./||' |
    grep -v -E '^(usr/local/bin/opas|etc/opas/opas\.json|usr/local/share/opas/locales/.+)$' || true)"
[ -z "$unexpected" ] || fail "unexpected files in the runtime stage: $unexpected"
say "runtime files: binary, config and $(find "$rt/usr/local/share/opas/locales" -type f | wc -l) locale files"
[ -f "$rt/usr/local/share/opas/locales/fi/messages.json" ] || fail "locales/fi missing in the image"

# Libraries: each NEEDED soname must come from a runtime package or the base image.
mapfile -t runtime_pkgs < <("$py" -c 'import json,sys; print("\n".join(json.load(open(sys.argv[1]))["packages"]))' "$scratch/runtime.json")
base_pkgs=(libc6 libstdc++6 libgcc-s1)
pkg_of() { dpkg -S "$(realpath "$1")" 2>/dev/null | head -1 | cut -d: -f1 ||
           dpkg -S "$1" 2>/dev/null | head -1 | cut -d: -f1; }
declare -A used=()
while read -r soname path; do
    [ -n "$path" ] || fail "library $soname not found by ldd"
    pkg="$(pkg_of "$path")"
    [ -n "$pkg" ] || fail "no Debian package owns $path"
    used[$pkg]=1
done < <(ldd "$bin" | awk '$2 == "=>" && $3 ~ /^\// {print $1, $3}')
for needed in $(readelf -d "$bin" | awk '/NEEDED/ {gsub(/[\[\]]/, "", $5); print $5}'); do
    path="$(ldd "$bin" | awk -v n="$needed" '$1 == n {print $3}')"
    pkg="$(pkg_of "$path")"
    ok=0
    for p in "${runtime_pkgs[@]}" "${base_pkgs[@]}"; do [ "$p" = "$pkg" ] && ok=1; done
    [ "$ok" = 1 ] || fail "opas needs $needed from $pkg, which the runtime stage does not install"
    say "  $needed <- $pkg"
done
for p in "${runtime_pkgs[@]}"; do
    [ "$p" = ca-certificates ] && continue
    [ -n "${used[$p]:-}" ] || fail "the runtime stage installs $p, which opas does not use"
done
say "libraries: every one comes from ${runtime_pkgs[*]} or the base image"

# --- 5. run it as the image would ------------------------------------------------------------
port="$("$py" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
mkdir -p "$rt/var/lib/opas"
"$py" - "$rt" "$port" <<'EOF'
import json, sys
rt, port = sys.argv[1], int(sys.argv[2])
path = rt + "/etc/opas/opas.json"
c = json.load(open(path))
c["database"] = rt + c["database"]
c["locales_dir"] = rt + c["locales_dir"]
c["listen"]["address"] = "127.0.0.1"
c["listen"]["port"] = port
json.dump(c, open(path, "w"))
EOF
mapfile -t entry < <("$py" -c '
import json, sys
i = json.load(open(sys.argv[1]))
for w in i["entrypoint"] + i["cmd"]:
    print(sys.argv[2] + w if w.startswith("/etc/") or w.startswith("/usr/") else w)' "$scratch/runtime.json" "$rt")
health="$("$py" -c 'import json,sys; print(json.load(open(sys.argv[1]))["healthcheck"][2])' "$scratch/runtime.json")"
health="${health//8080/$port}"
workdir="$rt$("$py" -c 'import json,sys; print(json.load(open(sys.argv[1]))["workdir"])' "$scratch/runtime.json")"
run_as=()
if [ "$(id -u)" = 0 ]; then
    chmod 755 "$scratch"
    chown -R nobody:nogroup "$rt/var/lib/opas"
    run_as=(setpriv --reuid=nobody --regid=nogroup --clear-groups --)
fi
(cd "$workdir" && exec "${run_as[@]}" "${entry[@]}") >"$scratch/serve.log" 2>&1 &
server_pid=$!
healthy=0
for _ in $(seq 1 60); do
    if bash -c "$health" 2>/dev/null; then healthy=1; break; fi
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.5
done
[ "$healthy" = 1 ] || { cat "$scratch/serve.log"; fail "the HEALTHCHECK never passed"; }
say "the runtime answered the image's HEALTHCHECK on /healthz (as $( [ ${#run_as[@]} -gt 0 ] && echo nobody || id -un))"
kill -TERM "$server_pid"
code=0
wait "$server_pid" || code=$?
server_pid=""
[ "$code" = 0 ] || { cat "$scratch/serve.log"; fail "opas exited $code on SIGTERM"; }
[ -f "$rt/var/lib/opas/opas.db" ] || fail "no database under /var/lib/opas"
built="build stage executed"
[ -z "$given_binary" ] || built="build stage skipped (--binary)"
say "ok: Dockerfile lint, compose structure, $built, runtime files and libraries, healthcheck"
