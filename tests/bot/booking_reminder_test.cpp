// Reminders before appointments: once per lead, also across a restart at the due moment;
// WhatsApp templates outside the 24-hour window.
#include <catch2/catch.hpp>

#include "tests/bot/booking_fixture.hpp"

using namespace opas::bot;
using namespace opas::bot::test;

namespace {

// Books Thursday 17.12. 10:00 for `user` (on Tuesday noon); returns the booking id.
std::string book_thursday(booking_bench& b, const std::string& user, const std::string& ch = "telegram") {
    REQUIRE(b.presses(user, "menu:book", ch));
    REQUIRE(b.presses(user, "bk:topic:guidance.housing", ch));
    REQUIRE(b.presses(user, "bk:int:no", ch));
    REQUIRE(b.presses(user, "bk:day:2026-12-17", ch));
    REQUIRE(b.presses(user, "bk:slot:" + std::to_string(december_2026(17, 10)), ch));
    REQUIRE(b.presses(user, "bk:book", ch));
    b.outbox(user);
    return b.one("SELECT id FROM bookings WHERE status = 'booked' ORDER BY id DESC LIMIT 1");
}

constexpr std::int64_t thursday_ten_ms = 1'797'494'400'000;  // 17.12.2026 10:00 Helsinki

}  // namespace

TEST_CASE("an appointment reminder goes once when its lead time comes, with answer buttons") {
    booking_bench b;
    const std::string id = book_thursday(b, "9001");
    REQUIRE(december_2026(17, 10) * 1000 == thursday_ten_ms);
    b.set_now(thursday_ten_ms - 1440 * 60000 - 60000);
    REQUIRE(b.tick());
    CHECK(b.outbox("9001").empty());
    b.set_now(thursday_ten_ms - 1440 * 60000);
    REQUIRE(b.tick());
    const auto sent = b.outbox("9001");
    REQUIRE(sent.size() == 1);
    CHECK(sent[0].kind == "message");
    CHECK(sent[0].r.text == b.text("fi", "booking.reminder", {{"datetime", b.when("fi", december_2026(17, 10))},
                                                             {"address", b.cfg().centre.address}}));
    CHECK(offers(sent[0].r, "bk:ok:" + id));
    CHECK(offers(sent[0].r, "bk:cancel:" + id));
    REQUIRE(b.tick());
    CHECK(b.outbox("9001").empty());
    b.set_now(thursday_ten_ms - 120 * 60000);
    REQUIRE(b.tick());
    CHECK(b.outbox("9001").size() == 1);
    REQUIRE(b.tick());
    CHECK(b.outbox("9001").empty());
    CHECK(b.one("SELECT count(*) FROM reminders WHERE target = 'booking:" + id + "'") == "2");
}

TEST_CASE("a reminder due at a restart goes exactly once") {
    booking_bench b;
    book_thursday(b, "9002");
    b.set_now(thursday_ten_ms - 120 * 60000);
    b.reopen();
    REQUIRE(b.tick());
    b.reopen();
    REQUIRE(b.tick());
    REQUIRE(b.tick());
    // Both leads had passed: one message for both, each lead recorded once.
    CHECK(b.outbox("9002").size() == 1);
    CHECK(b.one("SELECT count(*) FROM reminders") == "2");
}

TEST_CASE("fractional lead minutes are honoured") {
    booking_bench b([](config& c) { c.booking_reminder_leads_minutes = {90.5}; });
    book_thursday(b, "9003");
    b.set_now(thursday_ten_ms - 90'500 * 60 - 1000);
    REQUIRE(b.tick());
    CHECK(b.outbox("9003").empty());
    b.set_now(thursday_ten_ms - 90'500 * 60);
    REQUIRE(b.tick());
    CHECK(b.outbox("9003").size() == 1);
}

TEST_CASE("a lead that passed before the booking was made sends nothing") {
    booking_bench b;
    REQUIRE(b.says("9004", "Haluan varata ajan neuvojalle", "fi"));
    REQUIRE(b.presses("9004", "bk:topic:guidance.housing"));
    REQUIRE(b.presses("9004", "bk:int:no"));
    REQUIRE(b.says("9004", "huomenna klo 10", "fi"));  // 22 hours ahead: the day-before lead passed
    REQUIRE(b.presses("9004", "bk:book"));
    b.outbox("9004");
    REQUIRE(b.tick());
    CHECK(b.outbox("9004").empty());
    b.set_now(b.now() + 20 * 3600 * 1000);  // Wednesday 08:00: two hours before
    REQUIRE(b.tick());
    CHECK(b.outbox("9004").size() == 1);
}

TEST_CASE("a cancelled appointment gets no reminder") {
    booking_bench b;
    const std::string id = book_thursday(b, "9005");
    REQUIRE(b.presses("9005", "bk:cancel:" + id));
    REQUIRE(b.presses("9005", "bk:cxyes:" + id));
    b.outbox("9005");
    b.set_now(thursday_ten_ms - 120 * 60000);
    REQUIRE(b.tick());
    CHECK(b.outbox("9005").empty());
}

TEST_CASE("reminder buttons confirm or cancel the appointment") {
    booking_bench b;
    const std::string id = book_thursday(b, "9006");
    b.set_now(thursday_ten_ms - 120 * 60000);
    REQUIRE(b.tick());
    b.outbox("9006");
    REQUIRE(b.presses("9006", "bk:ok:" + id));
    CHECK(b.last("9006").text == b.text("fi", "booking.reminder_ok"));
    REQUIRE(b.presses("9006", "bk:cancel:" + id));
    CHECK(b.last("9006").text == b.text("fi", "booking.cancel_confirm", {{"datetime", b.when("fi", december_2026(17, 10))}}));
    REQUIRE(b.presses("9006", "bk:cxyes:" + id));
    CHECK(b.one("SELECT status FROM bookings") == "cancelled");
}

TEST_CASE("on WhatsApp a reminder outside the 24-hour window goes as a template") {
    booking_bench b;
    book_thursday(b, "358409000007", "whatsapp");
    b.set_now(thursday_ten_ms - 120 * 60000);  // 44 hours after the last message
    REQUIRE(b.tick());
    const auto sent = b.outbox("358409000007");
    REQUIRE(sent.size() == 1);
    CHECK(sent[0].kind == "template");
    const auto p = nlohmann::json::parse(sent[0].payload);
    CHECK(p["name"] == "appointment_reminder");
    CHECK(p["language"] == "fi");
    CHECK(p["params"] == nlohmann::json::array({b.when("fi", december_2026(17, 10)), b.cfg().centre.address}));
    CHECK(offers(sent[0].r, "bk:ok:" + b.one("SELECT id FROM bookings")));
}

TEST_CASE("on WhatsApp a reminder inside the 24-hour window is a normal message") {
    booking_bench b;
    book_thursday(b, "358409000008", "whatsapp");
    b.set_now(thursday_ten_ms - 1440 * 60000 - 3600 * 1000);  // Wednesday 09:00
    REQUIRE(b.says("358409000008", "kiitos", "fi", "whatsapp"));
    b.outbox("358409000008");
    b.set_now(thursday_ten_ms - 1440 * 60000);
    REQUIRE(b.tick());
    const auto sent = b.outbox("358409000008");
    REQUIRE(sent.size() == 1);
    CHECK(sent[0].kind == "message");
}

TEST_CASE("a language without its own template uses the English one") {
    booking_bench b;
    REQUIRE(b.presses("358409000009", "lang:so", "whatsapp"));
    book_thursday(b, "358409000009", "whatsapp");
    b.set_now(thursday_ten_ms - 120 * 60000);
    REQUIRE(b.tick());
    const auto sent = b.outbox("358409000009");
    REQUIRE(sent.size() == 1);
    const auto p = nlohmann::json::parse(sent[0].payload);
    CHECK(p["language"] == "en_US");
    CHECK(p["params"][0] == b.when("en", december_2026(17, 10)));
    CHECK(sent[0].r.text == b.text("so", "booking.reminder", {{"datetime", b.when("so", december_2026(17, 10))},
                                                             {"address", b.cfg().centre.address}}));
}
