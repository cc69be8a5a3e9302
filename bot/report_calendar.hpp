#pragma once
// Dates and labels of the report: local dates in the configured time zone (ICU), ISO weeks,
// months, and names of languages, channels and intents in the report's language.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bot/catalog.hpp"

namespace opas::bot {

struct civil_day {
    int year = 0, month = 0, day = 0;
};

// Strict YYYY-MM-DD of a real calendar date; nullopt otherwise.
std::optional<civil_day> parse_civil_day(std::string_view text);
int days_between(const civil_day& a, const civil_day& b);  // b - a

// A stretch of local time [from, to) in unix seconds.
struct report_bucket {
    std::string key;    // "2025-W03" or "2025-01"
    std::string label;  // in the report's language
    std::int64_t from = 0;
    std::int64_t to = 0;
};

class report_calendar {
public:
    // Throws std::invalid_argument for a time zone ICU does not know.
    explicit report_calendar(const std::string& timezone);
    ~report_calendar();
    static bool known_zone(const std::string& timezone);

    // Unix seconds of local midnight starting `day`.
    std::int64_t start_of(const civil_day& day) const;
    // Unix seconds of local midnight ending `day` (the start of the next day).
    std::int64_t end_of(const civil_day& day) const;
    // ISO weeks (Monday first, week 1 holds 4 January) and calendar months that overlap the
    // inclusive period, clipped to it.
    std::vector<report_bucket> weeks(const civil_day& from, const civil_day& to,
                                     const catalog& cat, const std::string& lang) const;
    std::vector<report_bucket> months(const civil_day& from, const civil_day& to,
                                      const std::string& lang) const;
    // "1. tammikuuta 2025": the long date of a local day.
    std::string format_day(const civil_day& day, const std::string& lang) const;

private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

// "suomi", "arabia" ... (ICU display name, first letter upper case); the code when unknown.
std::string language_label(const std::string& code, const std::string& lang);
std::string channel_label(const std::string& channel, const catalog& cat, const std::string& lang);
// Topic title for guidance topics, report.intent.* for the others, the name when unknown.
std::string intent_label(const std::string& intent, const catalog& cat, const std::string& lang);

}  // namespace opas::bot
