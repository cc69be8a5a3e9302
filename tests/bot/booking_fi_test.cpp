// Booking in Finnish on Telegram, through dispatcher + engine on a temp SQLite file.
#include <catch2/catch.hpp>

#include "tests/bot/booking_fixture.hpp"

using namespace opas::bot;
using namespace opas::bot::test;

namespace {

constexpr const char* fi = "7001";

// Starts a booking and answers topic and interpreter with buttons; returns the day question.
reply to_day_question(booking_bench& b, const std::string& user = fi) {
    REQUIRE(b.says(user, "Haluan varata ajan neuvojalle", "fi"));
    const reply topics = b.last(user);
    REQUIRE(offers(topics, "bk:topic:guidance.housing"));
    REQUIRE(b.presses(user, "bk:topic:guidance.housing"));
    const reply interpreter = b.last(user);
    REQUIRE(interpreter.text == b.text("fi", "booking.interpreter"));
    REQUIRE(b.presses(user, "bk:int:no"));
    return b.last(user);
}

std::int64_t booked_id(booking_bench& b, const std::string& where = "status = 'booked'") {
    return std::stoll(b.one("SELECT id FROM bookings WHERE " + where + " ORDER BY id DESC LIMIT 1"));
}

}  // namespace

TEST_CASE("a Finnish person books a counsellor with buttons from topic to confirmation") {
    booking_bench b;
    const reply days = to_day_question(b);
    CHECK(days.text == b.text("fi", "booking.day"));
    const auto day_ids = ids_with(days, "bk:day:");
    REQUIRE(day_ids.size() == 8);  // a page of days, then "later"
    CHECK(day_ids.front() == "bk:day:2026-12-15");  // today still has afternoon times
    CHECK(offers(days, "bk:days:8"));
    REQUIRE(b.presses(fi, "bk:day:2026-12-16"));
    const reply times = b.last(fi);
    const auto slot_ids = ids_with(times, "bk:slot:");
    REQUIRE(slot_ids.size() == 8);  // 10-12 and 13-15 in half hours
    CHECK(times.choices.front().title == "10.00");
    REQUIRE(b.presses(fi, slot_ids.front()));
    const reply confirm = b.last(fi);
    const std::int64_t start = december_2026(16, 10);
    CHECK(contains(confirm.text, b.when("fi", start)));
    CHECK(contains(confirm.text, "Asuminen"));
    REQUIRE(offers(confirm, "bk:book"));
    REQUIRE(b.presses(fi, "bk:book"));
    CHECK(b.last(fi).text == b.text("fi", "booking.done", {{"datetime", b.when("fi", start)},
                                                          {"address", b.cfg().centre.address}}));
    CHECK(b.sql("SELECT slot_start, topic, language, interpreter, status FROM bookings") ==
          std::vector<std::string>{std::to_string(start) + "|guidance.housing|fi||booked"});
    CHECK(b.one("SELECT outcome FROM contact_log ORDER BY id DESC LIMIT 1") == "booked");
}

TEST_CASE("the day list and the times are written the Finnish way") {
    booking_bench b;
    const reply days = to_day_question(b);
    REQUIRE_FALSE(days.choices.empty());
    CHECK(days.choices.front().title == b.messages().format_date("fi", december_2026(15, 12) * 1000));
    CHECK(contains(days.choices.front().title, "ti 15."));
    CHECK(contains(b.when("fi", december_2026(15, 13)), "klo 13.00"));
    REQUIRE(b.presses(fi, "bk:day:2026-12-15"));
    const reply times = b.last(fi);
    REQUIRE_FALSE(times.choices.empty());
    CHECK(times.choices.front().title == "13.00");  // 10-12 passed or too soon at noon
}

TEST_CASE("typed answers book in Finnish: numbers, tomorrow at ten, yes") {
    booking_bench b;
    REQUIRE(b.says(fi, "Haluan varata ajan neuvojalle", "fi"));
    REQUIRE(offers(b.last(fi), "bk:topic:guidance.registration"));
    REQUIRE(b.says(fi, "2", "fi"));  // the second topic
    CHECK(b.last(fi).text == b.text("fi", "booking.interpreter"));
    REQUIRE(b.says(fi, "1", "fi"));  // "Ei" (typed "ei" alone reads as an emergency to the classifier)
    CHECK(b.last(fi).text == b.text("fi", "booking.day"));
    REQUIRE(b.says(fi, "huomenna klo 10", "fi"));
    const reply confirm = b.last(fi);
    CHECK(contains(confirm.text, b.when("fi", december_2026(16, 10))));
    REQUIRE(b.says(fi, "kyllä", "fi"));
    CHECK(b.one("SELECT slot_start || '|' || topic FROM bookings") ==
          std::to_string(december_2026(16, 10)) + "|guidance.registration");
}

TEST_CASE("a Finnish date and time typed at the day question go to that slot") {
    booking_bench b;
    to_day_question(b);
    REQUIRE(b.says(fi, "to 17.12. klo 13.30", "fi"));
    CHECK(contains(b.last(fi).text, b.when("fi", december_2026(17, 13, 30))));
}

TEST_CASE("a day typed without a time shows that day's times") {
    booking_bench b;
    to_day_question(b);
    REQUIRE(b.says(fi, "torstaina", "fi"));
    const reply times = b.last(fi);
    const std::string thursday = b.messages().format_date("fi", december_2026(17, 12) * 1000);
    CHECK(times.text == b.text("fi", "booking.time", {{"date", thursday}}));
    CHECK(ids_with(times, "bk:slot:").size() == 8);
}

TEST_CASE("a time outside the guidance hours is refused and the day's times are shown") {
    booking_bench b;
    to_day_question(b);
    REQUIRE(b.says(fi, "huomenna klo 18", "fi"));
    const reply r = b.last(fi);
    CHECK(contains(r.text, b.text("fi", "booking.slot_unavailable")));
    CHECK(ids_with(r, "bk:slot:").size() == 8);
}

TEST_CASE("a Finnish person lists, then cancels the appointment") {
    booking_bench b;
    const reply days = to_day_question(b);
    REQUIRE(b.presses(fi, "bk:day:2026-12-16"));
    REQUIRE(b.presses(fi, "bk:slot:" + std::to_string(december_2026(16, 11))));
    REQUIRE(b.presses(fi, "bk:book"));
    b.replies(fi);
    REQUIRE(b.says(fi, "milloin mun aika on", "fi"));
    const reply list = b.last(fi);
    CHECK(contains(list.text, b.when("fi", december_2026(16, 11))));
    const std::int64_t id = booked_id(b);
    REQUIRE(b.says(fi, "peru aikani", "fi"));
    const reply action = b.last(fi);
    REQUIRE(offers(action, "bk:cancel:" + std::to_string(id)));
    REQUIRE(b.presses(fi, "bk:cancel:" + std::to_string(id)));
    CHECK(b.last(fi).text ==
          b.text("fi", "booking.cancel_confirm", {{"datetime", b.when("fi", december_2026(16, 11))}}));
    REQUIRE(b.says(fi, "kyllä", "fi"));
    CHECK(b.last(fi).text ==
          b.text("fi", "booking.cancelled", {{"datetime", b.when("fi", december_2026(16, 11))}}));
    CHECK(b.one("SELECT status FROM bookings") == "cancelled");
    CHECK(b.one("SELECT outcome FROM contact_log ORDER BY id DESC LIMIT 1") == "cancelled");
}

TEST_CASE("a Finnish person moves an appointment and the old one points to the new") {
    booking_bench b;
    to_day_question(b);
    REQUIRE(b.says(fi, "huomenna klo 10", "fi"));
    REQUIRE(b.presses(fi, "bk:book"));
    const std::int64_t old_id = booked_id(b);
    b.replies(fi);
    REQUIRE(b.presses(fi, "bk:move:" + std::to_string(old_id)));
    CHECK(b.last(fi).text == b.text("fi", "booking.day"));
    REQUIRE(b.says(fi, "to 17.12. klo 14", "fi"));
    const reply confirm = b.last(fi);
    CHECK(confirm.text == b.text("fi", "booking.move_confirm",
                                 {{"from", b.when("fi", december_2026(16, 10))},
                                  {"to", b.when("fi", december_2026(17, 14))}}));
    REQUIRE(b.presses(fi, "bk:book"));
    CHECK(b.last(fi).text ==
          b.text("fi", "booking.moved", {{"datetime", b.when("fi", december_2026(17, 14))}}));
    const std::int64_t new_id = booked_id(b);
    CHECK(b.one("SELECT status || '|' || moved_to FROM bookings WHERE id = " + std::to_string(old_id)) ==
          "moved|" + std::to_string(new_id));
    CHECK(b.one("SELECT topic FROM bookings WHERE id = " + std::to_string(new_id)) == "guidance.housing");
    CHECK(b.one("SELECT outcome FROM contact_log ORDER BY id DESC LIMIT 1") == "moved");
}

TEST_CASE("menu in the middle of booking leaves the flow without booking") {
    booking_bench b;
    to_day_question(b);
    REQUIRE(b.says(fi, "menu", "fi"));
    const reply r = b.last(fi);
    CHECK(r.text == b.text("fi", "menu.prompt"));
    CHECK(offers(r, "menu:book"));
    CHECK(b.one("SELECT json_extract(state, '$.flow') IS NULL FROM people") == "1");
    CHECK(b.one("SELECT count(*) FROM bookings") == "0");
}

TEST_CASE("stop in the middle of booking says nothing was booked") {
    booking_bench b;
    to_day_question(b);
    REQUIRE(b.says(fi, "Peru", "fi"));
    CHECK(b.last(fi).text == b.text("fi", "booking.stopped"));
    CHECK(b.one("SELECT count(*) FROM bookings") == "0");
}

TEST_CASE("a person at the limit of active bookings is told so") {
    booking_bench b;
    for (const char* when : {"huomenna klo 10", "to 17.12. klo 10"}) {
        to_day_question(b);
        REQUIRE(b.says(fi, when, "fi"));
        REQUIRE(b.presses(fi, "bk:book"));
    }
    b.replies(fi);
    REQUIRE(b.says(fi, "Haluan varata ajan neuvojalle", "fi"));
    const reply r = b.last(fi);
    CHECK(r.text == b.text("fi", "booking.limit", {{"count", std::int64_t{2}}}));
    CHECK(offers(r, "bk:list"));
    CHECK(b.one("SELECT count(*) FROM bookings") == "2");
}

TEST_CASE("booking right after reading a guidance topic preselects that topic") {
    booking_bench b;
    REQUIRE(b.presses(fi, "lang:fi"));
    REQUIRE(b.presses(fi, "topic:guidance.residence_permit"));
    REQUIRE(offers(b.last(fi), "menu:book"));
    REQUIRE(b.presses(fi, "menu:book"));
    CHECK(b.last(fi).text == b.text("fi", "booking.interpreter"));
    REQUIRE(b.presses(fi, "bk:int:no"));
    REQUIRE(b.says(fi, "huomenna klo 13", "fi"));
    REQUIRE(b.presses(fi, "bk:book"));
    CHECK(b.one("SELECT topic FROM bookings") == "guidance.residence_permit");
}

TEST_CASE("a closed date offers no times") {
    booking_bench b([](config& c) { c.schedule.closed_dates = {"2026-12-16"}; });
    const reply days = to_day_question(b);
    CHECK_FALSE(offers(days, "bk:day:2026-12-16"));
    REQUIRE(b.says(fi, "huomenna", "fi"));
    CHECK(contains(b.last(fi).text, b.text("fi", "booking.day_full",
                                           {{"date", b.messages().format_date("fi", december_2026(16, 12) * 1000)}})));
}
