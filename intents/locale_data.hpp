#pragma once
// Reading the locale files the intents library learns from: locales/<code>/intents.json,
// messages.json, topics.json and entities.json (shapes in locales/README.md).

#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "intents/entities.hpp"

namespace opas::intents {

// The intent names of CONTRACTS.md section 6, "none" last.
std::span<const std::string_view> intent_taxonomy();

// Everything the model needs from one language.
struct locale_text {
    std::string code;  // "fi", "ar", ...
    // intent name -> example utterances (intents.json), in file order.
    std::vector<std::pair<std::string, std::vector<std::string>>> intents;
    // Other text written in this language (message strings, topic titles and texts): trains the
    // language identifier only.
    std::vector<std::string> other_texts;
    // (intent, title and text) of topics.json: also weak intent examples, sentence by sentence.
    std::vector<std::pair<std::string, std::string>> topics;
    std::string endonym;  // messages.json "language.name", may be empty
    entity_words entities;
};

// Reads locales_dir/<code>/{intents,messages,topics,entities}.json.
// Throws std::runtime_error("<locales_dir>/<code>/<file>: <what is wrong>") when a file is
// missing, is not valid JSON, or has the wrong shape (non-string examples, unknown intents).
// With `require_all` false only intents.json must exist (tools and tests, while a locale is
// being written).
locale_text read_locale(const std::string& locales_dir, const std::string& code,
                        bool require_all = true);

// Codes of the folders under locales_dir that hold all four files, sorted. For tests and tools
// while locales are being written; production passes its configured list.
std::vector<std::string> complete_locales(const std::string& locales_dir);

}  // namespace opas::intents
