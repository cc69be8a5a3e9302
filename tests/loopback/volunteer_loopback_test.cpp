// Volunteer enrolment in Ukrainian over the WhatsApp webhook with the fake Cloud API: typed
// answers and button replies, the record waits for staff, and the admin API's approval
// reaches the person on WhatsApp.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "tests/loopback/harness.hpp"

using namespace opas::testing;
using json = nlohmann::json;

namespace {

constexpr const char* volunteer_phone = "380671234567";

std::string button_reply(const std::string& wamid, const std::string& id) {
    auto j = json::parse(whatsapp_text_payload(wamid, volunteer_phone, "x"));
    auto& m = j["entry"][0]["changes"][0]["value"]["messages"][0];
    m.erase("text");
    m["type"] = "interactive";
    m["interactive"] = {{"type", "button_reply"}, {"button_reply", {{"id", id}, {"title", id}}}};
    return j.dump();
}

std::size_t calls_to_phone(const fake_api& api) {
    std::size_t n = 0;
    for (const auto& c : api.calls())
        if (json::parse(c.body, nullptr, false).value("to", "") == volunteer_phone) ++n;
    return n;
}

bool any_text_contains(const fake_api& api, const std::string& needle) {
    for (const auto& c : api.calls())
        if (c.body.find(needle) != std::string::npos) return true;
    return false;
}

}  // namespace

TEST_CASE("a Ukrainian volunteer enrols over WhatsApp and staff approval reaches them") {
    temp_dir dir;
    fake_api api;
    opas_process opas(dir.path(), test_config(dir.path(), api, R"("admin":{"token":"staff-token"})"));
    const std::string db = dir.path() + "/opas.db";
    int n = 0;
    // Each step waits for the bot's answer before the person goes on, as a person would.
    const auto step = [&](const std::string& body) {
        const auto before = calls_to_phone(api);
        REQUIRE(post_signed(opas, body).status == 200);
        REQUIRE(wait_until([&] { return calls_to_phone(api) > before; }));
    };
    const auto says = [&](const std::string& text) {
        step(whatsapp_text_payload("wamid.V" + std::to_string(++n), volunteer_phone, text));
    };
    says("Хочу стати волонтером");
    says("Олена Коваленко");
    says("українська, англійська");
    step(button_reply("wamid.V" + std::to_string(++n), "vol:int:events"));
    step(button_reply("wamid.V" + std::to_string(++n), "vol:int:done"));
    says("у вівторок увечері");
    step(button_reply("wamid.V" + std::to_string(++n), "vol:yes"));

    REQUIRE(sql_rows(db, "SELECT status, languages FROM volunteers") ==
            std::vector<std::string>{"pending|[\"uk\",\"en\"]"});
    const auto list = http_request(opas.port(), "GET", "/admin/volunteers", "",
                                   {{"Authorization", "Bearer staff-token"}});
    REQUIRE(list.status == 200);
    const auto volunteers = json::parse(list.body)["volunteers"];
    REQUIRE(volunteers.size() == 1);
    CHECK(volunteers[0]["name"] == "Олена Коваленко");
    CHECK(list.body.find(volunteer_phone) == std::string::npos);  // staff see the name, never the number

    const std::string id = std::to_string(volunteers[0]["id"].get<long long>());
    const auto approve = http_request(opas.port(), "POST", "/admin/volunteers/" + id + "/approve",
                                      "", {{"Authorization", "Bearer staff-token"}});
    CHECK(approve.status == 200);
    CHECK(wait_until([&] { return any_text_contains(api, "Гарні новини, Олена Коваленко"); }));
    CHECK(sql_rows(db, "SELECT status FROM volunteers") == std::vector<std::string>{"approved"});
    CHECK(opas.terminate() == 0);
}
