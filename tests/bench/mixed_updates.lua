-- wrk script: a mixed Telegram workload on POST /webhooks/telegram.
--   60 % text messages in 13 languages, 25 % button presses (callback_query with the ids the
--   engine offers: topics menu, a topic, feedback, language choice), 15 % booking requests
--   (the text "I want to book an appointment" in several languages, and the menu:book button).
-- Environment: BENCH_SECRET, BENCH_ID_BASE, BENCH_USERS (people drawn uniformly from
-- user ids 1000000 .. 1000000+USERS-1), BENCH_RATE (total requests/s over all connections,
-- 0 = as fast as possible), BENCH_CONNECTIONS (for the rate: wrk's -c).
-- done() prints one RESULT line (latencies in microseconds).

local threads = {}
local counter = 0
local base = tonumber(os.getenv("BENCH_ID_BASE") or "1")
local users = tonumber(os.getenv("BENCH_USERS") or "1000")
local secret = os.getenv("BENCH_SECRET") or "bench-secret"
local rate = tonumber(os.getenv("BENCH_RATE") or "0")
local conns = tonumber(os.getenv("BENCH_CONNECTIONS") or "1")
local delay_ms = 0

local texts = {
    {"fi", "Hei, milloin keskus on auki?"}, {"sv", "Hej, jag behöver hjälp med uppehållstillstånd"},
    {"en", "How do I get a Kela card?"}, {"ru", "Здравствуйте, как найти квартиру?"},
    {"et", "Tere, kus on teie kontor?"}, {"fr", "Bonjour, je cherche un cours de finnois"},
    {"so", "Salaan, waxaan u baahanahay caawimaad"}, {"es", "¿Dónde puedo aprender finés?"},
    {"tr", "Merhaba, iş arıyorum"}, {"zh", "你好，我怎么办理税卡？"},
    {"fa", "سلام، چطور می‌توانم کار پیدا کنم؟"}, {"ar", "مرحبا، أين يمكنني تعلم اللغة الفنلندية؟"},
    {"uk", "Привіт, як отримати дозвіл на проживання?"},
}
local bookings = {
    {"en", "I want to book an appointment"}, {"fi", "Haluan varata ajan"},
    {"ar", "أريد حجز موعد"}, {"ru", "Хочу записаться на приём"}, {"so", "Waxaan rabaa ballan"},
}
local buttons = {"menu:topics", "topic:guidance.housing", "fb:yes:guidance.housing", "lang:en",
                 "topic:guidance.health", "menu:book"}

function setup(thread)
    thread:set("tid", #threads)
    table.insert(threads, thread)
end

function init(args)
    counter = base + (tid or 0) * 1000000000
    math.randomseed(counter)
    wrk.headers["Content-Type"] = "application/json"
    wrk.headers["X-Telegram-Bot-Api-Secret-Token"] = secret
    if rate > 0 then delay_ms = conns * 1000 / rate end
end

function delay()
    return delay_ms
end

local function message(update, user, lang, text)
    return string.format(
        '{"update_id":%d,"message":{"message_id":%d,"from":{"id":%d,"is_bot":false,' ..
        '"first_name":"Bench","language_code":"%s"},"chat":{"id":%d,"type":"private",' ..
        '"first_name":"Bench"},"date":1764000000,"text":"%s"}}',
        update, update % 1000000 + 1, user, lang, user, text)
end

local function press(update, user, data)
    return string.format(
        '{"update_id":%d,"callback_query":{"id":"cb%d","from":{"id":%d,"is_bot":false,' ..
        '"first_name":"Bench","language_code":"en"},"chat_instance":"1","data":"%s",' ..
        '"message":{"message_id":%d,"date":1764000000,"chat":{"id":%d,"type":"private"},' ..
        '"text":"menu"}}}',
        update, update, user, data, update % 1000000 + 1, user)
end

function request()
    counter = counter + 1
    local user = 1000000 + math.random(0, users - 1)
    local r = math.random()
    local body
    if r < 0.60 then
        local t = texts[math.random(#texts)]
        body = message(counter, user, t[1], t[2])
    elseif r < 0.85 then
        body = press(counter, user, buttons[math.random(#buttons)])
    else
        local t = bookings[math.random(#bookings)]
        body = message(counter, user, t[1], t[2])
    end
    return wrk.format("POST", "/webhooks/telegram", nil, body)
end

function done(summary, latency, requests)
    local e = summary.errors
    local ok = summary.requests - e.status
    io.write(string.format(
        "RESULT requests=%d ok=%d failed=%d status_errors=%d timeouts=%d duration_us=%d " ..
        "rps=%.1f p50_us=%d p99_us=%d p999_us=%d max_us=%d\n",
        summary.requests, ok, e.status + e.connect + e.read + e.write + e.timeout, e.status,
        e.timeout, summary.duration, ok / (summary.duration / 1e6), latency:percentile(50),
        latency:percentile(99), latency:percentile(99.9), latency.max))
end
