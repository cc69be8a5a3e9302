// Booking over the Telegram webhook with the fake Bot API: inline keyboards carry the choices,
// callback queries answer them, and the booking lands in the database and the admin API.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "tests/loopback/harness.hpp"

using namespace opas::testing;
using json = nlohmann::json;

namespace {

constexpr long long user = 6060;

std::string callback_update(long long update_id, const std::string& data) {
    json u;
    u["update_id"] = update_id;
    u["callback_query"] = {
        {"id", "cbq-" + std::to_string(update_id)},
        {"from", {{"id", user}, {"is_bot", false}, {"first_name", "T"}, {"language_code", "en"}}},
        {"message", {{"message_id", 5}, {"date", 1764000000},
                     {"chat", {{"id", user}, {"type", "private"}}}, {"text", "…"}}},
        {"chat_instance", "1"},
        {"data", data}};
    return u.dump();
}

// The callback_data of the inline keyboard buttons of one sendMessage body.
std::vector<std::string> buttons_of(const std::string& body) {
    std::vector<std::string> out;
    const auto j = json::parse(body, nullptr, false);
    if (j.is_discarded() || !j.contains("reply_markup")) return out;
    for (const auto& row : j["reply_markup"].value("inline_keyboard", json::array()))
        for (const auto& button : row) out.push_back(button.value("callback_data", ""));
    return out;
}

// Waits for a sendMessage whose keyboard has a button starting with `prefix`; returns it.
std::string wait_for_button(const fake_api& api, const std::string& prefix) {
    std::string found;
    wait_until([&] {
        for (const auto& c : api.calls())
            if (c.target.find("/sendMessage") != std::string::npos)
                for (const auto& data : buttons_of(c.body))
                    if (data.rfind(prefix, 0) == 0) {
                        found = data;
                        return true;
                    }
        return false;
    });
    return found;
}

}  // namespace

TEST_CASE("a person books over the Telegram webhook with inline keyboard buttons") {
    temp_dir dir;
    fake_api api;
    opas_process opas(dir.path(),
                      test_config(dir.path(), api, R"("admin":{"token":"staff-token"})"));
    const auto post = [&](const std::string& body) {
        return http_request(opas.port(), "POST", "/webhooks/telegram", body, secret_header()).status;
    };
    REQUIRE(post(telegram_text_update(100, user, "I want to book an appointment with a counsellor")) == 200);
    const std::string topic = wait_for_button(api, "bk:topic:guidance.housing");
    REQUIRE(topic == "bk:topic:guidance.housing");
    REQUIRE(post(callback_update(101, topic)) == 200);
    REQUIRE(wait_for_button(api, "bk:int:no") == "bk:int:no");
    REQUIRE(post(callback_update(102, "bk:int:no")) == 200);
    const std::string day = wait_for_button(api, "bk:day:");
    REQUIRE(day.size() == std::string("bk:day:2026-12-16").size());
    REQUIRE(post(callback_update(103, day)) == 200);
    const std::string slot = wait_for_button(api, "bk:slot:");
    REQUIRE_FALSE(slot.empty());
    REQUIRE(post(callback_update(104, slot)) == 200);
    REQUIRE(wait_for_button(api, "bk:book") == "bk:book");
    REQUIRE(post(callback_update(105, "bk:book")) == 200);

    const std::string db = dir.path() + "/opas.db";
    REQUIRE(wait_until([&] {
        return sql_rows(db, "SELECT count(*) FROM bookings WHERE status = 'booked'").at(0) == "1";
    }));
    CHECK(sql_rows(db, "SELECT slot_start, topic, language FROM bookings").at(0) ==
          slot.substr(8) + "|guidance.housing|en");
    REQUIRE(wait_until([&] { return api.count("/answerCallbackQuery") == 5; }));

    const auto listed = http_request(opas.port(), "GET", "/admin/bookings?date=" + day.substr(7), "",
                                     {{"Authorization", "Bearer staff-token"}});
    REQUIRE(listed.status == 200);
    const auto body = json::parse(listed.body);
    REQUIRE(body["bookings"].size() == 1);
    CHECK(body["bookings"][0]["topic"] == "guidance.housing");
    CHECK(listed.body.find(std::to_string(user)) == std::string::npos);
    CHECK(http_request(opas.port(), "GET", "/admin/bookings?date=tomorrow", "",
                       {{"Authorization", "Bearer staff-token"}})
              .status == 400);
    CHECK(opas.terminate() == 0);
}
