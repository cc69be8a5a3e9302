#include "intents/locale_data.hpp"

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

namespace opas::intents {
namespace {

constexpr std::array<std::string_view, 26> taxonomy = {
    "greeting",
    "help",
    "language.change",
    "center.info",
    "activities",
    "guidance.residence_permit",
    "guidance.registration",
    "guidance.social_security",
    "guidance.housing",
    "guidance.health",
    "guidance.language_courses",
    "guidance.employment",
    "guidance.education",
    "guidance.money",
    "guidance.discrimination",
    "emergency",
    "appointment.book",
    "appointment.cancel",
    "appointment.list",
    "volunteer.enrol",
    "volunteer.shifts",
    "handover",
    "privacy.info",
    "privacy.forget",
    "thanks",
    "none",
};

constexpr std::array<std::string_view, 4> locale_files = {"intents.json", "messages.json",
                                                          "topics.json", "entities.json"};

[[noreturn]] void fail(const std::string& origin, const std::string& what) {
    throw std::runtime_error(origin + ": " + what);
}

// Message text without ICU MessageFormat syntax ("{count, plural, one {" and "{centre}") and
// without URLs, so that only words of the language remain.
std::string language_text(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '{') {
            const size_t end = text.find_first_of("{}", i + 1);
            const auto inner =
                text.substr(i + 1, end == std::string_view::npos ? end : end - i - 1);
            const bool syntax =
                inner.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_.,: ") == inner.npos;
            if (syntax && end != std::string_view::npos) {
                i = text[end] == '}' ? end : end - 1;
                out.push_back(' ');
                continue;
            }
        }
        if (text[i] == '}' || text[i] == '#') {
            out.push_back(' ');
            continue;
        }
        if (text.substr(i, 8) == "https://" || text.substr(i, 7) == "http://" ||
            text.substr(i, 4) == "www.") {
            while (i < text.size() && text[i] != ' ' && text[i] != '\n') ++i;
            out.push_back(' ');
            continue;
        }
        out.push_back(text[i]);
    }
    return out;
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) fail(path, "cannot open file");
    std::ostringstream buffer;
    buffer << in.rdbuf();
    return std::move(buffer).str();
}

nlohmann::json parse_object(const std::string& path, const std::string& body) {
    auto doc = nlohmann::json::parse(body, nullptr, false);
    if (doc.is_discarded()) fail(path, "not valid JSON");
    if (!doc.is_object()) fail(path, "top level must be a JSON object");
    return doc;
}

void read_intents(const std::string& path, locale_text& out) {
    const auto doc = parse_object(path, read_file(path));
    const auto known = intent_taxonomy();
    for (const auto& [name, examples] : doc.items()) {
        if (std::find(known.begin(), known.end(), name) == known.end()) {
            fail(path, "unknown intent \"" + name + "\" (not in the taxonomy of CONTRACTS.md)");
        }
        if (!examples.is_array()) fail(path, "\"" + name + "\" must be an array of strings");
        std::vector<std::string> texts;
        for (const auto& example : examples) {
            if (!example.is_string()) {
                fail(path, "\"" + name + "\" has a non-string example: " + example.dump());
            }
            auto text = example.get<std::string>();
            if (text.find_first_not_of(" \t\r\n") == std::string::npos) {
                fail(path, "\"" + name + "\" has an empty example");
            }
            texts.push_back(std::move(text));
        }
        out.intents.emplace_back(name, std::move(texts));
    }
}

void read_messages(const std::string& path, locale_text& out) {
    const auto doc = parse_object(path, read_file(path));
    for (const auto& [key, value] : doc.items()) {
        if (!value.is_string()) fail(path, "\"" + key + "\" must be a string");
        if (key == "language.name") out.endonym = value.get<std::string>();
        out.other_texts.push_back(language_text(value.get<std::string>()));
    }
}

void read_topics(const std::string& path, locale_text& out) {
    const auto doc = parse_object(path, read_file(path));
    for (const auto& [key, topic] : doc.items()) {
        if (!topic.is_object()) fail(path, "\"" + key + "\" must be an object");
        std::string both;
        for (const char* field : {"title", "text"}) {
            const auto it = topic.find(field);
            if (it == topic.end() || !it->is_string()) {
                fail(path, "\"" + key + "\"." + field + " must be a string");
            }
            out.other_texts.push_back(language_text(it->get<std::string>()));
            both += out.other_texts.back() + "\n";
        }
        const auto known = intent_taxonomy();
        if (std::find(known.begin(), known.end(), key) != known.end()) {
            out.topics.emplace_back(key, std::move(both));
        }
    }
}

}  // namespace

std::span<const std::string_view> intent_taxonomy() { return taxonomy; }

locale_text read_locale(const std::string& locales_dir, const std::string& code, bool require_all) {
    locale_text out;
    out.code = code;
    const std::string base = locales_dir + "/" + code + "/";
    auto wanted = [&](const char* file) {
        return require_all || std::filesystem::exists(base + file);
    };
    read_intents(base + "intents.json", out);
    if (wanted("messages.json")) read_messages(base + "messages.json", out);
    if (wanted("topics.json")) read_topics(base + "topics.json", out);
    const std::string entities_path = base + "entities.json";
    if (wanted("entities.json")) {
        out.entities = parse_entity_words(read_file(entities_path), entities_path);
    }
    return out;
}

std::vector<std::string> complete_locales(const std::string& locales_dir) {
    std::vector<std::string> codes;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(locales_dir, ec)) {
        if (!entry.is_directory()) continue;
        const bool complete = std::all_of(locale_files.begin(), locale_files.end(), [&](auto f) {
            return std::filesystem::is_regular_file(entry.path() / f);
        });
        if (complete) codes.push_back(entry.path().filename().string());
    }
    std::sort(codes.begin(), codes.end());
    return codes;
}

}  // namespace opas::intents
