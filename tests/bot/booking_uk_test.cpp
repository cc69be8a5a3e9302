// Booking in Ukrainian on Telegram, through dispatcher + engine on a temp SQLite file.
#include <catch2/catch.hpp>

#include "tests/bot/booking_fixture.hpp"

using namespace opas::bot;
using namespace opas::bot::test;

namespace {

constexpr const char* uk = "7301";

reply says(booking_bench& b, const std::string& text) {
    REQUIRE(b.says(uk, text, "uk"));
    return b.last(uk);
}

reply presses(booking_bench& b, const std::string& id) {
    REQUIRE(b.presses(uk, id));
    return b.last(uk);
}

}  // namespace

TEST_CASE("a Ukrainian speaker asks for a Russian interpreter by typing the language") {
    booking_bench b;
    says(b, "записатися до консультанта");
    const reply interpreter = presses(b, "bk:topic:guidance.employment");
    REQUIRE(offers(interpreter, "bk:int:other"));
    const reply which = presses(b, "bk:int:other");
    CHECK(which.text == b.text("uk", "booking.interpreter_language"));
    const reply days = says(b, "російською");
    CHECK(days.text == b.text("uk", "booking.day"));
    presses(b, "bk:day:2026-12-17");
    const reply confirm = presses(b, "bk:slot:" + std::to_string(december_2026(17, 10)));
    CHECK(contains(confirm.text, b.text("uk", "booking.confirm_interpreter",
                                        {{"language", b.text("ru", "language.name")}})));
    presses(b, "bk:book");
    CHECK(b.one("SELECT interpreter || '|' || language FROM bookings") == "ru|uk");
}

TEST_CASE("a Ukrainian speaker pages to later days and back") {
    booking_bench b;
    says(b, "записатися до консультанта");
    presses(b, "bk:topic:guidance.housing");
    const reply first = presses(b, "bk:int:no");
    REQUIRE(offers(first, "bk:days:8"));
    const reply later = presses(b, "bk:days:8");
    REQUIRE_FALSE(ids_with(later, "bk:day:").empty());
    CHECK(offers(later, "bk:days:0"));
    CHECK(ids_with(later, "bk:day:").front() > ids_with(first, "bk:day:").back());
    const reply back = presses(b, "bk:days:0");
    CHECK(ids_with(back, "bk:day:") == ids_with(first, "bk:day:"));
}

TEST_CASE("a Ukrainian speaker books, lists, moves and cancels") {
    booking_bench b;
    says(b, "записатися до консультанта");
    presses(b, "bk:topic:guidance.education");
    presses(b, "bk:int:no");
    says(b, "завтра о 10");
    presses(b, "bk:book");
    const std::string first = b.one("SELECT id FROM bookings");
    const reply list = says(b, "мої записи");
    CHECK(contains(list.text, b.when("uk", december_2026(16, 10))));
    presses(b, "bk:move:" + first);
    presses(b, "bk:day:2026-12-22");
    presses(b, "bk:slot:" + std::to_string(december_2026(22, 13)));
    presses(b, "bk:book");
    const std::string second = b.one("SELECT id FROM bookings WHERE status = 'booked'");
    const reply action = says(b, "скасувати запис");
    REQUIRE(offers(action, "bk:cancel:" + second));
    presses(b, "bk:cancel:" + second);
    const reply done = presses(b, "bk:cxyes:" + second);
    CHECK(done.text == b.text("uk", "booking.cancelled", {{"datetime", b.when("uk", december_2026(22, 13))}}));
    CHECK(b.sql("SELECT status FROM bookings ORDER BY id") == std::vector<std::string>{"moved", "cancelled"});
}

TEST_CASE("a Ukrainian speaker with two bookings chooses which one to change") {
    booking_bench b;
    for (const char* when : {"завтра о 10", "завтра о 11"}) {
        says(b, "записатися до консультанта");
        presses(b, "bk:topic:guidance.health");
        presses(b, "bk:int:no");
        says(b, when);
        presses(b, "bk:book");
    }
    const reply which = says(b, "скасувати запис");
    CHECK(which.text == b.text("uk", "booking.cancel_which"));
    const auto acts = ids_with(which, "bk:act:");
    REQUIRE(acts.size() == 2);
    const reply action = says(b, "2");
    CHECK(action.text == b.text("uk", "booking.action", {{"datetime", b.when("uk", december_2026(16, 11))}}));
    const std::string id = acts[1].substr(7);
    const reply kept = presses(b, "bk:keep:" + id);
    CHECK(kept.text == b.text("uk", "booking.kept", {{"datetime", b.when("uk", december_2026(16, 11))}}));
    CHECK(b.one("SELECT count(*) FROM bookings WHERE status = 'booked'") == "2");
}

TEST_CASE("a stale button of a cancelled appointment says it is gone") {
    booking_bench b;
    says(b, "записатися до консультанта");
    presses(b, "bk:topic:guidance.health");
    presses(b, "bk:int:no");
    says(b, "завтра о 10");
    presses(b, "bk:book");
    const std::string id = b.one("SELECT id FROM bookings");
    presses(b, "bk:cancel:" + id);
    presses(b, "bk:cxyes:" + id);
    CHECK(presses(b, "bk:move:" + id).text == b.text("uk", "booking.gone"));
}
