// Shift reminders: once per (shift, volunteer, lead), also across a restart at the due moment;
// "I'll be there" / "I can't come"; WhatsApp templates outside the 24-hour window.
#include <catch2/catch.hpp>

#include "tests/bot/volunteer_fixture.hpp"

using namespace opas::bot;
using namespace opas::bot::volunteer_test;

namespace {

// The shift starts Friday 2026-12-18 10:00 local = 1797580800; the clock starts on Tuesday
// 12:00, so both default leads (a day and two hours before) are ahead.
constexpr std::int64_t shift_start_ms = 1'797'580'800'000;

std::int64_t accepted_shift(volunteer_bench& b, const std::string& user, const std::string& ch = "telegram") {
    REQUIRE(approved_volunteer(b, user, "Aino", "fi", "suomi", ch) != 0);
    const auto shift = new_shift(b, "2026-12-18T10:00", "2026-12-18T14:00", 2);
    REQUIRE(shift != 0);
    b.presses(user, "vol:accept:" + std::to_string(shift), ch);
    b.outbox(user);
    return shift;
}

}  // namespace

TEST_CASE("a shift reminder goes once at each lead with I'll be there and I can't come") {
    volunteer_bench b;
    const auto shift = accepted_shift(b, "9001");
    REQUIRE(b.tick());
    CHECK(b.outbox("9001").empty());

    b.set_now(shift_start_ms - 1440 * 60'000 - 1000);  // a second before the day-ahead lead
    REQUIRE(b.tick());
    CHECK(b.outbox("9001").empty());
    b.set_now(shift_start_ms - 1440 * 60'000);
    REQUIRE(b.tick());
    REQUIRE(b.tick());
    const auto day_ahead = b.outbox("9001");
    REQUIRE(day_ahead.size() == 1);
    CHECK(day_ahead[0].kind == "message");
    CHECK(contains(day_ahead[0].message.text, "Kielikahvila"));
    const std::string id = std::to_string(shift);
    REQUIRE(day_ahead[0].message.choices.size() == 2);
    CHECK(day_ahead[0].message.choices[0].id == "vol:there:" + id);
    CHECK(day_ahead[0].message.choices[1].id == "vol:cant:" + id);

    b.set_now(shift_start_ms - 120 * 60'000 + 5000);
    REQUIRE(b.tick());
    REQUIRE(b.tick());
    CHECK(b.outbox("9001").size() == 1);
    CHECK(b.sql("SELECT target, lead_minutes FROM reminders ORDER BY lead_minutes") ==
          std::vector<std::string>{"shift:" + id + ":1|120.0", "shift:" + id + ":1|1440.0"});
}

TEST_CASE("a shift reminder due at a restart goes exactly once") {
    volunteer_bench b;
    accepted_shift(b, "9101");
    b.set_now(shift_start_ms - 1440 * 60'000);
    b.reopen();  // the process restarts at the due moment
    REQUIRE(b.tick());
    b.reopen();
    REQUIRE(b.tick());
    REQUIRE(b.tick());
    CHECK(b.outbox("9101").size() == 1);
}

TEST_CASE("I'll be there in a reminder is thanked") {
    volunteer_bench b;
    const auto shift = accepted_shift(b, "9201");
    b.set_now(shift_start_ms - 120 * 60'000);
    REQUIRE(b.tick());
    b.outbox("9201");
    const auto r = b.presses("9201", "vol:there:" + std::to_string(shift));
    CHECK(all_text(r) == b.text("fi", "shift.reminder_ok") + "\n");
}

TEST_CASE("I can't come in a reminder gives the place to the next volunteer") {
    volunteer_bench b;
    const auto shift = accepted_shift(b, "9301");
    approved_volunteer(b, "9302", "Bea", "fi", "suomi");  // offered the shift on approval
    b.presses("9302", "vol:decline:" + std::to_string(shift));
    approved_volunteer(b, "9303", "Cem", "fi", "suomi");
    b.set_now(shift_start_ms - 120 * 60'000);
    REQUIRE(b.tick());
    b.outbox("9301");
    const auto r = b.presses("9301", "vol:cant:" + std::to_string(shift));
    CHECK(contains(all_text(r), "Kielikahvila"));
    CHECK(b.replies_to("9302").empty());
    CHECK(offers(b.replies_to("9303"), "vol:accept:" + std::to_string(shift)));
    REQUIRE(b.tick());
    CHECK(b.outbox("9301").empty());  // no reminders for a cancelled place
}

TEST_CASE("a WhatsApp shift reminder outside the 24-hour window goes as a template") {
    volunteer_bench b;
    const auto shift = accepted_shift(b, "358401234567", "whatsapp");
    b.set_now(shift_start_ms - 120 * 60'000);  // the volunteer wrote last on Tuesday
    REQUIRE(b.tick());
    const auto sent = b.outbox("358401234567");
    REQUIRE(sent.size() == 1);
    CHECK(sent[0].kind == "template");
    const auto payload = nlohmann::json::parse(sent[0].payload);
    CHECK(payload["name"] == "shift_reminder");
    CHECK(payload["language"] == "fi");
    REQUIRE(payload["params"].size() == 3);
    CHECK(payload["params"][0] == "Kielikahvila");
    CHECK(payload["params"][2] == "Esimerkkikatu 1");
    CHECK(sent[0].message.choices.size() == 2);  // the fallback is the ordinary reminder
    CHECK(sent[0].message.choices[0].id == "vol:there:" + std::to_string(shift));
}

TEST_CASE("a WhatsApp shift reminder inside the 24-hour window is an ordinary message") {
    volunteer_bench b;
    accepted_shift(b, "358407654321", "whatsapp");
    b.set_now(shift_start_ms - 120 * 60'000 - 3600'000);
    b.says("358407654321", "kiitos", "fi", "whatsapp");
    b.set_now(shift_start_ms - 120 * 60'000);
    REQUIRE(b.tick());
    const auto sent = b.outbox("358407654321");
    REQUIRE(sent.size() == 1);
    CHECK(sent[0].kind == "message");
}

TEST_CASE("shift reminder leads come from the configuration") {
    volunteer_bench b([](config& c) { c.shift_reminder_leads_minutes = {30.5}; });
    accepted_shift(b, "9401");
    b.set_now(shift_start_ms - 120 * 60'000);
    REQUIRE(b.tick());
    CHECK(b.outbox("9401").empty());
    b.set_now(shift_start_ms - 30 * 60'000 - 30'000);
    REQUIRE(b.tick());
    CHECK(b.outbox("9401").size() == 1);
}
