#include "webhooks/whatsapp.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "webhooks/split.hpp"

using opas::bot::choice;
using opas::bot::inbound_kind;
using opas::webhooks::classify_whatsapp_response;
using opas::webhooks::count_code_points;
using opas::webhooks::parse_whatsapp;
using opas::webhooks::render_whatsapp;
using opas::webhooks::render_whatsapp_template;
using opas::webhooks::send_result;
using opas::webhooks::whatsapp_signature_ok;
using opas::webhooks::whatsapp_verify;
using json = nlohmann::json;

namespace {

// RFC 4231 test case 2: HMAC-SHA256(key "Jefe", "what do ya want for nothing?").
constexpr const char* rfc_key = "Jefe";
constexpr const char* rfc_body = "what do ya want for nothing?";
constexpr const char* rfc_hex = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";

json text_message(const std::string& from, const std::string& id, const std::string& body) {
    return {{"from", from},
            {"id", id},
            {"timestamp", "1700000000"},
            {"type", "text"},
            {"text", {{"body", body}}}};
}

// One change of field "messages" as the Cloud API documents it.
json change(const json& messages, const json& statuses = json::array()) {
    json value = {
        {"messaging_product", "whatsapp"},
        {"metadata",
         {{"display_phone_number", "358401234567"}, {"phone_number_id", "106540352242922"}}},
        {"contacts", json::array({{{"profile", {{"name", "Amina"}}}, {"wa_id", "358409876543"}}})}};
    if (!messages.empty()) value["messages"] = messages;
    if (!statuses.empty()) value["statuses"] = statuses;
    return {{"field", "messages"}, {"value", value}};
}

std::string payload(const json& changes) {
    return json{{"object", "whatsapp_business_account"},
                {"entry", json::array({{{"id", "102290129340398"}, {"changes", changes}}})}}
        .dump();
}

opas::bot::inbound only_event(const json& message) {
    const auto result = parse_whatsapp(payload(json::array({change(json::array({message}))})));
    REQUIRE(result.ok);
    REQUIRE(result.events.size() == 1);
    return result.events[0];
}

std::vector<json> parse_bodies(const std::vector<std::string>& bodies) {
    std::vector<json> out;
    for (const auto& b : bodies) out.push_back(json::parse(b));
    return out;
}

std::vector<choice> numbered_choices(int n) {
    std::vector<choice> choices;
    for (int i = 1; i <= n; ++i)
        choices.push_back({"c" + std::to_string(i), "Option " + std::to_string(i)});
    return choices;
}

}  // namespace

TEST_CASE("a WhatsApp signature of the raw body is accepted") {
    CHECK(whatsapp_signature_ok(std::string("sha256=") + rfc_hex, rfc_body, rfc_key));
}

TEST_CASE("a WhatsApp signature in uppercase hex is accepted") {
    std::string upper = rfc_hex;
    for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    CHECK(whatsapp_signature_ok("sha256=" + upper, rfc_body, rfc_key));
}

TEST_CASE("a wrong WhatsApp signature is refused") {
    std::string wrong = rfc_hex;
    wrong[0] = '6';
    CHECK_FALSE(whatsapp_signature_ok("sha256=" + wrong, rfc_body, rfc_key));
    CHECK_FALSE(whatsapp_signature_ok(std::string("sha256=") + rfc_hex, rfc_body, "Jeff"));
}

TEST_CASE("a missing WhatsApp signature is refused") {
    CHECK_FALSE(whatsapp_signature_ok("", rfc_body, rfc_key));
    CHECK_FALSE(whatsapp_signature_ok("sha256=", rfc_body, rfc_key));
}

TEST_CASE("a WhatsApp signature with a wrong prefix or length is refused") {
    CHECK_FALSE(whatsapp_signature_ok(std::string("sha1=") + rfc_hex, rfc_body, rfc_key));
    CHECK_FALSE(whatsapp_signature_ok(rfc_hex, rfc_body, rfc_key));
    CHECK_FALSE(whatsapp_signature_ok(std::string("sha256=") + rfc_hex + "00", rfc_body, rfc_key));
    CHECK_FALSE(whatsapp_signature_ok(std::string("sha256=") + std::string(rfc_hex).substr(2),
                                      rfc_body, rfc_key));
}

TEST_CASE("a WhatsApp body changed by one byte fails the signature") {
    std::string body = rfc_body;
    body.back() = '!';
    CHECK_FALSE(whatsapp_signature_ok(std::string("sha256=") + rfc_hex, body, rfc_key));
}

TEST_CASE("a WhatsApp signature is refused when no app secret is set") {
    CHECK_FALSE(whatsapp_signature_ok(std::string("sha256=") + rfc_hex, rfc_body, ""));
}

TEST_CASE("the WhatsApp verification answers the challenge when the token matches") {
    CHECK(whatsapp_verify("hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=t0k%2Fen",
                          "t0k/en") == "1158201444");
    CHECK(whatsapp_verify("/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=abc"
                          "&hub.challenge=42",
                          "abc") == "42");
}

TEST_CASE("the WhatsApp verification refuses a wrong token or mode") {
    CHECK_FALSE(whatsapp_verify("hub.mode=subscribe&hub.verify_token=abd&hub.challenge=1", "abc"));
    CHECK_FALSE(
        whatsapp_verify("hub.mode=unsubscribe&hub.verify_token=abc&hub.challenge=1", "abc"));
    CHECK_FALSE(whatsapp_verify("hub.mode=subscribe&hub.challenge=1", "abc"));
    CHECK_FALSE(whatsapp_verify("hub.mode=subscribe&hub.verify_token=&hub.challenge=1", ""));
    CHECK_FALSE(whatsapp_verify("hub.mode=subscribe&hub.verify_token=abc", "abc"));
}

TEST_CASE("a WhatsApp text message becomes a text event") {
    const auto event = only_event(text_message("358409876543", "wamid.HBgLMzU4", "Moi"));
    CHECK(event.source == opas::bot::channel::whatsapp);
    CHECK(event.kind == inbound_kind::text);
    CHECK(event.message_id == "wa:wamid.HBgLMzU4");
    CHECK(event.user_id == "358409876543");
    CHECK(event.chat_id == "358409876543");
    CHECK(event.text == "Moi");
    CHECK(event.time == 1700000000);
    CHECK(event.language_hint.empty());
}

TEST_CASE("every entry, change and message of one WhatsApp POST is read") {
    const json first = change(
        json::array({text_message("111", "wamid.1", "a"), text_message("222", "wamid.2", "b")}));
    const json second = change(json::array({text_message("333", "wamid.3", "c")}));
    const json body = {
        {"object", "whatsapp_business_account"},
        {"entry", json::array({{{"id", "1"}, {"changes", json::array({first, second})}},
                               {{"id", "2"}, {"changes", json::array({first})}}})}};
    const auto result = parse_whatsapp(body.dump());
    REQUIRE(result.ok);
    std::vector<std::string> ids;
    for (const auto& e : result.events) ids.push_back(e.message_id);
    CHECK(ids == std::vector<std::string>{"wa:wamid.1", "wa:wamid.2", "wa:wamid.3", "wa:wamid.1",
                                          "wa:wamid.2"});
}

TEST_CASE("a WhatsApp button reply becomes a choice with the reply id") {
    const auto event = only_event(
        {{"context", {{"from", "358401234567"}, {"id", "wamid.ctx"}}},
         {"from", "358409876543"},
         {"id", "wamid.btn"},
         {"timestamp", "1700000001"},
         {"type", "interactive"},
         {"interactive",
          {{"type", "button_reply"}, {"button_reply", {{"id", "book:yes"}, {"title", "Kyllä"}}}}}});
    CHECK(event.kind == inbound_kind::choice);
    CHECK(event.text == "book:yes");
}

TEST_CASE("a WhatsApp list reply becomes a choice with the row id") {
    const auto event = only_event(
        {{"from", "358409876543"},
         {"id", "wamid.list"},
         {"timestamp", "1700000002"},
         {"type", "interactive"},
         {"interactive",
          {{"type", "list_reply"},
           {"list_reply",
            {{"id", "topic:housing"}, {"title", "Asuminen"}, {"description", "Vuokra-asunto"}}}}}});
    CHECK(event.kind == inbound_kind::choice);
    CHECK(event.text == "topic:housing");
}

TEST_CASE("a WhatsApp template quick reply becomes a choice with its payload") {
    const auto event = only_event({{"from", "358409876543"},
                                   {"id", "wamid.qr"},
                                   {"timestamp", "1700000003"},
                                   {"type", "button"},
                                   {"button", {{"payload", "shift:confirm"}, {"text", "Tulen"}}}});
    CHECK(event.kind == inbound_kind::choice);
    CHECK(event.text == "shift:confirm");
}

TEST_CASE("a WhatsApp image becomes a media event") {
    const auto event = only_event({{"from", "358409876543"},
                                   {"id", "wamid.img"},
                                   {"timestamp", "1700000004"},
                                   {"type", "image"},
                                   {"image",
                                    {{"caption", "permit"},
                                     {"mime_type", "image/jpeg"},
                                     {"sha256", "abc"},
                                     {"id", "1234"}}}});
    CHECK(event.kind == inbound_kind::media);
    CHECK(event.text.empty());
}

TEST_CASE("a WhatsApp reaction is ignored but keeps its message id") {
    const auto event = only_event({{"from", "358409876543"},
                                   {"id", "wamid.react"},
                                   {"timestamp", "1700000005"},
                                   {"type", "reaction"},
                                   {"reaction", {{"message_id", "wamid.ours"}, {"emoji", "👍"}}}});
    CHECK(event.kind == inbound_kind::ignored);
    CHECK(event.message_id == "wa:wamid.react");
}

TEST_CASE("WhatsApp delivery statuses become status events") {
    const json statuses = json::array({
        {{"id", "wamid.out1"},
         {"status", "delivered"},
         {"timestamp", "1700000010"},
         {"recipient_id", "358409876543"},
         {"conversation", {{"id", "c1"}, {"origin", {{"type", "service"}}}}},
         {"pricing", {{"billable", true}, {"category", "service"}}}},
        {{"id", "wamid.out1"},
         {"status", "read"},
         {"timestamp", "1700000020"},
         {"recipient_id", "358409876543"}},
        {{"id", "wamid.out2"},
         {"status", "failed"},
         {"timestamp", "1700000030"},
         {"recipient_id", "358409876543"},
         {"errors", json::array({{{"code", 131047}, {"title", "Re-engagement message"}}})}},
    });
    const auto result = parse_whatsapp(payload(json::array({change(json::array(), statuses)})));
    REQUIRE(result.ok);
    REQUIRE(result.events.size() == 3);
    CHECK(result.events[0].kind == inbound_kind::status);
    CHECK(result.events[0].message_id == "wa:status:wamid.out1:delivered");
    CHECK(result.events[0].text == "wamid.out1");
    CHECK(result.events[0].chat_id == "358409876543");
    CHECK(result.events[1].status == "read");
    CHECK(result.events[2].status == "failed");
    CHECK(result.events[2].error_code == 131047);
    CHECK(result.events[2].time == 1700000030);
}

TEST_CASE("WhatsApp messages and statuses without required fields are skipped") {
    const json messages = json::array({{{"id", "wamid.nofrom"}, {"type", "text"}},
                                       "not an object",
                                       text_message("358409876543", "wamid.ok", "hi")});
    const json statuses = json::array({{{"id", "wamid.x"}, {"status", "sent"}}});
    const auto result = parse_whatsapp(payload(json::array({change(messages, statuses)})));
    REQUIRE(result.ok);
    REQUIRE(result.events.size() == 1);
    CHECK(result.events[0].message_id == "wa:wamid.ok");
}

TEST_CASE("WhatsApp fields of the wrong type neither crash nor pass") {
    json message = text_message("358409876543", "wamid.t", "hi");
    message["timestamp"] = 1700000000;
    message["text"] = {{"body", 5}};
    const auto event = only_event(message);
    CHECK(event.kind == inbound_kind::ignored);
    CHECK(event.time == 0);
    const auto odd = parse_whatsapp(R"({"object":"whatsapp_business_account","entry":{"x":1}})");
    CHECK(odd.ok);
    CHECK(odd.events.empty());
}

TEST_CASE("a WhatsApp change of another field is not read") {
    json other = change(json::array({text_message("1", "wamid.1", "a")}));
    other["field"] = "account_update";
    const auto result = parse_whatsapp(payload(json::array({other})));
    CHECK(result.ok);
    CHECK(result.events.empty());
}

TEST_CASE("a webhook of another object is accepted with no events") {
    const auto result = parse_whatsapp(R"({"object":"page","entry":[]})");
    CHECK(result.ok);
    CHECK(result.events.empty());
}

TEST_CASE("malformed WhatsApp JSON is rejected") {
    CHECK_FALSE(parse_whatsapp("{\"object\":").ok);
    CHECK_FALSE(parse_whatsapp("\"whatsapp_business_account\"").ok);
}

TEST_CASE("a WhatsApp reply without choices is a text message without link preview") {
    const auto bodies = parse_bodies(render_whatsapp("358409876543", {"Hei!", {}}));
    REQUIRE(bodies.size() == 1);
    CHECK(bodies[0] == json{{"messaging_product", "whatsapp"},
                            {"recipient_type", "individual"},
                            {"to", "358409876543"},
                            {"type", "text"},
                            {"text", {{"preview_url", false}, {"body", "Hei!"}}}});
}

TEST_CASE("a long WhatsApp text is split into messages within the limit") {
    std::string text;
    while (count_code_points(text) < 9000) text += "Ajanvaraus onnistuu keskuksessa. ";
    const auto bodies = parse_bodies(render_whatsapp("1", {text, {}}));
    REQUIRE(bodies.size() == 3);
    for (const auto& b : bodies)
        CHECK(count_code_points(b["text"]["body"].get<std::string>()) <= 4096);
}

TEST_CASE("one to three WhatsApp choices become reply buttons") {
    const auto bodies =
        parse_bodies(render_whatsapp("1", {"Varataanko?", {{"yes", "Kyllä"}, {"no", "Ei"}}}));
    REQUIRE(bodies.size() == 1);
    const json& interactive = bodies[0]["interactive"];
    CHECK(bodies[0]["type"] == "interactive");
    CHECK(interactive["type"] == "button");
    CHECK(interactive["body"]["text"] == "Varataanko?");
    CHECK(interactive["action"]["buttons"] ==
          json::array({{{"type", "reply"}, {"reply", {{"id", "yes"}, {"title", "Kyllä"}}}},
                       {{"type", "reply"}, {"reply", {{"id", "no"}, {"title", "Ei"}}}}}));
}

TEST_CASE("WhatsApp button titles are shortened to 20 characters and kept unique") {
    const std::vector<choice> choices = {{"a", "Oleskelulupa ja perheenyhdistäminen"},
                                         {"b", "Oleskelulupa ja perheenyhdistäminen"},
                                         {"c", "Oleskelulupa ja kansalaisuus"}};
    const auto bodies = parse_bodies(render_whatsapp("1", {"Aihe?", choices}));
    std::set<std::string> titles;
    for (const auto& b : bodies.at(0)["interactive"]["action"]["buttons"]) {
        const auto title = b["reply"]["title"].get<std::string>();
        CHECK(count_code_points(title) <= 20);
        titles.insert(title);
    }
    CHECK(titles.size() == 3);
    CHECK(titles == std::set<std::string>{"Oleskelulupa ja per…", "Oleskelulupa ja p… 2",
                                          "Oleskelulupa ja kan…"});
}

TEST_CASE("WhatsApp text too long for a button body goes first as plain text") {
    std::string text;
    while (count_code_points(text) < 3000) text += "Kela maksaa lapsilisää. ";
    text += "Haluatko varata ajan?";
    const auto bodies = parse_bodies(render_whatsapp("1", {text, {{"yes", "Kyllä"}}}));
    REQUIRE(bodies.size() >= 2);
    for (std::size_t i = 0; i + 1 < bodies.size(); ++i) CHECK(bodies[i]["type"] == "text");
    const json& last = bodies.back();
    CHECK(last["type"] == "interactive");
    const auto body_text = last["interactive"]["body"]["text"].get<std::string>();
    CHECK(count_code_points(body_text) <= 1024);
    CHECK(std::string_view(body_text).ends_with("Haluatko varata ajan?"));
}

TEST_CASE("four to ten WhatsApp choices become a list") {
    auto choices = numbered_choices(4);
    choices[3].title = "Kotoutumiskoulutus ja suomen kielen kurssit";
    const auto bodies = parse_bodies(render_whatsapp("1", {"Aiheet", choices}, "Aiheet ☰"));
    REQUIRE(bodies.size() == 1);
    const json& interactive = bodies[0]["interactive"];
    CHECK(interactive["type"] == "list");
    CHECK(interactive["action"]["button"] == "Aiheet ☰");
    const json& rows = interactive["action"]["sections"].at(0)["rows"];
    REQUIRE(rows.size() == 4);
    CHECK(rows[0] == json{{"id", "c1"}, {"title", "Option 1"}});
    CHECK(count_code_points(rows[3]["title"].get<std::string>()) <= 24);
    CHECK(rows[3]["description"] == "Kotoutumiskoulutus ja suomen kielen kurssit");
}

TEST_CASE("the WhatsApp list button label has a default within 20 characters") {
    const auto bodies = parse_bodies(render_whatsapp("1", {"Aiheet", numbered_choices(10)}));
    const auto label = bodies.at(0)["interactive"]["action"]["button"].get<std::string>();
    CHECK(label == "Valitse / Choose");
    CHECK(bodies[0]["interactive"]["action"]["sections"][0]["rows"].size() == 10);
}

TEST_CASE("more than ten WhatsApp choices are numbered in the text") {
    const auto bodies = parse_bodies(render_whatsapp("1", {"Valitse:", numbered_choices(11)}));
    REQUIRE(bodies.size() == 1);
    CHECK(bodies[0]["type"] == "text");
    const auto text = bodies[0]["text"]["body"].get<std::string>();
    CHECK(std::string_view(text).starts_with("Valitse:\n\n1. Option 1\n2. Option 2\n"));
    CHECK(std::string_view(text).ends_with("\n11. Option 11"));
}

TEST_CASE("a WhatsApp template body carries name, language and parameters") {
    const json body = json::parse(
        render_whatsapp_template("358409876543", "shift_reminder", "fi", {"ma 3.3.", "klo 10:00"}));
    CHECK(body["type"] == "template");
    CHECK(body["to"] == "358409876543");
    CHECK(body["template"]["name"] == "shift_reminder");
    CHECK(body["template"]["language"] == json{{"code", "fi"}});
    CHECK(
        body["template"]["components"] ==
        json::array({{{"type", "body"},
                      {"parameters", json::array({{{"type", "text"}, {"text", "ma 3.3."}},
                                                  {{"type", "text"}, {"text", "klo 10:00"}}})}}}));
}

TEST_CASE("WhatsApp template parameters lose newlines, tabs and long runs of spaces") {
    const json body = json::parse(render_whatsapp_template("1", "t", "en", {"a\nb\t\tc      d"}));
    CHECK(body["template"]["components"][0]["parameters"][0]["text"] == "a b c d");
}

TEST_CASE("a successful WhatsApp send reports the message id") {
    const auto r = classify_whatsapp_response(
        200, R"({"messaging_product":"whatsapp","contacts":[{"input":"358409876543",
                "wa_id":"358409876543"}],"messages":[{"id":"wamid.HBgL"}]})");
    CHECK(r.outcome == send_result::kind::ok);
    CHECK(r.platform_message_id == "wamid.HBgL");
}

TEST_CASE("a WhatsApp send outside the 24-hour window fails as outside_window") {
    const auto r = classify_whatsapp_response(
        400, R"({"error":{"message":"(#131047) Re-engagement message","type":"OAuthException",
                "code":131047,"error_data":{"messaging_product":"whatsapp"},"fbtrace_id":"A"}})");
    CHECK(r.outcome == send_result::kind::failed);
    CHECK(r.reason == "outside_window");
}

TEST_CASE("WhatsApp rate limits and 5xx answers are retried") {
    for (const int code : {130429, 131056, 4, 80007}) {
        const json error = {{"error", {{"message", "limit"}, {"code", code}}}};
        CHECK(classify_whatsapp_response(400, error.dump()).outcome == send_result::kind::retry);
    }
    CHECK(classify_whatsapp_response(503, "").outcome == send_result::kind::retry);
    CHECK(classify_whatsapp_response(429, "").outcome == send_result::kind::retry);
}

TEST_CASE("a WhatsApp recipient who cannot receive messages is blocked") {
    const auto r = classify_whatsapp_response(400, R"({"error":{"code":131026}})");
    CHECK(r.outcome == send_result::kind::blocked);
}

TEST_CASE("other WhatsApp 4xx answers fail with the error code") {
    CHECK(classify_whatsapp_response(400, R"({"error":{"code":100}})").reason == "wa_100");
    CHECK(classify_whatsapp_response(401, "nope").reason == "http_401");
    CHECK(classify_whatsapp_response(401, "nope").outcome == send_result::kind::failed);
}
