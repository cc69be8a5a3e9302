// The weekly schedule as concrete slots in Europe/Helsinki, across daylight saving changes.
#include <catch2/catch.hpp>

#include "bot/booking_schedule.hpp"
#include "intents/entities.hpp"

using namespace opas::bot;

TEST_CASE("a 10:00 slot stays at 10:00 local time across the spring daylight saving change") {
    const booking_schedule s(schedule_config{}, "Europe/Helsinki");
    const auto friday = s.slots_on({2026, 3, 27});    // UTC+2
    const auto monday = s.slots_on({2026, 3, 30});    // UTC+3 since Sunday
    REQUIRE(friday.size() == 4);                        // Fri 10-12
    REQUIRE(monday.size() == 8);                        // Mon 10-12, 13-15
    CHECK(friday.front().start == 1'774'598'400);       // 2026-03-27 08:00Z
    CHECK(monday.front().start == 1'774'854'000);       // 2026-03-30 07:00Z
    CHECK(s.local_minute(monday.front().start) == 600);
    CHECK(s.local_date(monday.back().start) == civil_date{2026, 3, 30});
}

TEST_CASE("weekends and configured closed dates have no open days") {
    schedule_config cfg;
    cfg.closed_dates = {"2026-12-16"};
    const booking_schedule s(cfg, "Europe/Helsinki");
    const std::int64_t tuesday_noon = 1'797'328'800;
    const auto days = s.open_days(tuesday_noon);
    REQUIRE_FALSE(days.empty());
    CHECK(days.front() == civil_date{2026, 12, 15});
    for (const auto& d : days) {
        CHECK(opas::intents::weekday_of(d) < 5);
        CHECK_FALSE(d == civil_date{2026, 12, 16});
    }
    CHECK(days.back() == civil_date{2027, 1, 5});  // 21 days ahead, a Tuesday
}

TEST_CASE("a slot needs the minimum notice and lies inside the booking window") {
    const booking_schedule s(schedule_config{}, "Europe/Helsinki");
    const std::int64_t tuesday_noon = 1'797'328'800;
    const auto today = s.slots_on({2026, 12, 15});
    REQUIRE(today.size() == 8);
    CHECK_FALSE(s.bookable(today[3], tuesday_noon));  // 11:30: already past
    CHECK_FALSE(s.bookable(today[4], tuesday_noon + 1));  // 13:00: less than an hour ahead
    CHECK(s.bookable(today[4], tuesday_noon));
    const auto too_far = s.slots_on({2027, 1, 6});
    REQUIRE_FALSE(too_far.empty());
    CHECK_FALSE(s.bookable(too_far.front(), tuesday_noon));
}

TEST_CASE("dates and hour ranges are parsed strictly") {
    CHECK(parse_iso_date("2026-12-16") == civil_date{2026, 12, 16});
    CHECK_FALSE(parse_iso_date("2026-02-29"));
    CHECK(parse_iso_date("2028-02-29"));
    CHECK_FALSE(parse_iso_date("16.12.2026"));
    CHECK_FALSE(parse_iso_date("2026-1-16"));
    CHECK(parse_hours_range("10:00-12:30") == std::make_pair(600, 750));
    CHECK_FALSE(parse_hours_range("12:00-10:00"));
}
