// The staff section of the configuration and the staff hours.
#include <catch2/catch.hpp>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "bot/config.hpp"
#include "bot/handover_data.hpp"
#include "tests/bot/config_file.hpp"
#include "tests/bot/handover_fixture.hpp"

using namespace opas::bot;
using opas::bot::test::tuesday_noon_ms;
using opas::bot::test::write_config;

namespace {

constexpr const char* telegram_on = R"("telegram": {"bot_token": "1:A", "secret_token": "s"})";
constexpr std::int64_t hour_ms = 3'600'000;

}  // namespace

TEST_CASE("the staff section has working defaults and handover is off without a group") {
    const auto c = load_config(write_config("{}"), {});
    CHECK(c.staff.handover_timeout_minutes == 240);
    CHECK(c.staff.unsure_before_handover == 3);
    CHECK(c.staff.hours[0] == "10:00-16:00");
    CHECK(c.staff.hours[6].empty());
    CHECK_FALSE(c.handover_enabled());
}

TEST_CASE("a staff group with the Telegram channel turns handover on") {
    const auto c = load_config(
        write_config(std::string("{") + telegram_on +
                     R"(, "staff": {"telegram_chat_id": "-100123", "hours": {"sat": "09:00-12:00"}}})"),
        {});
    CHECK(c.handover_enabled());
    CHECK(c.staff.hours[5] == "09:00-12:00");
    CHECK(c.staff.hours[0].empty());  // a day left out is closed
}

TEST_CASE("a staff group without the Telegram channel is a config error naming the key") {
    CHECK_THROWS_WITH(load_config(write_config(R"({"staff": {"telegram_chat_id": "-100123"}})"), {}),
                      Catch::Contains("staff.telegram_chat_id"));
}

TEST_CASE("bad staff hours are a config error naming the day") {
    CHECK_THROWS_WITH(load_config(write_config(R"({"staff": {"hours": {"mon": "16:00-10:00"}}})"), {}),
                      Catch::Contains("staff.hours.mon"));
    CHECK_THROWS_WITH(load_config(write_config(R"({"staff": {"hours": {"funday": ""}}})"), {}),
                      Catch::Contains("staff.hours.funday"));
}

TEST_CASE("staff are open on a weekday noon and the next opening is given otherwise") {
    config c;
    CHECK_FALSE(staff_next_opening(c, tuesday_noon_ms).has_value());
    // Tuesday 17:00 -> Wednesday 10:00 (Helsinki, UTC+2).
    CHECK(staff_next_opening(c, tuesday_noon_ms + 5 * hour_ms) == tuesday_noon_ms + 22 * hour_ms);
    // Tuesday 08:00 -> Tuesday 10:00.
    CHECK(staff_next_opening(c, tuesday_noon_ms - 4 * hour_ms) == tuesday_noon_ms - 2 * hour_ms);
    // Friday 15:00 -> Monday 10:00.
    CHECK(staff_next_opening(c, tuesday_noon_ms + 3 * 24 * hour_ms + 3 * hour_ms) ==
          tuesday_noon_ms + 6 * 24 * hour_ms - 2 * hour_ms);
}

TEST_CASE("staff hours follow summer time") {
    config c;
    // 2026-06-16 (Tuesday) 09:00 Helsinki = 06:00 UTC (UTC+3); opens at 10:00 = 07:00 UTC.
    const std::int64_t tuesday_nine_summer = 1'781'589'600'000;
    CHECK(staff_next_opening(c, tuesday_nine_summer) == tuesday_nine_summer + hour_ms);
}
