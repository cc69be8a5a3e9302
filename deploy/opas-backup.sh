#!/usr/bin/env bash
# Nightly backup of the opas database with rotation: writes
# $OPAS_BACKUP_DIR/opas-YYYYmmdd-HHMMSS.db with `opas backup` (consistent while opas serves)
# and keeps the newest $OPAS_BACKUP_KEEP of them (default 14). Run by opas-backup.timer, or
# from cron:  15 3 * * *  opas  /usr/local/lib/opas/opas-backup.sh
set -euo pipefail
dir="${OPAS_BACKUP_DIR:-/var/backups/opas}"
keep="${OPAS_BACKUP_KEEP:-14}"
config="${OPAS_CONFIG:-/etc/opas/opas.json}"
opas="${OPAS_BINARY:-/usr/local/bin/opas}"
case "$keep" in '' | *[!0-9]* | 0) echo "opas-backup: OPAS_BACKUP_KEEP must be a number >= 1" >&2; exit 2 ;; esac
umask 077
mkdir -p "$dir"
file="$dir/opas-$(date -u +%Y%m%d-%H%M%S).db"
"$opas" backup "$file" --config "$config"
# The names sort by time: delete all but the newest $keep.
mapfile -t old < <(find "$dir" -maxdepth 1 -name 'opas-[0-9]*-[0-9]*.db' -printf '%f\n' | sort -r | tail -n +"$((keep + 1))")
for name in "${old[@]}"; do
    rm -f -- "$dir/$name"
done
echo "opas-backup: kept $(find "$dir" -maxdepth 1 -name 'opas-[0-9]*-[0-9]*.db' | wc -l) backups in $dir"
