// Booking in Arabic on WhatsApp, through dispatcher + engine on a temp SQLite file.
#include <catch2/catch.hpp>

#include "tests/bot/booking_fixture.hpp"

using namespace opas::bot;
using namespace opas::bot::test;

namespace {

constexpr const char* ar = "358401110001";

}  // namespace

TEST_CASE("an Arabic speaker books with an Arabic interpreter by default") {
    booking_bench b;
    const speaker person{b, ar, "", "whatsapp"};
    const reply topics = person.says("بدي احجز موعد مع مرشد");
    REQUIRE(offers(topics, "bk:topic:guidance.social_security"));
    CHECK(topics.choices.size() <= 10);  // a WhatsApp list holds 10 rows
    const reply interpreter = person.presses("bk:topic:guidance.social_security");
    CHECK(interpreter.text == b.text("ar", "booking.interpreter"));
    REQUIRE(offers(interpreter, "bk:int:ar"));
    const reply days = person.presses("bk:int:ar");
    CHECK(days.text == b.text("ar", "booking.day"));
    CHECK(days.choices.size() <= 10);
    const reply times = person.presses("bk:day:2026-12-17");
    REQUIRE(offers(times, "bk:slot:" + std::to_string(december_2026(17, 13))));
    const reply confirm = person.presses("bk:slot:" + std::to_string(december_2026(17, 13)));
    CHECK(contains(confirm.text, b.when("ar", december_2026(17, 13))));
    CHECK(contains(confirm.text, b.text("ar", "booking.confirm_interpreter",
                                        {{"language", b.text("ar", "language.name")}})));
    const reply done = person.presses("bk:book");
    CHECK(contains(done.text, b.when("ar", december_2026(17, 13))));
    CHECK(b.sql("SELECT topic, language, interpreter, status FROM bookings") ==
          std::vector<std::string>{"guidance.social_security|ar|ar|booked"});
}

TEST_CASE("Arabic dates are shown in Arabic") {
    booking_bench b;
    const speaker person{b, ar, "", "whatsapp"};
    const std::string when = b.when("ar", december_2026(17, 13));
    CHECK(when != b.when("en", december_2026(17, 13)));
    CHECK(contains(when, "الخميس"));
}

TEST_CASE("an Arabic speaker types tomorrow at ten and confirms with a button") {
    booking_bench b;
    const speaker person{b, ar, "", "whatsapp"};
    person.says("احجز موعد");
    person.says("3");  // the third topic
    person.says("لا");
    const reply confirm = person.says("غدا الساعة ١٠");
    CHECK(contains(confirm.text, b.when("ar", december_2026(16, 10))));
    person.presses("bk:book");
    CHECK(b.one("SELECT slot_start || '|' || interpreter FROM bookings") ==
          std::to_string(december_2026(16, 10)) + "|");
}

TEST_CASE("an Arabic speaker lists and cancels with buttons") {
    booking_bench b;
    const speaker person{b, ar, "", "whatsapp"};
    person.says("احجز موعد");
    person.presses("bk:topic:guidance.housing");
    person.presses("bk:int:no");
    person.presses("bk:day:2026-12-16");
    person.presses("bk:slot:" + std::to_string(december_2026(16, 14)));
    person.presses("bk:book");
    const std::string id = b.one("SELECT id FROM bookings");
    const reply list = person.says("متى موعدي");
    CHECK(contains(list.text, b.when("ar", december_2026(16, 14))));
    REQUIRE(offers(list, "bk:cancel:" + id));
    const reply sure = person.presses("bk:cancel:" + id);
    CHECK(sure.text == b.text("ar", "booking.cancel_confirm", {{"datetime", b.when("ar", december_2026(16, 14))}}));
    const reply cancelled = person.presses("bk:cxyes:" + id);
    CHECK(cancelled.text == b.text("ar", "booking.cancelled", {{"datetime", b.when("ar", december_2026(16, 14))}}));
    CHECK(b.one("SELECT status FROM bookings") == "cancelled");
}

TEST_CASE("an Arabic speaker moves an appointment") {
    booking_bench b;
    const speaker person{b, ar, "", "whatsapp"};
    person.says("احجز موعد");
    person.presses("bk:topic:guidance.health");
    person.presses("bk:int:no");
    person.says("غدا الساعة ١١");
    person.presses("bk:book");
    const std::string old_id = b.one("SELECT id FROM bookings");
    const reply action = person.says("بدي الغي موعدي");
    REQUIRE(offers(action, "bk:move:" + old_id));
    person.presses("bk:move:" + old_id);
    person.presses("bk:day:2026-12-21");
    person.presses("bk:slot:" + std::to_string(december_2026(21, 10, 30)));
    const reply moved = person.presses("bk:book");
    CHECK(moved.text == b.text("ar", "booking.moved", {{"datetime", b.when("ar", december_2026(21, 10, 30))}}));
    CHECK(b.sql("SELECT status, topic FROM bookings ORDER BY id") ==
          std::vector<std::string>{"moved|guidance.health", "booked|guidance.health"});
}

TEST_CASE("an Arabic speaker leaves the booking with the menu word") {
    booking_bench b;
    const speaker person{b, ar, "", "whatsapp"};
    person.says("احجز موعد");
    person.presses("bk:topic:guidance.housing");
    const reply r = person.says(b.text("ar", "button.menu"));
    CHECK(r.text == b.text("ar", "menu.prompt"));
    const reply next = person.says("متى موعدي");
    CHECK(next.text == b.text("ar", "booking.none"));
}
