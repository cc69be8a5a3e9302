#pragma once
// Entity extraction from short chat messages: numbered choices, dates, times of day and
// language names. Words come from the language's locales/<code>/entities.json; digits and
// date/time patterns are universal. All functions are pure and thread-safe.

#include <array>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace opas::intents {

class model;

// entities.json of one language (see locales/README.md). Every phrase is stored fold()ed and
// split into words (a phrase is a word sequence: "day after tomorrow" -> 3 words).
struct entity_words {
    using phrase = std::vector<std::string>;
    std::map<int, std::vector<phrase>> ordinals;       // 1..10 -> "first", "toinen", ...
    std::map<int, std::vector<phrase>> relative_days;  // 0 today, 1 tomorrow, 2 day after
    std::array<std::vector<phrase>, 7> weekdays;       // Monday first
    std::vector<phrase> next;                          // "next", "ensi"
    std::vector<phrase> this_week;                     // "this" (the file's key is "this")
    std::vector<phrase> morning;
    std::vector<phrase> afternoon;
    std::vector<phrase> evening;
    std::map<std::string, std::vector<phrase>> language_names;  // code -> names
};

// Parses the text of an entities.json. `origin` names the file in error messages.
// Throws std::runtime_error("<origin>: <what is wrong>") on malformed data.
entity_words parse_entity_words(std::string_view json_text, const std::string& origin);

struct civil_date {  // proleptic Gregorian
    int year = 1970;
    int month = 1;
    int day = 1;
    friend bool operator==(const civil_date&, const civil_date&) = default;
};

// A whole-message choice in 1..max_choice: "2", "٢", "۲", "2.", "#2", "the second",
// "toinen", "第二个". Texts longer than four words are not choices.
std::optional<int> extract_choice(std::string_view text, const entity_words& w, int max_choice);

// A date in the text, relative to `today`:
// - relative day words ("tomorrow", "huomenna", "غدا") -> today + n;
// - weekdays ("monday", "ensi maanantaina", "next monday") -> the next such day strictly after
//   today; with a "this" word ("this friday") the day may be today;
// - numeric: "2026-12-15" (ISO), "15.12.", "15.12.2026", "15/12", "15/12/2026": day first in
//   every language; "12/15" is read month first only when the day-first reading is impossible.
//   A date without a year is the next such date on or after today.
std::optional<civil_date> extract_date(std::string_view text, const entity_words& w,
                                       civil_date today);

// A time of day in minutes after midnight: "10", "klo 10", "10:30", "10.30", "at 2pm",
// "2.30 pm", "14h", "14h30", "ساعة ١٠", "下午3点", "3 in the afternoon"/"iltapäivällä 3"
// (afternoon/evening words move 1..11 to the afternoon). A bare number counts only when it is
// the whole message or follows a clock word ("klo", "kello", "at", "ساعة", "в").
std::optional<int> extract_time(std::string_view text, const entity_words& w);

// A language the text asks for or names: "in arabic please", "arabiaksi", "بالعربي", "suomi",
// "العربية", "English" -> a loaded code. Looks at the names of `lang` first, then at the names
// and endonyms of every loaded language. Inflected forms match by a long common prefix
// ("suomeksi" ~ "suomi"), Arabic proclitics (و ب ل ال) are stripped. Call it when the intent is
// language.change or the message is short: "asun suomessa" also yields "fi".
std::optional<std::string> extract_language(std::string_view text, const model& m,
                                            std::string_view lang);

int weekday_of(civil_date d);  // 0 = Monday
civil_date add_days(civil_date d, int n);

}  // namespace opas::intents
