// The whole path over loopback: Telegram webhook -> engine -> commit -> outbox -> fake API.
#include <catch2/catch.hpp>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <set>
#include <thread>
#include <nlohmann/json.hpp>

#include "tests/loopback/harness.hpp"

using namespace opas::testing;

namespace {

http_response post_update(const opas_process& p, const std::string& body) {
    return http_request(p.port(), "POST", "/webhooks/telegram", body, secret_header());
}

}  // namespace

TEST_CASE("a Telegram text message gets a reply through the platform API") {
    temp_dir dir;
    fake_api api;
    opas_process opas(dir.path(), test_config(dir.path(), api));
    REQUIRE(post_update(opas, telegram_text_update(1, 4242, "Hello")).status == 200);
    REQUIRE(wait_until([&] { return api.count("/bot123:TEST/sendMessage") >= 1; }));
    const auto call = api.calls().front();
    const auto body = nlohmann::json::parse(call.body);
    CHECK(body["chat_id"] == 4242);
    CHECK_FALSE(body["text"].get<std::string>().empty());
    CHECK(opas.terminate() == 0);
}

TEST_CASE("the same update delivered twice is answered once") {
    temp_dir dir;
    fake_api api;
    opas_process opas(dir.path(), test_config(dir.path(), api));
    const auto update = telegram_text_update(77, 500, "where is the centre");
    REQUIRE(post_update(opas, update).status == 200);
    // The first turn's replies (an answer, then "was this helpful?") all delivered.
    const std::string replies_queued =
        "SELECT count(*) FROM outbox o JOIN people p ON p.id = o.person_id "
        "WHERE p.chat_id = '500' AND o.kind = 'message'";
    REQUIRE(wait_until([&] {
        const auto n = api.count("/sendMessage");
        return n >= 1 && std::to_string(n) == sql_rows(dir.path() + "/opas.db", replies_queued).at(0);
    }));
    const auto first = api.count("/sendMessage");
    REQUIRE(post_update(opas, update).status == 200);
    // A later distinct update from another chat proves the sender has run past the duplicate.
    REQUIRE(post_update(opas, telegram_text_update(78, 501, "hello")).status == 200);
    REQUIRE(wait_until([&] {
        for (const auto& c : api.calls())
            if (c.body.find("501") != std::string::npos) return true;
        return false;
    }));
    std::size_t to_first_chat = 0;
    for (const auto& c : api.calls())
        if (nlohmann::json::parse(c.body)["chat_id"] == 500) ++to_first_chat;
    CHECK(to_first_chat == first);
}

TEST_CASE("a wrong secret token gets 401 and nothing is stored") {
    temp_dir dir;
    fake_api api;
    opas_process opas(dir.path(), test_config(dir.path(), api));
    const auto update = telegram_text_update(5, 9, "hello");
    CHECK(http_request(opas.port(), "POST", "/webhooks/telegram", update,
                       {{"X-Telegram-Bot-Api-Secret-Token", "wrong"}})
              .status == 401);
    CHECK(http_request(opas.port(), "POST", "/webhooks/telegram", update).status == 401);
    CHECK(sql_rows(dir.path() + "/opas.db", "SELECT count(*) FROM seen").at(0) == "0");
    CHECK(sql_rows(dir.path() + "/opas.db", "SELECT count(*) FROM people").at(0) == "0");
    CHECK(api.calls().empty());
}

TEST_CASE("malformed JSON gets 400") {
    temp_dir dir;
    fake_api api;
    opas_process opas(dir.path(), test_config(dir.path(), api));
    CHECK(post_update(opas, "{\"update_id\": 1, ").status == 400);
    CHECK(post_update(opas, "[1,2,3]").status == 400);
    CHECK(http_request(opas.port(), "GET", "/healthz").status == 200);
}

TEST_CASE("a body over 1 MiB gets 413") {
    temp_dir dir;
    fake_api api;
    opas_process opas(dir.path(), test_config(dir.path(), api));
    const std::string big = "{\"update_id\":1,\"pad\":\"" + std::string(2 << 20, 'x') + "\"}";
    CHECK(post_update(opas, big).status == 413);
    CHECK(http_request(opas.port(), "GET", "/healthz").status == 200);
}

TEST_CASE("replies arrive in order per chat after the API recovers from 500s") {
    temp_dir dir;
    fake_api api;
    std::atomic<int> failures{0};
    api.respond_with([&](const recorded_call& c) -> canned_response {
        if (failures < 3) {
            ++failures;
            return {500, R"({"ok":false,"error_code":500,"description":"Internal Server Error"})"};
        }
        return default_api_response(c);
    });
    opas_process opas(dir.path(), test_config(dir.path(), api));
    REQUIRE(post_update(opas, telegram_text_update(10, 31, "hello")).status == 200);
    REQUIRE(post_update(opas, telegram_text_update(11, 31, "where is the centre")).status == 200);
    REQUIRE(post_update(opas, telegram_text_update(12, 31, "thanks")).status == 200);
    // Each turn produces at least one message; wait until all reached the API successfully.
    REQUIRE(wait_until([&] {
        const auto rows = sql_rows(dir.path() + "/opas.db",
                                   "SELECT count(*) FROM outbox WHERE state != 'sent'");
        return !rows.empty() && rows[0] == "0";
    }, std::chrono::seconds(40)));
    // The successful calls (after the three failures) carry the outbox rows in id order.
    const auto calls = api.calls();
    std::vector<std::string> delivered;
    for (std::size_t i = 3; i < calls.size(); ++i)
        delivered.push_back(nlohmann::json::parse(calls[i].body)["text"].get<std::string>());
    std::vector<std::string> stored;
    for (const auto& payload : sql_rows(dir.path() + "/opas.db", "SELECT payload FROM outbox ORDER BY id"))
        stored.push_back(nlohmann::json::parse(payload)["text"].get<std::string>());
    CHECK(stored.size() >= 3);
    CHECK(delivered == stored);
}

TEST_CASE("a 429 with retry_after is honoured before the next call") {
    temp_dir dir;
    fake_api api;
    std::atomic<bool> limited{false};
    std::atomic<long long> limited_at{0};
    api.respond_with([&](const recorded_call& c) -> canned_response {
        if (!limited.exchange(true)) {
            limited_at = std::chrono::steady_clock::now().time_since_epoch().count();
            return {429, R"({"ok":false,"error_code":429,"description":"Too Many Requests: retry after 2","parameters":{"retry_after":2}})"};
        }
        return default_api_response(c);
    });
    opas_process opas(dir.path(), test_config(dir.path(), api));
    const auto started = std::chrono::steady_clock::now();
    REQUIRE(post_update(opas, telegram_text_update(20, 40, "hello")).status == 200);
    REQUIRE(wait_until([&] { return api.calls().size() >= 2; }));
    const auto waited = std::chrono::steady_clock::now() - started;
    CHECK(waited >= std::chrono::seconds(2));
}

TEST_CASE("a callback query becomes a choice and is acknowledged") {
    temp_dir dir;
    fake_api api;
    opas_process opas(dir.path(), test_config(dir.path(), api));
    REQUIRE(post_update(opas, telegram_text_update(30, 60, "hello")).status == 200);
    const std::string callback = R"({"update_id":31,"callback_query":{"id":"cbq-1","from":{"id":60,"is_bot":false,"first_name":"T"},"message":{"message_id":5,"date":1764000000,"chat":{"id":60,"type":"private"},"text":"menu"},"chat_instance":"1","data":"menu:topics"}})";
    REQUIRE(post_update(opas, callback).status == 200);
    REQUIRE(wait_until([&] { return api.count("/answerCallbackQuery") == 1; }));
    REQUIRE(wait_until([&] {
        for (const auto& c : api.calls())
            if (c.body.find("topic:guidance.") != std::string::npos) return true;
        return false;
    }));
}

TEST_CASE("a blocked bot marks the person unreachable without retrying") {
    temp_dir dir;
    fake_api api;
    api.respond_with([](const recorded_call&) -> canned_response {
        return {403, R"({"ok":false,"error_code":403,"description":"Forbidden: bot was blocked by the user"})"};
    });
    opas_process opas(dir.path(), test_config(dir.path(), api));
    REQUIRE(post_update(opas, telegram_text_update(40, 70, "hello")).status == 200);
    REQUIRE(wait_until([&] {
        const auto rows = sql_rows(dir.path() + "/opas.db", "SELECT unreachable FROM people");
        return !rows.empty() && rows[0] == "1";
    }));
    const std::string db = dir.path() + "/opas.db";
    REQUIRE(wait_until([&] {
        return sql_rows(db, "SELECT count(*) FROM outbox WHERE state='pending'").at(0) == "0";
    }));
    // The reply may be several rows; the first refusal fails them all, and nothing more is tried.
    CHECK(sql_rows(db, "SELECT count(*) FROM outbox WHERE state='failed'").at(0) != "0");
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    CHECK(api.count("/sendMessage") == 1);
}

TEST_CASE("SIGTERM during traffic exits 0 and every accepted update is answered after a restart") {
    temp_dir dir;
    fake_api api;
    api.respond_with([](const recorded_call&) -> canned_response {
        return {502, "bad gateway"};  // nothing gets out before the restart
    });
    std::vector<long long> accepted;
    {
        opas_process opas(dir.path(), test_config(dir.path(), api));
        for (long long id = 100; id < 130; ++id)
            if (post_update(opas, telegram_text_update(id, 1000 + id, "hello")).status == 200)
                accepted.push_back(id);
        CHECK(opas.terminate(SIGTERM) == 0);
    }
    REQUIRE(accepted.size() == 30);
    api.respond_with(default_api_response);
    opas_process again(dir.path(), test_config(dir.path(), api));
    REQUIRE(wait_until([&] {
        std::set<long long> chats;
        for (const auto& c : api.calls()) {
            const auto j = nlohmann::json::parse(c.body, nullptr, false);
            if (!j.is_discarded() && j.contains("chat_id") && c.target.find("sendMessage") != std::string::npos)
                chats.insert(j["chat_id"].get<long long>());
        }
        for (auto id : accepted)
            if (!chats.count(1000 + id)) return false;
        return true;
    }, std::chrono::seconds(40)));
}

TEST_CASE("health, readiness and metrics answer") {
    temp_dir dir;
    fake_api api;
    opas_process opas(dir.path(), test_config(dir.path(), api));
    CHECK(http_request(opas.port(), "GET", "/healthz").status == 200);
    CHECK(http_request(opas.port(), "GET", "/readyz").status == 200);
    REQUIRE(post_update(opas, telegram_text_update(1, 2, "hello")).status == 200);
    REQUIRE(post_update(opas, telegram_text_update(1, 2, "hello")).status == 200);
    const auto m = http_request(opas.port(), "GET", "/metrics");
    CHECK(m.status == 200);
    CHECK(m.body.find("opas_duplicates_dropped_total 1") != std::string::npos);
    CHECK(m.body.find("opas_http_requests_total{route=\"telegram\",status=\"200\"} 2") != std::string::npos);
    CHECK(m.body.find("opas_outbox_depth") != std::string::npos);
    CHECK(http_request(opas.port(), "GET", "/nowhere").status == 404);
    CHECK(http_request(opas.port(), "GET", "/admin/bookings").status == 401);
}
