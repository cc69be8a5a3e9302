// Booking in Arabic on WhatsApp, through dispatcher + engine on a temp SQLite file.
#include <catch2/catch.hpp>

#include "tests/bot/booking_fixture.hpp"

using namespace opas::bot;
using namespace opas::bot::test;

namespace {

constexpr const char* ar = "358401110001";

reply says(booking_bench& b, const std::string& text) {
    REQUIRE(b.says(ar, text, "", "whatsapp"));
    return b.last(ar);
}

reply presses(booking_bench& b, const std::string& id) {
    REQUIRE(b.presses(ar, id, "whatsapp"));
    return b.last(ar);
}

}  // namespace

TEST_CASE("an Arabic speaker books with an Arabic interpreter by default") {
    booking_bench b;
    const reply topics = says(b, "بدي احجز موعد مع مرشد");
    REQUIRE(offers(topics, "bk:topic:guidance.social_security"));
    CHECK(topics.choices.size() <= 10);  // a WhatsApp list holds 10 rows
    const reply interpreter = presses(b, "bk:topic:guidance.social_security");
    CHECK(interpreter.text == b.text("ar", "booking.interpreter"));
    REQUIRE(offers(interpreter, "bk:int:ar"));
    const reply days = presses(b, "bk:int:ar");
    CHECK(days.text == b.text("ar", "booking.day"));
    CHECK(days.choices.size() <= 10);
    const reply times = presses(b, "bk:day:2026-12-17");
    REQUIRE(offers(times, "bk:slot:" + std::to_string(december_2026(17, 13))));
    const reply confirm = presses(b, "bk:slot:" + std::to_string(december_2026(17, 13)));
    CHECK(contains(confirm.text, b.when("ar", december_2026(17, 13))));
    CHECK(contains(confirm.text, b.text("ar", "booking.confirm_interpreter",
                                        {{"language", b.text("ar", "language.name")}})));
    const reply done = presses(b, "bk:book");
    CHECK(contains(done.text, b.when("ar", december_2026(17, 13))));
    CHECK(b.sql("SELECT topic, language, interpreter, status FROM bookings") ==
          std::vector<std::string>{"guidance.social_security|ar|ar|booked"});
}

TEST_CASE("Arabic dates are shown in Arabic") {
    booking_bench b;
    const std::string when = b.when("ar", december_2026(17, 13));
    CHECK(when != b.when("en", december_2026(17, 13)));
    CHECK(contains(when, "الخميس"));
}

TEST_CASE("an Arabic speaker types tomorrow at ten and confirms with a button") {
    booking_bench b;
    says(b, "احجز موعد");
    says(b, "3");  // the third topic
    says(b, "لا");
    const reply confirm = says(b, "غدا الساعة ١٠");
    CHECK(contains(confirm.text, b.when("ar", december_2026(16, 10))));
    presses(b, "bk:book");
    CHECK(b.one("SELECT slot_start || '|' || interpreter FROM bookings") ==
          std::to_string(december_2026(16, 10)) + "|");
}

TEST_CASE("an Arabic speaker lists and cancels with buttons") {
    booking_bench b;
    says(b, "احجز موعد");
    presses(b, "bk:topic:guidance.housing");
    presses(b, "bk:int:no");
    presses(b, "bk:day:2026-12-16");
    presses(b, "bk:slot:" + std::to_string(december_2026(16, 14)));
    presses(b, "bk:book");
    const std::string id = b.one("SELECT id FROM bookings");
    const reply list = says(b, "متى موعدي");
    CHECK(contains(list.text, b.when("ar", december_2026(16, 14))));
    REQUIRE(offers(list, "bk:cancel:" + id));
    const reply sure = presses(b, "bk:cancel:" + id);
    CHECK(sure.text == b.text("ar", "booking.cancel_confirm", {{"datetime", b.when("ar", december_2026(16, 14))}}));
    const reply cancelled = presses(b, "bk:cxyes:" + id);
    CHECK(cancelled.text == b.text("ar", "booking.cancelled", {{"datetime", b.when("ar", december_2026(16, 14))}}));
    CHECK(b.one("SELECT status FROM bookings") == "cancelled");
}

TEST_CASE("an Arabic speaker moves an appointment") {
    booking_bench b;
    says(b, "احجز موعد");
    presses(b, "bk:topic:guidance.health");
    presses(b, "bk:int:no");
    says(b, "غدا الساعة ١١");
    presses(b, "bk:book");
    const std::string old_id = b.one("SELECT id FROM bookings");
    const reply action = says(b, "بدي الغي موعدي");
    REQUIRE(offers(action, "bk:move:" + old_id));
    presses(b, "bk:move:" + old_id);
    presses(b, "bk:day:2026-12-21");
    presses(b, "bk:slot:" + std::to_string(december_2026(21, 10, 30)));
    const reply moved = presses(b, "bk:book");
    CHECK(moved.text == b.text("ar", "booking.moved", {{"datetime", b.when("ar", december_2026(21, 10, 30))}}));
    CHECK(b.sql("SELECT status, topic FROM bookings ORDER BY id") ==
          std::vector<std::string>{"moved|guidance.health", "booked|guidance.health"});
}

TEST_CASE("an Arabic speaker leaves the booking with the menu word") {
    booking_bench b;
    says(b, "احجز موعد");
    presses(b, "bk:topic:guidance.housing");
    const reply r = says(b, b.text("ar", "button.menu"));
    CHECK(r.text == b.text("ar", "menu.prompt"));
    const reply next = says(b, "متى موعدي");
    CHECK(next.text == b.text("ar", "booking.none"));
}
