#!/usr/bin/env bash
# Checks the systemd units and the nightly backup script:
#  1. every hardening directive the deployment relies on is in deploy/opas.service;
#  2. `systemd-analyze verify` accepts opas.service, opas-backup.service and opas-backup.timer
#     with no warning at all (unknown keys, bad values, missing executables);
#  3. `systemd-analyze security --offline` rates opas.service's exposure at 2.0 or below;
#  4. deploy/opas-backup.sh makes a restorable backup with the real binary and keeps only the
#     newest OPAS_BACKUP_KEEP.
# No systemd runs as PID 1 here, so the sandbox itself is not started (README, "Deployment").
# Usage: deploy/check-systemd.sh [OPAS_BINARY]   (default build/opas)
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
opas="$(realpath "${1:-$repo/build/opas}")"
command -v systemd-analyze >/dev/null || { echo "check-systemd: systemd-analyze is missing (apt-get install systemd)" >&2; exit 1; }
tmp="$(mktemp -d /tmp/opas-systemd-XXXXXX)"
trap 'rm -rf "$tmp"' EXIT
fail() { echo "check-systemd: FAIL: $*" >&2; exit 1; }
unit="$repo/deploy/opas.service"

# 1. The directives.
for line in "User=opas" "ProtectSystem=strict" "ReadWritePaths=/var/lib/opas" "PrivateTmp=true" \
    "NoNewPrivileges=true" "ProtectHome=true" "CapabilityBoundingSet=" \
    "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX" "SystemCallFilter=@system-service" \
    "EnvironmentFile=/etc/opas/secrets.env" \
    "ExecStart=/usr/local/bin/opas serve --config /etc/opas/opas.json" \
    "WorkingDirectory=/usr/local/share/opas" "Restart=on-failure"; do
    grep -qxF "$line" "$unit" || fail "opas.service lacks '$line'"
done
echo "check-systemd: opas.service has every required hardening directive"

# 2. verify: the binary paths point at the real binary so that verify can check them.
for f in opas.service opas-backup.service opas-backup.timer; do
    sed -e "s|/usr/local/bin/opas|$opas|g" -e "s|/usr/local/lib/opas/opas-backup.sh|$repo/deploy/opas-backup.sh|" \
        "$repo/deploy/$f" >"$tmp/$f"
done
(cd "$tmp" && systemd-analyze verify opas.service opas-backup.service opas-backup.timer) >"$tmp/verify.log" 2>&1 ||
    { cat "$tmp/verify.log"; fail "systemd-analyze verify failed"; }
# Lines about the host's own units (not ours) are not our business.
if grep -E "opas" "$tmp/verify.log"; then fail "systemd-analyze verify warns about our units"; fi
echo "check-systemd: systemd-analyze verify accepts the units without warnings"

# 3. Exposure.
systemd-analyze security --offline=true --threshold=20 "$tmp/opas.service" >"$tmp/security.log" 2>&1 ||
    { tail -3 "$tmp/security.log"; fail "opas.service exposure is above 2.0"; }
echo "check-systemd: $(grep -o 'Overall exposure level.*' "$tmp/security.log")"

# 4. Backup with rotation.
cat >"$tmp/opas.json" <<EOF
{"database": "$tmp/var/opas.db", "database_sync_full": false, "locales_dir": "$repo/locales"}
EOF
"$opas" migrate --config "$tmp/opas.json" >/dev/null
mkdir -p "$tmp/backups"
for day in 01 02 03 04 05; do : >"$tmp/backups/opas-202401$day-031500.db"; done
: >"$tmp/backups/unrelated.txt"
OPAS_BACKUP_DIR="$tmp/backups" OPAS_BACKUP_KEEP=3 OPAS_CONFIG="$tmp/opas.json" OPAS_BINARY="$opas" \
    bash "$repo/deploy/opas-backup.sh" >"$tmp/backup.log"
mapfile -t kept < <(cd "$tmp/backups" && ls opas-*.db | sort)
[ "${#kept[@]}" = 3 ] || fail "rotation kept ${#kept[@]} backups, want 3: ${kept[*]}"
[ "${kept[0]}" = opas-20240104-031500.db ] && [ "${kept[1]}" = opas-20240105-031500.db ] ||
    fail "rotation kept the wrong ones: ${kept[*]}"
[ -f "$tmp/backups/unrelated.txt" ] || fail "rotation deleted a file that is not a backup"
newest="$tmp/backups/${kept[2]}"
[ "$(stat -c %a "$newest")" = 600 ] || fail "the backup is not mode 0600"
"$opas" restore "$newest" --config "$tmp/opas.json" >/dev/null || fail "the new backup does not restore"
echo "check-systemd: opas-backup.sh wrote a restorable 0600 backup and kept the newest 3"
echo "check-systemd: ok"
