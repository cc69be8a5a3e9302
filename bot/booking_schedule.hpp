#pragma once
// The counsellors' weekly schedule as concrete slots: local dates and times in the configured
// time zone turned into unix seconds by ICU (so a slot at 10:00 stays at 10:00 across the
// daylight saving changes). Pure: what is taken or closed comes from storage (booking_data).

#include <unicode/uversion.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bot/config.hpp"
#include "intents/entities.hpp"

U_NAMESPACE_BEGIN
class Calendar;
U_NAMESPACE_END

namespace opas::bot {

using intents::civil_date;

std::string iso_date(const civil_date& d);                        // "2026-12-15"
std::optional<civil_date> parse_iso_date(std::string_view text);  // strict, checks the day
// "HH:MM-HH:MM" -> minutes after midnight [from, to); nullopt when malformed.
std::optional<std::pair<int, int>> parse_hours_range(std::string_view text);

struct slot {
    std::int64_t start = 0;  // unix seconds
    civil_date day;          // local date
    int minute = 0;          // local minutes after midnight
};

class booking_schedule {
public:
    // Throws std::runtime_error when ICU does not know the zone (config is validated before).
    booking_schedule(const schedule_config& cfg, const std::string& timezone);
    ~booking_schedule();
    booking_schedule(const booking_schedule&) = delete;
    booking_schedule& operator=(const booking_schedule&) = delete;

    const schedule_config& cfg() const { return cfg_; }

    // The local date of a moment, and the moment of a local date and time.
    civil_date local_date(std::int64_t unix_s) const;
    int local_minute(std::int64_t unix_s) const;
    std::int64_t to_unix(const civil_date& d, int minute) const;

    // Slots of the weekly hours on a date (nothing about closing, seats or notice).
    std::vector<slot> slots_on(const civil_date& d) const;
    // The slot that starts at `unix_s`, when the weekly hours have one there.
    std::optional<slot> slot_at(std::int64_t unix_s) const;
    // Dates from today to today + book_days_ahead (inclusive) that have slots in the weekly
    // hours and are not closed in the config.
    std::vector<civil_date> open_days(std::int64_t now_s) const;
    // A slot can still be booked at `now_s`: far enough ahead, not beyond the booking window.
    bool bookable(const slot& s, std::int64_t now_s) const;
    bool config_closed(const civil_date& d) const;
    // The local time of day in the language's style ("10.00", "10:00", "١٠:٠٠").
    std::string clock(std::string_view lang, std::int64_t unix_s) const;

private:
    schedule_config cfg_;
    std::unique_ptr<icu::Calendar> calendar_;  // in the zone; used from one thread at a time
};

}  // namespace opas::bot
