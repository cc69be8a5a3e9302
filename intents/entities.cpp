#include "intents/entities.hpp"

#include <algorithm>
#include <charconv>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "intents/model.hpp"
#include "intents/normalize.hpp"
#include "intents/phrases.hpp"

namespace opas::intents {
namespace {

using phrase_list = std::vector<entity_words::phrase>;

constexpr std::size_t max_choice_words = 4;

// A lower bound on the words the segmenter finds, without ICU: every run between ASCII
// whitespace that holds an ASCII letter or digit is at least one word of its own. Most
// messages are not choices, and this is asked after every reply that offered buttons.
std::size_t ascii_word_runs(std::string_view text) {
    std::size_t runs = 0;
    bool counted = false;  // the current run already holds a letter or digit
    for (const char c : text) {
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            counted = false;
        } else if (!counted && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                                (c >= '0' && c <= '9'))) {
            ++runs;
            counted = true;
        }
    }
    return runs;
}

[[noreturn]] void fail(const std::string& origin, const std::string& what) {
    throw std::runtime_error(origin + ": " + what);
}

const nlohmann::json& member(const nlohmann::json& doc, const char* key,
                             const std::string& origin) {
    const auto it = doc.find(key);
    if (it == doc.end()) fail(origin, std::string("missing \"") + key + "\"");
    return *it;
}

phrase_list phrases_of(const nlohmann::json& list, const std::string& where,
                       const std::string& origin, word_breaker& breaker) {
    if (!list.is_array()) fail(origin, where + " must be an array of strings");
    phrase_list out;
    for (const auto& item : list) {
        if (!item.is_string()) fail(origin, where + " has a non-string entry: " + item.dump());
        entity_words::phrase words;
        breaker.split(fold(item.get<std::string>()), words);
        if (!words.empty()) out.push_back(std::move(words));
    }
    return out;
}

std::map<int, phrase_list> numbered(const nlohmann::json& doc, const char* key,
                                    const std::string& origin, word_breaker& breaker) {
    const auto& object = member(doc, key, origin);
    if (!object.is_object()) fail(origin, std::string("\"") + key + "\" must be an object");
    std::map<int, phrase_list> out;
    for (const auto& [name, list] : object.items()) {
        int number = -1;
        const auto [end, ec] = std::from_chars(name.data(), name.data() + name.size(), number);
        if (ec != std::errc() || end != name.data() + name.size() || number < 0 || number > 99) {
            fail(origin, std::string("\"") + key + "\" key \"" + name + "\" is not a number");
        }
        out[number] = phrases_of(list, std::string(key) + "." + name, origin, breaker);
    }
    return out;
}

std::optional<int> as_number(std::string_view token) {
    if (token.empty() || token.size() > 4) return std::nullopt;
    int value = 0;
    const auto [end, ec] = std::from_chars(token.data(), token.data() + token.size(), value);
    if (ec != std::errc() || end != token.data() + token.size()) return std::nullopt;
    return value;
}

// Arabic words without the proclitics و ب ل and the article ال ("بالعربي" -> "عربي").
std::vector<std::string> without_proclitics(const std::vector<std::string>& tokens) {
    static constexpr std::string_view prefixes[] = {"وبال", "بال", "وال", "لل",
                                                    "ال",   "و",   "ب",   "ل"};
    constexpr std::size_t min_rest_bytes = 6;  // three Arabic letters
    std::vector<std::string> out;
    for (const auto& token : tokens) {
        std::string stripped = token;
        for (const auto prefix : prefixes) {
            if (token.size() >= prefix.size() + min_rest_bytes && token.starts_with(prefix)) {
                stripped = token.substr(prefix.size());
                break;
            }
        }
        out.push_back(std::move(stripped));
    }
    return out;
}

}  // namespace

entity_words parse_entity_words(std::string_view json_text, const std::string& origin) {
    const auto doc = nlohmann::json::parse(json_text, nullptr, false);
    if (doc.is_discarded()) fail(origin, "not valid JSON");
    if (!doc.is_object()) fail(origin, "top level must be a JSON object");
    word_breaker breaker;
    entity_words w;
    w.ordinals = numbered(doc, "ordinals", origin, breaker);
    w.relative_days = numbered(doc, "relative_days", origin, breaker);
    const auto& weekdays = member(doc, "weekdays", origin);
    if (!weekdays.is_array() || weekdays.size() != 7) {
        fail(origin, "\"weekdays\" must be an array of seven lists, Monday first");
    }
    for (std::size_t d = 0; d < 7; ++d) {
        w.weekdays[d] =
            phrases_of(weekdays[d], "weekdays[" + std::to_string(d) + "]", origin, breaker);
    }
    w.next = phrases_of(member(doc, "next", origin), "\"next\"", origin, breaker);
    w.this_week = phrases_of(member(doc, "this", origin), "\"this\"", origin, breaker);
    w.morning = phrases_of(member(doc, "morning", origin), "\"morning\"", origin, breaker);
    w.afternoon = phrases_of(member(doc, "afternoon", origin), "\"afternoon\"", origin, breaker);
    w.evening = phrases_of(member(doc, "evening", origin), "\"evening\"", origin, breaker);
    const auto& names = member(doc, "language_names", origin);
    if (!names.is_object()) fail(origin, "\"language_names\" must be an object");
    for (const auto& [code, list] : names.items()) {
        w.language_names[code] = phrases_of(list, "language_names." + code, origin, breaker);
    }
    return w;
}

std::optional<int> extract_choice(std::string_view text, const entity_words& w, int max_choice) {
    if (ascii_word_runs(text) > max_choice_words) return std::nullopt;
    const auto message = prepare_message(text);
    if (message.tokens.empty() || message.tokens.size() > max_choice_words) return std::nullopt;
    std::optional<int> digits;
    for (const auto& token : message.tokens) {
        const auto n = as_number(token);
        if (!n) continue;
        if (digits) return std::nullopt;  // two numbers: not a choice
        digits = n;
    }
    if (digits) {
        if (*digits >= 1 && *digits <= max_choice) return digits;
        return std::nullopt;
    }
    std::size_t best = 0;
    std::optional<int> chosen;
    bool tie = false;
    for (const auto& [number, phrases] : w.ordinals) {
        const auto length = longest_match(message, phrases, false);
        if (length == 0) continue;
        if (length > best) {
            best = length;
            chosen = number;
            tie = false;
        } else if (length == best && chosen != number) {
            tie = true;
        }
    }
    if (!chosen || tie || *chosen < 1 || *chosen > max_choice) return std::nullopt;
    return chosen;
}

std::optional<std::string> extract_language(std::string_view text, const model& m,
                                            std::string_view lang) {
    auto message = prepare_message(text);
    if (message.tokens.empty()) return std::nullopt;
    message_words stripped = message;
    stripped.tokens = without_proclitics(message.tokens);

    auto best_in = [&](const entity_words& w, std::size_t& best, std::optional<std::string>& out) {
        for (const auto& code : m.languages()) {
            const auto it = w.language_names.find(code);
            if (it == w.language_names.end()) continue;
            const auto length = std::max(longest_match(message, it->second, true),
                                         longest_match(stripped, it->second, true));
            if (length > best) {
                best = length;
                out = code;
            }
        }
    };
    std::size_t best = 0;
    std::optional<std::string> found;
    best_in(m.words_for(lang), best, found);  // the names used in the message's language
    if (found) return found;
    for (const auto& other : m.languages()) {
        if (other != lang) best_in(m.words_for(other), best, found);
    }
    word_breaker breaker;
    for (const auto& code : m.languages()) {  // endonyms: "suomi", "العربية", "English"
        entity_words::phrase name;
        breaker.split(fold(m.endonym(code)), name);
        if (name.empty()) continue;
        const std::vector<entity_words::phrase> names = {name};
        const auto length =
            std::max(longest_match(message, names, true), longest_match(stripped, names, true));
        if (length > best) {
            best = length;
            found = code;
        }
    }
    return found;
}

}  // namespace opas::intents
