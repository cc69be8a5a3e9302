#pragma once
// The message catalogue: locales/<code>/messages.json (ICU MessageFormat) and topics.json.
// Formatting follows the language's plural rules and number/date formats.
//
// Thread-safety: load() result is immutable except for a cache of parsed patterns; use one
// catalog from one thread at a time (the dispatcher's writer thread, or the console).

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace opas::bot {

// A named argument value: text, integer, or a time point (unix milliseconds) for {x, date}.
struct message_time {
    std::int64_t unix_ms = 0;
};
using message_arg = std::variant<std::string, std::int64_t, message_time>;
using message_args = std::map<std::string, message_arg>;

struct topic {
    std::string title;
    std::string text;
    std::vector<std::string> sources;
};

class catalog {
public:
    // Loads every language in `languages` that has a folder under `dir`. Throws
    // std::runtime_error naming the file on malformed JSON or wrong shapes.
    static std::unique_ptr<catalog> load(const std::string& dir,
                                         const std::vector<std::string>& languages,
                                         std::string timezone = "Europe/Helsinki");
    ~catalog();

    bool has_language(std::string_view lang) const;
    const std::vector<std::string>& languages() const;

    // The message `key` in `lang` formatted with `args`; falls back to English, then to the
    // key itself, so a gap never ends a conversation.
    std::string text(std::string_view lang, std::string_view key,
                     const message_args& args = {}) const;

    // The guidance topic for an intent (`guidance.*`, `emergency`, `center.info`,
    // `activities`); nullptr when missing in both `lang` and English.
    const topic* find_topic(std::string_view lang, std::string_view intent) const;

    // Problems of one language compared to English (missing/extra keys, patterns ICU cannot
    // parse, topics missing). Empty when complete.
    std::vector<std::string> problems(std::string_view lang) const;

    // Local time formatting in the catalogue's time zone and the language's conventions.
    std::string format_datetime(std::string_view lang, std::int64_t unix_ms) const;
    std::string format_date(std::string_view lang, std::int64_t unix_ms) const;

private:
    struct impl;
    explicit catalog(std::unique_ptr<impl> p);
    std::unique_ptr<impl> impl_;
};

// The intents that have a topic text: every guidance.* plus emergency, center.info, activities.
const std::vector<std::string>& topic_intents();

}  // namespace opas::bot
