#include "bot/catalog.hpp"

#include <unicode/datefmt.h>
#include <unicode/dtptngen.h>
#include <unicode/msgfmt.h>
#include <unicode/smpdtfmt.h>
#include <unicode/timezone.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

namespace opas::bot {
namespace {

using json = nlohmann::json;

json read_json(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw std::runtime_error(file.string() + ": cannot read");
    std::stringstream buf;
    buf << in.rdbuf();
    json doc = json::parse(buf.str(), nullptr, false);
    if (doc.is_discarded()) throw std::runtime_error(file.string() + ": not valid JSON");
    if (!doc.is_object()) throw std::runtime_error(file.string() + ": must be a JSON object");
    return doc;
}

std::string to_utf8(const icu::UnicodeString& s) {
    std::string out;
    s.toUTF8String(out);
    return out;
}

icu::Locale locale_of(std::string_view lang) {
    UErrorCode ec = U_ZERO_ERROR;
    icu::Locale loc = icu::Locale::forLanguageTag(std::string(lang), ec);
    return U_FAILURE(ec) ? icu::Locale::getRoot() : loc;
}

struct language {
    std::map<std::string, std::string, std::less<>> messages;
    std::map<std::string, topic, std::less<>> topics;
};

}  // namespace

const std::vector<std::string>& topic_intents() {
    static const std::vector<std::string> names = {
        "guidance.residence_permit", "guidance.registration",      "guidance.social_security",
        "guidance.housing",          "guidance.health",            "guidance.language_courses",
        "guidance.employment",       "guidance.education",         "guidance.money",
        "guidance.discrimination",   "emergency",                  "center.info",
        "activities"};
    return names;
}

struct catalog::impl {
    std::vector<std::string> codes;
    std::map<std::string, language, std::less<>> langs;
    std::unique_ptr<icu::TimeZone> zone;
    // Parsed MessageFormat objects by "lang\x1fkey"; guarded by cache_mutex.
    mutable std::mutex cache_mutex;
    mutable std::map<std::string, std::unique_ptr<icu::MessageFormat>, std::less<>> formats;

    const std::string* pattern(std::string_view lang, std::string_view key) const {
        if (auto l = langs.find(lang); l != langs.end())
            if (auto m = l->second.messages.find(key); m != l->second.messages.end())
                return &m->second;
        return nullptr;
    }

    icu::MessageFormat* format_for(std::string_view lang, std::string_view key,
                                   const std::string& pat) const {
        std::string id = std::string(lang) + '\x1f' + std::string(key);
        std::lock_guard lock(cache_mutex);
        if (auto it = formats.find(id); it != formats.end()) return it->second.get();
        UErrorCode ec = U_ZERO_ERROR;
        UParseError pe;
        auto mf = std::make_unique<icu::MessageFormat>(icu::UnicodeString::fromUTF8(pat),
                                                       locale_of(lang), pe, ec);
        if (U_FAILURE(ec)) return nullptr;
        auto* raw = mf.get();
        formats.emplace(std::move(id), std::move(mf));
        return raw;
    }

    std::string format_time(std::string_view lang, std::int64_t unix_ms, const char* skeleton) const {
        UErrorCode ec = U_ZERO_ERROR;
        // Day before month for English too (en-GB), and the Gregorian calendar for Persian:
        // appointments in Finland are on Finnish dates.
        const icu::Locale loc = lang == "en"   ? locale_of("en-GB")
                                : lang == "fa" ? locale_of("fa-u-ca-gregory")
                                               : locale_of(lang);
        std::unique_ptr<icu::DateTimePatternGenerator> gen(
            icu::DateTimePatternGenerator::createInstance(loc, ec));
        if (U_FAILURE(ec)) return {};
        const auto pat = gen->getBestPattern(icu::UnicodeString(skeleton), ec);
        icu::SimpleDateFormat fmt(pat, loc, ec);
        if (U_FAILURE(ec)) return {};
        fmt.setTimeZone(*zone);
        icu::UnicodeString out;
        fmt.format(static_cast<UDate>(unix_ms), out);
        return to_utf8(out);
    }
};

catalog::catalog(std::unique_ptr<impl> p) : impl_(std::move(p)) {}
catalog::~catalog() = default;

std::unique_ptr<catalog> catalog::load(const std::string& dir,
                                       const std::vector<std::string>& languages,
                                       std::string timezone) {
    auto p = std::make_unique<impl>();
    p->zone.reset(icu::TimeZone::createTimeZone(icu::UnicodeString::fromUTF8(timezone)));
    if (*p->zone == icu::TimeZone::getUnknown())
        throw std::runtime_error("timezone '" + timezone + "' is not known to ICU");
    for (const auto& code : languages) {
        const std::filesystem::path base = std::filesystem::path(dir) / code;
        if (!std::filesystem::is_directory(base)) continue;
        language lang;
        // messages.json plus one messages_<feature>.json per feature that added keys.
        std::vector<std::filesystem::path> files;
        for (const auto& entry : std::filesystem::directory_iterator(base)) {
            const auto name = entry.path().filename().string();
            if (name == "messages.json" || (name.rfind("messages_", 0) == 0 &&
                                            entry.path().extension() == ".json"))
                files.push_back(entry.path());
        }
        std::sort(files.begin(), files.end());
        for (const auto& file : files) {
            const json doc = read_json(file);
            for (const auto& [key, value] : doc.items()) {
                if (!value.is_string())
                    throw std::runtime_error(file.string() + ": '" + key + "' must be a string");
                if (!lang.messages.emplace(key, value.get<std::string>()).second)
                    throw std::runtime_error(file.string() + ": '" + key + "' is defined twice");
            }
        }
        if (std::filesystem::exists(base / "topics.json")) {
            const json doc = read_json(base / "topics.json");
            for (const auto& [key, value] : doc.items()) {
                const auto where = (base / "topics.json").string() + ": '" + key + "'";
                if (!value.is_object() || !value.contains("title") || !value["title"].is_string() ||
                    !value.contains("text") || !value["text"].is_string())
                    throw std::runtime_error(where + " must have string 'title' and 'text'");
                topic t{value["title"].get<std::string>(), value["text"].get<std::string>(), {}};
                if (value.contains("sources") && value["sources"].is_array())
                    for (const auto& s : value["sources"])
                        if (s.is_string()) t.sources.push_back(s.get<std::string>());
                lang.topics.emplace(key, std::move(t));
            }
        }
        p->codes.push_back(code);
        p->langs.emplace(code, std::move(lang));
    }
    return std::unique_ptr<catalog>(new catalog(std::move(p)));
}

bool catalog::has_language(std::string_view lang) const {
    return impl_->langs.find(lang) != impl_->langs.end();
}

const std::vector<std::string>& catalog::languages() const { return impl_->codes; }

std::string catalog::text(std::string_view lang, std::string_view key,
                          const message_args& args) const {
    std::string_view used = lang;
    const std::string* pat = impl_->pattern(lang, key);
    if (!pat) {
        used = "en";
        pat = impl_->pattern(used, key);
    }
    if (!pat) return std::string(key);
    // Most texts have no placeholder, plural or quote: ICU would give the pattern back as it
    // is (through two conversions and a lock), on the writer thread several times a turn.
    if (pat->find_first_of("{}'") == std::string::npos) return *pat;
    icu::MessageFormat* mf = impl_->format_for(used, key, *pat);
    if (!mf) return *pat;

    std::vector<icu::UnicodeString> names;
    std::vector<icu::Formattable> values;
    for (const auto& [name, value] : args) {
        names.push_back(icu::UnicodeString::fromUTF8(name));
        if (const auto* s = std::get_if<std::string>(&value))
            values.emplace_back(icu::UnicodeString::fromUTF8(*s));
        else if (const auto* i = std::get_if<std::int64_t>(&value))
            values.emplace_back(static_cast<int64_t>(*i));
        else
            values.emplace_back(static_cast<UDate>(std::get<message_time>(value).unix_ms),
                                icu::Formattable::kIsDate);
    }
    UErrorCode ec = U_ZERO_ERROR;
    icu::UnicodeString out;
    std::lock_guard lock(impl_->cache_mutex);  // MessageFormat caches sub-formats internally
    mf->format(names.data(), values.data(), static_cast<int32_t>(names.size()), out, ec);
    if (U_FAILURE(ec)) return *pat;
    return to_utf8(out);
}

const topic* catalog::find_topic(std::string_view lang, std::string_view intent) const {
    for (std::string_view l : {lang, std::string_view("en")}) {
        if (auto it = impl_->langs.find(l); it != impl_->langs.end())
            if (auto t = it->second.topics.find(intent); t != it->second.topics.end())
                return &t->second;
    }
    return nullptr;
}

std::vector<std::string> catalog::problems(std::string_view lang) const {
    std::vector<std::string> out;
    auto l = impl_->langs.find(lang);
    if (l == impl_->langs.end()) return {"language folder missing"};
    auto en = impl_->langs.find(std::string_view("en"));
    if (en != impl_->langs.end()) {
        for (const auto& [key, _] : en->second.messages)
            if (!l->second.messages.count(key)) out.push_back("missing message key " + key);
        for (const auto& [key, _] : l->second.messages)
            if (!en->second.messages.count(key)) out.push_back("extra message key " + key);
    }
    for (const auto& [key, pat] : l->second.messages) {
        UErrorCode ec = U_ZERO_ERROR;
        UParseError pe;
        icu::MessageFormat mf(icu::UnicodeString::fromUTF8(pat), locale_of(lang), pe, ec);
        if (U_FAILURE(ec)) out.push_back("message " + key + " is not valid ICU MessageFormat");
        if ((key.rfind("button.", 0) == 0 || key.rfind("interest.", 0) == 0) &&
            icu::UnicodeString::fromUTF8(pat).countChar32() > 20)
            out.push_back("button title " + key + " is longer than 20 characters");
    }
    for (const auto& name : topic_intents()) {
        auto t = l->second.topics.find(name);
        if (t == l->second.topics.end() || t->second.text.empty())
            out.push_back("guidance topic " + name + " has no text");
    }
    return out;
}

std::string catalog::format_datetime(std::string_view lang, std::int64_t unix_ms) const {
    return impl_->format_time(lang, unix_ms, "EEEdMMMHHmm");
}

std::string catalog::format_date(std::string_view lang, std::int64_t unix_ms) const {
    return impl_->format_time(lang, unix_ms, "EEEdMMM");
}

}  // namespace opas::bot
