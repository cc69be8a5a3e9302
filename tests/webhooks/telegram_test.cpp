#include "webhooks/telegram.hpp"

#include <catch2/catch.hpp>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

using opas::bot::inbound;
using opas::bot::inbound_kind;
using opas::webhooks::classify_telegram_response;
using opas::webhooks::parse_telegram_update;
using opas::webhooks::render_telegram;
using opas::webhooks::render_telegram_callback_answer;
using opas::webhooks::send_result;
using opas::webhooks::telegram_secret_ok;
using json = nlohmann::json;

namespace {

// A private-chat message update as the Bot API documents it; `content` is the message's
// content fields (text, photo, ...).
std::string message_update(const json& content, const char* kind = "message") {
    json message = {
        {"message_id", 1365},
        {"from",
         {{"id", 123456789}, {"is_bot", false}, {"first_name", "Amina"}, {"language_code", "ar"}}},
        {"chat", {{"id", 123456789}, {"first_name", "Amina"}, {"type", "private"}}},
        {"date", 1700000000},
    };
    message.update(content);
    return json{{"update_id", 10000}, {kind, message}}.dump();
}

inbound only_event(const std::string& body) {
    const auto result = parse_telegram_update(body);
    REQUIRE(result.ok);
    REQUIRE(result.events.size() == 1);
    return result.events[0];
}

json parse_body(const std::string& body) { return json::parse(body); }

}  // namespace

TEST_CASE("the Telegram secret header is accepted when it equals the secret") {
    CHECK(telegram_secret_ok("s3cr3t-Token_1", "s3cr3t-Token_1"));
    CHECK(telegram_secret_ok("x", "x"));
    const std::string longest(256, 'a');
    CHECK(telegram_secret_ok(longest, longest));
}

TEST_CASE("a wrong or longer Telegram secret header is refused") {
    CHECK_FALSE(telegram_secret_ok("s3cr3t-Token_2", "s3cr3t-Token_1"));
    CHECK_FALSE(telegram_secret_ok("s3cr3t-Token_1x", "s3cr3t-Token_1"));
    CHECK_FALSE(telegram_secret_ok("s3cr3t-Token_", "s3cr3t-Token_1"));
    CHECK_FALSE(telegram_secret_ok(std::string("s3cr3t-Token_1\0", 15), "s3cr3t-Token_1"));
    const std::string too_long(257, 'a');
    CHECK_FALSE(telegram_secret_ok(too_long, too_long));
    CHECK_FALSE(telegram_secret_ok(std::string(256, 'a'), std::string(255, 'a') + "b"));
}

TEST_CASE("a missing Telegram secret header or an unset secret is refused") {
    CHECK_FALSE(telegram_secret_ok("", "s3cr3t"));
    CHECK_FALSE(telegram_secret_ok("", ""));
    CHECK_FALSE(telegram_secret_ok("s3cr3t", ""));
}

TEST_CASE("a Telegram text message becomes a text event") {
    const auto event = only_event(message_update({{"text", "مرحبا"}}));
    CHECK(event.source == opas::bot::channel::telegram);
    CHECK(event.kind == inbound_kind::text);
    CHECK(event.message_id == "tg:10000");
    CHECK(event.user_id == "123456789");
    CHECK(event.chat_id == "123456789");
    CHECK(event.text == "مرحبا");
    CHECK(event.language_hint == "ar");
    CHECK(event.time == 1700000000);
    CHECK(event.callback_id.empty());
}

TEST_CASE("Telegram photo, voice, sticker and location messages become media events") {
    const json photo = {
        {"photo",
         json::array(
             {{{"file_id", "AgAD"}, {"file_unique_id", "AQAD"}, {"width", 90}, {"height", 67}}})},
        {"caption", "my permit"}};
    const json voice = {{"voice", {{"file_id", "AwAD"}, {"duration", 3}}}};
    const json sticker = {{"sticker", {{"file_id", "CAAD"}, {"type", "regular"}, {"emoji", "👍"}}}};
    const json location = {{"location", {{"latitude", 60.17}, {"longitude", 24.94}}}};
    for (const json& content : {photo, voice, sticker, location}) {
        const auto event = only_event(message_update(content));
        CHECK(event.kind == inbound_kind::media);
        CHECK(event.chat_id == "123456789");
        CHECK(event.text.empty());
    }
}

TEST_CASE("a Telegram button press becomes a choice event with its callback id") {
    const json update = {{"update_id", 10001},
                         {"callback_query",
                          {{"id", "4382bfdwdsb323b2d9"},
                           {"from",
                            {{"id", 123456789},
                             {"is_bot", false},
                             {"first_name", "Amina"},
                             {"language_code", "fi"}}},
                           {"message",
                            {{"message_id", 77},
                             {"date", 1700000000},
                             {"chat", {{"id", 987654321}, {"type", "private"}}},
                             {"text", "Choose"}}},
                           {"chat_instance", "-8717431211523384"},
                           {"data", "book:slot:3"}}}};
    const auto event = only_event(update.dump());
    CHECK(event.kind == inbound_kind::choice);
    CHECK(event.text == "book:slot:3");
    CHECK(event.callback_id == "4382bfdwdsb323b2d9");
    CHECK(event.user_id == "123456789");
    CHECK(event.chat_id == "987654321");
    CHECK(event.message_id == "tg:10001");
}

TEST_CASE("a Telegram edited message is ignored but keeps its update id") {
    const auto event =
        only_event(message_update({{"text", "edit"}, {"edit_date", 1700000100}}, "edited_message"));
    CHECK(event.kind == inbound_kind::ignored);
    CHECK(event.message_id == "tg:10000");
    CHECK(event.text.empty());
    CHECK(event.user_id.empty());
}

TEST_CASE("a Telegram channel post is ignored") {
    const json update = {
        {"update_id", 10002},
        {"channel_post",
         {{"message_id", 5},
          {"sender_chat", {{"id", -1001234567890}, {"type", "channel"}}},
          {"chat", {{"id", -1001234567890}, {"type", "channel"}, {"title", "News"}}},
          {"date", 1700000000},
          {"text", "Announcement"}}}};
    CHECK(only_event(update.dump()).kind == inbound_kind::ignored);
}

TEST_CASE("a Telegram service message without content is ignored") {
    const auto event = only_event(
        message_update({{"new_chat_members",
                         json::array({{{"id", 5}, {"is_bot", false}, {"first_name", "B"}}})}}));
    CHECK(event.kind == inbound_kind::ignored);
}

TEST_CASE("a Telegram group message is text addressed to the group") {
    json update = json::parse(message_update({{"text", "hei"}}));
    update["message"]["chat"] = {
        {"id", -1001234567890}, {"type", "supergroup"}, {"title", "Staff"}};
    const auto event = only_event(update.dump());
    CHECK(event.kind == inbound_kind::text);
    CHECK(event.chat_id == "-1001234567890");
    CHECK(event.user_id == "123456789");
}

TEST_CASE("a Telegram reply in a group carries the replied-to message id and text") {
    json update = json::parse(message_update({{"text", "Tervetuloa huomenna"}}));
    update["message"]["chat"] = {{"id", -1001234567890}, {"type", "supergroup"}};
    update["message"]["reply_to_message"] = {
        {"message_id", 77},
        {"from", {{"id", 42}, {"is_bot", true}, {"first_name", "Opas"}}},
        {"chat", {{"id", -1001234567890}, {"type", "supergroup"}}},
        {"date", 1699999990},
        {"text", "#a1b2c3d4 ar whatsapp: hello"}};
    const auto event = only_event(update.dump());
    CHECK(event.kind == inbound_kind::text);
    CHECK(event.text == "Tervetuloa huomenna");
    CHECK(event.reply_to_id == "77");
    CHECK(event.reply_to_text == "#a1b2c3d4 ar whatsapp: hello");
}

TEST_CASE("a Telegram message that replies to nothing has no reply fields") {
    const auto event = only_event(message_update({{"text", "hei"}}));
    CHECK(event.reply_to_id.empty());
    CHECK(event.reply_to_text.empty());
}

TEST_CASE("a person who blocks the bot on Telegram becomes unreachable") {
    const json update = {
        {"update_id", 10003},
        {"my_chat_member",
         {{"chat", {{"id", 123456789}, {"first_name", "Amina"}, {"type", "private"}}},
          {"from", {{"id", 123456789}, {"is_bot", false}, {"first_name", "Amina"}}},
          {"date", 1700000500},
          {"old_chat_member", {{"user", {{"id", 42}, {"is_bot", true}}}, {"status", "member"}}},
          {"new_chat_member",
           {{"user", {{"id", 42}, {"is_bot", true}}}, {"status", "kicked"}, {"until_date", 0}}}}}};
    const auto event = only_event(update.dump());
    CHECK(event.kind == inbound_kind::unreachable);
    CHECK(event.chat_id == "123456789");
    CHECK(event.time == 1700000500);
}

TEST_CASE("a bot removed from a Telegram group makes the group unreachable, not the admin") {
    const json update = {
        {"update_id", 10005},
        {"my_chat_member",
         {{"chat", {{"id", -1001234567890}, {"type", "supergroup"}, {"title", "Staff"}}},
          {"from", {{"id", 555}, {"is_bot", false}, {"first_name", "Admin"}}},
          {"date", 1700000700},
          {"old_chat_member", {{"user", {{"id", 42}, {"is_bot", true}}}, {"status", "member"}}},
          {"new_chat_member", {{"user", {{"id", 42}, {"is_bot", true}}}, {"status", "kicked"}}}}}};
    const auto event = only_event(update.dump());
    CHECK(event.kind == inbound_kind::unreachable);
    CHECK(event.chat_id == "-1001234567890");
    CHECK(event.user_id.empty());
}

TEST_CASE("a person who unblocks the bot on Telegram is ignored") {
    const json update = {
        {"update_id", 10004},
        {"my_chat_member",
         {{"chat", {{"id", 123456789}, {"type", "private"}}},
          {"from", {{"id", 123456789}, {"is_bot", false}, {"first_name", "Amina"}}},
          {"date", 1700000600},
          {"old_chat_member", {{"user", {{"id", 42}, {"is_bot", true}}}, {"status", "kicked"}}},
          {"new_chat_member", {{"user", {{"id", 42}, {"is_bot", true}}}, {"status", "member"}}}}}};
    CHECK(only_event(update.dump()).kind == inbound_kind::ignored);
}

TEST_CASE("malformed Telegram JSON is rejected") {
    CHECK_FALSE(parse_telegram_update("{\"update_id\": 1, \"message\": ").ok);
    CHECK_FALSE(parse_telegram_update("").ok);
}

TEST_CASE("a Telegram body that is not an object with an integer update_id is rejected") {
    CHECK_FALSE(parse_telegram_update("[1, 2]").ok);
    CHECK_FALSE(parse_telegram_update(R"({"message": {"text": "hi"}})").ok);
    CHECK_FALSE(parse_telegram_update(R"({"update_id": "10000"})").ok);
}

TEST_CASE("a Telegram update with fields of the wrong type is ignored without a crash") {
    CHECK(only_event(message_update({{"text", 42}})).kind == inbound_kind::ignored);
    json update = json::parse(message_update({{"text", "hi"}}));
    update["message"]["chat"]["id"] = "123";
    CHECK(only_event(update.dump()).kind == inbound_kind::ignored);
    CHECK(only_event(R"({"update_id": 7, "message": "hi"})").kind == inbound_kind::ignored);
    CHECK(only_event(R"({"update_id": 8, "callback_query": {"id": 5, "data": []}})").kind ==
          inbound_kind::ignored);
}

TEST_CASE("a short Telegram reply is one sendMessage body with a numeric chat id") {
    const auto bodies = render_telegram("123456789", {"Hei!", {}});
    REQUIRE(bodies.size() == 1);
    const json body = parse_body(bodies[0]);
    CHECK(body["chat_id"] == 123456789);
    CHECK(body["text"] == "Hei!");
    CHECK_FALSE(body.contains("reply_markup"));
    CHECK_FALSE(body.contains("parse_mode"));
}

TEST_CASE("Telegram chat ids that are not int64 numbers are sent as strings") {
    CHECK(parse_body(render_telegram("-1001234567890", {"x", {}})[0])["chat_id"] == -1001234567890);
    CHECK(parse_body(render_telegram("@centre_news", {"x", {}})[0])["chat_id"] == "@centre_news");
    CHECK(parse_body(render_telegram("99999999999999999999", {"x", {}})[0])["chat_id"] ==
          "99999999999999999999");
}

TEST_CASE("Telegram choices become an inline keyboard with one button per row") {
    const auto bodies = render_telegram("1", {"Valitse", {{"fi", "Suomi"}, {"ar", "العربية"}}});
    REQUIRE(bodies.size() == 1);
    const json keyboard = parse_body(bodies[0])["reply_markup"]["inline_keyboard"];
    REQUIRE(keyboard.size() == 2);
    CHECK(keyboard[0] == json::array({{{"text", "Suomi"}, {"callback_data", "fi"}}}));
    CHECK(keyboard[1] == json::array({{{"text", "العربية"}, {"callback_data", "ar"}}}));
}

TEST_CASE("a long Telegram reply is split and the keyboard goes on the last part") {
    std::string text;
    while (text.size() < 9000) text += "Kela pays child benefit for every child. ";
    const auto bodies = render_telegram("1", {text, {{"ok", "OK"}}});
    REQUIRE(bodies.size() == 3);
    for (const auto& b : bodies) CHECK(parse_body(b)["text"].get<std::string>().size() <= 4000);
    CHECK_FALSE(parse_body(bodies[0]).contains("reply_markup"));
    CHECK_FALSE(parse_body(bodies[1]).contains("reply_markup"));
    CHECK(parse_body(bodies[2]).contains("reply_markup"));
}

TEST_CASE("Telegram choices with empty, over-64-byte or repeated ids are left out") {
    const std::string max_id(64, 'a');
    const std::string long_id(65, 'b');
    const auto bodies = render_telegram(
        "1", {"Valitse", {{"", "Empty"}, {long_id, "Long"}, {max_id, "Max"}, {max_id, "Again"}}});
    const json keyboard = parse_body(bodies.at(0))["reply_markup"]["inline_keyboard"];
    REQUIRE(keyboard.size() == 1);
    CHECK(keyboard[0][0]["callback_data"] == max_id);
}

TEST_CASE("a Telegram reply with choices but no text still sends the keyboard") {
    const auto bodies = render_telegram("1", {"", {{"yes", "Kyllä"}}});
    REQUIRE(bodies.size() == 1);
    CHECK(parse_body(bodies[0])["text"] == "…");
    CHECK(render_telegram("1", {"", {}}).empty());
}

TEST_CASE("Telegram bodies are byte for byte what nlohmann writes for the same object") {
    // render_telegram writes its JSON by hand; this is the tree it stands for.
    const auto expected = [](const json& chat_id, const std::string& text,
                             const std::vector<opas::bot::choice>& buttons) {
        json body = {{"chat_id", chat_id}, {"text", text}};
        json rows = json::array();
        for (const auto& c : buttons)
            rows.push_back(json::array({{{"text", c.title}, {"callback_data", c.id}}}));
        if (!buttons.empty()) body["reply_markup"] = {{"inline_keyboard", rows}};
        return body.dump();
    };
    std::string controls;
    for (char c = 1; c < 0x20; ++c) controls += c;
    const std::string odd = "quote \" backslash \\ slash / " + controls + "\x7f end";
    const std::vector<opas::bot::choice> buttons = {{"a\"b", "t\\u"}, {"lang:ar", "العربية 👋🏽"}};
    CHECK(render_telegram("007", {odd, {}}).at(0) == expected(7, odd, {}));
    CHECK(render_telegram("-0", {"x", buttons}).at(0) == expected(0, "x", buttons));
    CHECK(render_telegram("+5", {"x", {}}).at(0) == expected("+5", "x", {}));
    CHECK(render_telegram("-9223372036854775808", {"x", {}}).at(0) ==
          expected(INT64_MIN, "x", {}));
    CHECK(render_telegram("@a\"b", {"مرحبا 中文", buttons}).at(0) ==
          expected("@a\"b", "مرحبا 中文", buttons));
    CHECK(render_telegram("1", {"", {{"only", ""}}}).at(0) ==
          expected(1, "\u2026", {{"only", "only"}}));
    CHECK(render_telegram_callback_answer("id\"\n") ==
          json{{"callback_query_id", "id\"\n"}}.dump());
}

TEST_CASE("the answerCallbackQuery body names the callback query") {
    CHECK(parse_body(render_telegram_callback_answer("4382bfdwdsb323b2d9")) ==
          json{{"callback_query_id", "4382bfdwdsb323b2d9"}});
}

TEST_CASE("a successful Telegram send reports the message id") {
    const auto r = classify_telegram_response(
        200, R"({"ok":true,"result":{"message_id":1366,"date":1700000001,"chat":{"id":1}}})");
    CHECK(r.outcome == send_result::kind::ok);
    CHECK(r.platform_message_id == "1366");
}

TEST_CASE("a Telegram 429 is retried after parameters.retry_after") {
    const auto r = classify_telegram_response(
        429, R"({"ok":false,"error_code":429,"description":"Too Many Requests: retry after 35",
                "parameters":{"retry_after":35}})");
    CHECK(r.outcome == send_result::kind::retry);
    CHECK(r.retry_after_s == 35);
}

TEST_CASE("a Telegram 403 means the person blocked the bot") {
    const auto r = classify_telegram_response(
        403,
        R"({"ok":false,"error_code":403,"description":"Forbidden: bot was blocked by the user"})");
    CHECK(r.outcome == send_result::kind::blocked);
    CHECK(r.reason == "blocked_by_user");
}

TEST_CASE("a Telegram 400 chat not found means the chat is unreachable") {
    const auto r = classify_telegram_response(
        400, R"({"ok":false,"error_code":400,"description":"Bad Request: chat not found"})");
    CHECK(r.outcome == send_result::kind::blocked);
}

TEST_CASE("other Telegram 4xx answers fail with a short reason") {
    const auto r = classify_telegram_response(
        400, R"({"ok":false,"error_code":400,"description":"Bad Request: message is too long"})");
    CHECK(r.outcome == send_result::kind::failed);
    CHECK(r.reason == "http_400");
}

TEST_CASE("Telegram 5xx answers and unreadable bodies are retried") {
    CHECK(classify_telegram_response(502, "<html>Bad Gateway</html>").outcome ==
          send_result::kind::retry);
    CHECK(classify_telegram_response(200, "not json").outcome == send_result::kind::retry);
}
