#include "bot/booking_schedule.hpp"

#include <unicode/dtptngen.h>
#include <unicode/gregocal.h>
#include <unicode/smpdtfmt.h>
#include <unicode/timezone.h>

#include <algorithm>
#include <cstdio>
#include <stdexcept>

namespace opas::bot {
namespace {

bool is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int days_in_month(int y, int m) {
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

}  // namespace

std::string iso_date(const civil_date& d) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year, d.month, d.day);
    return buf;
}

std::optional<civil_date> parse_iso_date(std::string_view text) {
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
    for (std::size_t i = 0; i < text.size(); ++i)
        if (i != 4 && i != 7 && (text[i] < '0' || text[i] > '9')) return std::nullopt;
    auto number = [&](std::size_t from, std::size_t n) {
        int v = 0;
        for (std::size_t i = from; i < from + n; ++i) v = v * 10 + (text[i] - '0');
        return v;
    };
    const civil_date d{number(0, 4), number(5, 2), number(8, 2)};
    if (d.year < 1970 || d.year > 2999 || d.month < 1 || d.month > 12 || d.day < 1 ||
        d.day > days_in_month(d.year, d.month))
        return std::nullopt;
    return d;
}

std::optional<std::pair<int, int>> parse_hours_range(std::string_view text) {
    int h1 = 0, m1 = 0, h2 = 0, m2 = 0;
    char tail = 0;
    const std::string s(text);
    if (std::sscanf(s.c_str(), "%2d:%2d-%2d:%2d%c", &h1, &m1, &h2, &m2, &tail) != 4)
        return std::nullopt;
    const int from = h1 * 60 + m1;
    const int to = h2 * 60 + m2;
    if (from < 0 || to > 24 * 60 || from >= to) return std::nullopt;
    return std::make_pair(from, to);
}

booking_schedule::booking_schedule(const schedule_config& cfg, const std::string& timezone)
    : cfg_(cfg) {
    std::unique_ptr<icu::TimeZone> zone(
        icu::TimeZone::createTimeZone(icu::UnicodeString::fromUTF8(timezone)));
    if (*zone == icu::TimeZone::getUnknown())
        throw std::runtime_error("timezone '" + timezone + "' is not known to ICU");
    UErrorCode ec = U_ZERO_ERROR;
    calendar_ = std::make_unique<icu::GregorianCalendar>(zone.release(), ec);
    if (U_FAILURE(ec)) throw std::runtime_error("ICU calendar: " + std::string(u_errorName(ec)));
}

booking_schedule::~booking_schedule() = default;

civil_date booking_schedule::local_date(std::int64_t unix_s) const {
    UErrorCode ec = U_ZERO_ERROR;
    calendar_->setTime(static_cast<UDate>(unix_s) * 1000.0, ec);
    civil_date d;
    d.year = calendar_->get(UCAL_YEAR, ec);
    d.month = calendar_->get(UCAL_MONTH, ec) + 1;
    d.day = calendar_->get(UCAL_DATE, ec);
    return d;
}

int booking_schedule::local_minute(std::int64_t unix_s) const {
    UErrorCode ec = U_ZERO_ERROR;
    calendar_->setTime(static_cast<UDate>(unix_s) * 1000.0, ec);
    return calendar_->get(UCAL_HOUR_OF_DAY, ec) * 60 + calendar_->get(UCAL_MINUTE, ec);
}

std::int64_t booking_schedule::to_unix(const civil_date& d, int minute) const {
    UErrorCode ec = U_ZERO_ERROR;
    calendar_->clear();
    calendar_->set(d.year, d.month - 1, d.day, minute / 60, minute % 60, 0);
    const UDate ms = calendar_->getTime(ec);
    return static_cast<std::int64_t>(ms / 1000.0);
}

std::vector<slot> booking_schedule::slots_on(const civil_date& d) const {
    std::vector<slot> out;
    const auto& ranges = cfg_.hours[static_cast<std::size_t>(intents::weekday_of(d))];
    for (const auto& text : ranges) {
        const auto range = parse_hours_range(text);
        if (!range) continue;
        for (int m = range->first; m + cfg_.slot_minutes <= range->second; m += cfg_.slot_minutes)
            out.push_back({to_unix(d, m), d, m});
    }
    std::sort(out.begin(), out.end(), [](const slot& a, const slot& b) { return a.start < b.start; });
    out.erase(std::unique(out.begin(), out.end(),
                          [](const slot& a, const slot& b) { return a.start == b.start; }),
              out.end());
    return out;
}

std::optional<slot> booking_schedule::slot_at(std::int64_t unix_s) const {
    for (const auto& s : slots_on(local_date(unix_s)))
        if (s.start == unix_s) return s;
    return std::nullopt;
}

bool booking_schedule::config_closed(const civil_date& d) const {
    const std::string day = iso_date(d);
    return std::find(cfg_.closed_dates.begin(), cfg_.closed_dates.end(), day) !=
           cfg_.closed_dates.end();
}

std::vector<civil_date> booking_schedule::open_days(std::int64_t now_s) const {
    std::vector<civil_date> out;
    const civil_date today = local_date(now_s);
    for (int i = 0; i <= cfg_.book_days_ahead; ++i) {
        const civil_date d = intents::add_days(today, i);
        if (config_closed(d)) continue;
        if (!cfg_.hours[static_cast<std::size_t>(intents::weekday_of(d))].empty()) out.push_back(d);
    }
    return out;
}

bool booking_schedule::bookable(const slot& s, std::int64_t now_s) const {
    if (s.start < now_s + static_cast<std::int64_t>(cfg_.min_notice_minutes) * 60) return false;
    const civil_date last = intents::add_days(local_date(now_s), cfg_.book_days_ahead);
    const auto key = [](const civil_date& d) { return d.year * 10000 + d.month * 100 + d.day; };
    return key(s.day) <= key(last) && !config_closed(s.day);
}

std::string booking_schedule::clock(std::string_view lang, std::int64_t unix_s) const {
    const std::string tag = lang == "en" ? "en-GB" : std::string(lang);
    UErrorCode ec = U_ZERO_ERROR;
    const icu::Locale loc = icu::Locale::forLanguageTag(tag, ec);
    if (U_FAILURE(ec)) return {};
    std::unique_ptr<icu::DateTimePatternGenerator> gen(
        icu::DateTimePatternGenerator::createInstance(loc, ec));
    if (U_FAILURE(ec)) return {};
    const auto pattern = gen->getBestPattern(icu::UnicodeString("HHmm"), ec);
    icu::SimpleDateFormat fmt(pattern, loc, ec);
    if (U_FAILURE(ec)) return {};
    fmt.setTimeZone(calendar_->getTimeZone());
    icu::UnicodeString out;
    fmt.format(static_cast<UDate>(unix_s) * 1000.0, out);
    std::string utf8;
    out.toUTF8String(utf8);
    return utf8;
}

}  // namespace opas::bot
