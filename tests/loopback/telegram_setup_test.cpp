// `opas telegram set-webhook / delete-webhook / webhook-info` against the fake Bot API.
#include <catch2/catch.hpp>

#include <fstream>
#include <nlohmann/json.hpp>

#include "tests/loopback/harness.hpp"

using namespace opas::testing;
using json = nlohmann::json;

namespace {

constexpr const char* webhook_url = "https://bot.example.org/webhooks/telegram";

// The Bot API's answers to the three methods.
canned_response bot_api(const recorded_call& call) {
    const auto ends = [&](const std::string& s) {
        return call.target.size() >= s.size() &&
               call.target.compare(call.target.size() - s.size(), s.size(), s) == 0;
    };
    if (ends("/setWebhook")) return {200, R"({"ok":true,"result":true,"description":"Webhook was set"})"};
    if (ends("/deleteWebhook"))
        return {200, R"({"ok":true,"result":true,"description":"Webhook was deleted"})"};
    if (ends("/getWebhookInfo"))
        return {200, R"({"ok":true,"result":{"url":"https://bot.example.org/webhooks/telegram",
            "has_custom_certificate":false,"pending_update_count":3,"last_error_date":1700000000,
            "last_error_message":"Wrong response from the webhook: 502 Bad Gateway",
            "max_connections":40,"allowed_updates":["message","callback_query","my_chat_member"]}})"};
    return {404, R"({"ok":false,"error_code":404,"description":"Not Found"})"};
}

std::string write_config(const temp_dir& dir, const fake_api& api) {
    const std::string path = dir.path() + "/opas.json";
    std::ofstream(path) << test_config(dir.path(), api);
    return path;
}

}  // namespace

TEST_CASE("set-webhook sends the URL, secret token, update kinds and limits to setWebhook") {
    temp_dir dir;
    fake_api api;
    api.respond_with(bot_api);
    const auto r = run_opas({"telegram", "set-webhook", webhook_url, "--config",
                             write_config(dir, api), "--max-connections", "10",
                             "--drop-pending-updates"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.find("Telegram setWebhook: ok (Webhook was set)") != std::string::npos);
    const auto calls = api.calls();
    REQUIRE(calls.size() == 1);
    CHECK(calls[0].method == "POST");
    CHECK(calls[0].target == "/bot123:TEST/setWebhook");
    const auto body = json::parse(calls[0].body);
    CHECK(body["url"] == webhook_url);
    CHECK(body["secret_token"] == telegram_secret);
    CHECK(body["allowed_updates"] == json::array({"message", "callback_query", "my_chat_member"}));
    CHECK(body["max_connections"] == 10);
    CHECK(body["drop_pending_updates"] == true);
}

TEST_CASE("set-webhook keeps pending updates and 40 connections unless told otherwise") {
    temp_dir dir;
    fake_api api;
    api.respond_with(bot_api);
    REQUIRE(run_opas({"telegram", "set-webhook", webhook_url, "--config", write_config(dir, api)})
                .exit_code == 0);
    const auto body = json::parse(api.calls().at(0).body);
    CHECK(body["drop_pending_updates"] == false);
    CHECK(body["max_connections"] == 40);
}

TEST_CASE("delete-webhook calls deleteWebhook and prints Telegram's answer") {
    temp_dir dir;
    fake_api api;
    api.respond_with(bot_api);
    const auto r = run_opas({"telegram", "delete-webhook", "--config", write_config(dir, api)});
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.find("Webhook was deleted") != std::string::npos);
    REQUIRE(api.calls().size() == 1);
    CHECK(api.calls()[0].target == "/bot123:TEST/deleteWebhook");
    CHECK(json::parse(api.calls()[0].body)["drop_pending_updates"] == false);
}

TEST_CASE("webhook-info prints the URL, pending updates and the last error readably") {
    temp_dir dir;
    fake_api api;
    api.respond_with(bot_api);
    const auto r = run_opas({"telegram", "webhook-info", "--config", write_config(dir, api)});
    REQUIRE(r.exit_code == 0);
    CHECK(api.calls().at(0).target == "/bot123:TEST/getWebhookInfo");
    CHECK(r.out.find("url: https://bot.example.org/webhooks/telegram\n") != std::string::npos);
    CHECK(r.out.find("pending_update_count: 3\n") != std::string::npos);
    CHECK(r.out.find("last_error_date: 2023-11-14 22:13:20 UTC\n") != std::string::npos);
    CHECK(r.out.find("last_error_message: Wrong response from the webhook: 502 Bad Gateway\n") !=
          std::string::npos);
    CHECK(r.out.find("allowed_updates: message, callback_query, my_chat_member\n") !=
          std::string::npos);
    CHECK(r.out.find("note:") == std::string::npos);
}

TEST_CASE("a refusal by the Bot API exits 1 with one line and no token") {
    temp_dir dir;
    fake_api api;
    api.respond_with([](const recorded_call&) {
        return canned_response{401, R"({"ok":false,"error_code":401,"description":"Unauthorized"})"};
    });
    const auto r = run_opas({"telegram", "set-webhook", webhook_url, "--config", write_config(dir, api)});
    CHECK(r.exit_code == 1);
    CHECK(r.err == "opas: telegram setWebhook refused: HTTP 401 Unauthorized\n");
    CHECK(r.err.find("123:TEST") == std::string::npos);
}

TEST_CASE("an unreachable Bot API exits 1 with one line") {
    temp_dir dir;
    const std::string path = dir.path() + "/opas.json";
    std::ofstream(path) << R"({"telegram": {"api_base": "http://127.0.0.1:1", "bot_token": "1:X",
        "secret_token": "s", "request_timeout_ms": 2000}})";
    const auto r = run_opas({"telegram", "webhook-info", "--config", path});
    CHECK(r.exit_code == 1);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    CHECK(r.err.find("cannot reach 127.0.0.1:1") != std::string::npos);
}

TEST_CASE("set-webhook refuses a URL Telegram would not call, before calling anything") {
    temp_dir dir;
    fake_api api;
    api.respond_with(bot_api);
    const auto config = write_config(dir, api);
    CHECK(run_opas({"telegram", "set-webhook", "http://bot.example.org/webhooks/telegram",
                    "--config", config}).exit_code == 2);
    CHECK(run_opas({"telegram", "set-webhook", "https://bot.example.org:8080/webhooks/telegram",
                    "--config", config}).exit_code == 2);
    CHECK(run_opas({"telegram", "set-webhook", webhook_url, "--config", config,
                    "--max-connections", "500"}).exit_code == 2);
    CHECK(run_opas({"telegram", "set-webhook", "--config", config}).exit_code == 2);
    CHECK(api.calls().empty());
}

TEST_CASE("the telegram commands need a bot token") {
    temp_dir dir;
    const std::string path = dir.path() + "/opas.json";
    std::ofstream(path) << "{}";
    const auto r = run_opas({"telegram", "webhook-info", "--config", path});
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("telegram.bot_token") != std::string::npos);
    CHECK(run_opas({"telegram", "frobnicate"}).exit_code == 2);
    CHECK(run_opas({"telegram", "set-webhook", "--help"}).exit_code == 0);
}
