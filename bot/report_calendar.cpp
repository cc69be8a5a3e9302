#include "bot/report_calendar.hpp"

#include <unicode/calendar.h>
#include <unicode/dtptngen.h>
#include <unicode/gregocal.h>
#include <unicode/locid.h>
#include <unicode/smpdtfmt.h>
#include <unicode/timezone.h>
#include <unicode/uchar.h>

#include <algorithm>
#include <cstdio>
#include <stdexcept>

namespace opas::bot {
namespace {

constexpr int ms_per_second = 1000;

bool is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int days_in_month(int y, int m) {
    static constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
std::int64_t days_from_civil(int y, int m, int d) {
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + static_cast<unsigned>(d) - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

icu::Locale locale_of(const std::string& lang) {
    UErrorCode ec = U_ZERO_ERROR;
    icu::Locale loc = icu::Locale::forLanguageTag(lang, ec);
    return U_FAILURE(ec) ? icu::Locale::getRoot() : loc;
}

std::string to_utf8(const icu::UnicodeString& s) {
    std::string out;
    s.toUTF8String(out);
    return out;
}

std::string two_digits(int n) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%02d", n);
    return buf;
}

}  // namespace

std::optional<civil_day> parse_civil_day(std::string_view t) {
    if (t.size() != 10 || t[4] != '-' || t[7] != '-') return std::nullopt;
    for (std::size_t i : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u})
        if (t[i] < '0' || t[i] > '9') return std::nullopt;
    auto num = [&t](std::size_t at, std::size_t n) {
        int v = 0;
        for (std::size_t i = at; i < at + n; ++i) v = v * 10 + (t[i] - '0');
        return v;
    };
    civil_day d{num(0, 4), num(5, 2), num(8, 2)};
    if (d.year < 1970 || d.month < 1 || d.month > 12 || d.day < 1 ||
        d.day > days_in_month(d.year, d.month))
        return std::nullopt;
    return d;
}

int days_between(const civil_day& a, const civil_day& b) {
    return static_cast<int>(days_from_civil(b.year, b.month, b.day) -
                            days_from_civil(a.year, a.month, a.day));
}

struct report_calendar::impl {
    std::unique_ptr<icu::TimeZone> zone;

    // A Gregorian calendar in the zone with ISO week rules, set to local midnight of `day`.
    std::unique_ptr<icu::GregorianCalendar> at(const civil_day& day) const {
        UErrorCode ec = U_ZERO_ERROR;
        auto cal = std::make_unique<icu::GregorianCalendar>(*zone, icu::Locale::getRoot(), ec);
        if (U_FAILURE(ec)) throw std::runtime_error("ICU calendar failed");
        cal->setFirstDayOfWeek(UCAL_MONDAY);
        cal->setMinimalDaysInFirstWeek(4);
        cal->clear();
        cal->set(day.year, day.month - 1, day.day, 0, 0, 0);
        return cal;
    }

    static std::int64_t seconds(icu::Calendar& cal) {
        UErrorCode ec = U_ZERO_ERROR;
        const UDate ms = cal.getTime(ec);
        return static_cast<std::int64_t>(ms) / ms_per_second;
    }

    std::string format(std::int64_t unix_s, const std::string& lang, const char* skeleton) const {
        UErrorCode ec = U_ZERO_ERROR;
        const icu::Locale loc = locale_of(lang);
        std::unique_ptr<icu::DateTimePatternGenerator> gen(
            icu::DateTimePatternGenerator::createInstance(loc, ec));
        if (U_FAILURE(ec)) return {};
        const auto pattern = gen->getBestPattern(icu::UnicodeString(skeleton), ec);
        icu::SimpleDateFormat fmt(pattern, loc, ec);
        if (U_FAILURE(ec)) return {};
        fmt.setTimeZone(*zone);
        icu::UnicodeString out;
        fmt.format(static_cast<UDate>(unix_s) * ms_per_second, out);
        return to_utf8(out);
    }

    // Walks the days of the period, grouping consecutive days with the same key.
    template <class KeyOf>
    std::vector<report_bucket> group(const civil_day& from, const civil_day& to, KeyOf key_of) const {
        std::vector<report_bucket> out;
        auto cal = at(from);
        const int n = days_between(from, to);
        for (int i = 0; i <= n; ++i) {
            const std::int64_t start = seconds(*cal);
            UErrorCode ec = U_ZERO_ERROR;
            const std::string key = key_of(*cal, ec);
            cal->add(UCAL_DATE, 1, ec);
            const std::int64_t end = seconds(*cal);
            if (out.empty() || out.back().key != key) out.push_back({key, {}, start, end});
            else out.back().to = end;
        }
        return out;
    }
};

report_calendar::report_calendar(const std::string& timezone) : impl_(std::make_unique<impl>()) {
    impl_->zone.reset(icu::TimeZone::createTimeZone(icu::UnicodeString::fromUTF8(timezone)));
    if (*impl_->zone == icu::TimeZone::getUnknown())
        throw std::invalid_argument("timezone '" + timezone + "' is not known to ICU");
}

report_calendar::~report_calendar() = default;

bool report_calendar::known_zone(const std::string& timezone) {
    std::unique_ptr<icu::TimeZone> z(
        icu::TimeZone::createTimeZone(icu::UnicodeString::fromUTF8(timezone)));
    return *z != icu::TimeZone::getUnknown();
}

std::int64_t report_calendar::start_of(const civil_day& day) const {
    auto cal = impl_->at(day);
    return impl::seconds(*cal);
}

std::int64_t report_calendar::end_of(const civil_day& day) const {
    auto cal = impl_->at(day);
    UErrorCode ec = U_ZERO_ERROR;
    cal->add(UCAL_DATE, 1, ec);
    return impl::seconds(*cal);
}

std::vector<report_bucket> report_calendar::weeks(const civil_day& from, const civil_day& to,
                                                  const catalog& cat,
                                                  const std::string& lang) const {
    auto out = impl_->group(from, to, [](icu::Calendar& cal, UErrorCode& ec) {
        const int year = cal.get(UCAL_YEAR_WOY, ec);
        const int week = cal.get(UCAL_WEEK_OF_YEAR, ec);
        return std::to_string(year) + "-W" + two_digits(week);
    });
    for (auto& b : out)
        b.label = cat.text(lang, "report.week_label",
                           {{"week", std::to_string(std::stoi(b.key.substr(6)))},
                            {"year", b.key.substr(0, 4)}});
    return out;
}

std::vector<report_bucket> report_calendar::months(const civil_day& from, const civil_day& to,
                                                   const std::string& lang) const {
    auto out = impl_->group(from, to, [](icu::Calendar& cal, UErrorCode& ec) {
        return std::to_string(cal.get(UCAL_YEAR, ec)) + "-" + two_digits(cal.get(UCAL_MONTH, ec) + 1);
    });
    for (auto& b : out) b.label = impl_->format(b.from, lang, "yMMMM");
    return out;
}

std::string report_calendar::format_day(const civil_day& day, const std::string& lang) const {
    return impl_->format(start_of(day), lang, "yMMMMd");
}

std::string language_label(const std::string& code, const std::string& lang) {
    icu::UnicodeString name;
    locale_of(code).getDisplayLanguage(locale_of(lang), name);
    if (name.isEmpty() || to_utf8(name) == code) return code;
    const UChar32 first = name.char32At(0);
    name.replace(0, U16_LENGTH(first), icu::UnicodeString(u_totitle(first)));
    return to_utf8(name);
}

std::string channel_label(const std::string& channel, const catalog& cat, const std::string& lang) {
    if (channel == "telegram") return "Telegram";
    if (channel == "whatsapp") return "WhatsApp";
    if (channel == "console") return cat.text(lang, "report.channel_console");
    return channel;
}

std::string intent_label(const std::string& intent, const catalog& cat, const std::string& lang) {
    const auto& topics = topic_intents();
    if (std::find(topics.begin(), topics.end(), intent) != topics.end())
        if (const topic* t = cat.find_topic(lang, intent)) return t->title;
    std::string key = "report.intent." + intent;
    for (std::size_t i = 14; i < key.size(); ++i)
        if (key[i] == '.') key[i] = '_';
    const std::string text = cat.text(lang, key);
    return text == key ? intent : text;
}

}  // namespace opas::bot
