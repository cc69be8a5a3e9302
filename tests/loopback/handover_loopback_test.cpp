// Handover both ways over loopback: a person on WhatsApp -> the staff group on the fake
// Telegram API -> a staff reply update -> the person on the fake WhatsApp API; then /end.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/loopback/harness.hpp"

using namespace opas::testing;
using json = nlohmann::json;

namespace {

constexpr long long staff_group = -100777;
constexpr const char* handover_phone = "358407778899";

std::string staff_config(const std::string& dir, const fake_api& api) {
    const json hours = {{"mon", "00:00-24:00"}, {"tue", "00:00-24:00"}, {"wed", "00:00-24:00"},
                        {"thu", "00:00-24:00"}, {"fri", "00:00-24:00"}, {"sat", "00:00-24:00"},
                        {"sun", "00:00-24:00"}};
    const json staff = {{"telegram_chat_id", std::to_string(staff_group)}, {"hours", hours},
                        {"language", "en"}};
    return test_config(dir, api, "\"staff\":" + staff.dump());
}

http_response post_whatsapp(const opas_process& p, const std::string& wamid, const std::string& text) {
    const auto body = whatsapp_text_payload(wamid, handover_phone, text);
    return http_request(p.port(), "POST", "/webhooks/whatsapp", body,
                        {{"X-Hub-Signature-256", whatsapp_signature(body, whatsapp_secret)}});
}

// A staff member's message in the group, replying to the bot's message `replied_text`.
http_response post_staff_reply(const opas_process& p, long long update_id, const std::string& text,
                               const std::string& replied_text) {
    const json group = {{"id", staff_group}, {"type", "supergroup"}, {"title", "Staff"}};
    json u;
    u["update_id"] = update_id;
    u["message"] = {{"message_id", update_id},
                    {"from", {{"id", 31337}, {"is_bot", false}, {"first_name", "Maija"}}},
                    {"chat", group},
                    {"date", 1764000100},
                    {"text", text},
                    {"reply_to_message",
                     {{"message_id", 5},
                      {"from", {{"id", 123}, {"is_bot", true}, {"first_name", "Opas"}}},
                      {"chat", group},
                      {"date", 1764000050},
                      {"text", replied_text}}}};
    return http_request(p.port(), "POST", "/webhooks/telegram", u.dump(),
                        {{"X-Telegram-Bot-Api-Secret-Token", telegram_secret}});
}

std::vector<std::string> texts_to_group(const fake_api& api) {
    std::vector<std::string> out;
    for (const auto& c : api.calls()) {
        if (c.target.find("/sendMessage") == std::string::npos) continue;
        const auto j = json::parse(c.body, nullptr, false);
        if (!j.is_discarded() && j.value("chat_id", json()) == staff_group)
            out.push_back(j.value("text", ""));
    }
    return out;
}

bool has(const std::vector<std::string>& texts, const std::string& needle) {
    for (const auto& t : texts)
        if (t.find(needle) != std::string::npos) return true;
    return false;
}

}  // namespace

TEST_CASE("a WhatsApp handover reaches the staff group and the staff reply reaches the person") {
    temp_dir dir;
    fake_api api;
    opas_process opas(dir.path(), staff_config(dir.path(), api));
    REQUIRE(post_whatsapp(opas, "wamid.H1", "I want to talk to a person").status == 200);
    REQUIRE(wait_until([&] { return !texts_to_group(api).empty(); }));
    const std::string note = texts_to_group(api).front();
    CHECK(note.find("I want to talk to a person") != std::string::npos);
    CHECK(note.find("whatsapp") != std::string::npos);
    CHECK(note.find(handover_phone) == std::string::npos);
    REQUIRE(wait_until([&] { return !whatsapp_texts_to(api, handover_phone).empty(); }));  // "handover.started"

    REQUIRE(post_staff_reply(opas, 9001, "Hello! This is Maija from the centre.", note).status == 200);
    REQUIRE(wait_until([&] { return has(whatsapp_texts_to(api, handover_phone), "Hello! This is Maija from the centre."); }));

    REQUIRE(post_whatsapp(opas, "wamid.H2", "Can I come tomorrow?").status == 200);
    REQUIRE(wait_until([&] { return has(texts_to_group(api), "Can I come tomorrow?"); }));
    CHECK_FALSE(has(whatsapp_texts_to(api, handover_phone), "Can I come"));
}

TEST_CASE("/end in the staff group tells the WhatsApp person and the bot answers again") {
    temp_dir dir;
    fake_api api;
    opas_process opas(dir.path(), staff_config(dir.path(), api));
    REQUIRE(post_whatsapp(opas, "wamid.E1", "I want to talk to a person").status == 200);
    REQUIRE(wait_until([&] { return !texts_to_group(api).empty(); }));
    const std::string note = texts_to_group(api).front();
    // First contact: the welcome and the handover notice, in one message.
    REQUIRE(wait_until([&] { return whatsapp_texts_to(api, handover_phone).size() == 1; }));

    REQUIRE(post_staff_reply(opas, 9002, "/end", note).status == 200);
    REQUIRE(wait_until([&] { return whatsapp_texts_to(api, handover_phone).size() == 2; }));
    CHECK(whatsapp_texts_to(api, handover_phone)[1].find("ended") != std::string::npos);
    CHECK(sql_rows(dir.path() + "/opas.db", "SELECT count(*) FROM handovers").at(0) == "0");

    REQUIRE(wait_until([&] { return texts_to_group(api).size() == 2; }));  // "handover ended"
    REQUIRE(post_whatsapp(opas, "wamid.E2", "where is the centre").status == 200);
    REQUIRE(wait_until([&] { return whatsapp_texts_to(api, handover_phone).size() >= 3; }));
    CHECK(texts_to_group(api).size() == 2);  // answered by the bot, not forwarded
}
