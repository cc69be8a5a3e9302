-- wrk script: POST /webhooks/telegram with distinct update ids and the secret header.
-- Environment: BENCH_SECRET (the telegram.secret_token), BENCH_ID_BASE (first update id),
-- BENCH_USERS (number of distinct people, default 1000), BENCH_TEXT (message text).
-- done() prints one machine-readable RESULT line (latencies in microseconds).

local threads = {}
local counter = 0
local base = tonumber(os.getenv("BENCH_ID_BASE") or "1")
local users = tonumber(os.getenv("BENCH_USERS") or "1000")
local secret = os.getenv("BENCH_SECRET") or "bench-secret"
local text = os.getenv("BENCH_TEXT") or "Hei, milloin keskus on auki?"

function setup(thread)
    thread:set("tid", #threads)
    table.insert(threads, thread)
end

function init(args)
    counter = base + (tid or 0) * 1000000000
    wrk.headers["Content-Type"] = "application/json"
    wrk.headers["X-Telegram-Bot-Api-Secret-Token"] = secret
end

function request()
    counter = counter + 1
    local user = 1000000 + counter % users
    local body = string.format(
        '{"update_id":%d,"message":{"message_id":%d,"from":{"id":%d,"is_bot":false,' ..
        '"first_name":"Bench","language_code":"fi"},"chat":{"id":%d,"type":"private",' ..
        '"first_name":"Bench"},"date":1764000000,"text":"%s"}}',
        counter, counter % 1000000 + 1, user, user, text)
    return wrk.format("POST", "/webhooks/telegram", nil, body)
end

function done(summary, latency, requests)
    local e = summary.errors
    local failed = e.status + e.connect + e.read + e.write + e.timeout
    local ok = summary.requests - e.status
    io.write(string.format(
        "RESULT requests=%d ok=%d failed=%d status_errors=%d timeouts=%d duration_us=%d " ..
        "rps=%.1f p50_us=%d p99_us=%d p999_us=%d max_us=%d\n",
        summary.requests, ok, failed, e.status, e.timeout, summary.duration,
        ok / (summary.duration / 1e6), latency:percentile(50), latency:percentile(99),
        latency:percentile(99.9), latency.max))
end
