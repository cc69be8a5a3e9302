#!/usr/bin/env bash
# Checks deploy/nginx/opas.conf with the real nginx and a self-signed certificate made here:
#  1. `nginx -t` on the file as shipped (only the certificate paths point to the test's);
#  2. a live run on loopback ports in front of the real `opas serve`: the webhook paths and
#     /healthz reach opas over TLS, everything else (/metrics, /readyz, /) is 404, /admin/ is
#     403 from outside the allow list, GET on the Telegram webhook is refused, and plain HTTP
#     redirects to HTTPS.
# Usage: deploy/check-nginx.sh [OPAS_BINARY]   (default build/opas)
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
opas="$(realpath "${1:-$repo/build/opas}")"
command -v nginx >/dev/null || { echo "check-nginx: nginx is missing (deploy/install-deps.sh installs nginx-light)" >&2; exit 1; }
[ -x "$opas" ] || { echo "check-nginx: no opas binary at $opas" >&2; exit 1; }

tmp="$(mktemp -d /tmp/opas-nginx-XXXXXX)"
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    rm -rf "$tmp"
}
trap cleanup EXIT
chmod 755 "$tmp"
fail() { echo "check-nginx: FAIL: $*" >&2; [ -f "$tmp/error.log" ] && tail -5 "$tmp/error.log" >&2; exit 1; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=bot.example.org" \
    -keyout "$tmp/privkey.pem" -out "$tmp/fullchain.pem" 2>/dev/null
mkdir -p "$tmp/www" "$tmp/temp"

# nginx.conf around the site file, everything under $tmp.
write_main() {  # $1: site file
    cat >"$tmp/nginx.conf" <<EOF
pid $tmp/nginx.pid;
error_log $tmp/error.log warn;
events { worker_connections 64; }
http {
    client_body_temp_path $tmp/temp/body;
    proxy_temp_path $tmp/temp/proxy;
    fastcgi_temp_path $tmp/temp/fastcgi;
    uwsgi_temp_path $tmp/temp/uwsgi;
    scgi_temp_path $tmp/temp/scgi;
    include $1;
}
EOF
}

# 1. The file as shipped.
sed -e "s|/etc/letsencrypt/live/bot.example.org/|$tmp/|" "$repo/deploy/nginx/opas.conf" >"$tmp/shipped.conf"
write_main "$tmp/shipped.conf"
nginx -t -p "$tmp" -c "$tmp/nginx.conf" 2>"$tmp/t.log" || { cat "$tmp/t.log"; fail "nginx -t rejects deploy/nginx/opas.conf"; }
echo "check-nginx: nginx -t accepts deploy/nginx/opas.conf"

# 2. Live, on loopback ports, in front of opas.
opas_port="$(free_port)"; tls_port="$(free_port)"; http_port="$(free_port)"
cat >"$tmp/opas.json" <<EOF
{"listen": {"address": "127.0.0.1", "port": $opas_port, "threads": 1},
 "database": "$tmp/opas.db", "database_sync_full": false, "locales_dir": "$repo/locales",
 "log_level": "warn",
 "telegram": {"api_base": "http://127.0.0.1:9", "bot_token": "1:T", "secret_token": "s3cret"},
 "whatsapp": {"api_base": "http://127.0.0.1:9", "phone_number_id": "1", "access_token": "t",
              "app_secret": "a", "verify_token": "v"},
 "admin": {"token": "admin-token"}}
EOF
"$opas" serve --config "$tmp/opas.json" >"$tmp/opas.log" 2>&1 &
pids+=($!)
sed -e "s|/etc/letsencrypt/live/bot.example.org/|$tmp/|" \
    -e "s|listen 443 ssl;|listen 127.0.0.1:$tls_port ssl;|" -e "s|listen 80;|listen 127.0.0.1:$http_port;|" \
    -e '/listen \[::\]/d' -e "s|server 127.0.0.1:8080;|server 127.0.0.1:$opas_port;|" \
    -e "s|root /var/www/certbot;|root $tmp/www;|" "$repo/deploy/nginx/opas.conf" >"$tmp/live.conf"
write_main "$tmp/live.conf"
nginx -p "$tmp" -c "$tmp/nginx.conf" -g 'daemon off;' 2>>"$tmp/error.log" &
pids+=($!)

https() {  # method path [curl args...] -> status code
    local method="$1" path="$2"; shift 2
    curl -sk -o "$tmp/body" -w '%{http_code}' --max-time 5 -X "$method" \
        --resolve "bot.example.org:$tls_port:127.0.0.1" "https://bot.example.org:$tls_port$path" "$@" || true
}
for _ in $(seq 1 60); do
    [ "$(https GET /healthz)" = 200 ] && break
    sleep 0.5
done
expect() {  # expected description status
    [ "$2" = "$1" ] || fail "$3: got $2, want $1"
    echo "check-nginx:   $3 -> $1"
}
expect 200 "$(https GET /healthz)" "GET /healthz reaches opas over TLS"
expect 200 "$(https GET '/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=v&hub.challenge=42')" \
    "WhatsApp's verification GET reaches opas"
[ "$(cat "$tmp/body")" = 42 ] || fail "the challenge did not come back"
expect 401 "$(https POST /webhooks/telegram -d '{"update_id":1}' -H 'Content-Type: application/json')" \
    "a Telegram POST without the secret reaches opas (its 401)"
expect 200 "$(https POST /webhooks/telegram -d '{"update_id":1}' -H 'X-Telegram-Bot-Api-Secret-Token: s3cret')" \
    "a Telegram POST with the secret is accepted"
expect 401 "$(https POST /webhooks/whatsapp -d '{}')" "a WhatsApp POST without a signature reaches opas (its 401)"
expect 403 "$(https GET /webhooks/telegram)" "GET on the Telegram webhook is refused by nginx"
expect 403 "$(https GET /admin/bookings -H 'Authorization: Bearer admin-token')" \
    "/admin/ from outside the allow list"
expect 404 "$(https GET /metrics)" "/metrics stays private"
expect 404 "$(https GET /readyz)" "/readyz stays private"
expect 404 "$(https GET /)" "/ is not served"
redirect="$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' --max-time 5 \
    -H 'Host: bot.example.org' "http://127.0.0.1:$http_port/webhooks/telegram" || true)"
[ "${redirect%% *}" = 301 ] && [[ "${redirect#* }" == https://bot.example.org/webhooks/telegram ]] ||
    fail "plain HTTP must redirect to https: got $redirect"
echo "check-nginx:   plain HTTP -> 301 to https"
echo "check-nginx: ok"
