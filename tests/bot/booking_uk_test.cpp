// Booking in Ukrainian on Telegram, through dispatcher + engine on a temp SQLite file.
#include <catch2/catch.hpp>

#include "tests/bot/booking_fixture.hpp"

using namespace opas::bot;
using namespace opas::bot::test;

namespace {

constexpr const char* uk = "7301";

}  // namespace

TEST_CASE("a Ukrainian speaker asks for a Russian interpreter by typing the language") {
    booking_bench b;
    const speaker person{b, uk, "uk"};
    person.says("записатися до консультанта");
    const reply interpreter = person.presses("bk:topic:guidance.employment");
    REQUIRE(offers(interpreter, "bk:int:other"));
    const reply which = person.presses("bk:int:other");
    CHECK(which.text == b.text("uk", "booking.interpreter_language"));
    const reply days = person.says("російською");
    CHECK(days.text == b.text("uk", "booking.day"));
    person.presses("bk:day:2026-12-17");
    const reply confirm = person.presses("bk:slot:" + std::to_string(december_2026(17, 10)));
    CHECK(contains(confirm.text, b.text("uk", "booking.confirm_interpreter",
                                        {{"language", b.text("ru", "language.name")}})));
    person.presses("bk:book");
    CHECK(b.one("SELECT interpreter || '|' || language FROM bookings") == "ru|uk");
}

TEST_CASE("a Ukrainian speaker pages to later days and back") {
    booking_bench b;
    const speaker person{b, uk, "uk"};
    person.says("записатися до консультанта");
    person.presses("bk:topic:guidance.housing");
    const reply first = person.presses("bk:int:no");
    REQUIRE(offers(first, "bk:days:8"));
    const reply later = person.presses("bk:days:8");
    REQUIRE_FALSE(ids_with(later, "bk:day:").empty());
    CHECK(offers(later, "bk:days:0"));
    CHECK(ids_with(later, "bk:day:").front() > ids_with(first, "bk:day:").back());
    const reply back = person.presses("bk:days:0");
    CHECK(ids_with(back, "bk:day:") == ids_with(first, "bk:day:"));
}

TEST_CASE("a Ukrainian speaker books, lists, moves and cancels") {
    booking_bench b;
    const speaker person{b, uk, "uk"};
    person.says("записатися до консультанта");
    person.presses("bk:topic:guidance.education");
    person.presses("bk:int:no");
    person.says("завтра о 10");
    person.presses("bk:book");
    const std::string first = b.one("SELECT id FROM bookings");
    const reply list = person.says("мої записи");
    CHECK(contains(list.text, b.when("uk", december_2026(16, 10))));
    person.presses("bk:move:" + first);
    person.presses("bk:day:2026-12-22");
    person.presses("bk:slot:" + std::to_string(december_2026(22, 13)));
    person.presses("bk:book");
    const std::string second = b.one("SELECT id FROM bookings WHERE status = 'booked'");
    const reply action = person.says("скасувати запис");
    REQUIRE(offers(action, "bk:cancel:" + second));
    person.presses("bk:cancel:" + second);
    const reply done = person.presses("bk:cxyes:" + second);
    CHECK(done.text == b.text("uk", "booking.cancelled", {{"datetime", b.when("uk", december_2026(22, 13))}}));
    CHECK(b.sql("SELECT status FROM bookings ORDER BY id") == std::vector<std::string>{"moved", "cancelled"});
}

TEST_CASE("a Ukrainian speaker with two bookings chooses which one to change") {
    booking_bench b;
    const speaker person{b, uk, "uk"};
    for (const char* when : {"завтра о 10", "завтра о 11"}) {
        person.says("записатися до консультанта");
        person.presses("bk:topic:guidance.health");
        person.presses("bk:int:no");
        person.says(when);
        person.presses("bk:book");
    }
    const reply which = person.says("скасувати запис");
    CHECK(which.text == b.text("uk", "booking.cancel_which"));
    const auto acts = ids_with(which, "bk:act:");
    REQUIRE(acts.size() == 2);
    const reply action = person.says("2");
    CHECK(action.text == b.text("uk", "booking.action", {{"datetime", b.when("uk", december_2026(16, 11))}}));
    const std::string id = acts[1].substr(7);
    const reply kept = person.presses("bk:keep:" + id);
    CHECK(kept.text == b.text("uk", "booking.kept", {{"datetime", b.when("uk", december_2026(16, 11))}}));
    CHECK(b.one("SELECT count(*) FROM bookings WHERE status = 'booked'") == "2");
}

TEST_CASE("a stale button of a cancelled appointment says it is gone") {
    booking_bench b;
    const speaker person{b, uk, "uk"};
    person.says("записатися до консультанта");
    person.presses("bk:topic:guidance.health");
    person.presses("bk:int:no");
    person.says("завтра о 10");
    person.presses("bk:book");
    const std::string id = b.one("SELECT id FROM bookings");
    person.presses("bk:cancel:" + id);
    person.presses("bk:cxyes:" + id);
    CHECK(person.presses("bk:move:" + id).text == b.text("uk", "booking.gone"));
}
