// Dates and times of day in chat messages (extract_date, extract_time of entities.hpp).

#include <algorithm>
#include <array>

#include "intents/entities.hpp"
#include "intents/phrases.hpp"

namespace opas::intents {
namespace {

// Words right before a number that make it a time of day: "klo 10", "at 10", "ساعة ١٠".
constexpr std::array<std::string_view, 24> clock_before = {
    "klo",    "kello", "kl",       "kell",    "at", "around", "в",     "во",
    "о",      "об",    "около",    "las",     "a",  "vers",   "saat",  "ساعه",
    "الساعه", "ساعت",  "saacadda", "sacadda", "om", "um",     "hacia", "à"};
// Words right after a number that make it a time of day: "10 часов", "10 uhr".
constexpr std::array<std::string_view, 8> clock_after = {"часов", "часа",    "час",    "годині",
                                                         "годин", "o'clock", "oclock", "saat"};

// A run of digit groups joined by separators: "15.12.2026", "10:30", "2026-12-15", "14".
struct number_group {
    std::array<int, 3> value{};
    std::array<int, 3> digits{};
    std::array<char, 2> separator{};
    int parts = 0;
    std::size_t begin = 0;  // byte offsets in the folded text
    std::size_t end = 0;
    bool trailing_dot = false;
};

bool is_digit(char ch) { return ch >= '0' && ch <= '9'; }

std::vector<number_group> number_groups(std::string_view s) {
    std::vector<number_group> out;
    for (std::size_t i = 0; i < s.size();) {
        if (!is_digit(s[i]) || (i > 0 && (is_digit(s[i - 1])))) {
            ++i;
            continue;
        }
        number_group g;
        g.begin = i;
        while (true) {
            int value = 0;
            int digits = 0;
            while (i < s.size() && is_digit(s[i]) && digits < 5) {
                value = value * 10 + (s[i] - '0');
                ++digits;
                ++i;
            }
            g.value[static_cast<std::size_t>(g.parts)] = value;
            g.digits[static_cast<std::size_t>(g.parts)] = digits;
            ++g.parts;
            const bool more = g.parts < 3 && i + 1 < s.size() &&
                              (s[i] == '.' || s[i] == '/' || s[i] == '-' || s[i] == ':') &&
                              is_digit(s[i + 1]);
            if (!more) break;
            g.separator[static_cast<std::size_t>(g.parts - 1)] = s[i];
            ++i;
        }
        g.trailing_dot = i < s.size() && s[i] == '.';
        g.end = i;
        out.push_back(g);
    }
    return out;
}

bool is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int days_in_month(int y, int m) {
    constexpr std::array<int, 12> days = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : days[static_cast<std::size_t>(m - 1)];
}

bool valid(civil_date d) {
    return d.month >= 1 && d.month <= 12 && d.day >= 1 && d.day <= days_in_month(d.year, d.month);
}

long days_from_civil(civil_date d) {  // days since 1970-01-01 (H. Hinnant's algorithm)
    const int y = d.year - (d.month <= 2 ? 1 : 0);
    const int era = (y >= 0 ? y : y - 399) / 400;
    const int yoe = y - era * 400;
    const int doy = (153 * (d.month + (d.month > 2 ? -3 : 9)) + 2) / 5 + d.day - 1;
    const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return static_cast<long>(era) * 146097 + doe - 719468;
}

civil_date civil_from_days(long z) {
    z += 719468;
    const long era = (z >= 0 ? z : z - 146096) / 146097;
    const long doe = z - era * 146097;
    const long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const long mp = (5 * doy + 2) / 153;
    const int day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
    const int month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
    return {static_cast<int>(yoe + era * 400 + (month <= 2 ? 1 : 0)), month, day};
}

// Day and month without a year: the next such date on or after today.
std::optional<civil_date> upcoming(int day, int month, civil_date today) {
    if (month < 1 || month > 12 || day < 1 || day > 31) return std::nullopt;
    int year = today.year;
    if (month < today.month || (month == today.month && day < today.day)) ++year;
    for (int tries = 0; tries < 8; ++tries, ++year) {  // 29 February waits for a leap year
        if (valid({year, month, day})) return civil_date{year, month, day};
    }
    return std::nullopt;
}

std::optional<civil_date> date_of(const number_group& g, civil_date today) {
    const auto [a, b, c] = g.value;
    if (g.parts == 3 && g.separator[0] == '-' && g.separator[1] == '-' && g.digits[0] == 4) {
        const civil_date d{a, b, c};
        return valid(d) ? std::optional(d) : std::nullopt;
    }
    const char sep = g.separator[0];
    if (sep != '.' && sep != '/') return std::nullopt;
    if (g.parts == 3) {
        if (g.separator[1] != sep || (g.digits[2] != 2 && g.digits[2] != 4)) return std::nullopt;
        const int year = g.digits[2] == 2 ? 2000 + c : c;
        const civil_date dm{year, b, a};
        if (valid(dm)) return dm;
        const civil_date md{year, a, b};
        return sep == '/' && valid(md) ? std::optional(md) : std::nullopt;
    }
    if (g.parts != 2) return std::nullopt;
    // "15.12" without the final dot reads as a time of day when it can be one.
    if (sep == '.' && !g.trailing_dot && a <= 23 && g.digits[1] == 2 && b <= 59) {
        return std::nullopt;
    }
    if (auto d = upcoming(a, b, today); d && b <= 12) return d;
    if (sep == '/' && a <= 12) return upcoming(b, a, today);
    return std::nullopt;
}

std::string_view word_before(std::string_view s, std::size_t at) {
    while (at > 0 && s[at - 1] == ' ') --at;
    const std::size_t end = at;
    while (at > 0 && s[at - 1] != ' ') --at;
    return s.substr(at, end - at);
}

std::string_view word_after(std::string_view s, std::size_t at) {
    while (at < s.size() && s[at] == ' ') ++at;
    const std::size_t begin = at;
    while (at < s.size() && s[at] != ' ') ++at;
    return s.substr(begin, at - begin);
}

template <std::size_t N>
bool one_of(std::string_view word, const std::array<std::string_view, N>& list) {
    return std::find(list.begin(), list.end(), word) != list.end();
}

// Hours and minutes of one number group, or -1 when it is not a time.
int clock_minutes(const number_group& g, std::string_view s, const message_words& message, bool& pm,
                  bool& am) {
    const auto [h, m, unused] = g.value;
    (void)unused;
    std::string_view rest = s.substr(g.end);
    if (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
    pm = rest.starts_with("pm") || rest.starts_with("p.m");
    am = rest.starts_with("am") || rest.starts_with("a.m");
    if (g.parts == 2 && (g.separator[0] == ':' || g.separator[0] == '.') && g.digits[1] == 2) {
        const bool date_like = g.separator[0] == '.' && g.trailing_dot && !pm && !am &&
                               !one_of(word_before(s, g.begin), clock_before);
        if (h <= 24 && m <= 59 && !date_like) return h % 24 * 60 + m;
        return -1;
    }
    if (g.parts != 1 || h > 24) return -1;
    if (pm || am) return h % 24 * 60;
    if (rest.starts_with("h")) {  // "14h", "14h30"
        int minutes = 0;
        if (rest.size() >= 3 && is_digit(rest[1]) && is_digit(rest[2])) {
            minutes = (rest[1] - '0') * 10 + (rest[2] - '0');
        }
        if (rest.size() == 1 || rest[1] == ' ' || minutes > 0 || rest.starts_with("h00")) {
            return h % 24 * 60 + std::min(minutes, 59);
        }
    }
    for (const std::string_view mark : {"点", "點", "时", "時"}) {  // "3点", "3点半", "3点30分"
        if (!rest.starts_with(mark)) continue;
        rest.remove_prefix(mark.size());
        int minutes = 0;
        if (rest.starts_with("半")) minutes = 30;
        if (rest.size() >= 2 && is_digit(rest[0]) && is_digit(rest[1])) {
            minutes = (rest[0] - '0') * 10 + (rest[1] - '0');
        }
        return h % 24 * 60 + std::min(minutes, 59);
    }
    const bool clock_word =
        one_of(word_before(s, g.begin), clock_before) || one_of(word_after(s, g.end), clock_after);
    const bool alone = message.tokens.size() == 1;
    return clock_word || alone ? h % 24 * 60 : -1;
}

}  // namespace

int weekday_of(civil_date d) {
    const long days = days_from_civil(d);
    return static_cast<int>(((days % 7) + 7 + 3) % 7);  // 1970-01-01 was a Thursday
}

civil_date add_days(civil_date d, int n) { return civil_from_days(days_from_civil(d) + n); }

std::optional<civil_date> extract_date(std::string_view text, const entity_words& w,
                                       civil_date today) {
    const auto message = prepare_message(text);
    for (const auto& group : number_groups(message.folded)) {
        if (auto d = date_of(group, today)) return d;
    }
    std::size_t best = 0;
    std::optional<civil_date> found;
    for (const auto& [days, phrases] : w.relative_days) {
        const auto length = longest_match(message, phrases, true);
        if (length > best) {
            best = length;
            found = add_days(today, days);
        }
    }
    if (found) return found;
    int weekday = -1;
    for (int d = 0; d < 7; ++d) {
        const auto length = longest_match(message, w.weekdays[static_cast<std::size_t>(d)], true);
        if (length > best) {
            best = length;
            weekday = d;
        }
    }
    if (weekday < 0) return std::nullopt;
    const int today_weekday = weekday_of(today);
    const bool this_week = longest_match(message, w.this_week, false) > 0 &&
                           longest_match(message, w.next, false) == 0;
    const int ahead =
        this_week ? (weekday - today_weekday + 7) % 7 : (weekday - today_weekday + 6) % 7 + 1;
    return add_days(today, ahead);
}

std::optional<int> extract_time(std::string_view text, const entity_words& w) {
    const auto message = prepare_message(text);
    const std::string_view s = message.folded;
    for (const auto& group : number_groups(s)) {
        bool pm = false;
        bool am = false;
        int minutes = clock_minutes(group, s, message, pm, am);
        if (minutes < 0) continue;
        const int hour = minutes / 60;
        const bool later = pm || longest_match(message, w.afternoon, true) > 0 ||
                           longest_match(message, w.evening, true) > 0;
        if (later && hour >= 1 && hour <= 11) minutes += 12 * 60;
        if (am && hour == 12) minutes -= 12 * 60;
        return minutes;
    }
    return std::nullopt;
}

}  // namespace opas::intents
