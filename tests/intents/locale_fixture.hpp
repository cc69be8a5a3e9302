#pragma once
// Locale data for the intents tests: every language under locales/ that has an intents.json
// (other files optional while the locales are being written).

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "intents/locale_data.hpp"
#include "intents/model.hpp"

namespace opas::intents::testing {

inline std::string locales_dir() { return std::string(OPAS_SOURCE_DIR) + "/locales"; }

inline std::vector<locale_text> available_locales() {
    std::vector<std::string> codes;
    for (const auto& entry : std::filesystem::directory_iterator(locales_dir())) {
        if (std::filesystem::is_regular_file(entry.path() / "intents.json")) {
            codes.push_back(entry.path().filename().string());
        }
    }
    std::sort(codes.begin(), codes.end());
    std::vector<locale_text> out;
    for (const auto& code : codes) out.push_back(read_locale(locales_dir(), code, false));
    return out;
}

inline bool has(const std::vector<locale_text>& locales, const std::string& code) {
    for (const auto& l : locales) {
        if (l.code == code) return true;
    }
    return false;
}

// A percentage; 0 of nothing is 0 %.
inline double share(int part, int whole) { return whole == 0 ? 0.0 : 100.0 * part / whole; }

// One model of every available locale, trained once for all tests of the executable.
inline const model& shared_model() {
    static const std::unique_ptr<model> instance = model::train(available_locales());
    return *instance;
}

// Skips the rest of a test (with a warning) when a language is not written yet.
#define OPAS_REQUIRE_LANGUAGES(...)                                                 \
    do {                                                                            \
        for (const char* code : {__VA_ARGS__}) {                                    \
            const auto& langs = opas::intents::testing::shared_model().languages(); \
            if (std::find(langs.begin(), langs.end(), code) == langs.end()) {       \
                WARN("locale " << code << " not present yet: test skipped");        \
                return;                                                             \
            }                                                                       \
        }                                                                           \
    } while (false)

}  // namespace opas::intents::testing
