// libFuzzer target: the entity extractors (choice, date, time) with the entity words of every
// locale. The first byte picks the language, the next two the day of "today".
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "intents/entities.hpp"
#include "intents/locale_data.hpp"

namespace {

const std::vector<opas::intents::entity_words>& all_words() {
    static const auto words = [] {
        std::vector<opas::intents::entity_words> out;
        const std::string dir = OPAS_SOURCE_DIR "/locales";
        for (const auto& code : opas::intents::complete_locales(dir)) {
            const std::string path = dir + "/" + code + "/entities.json";
            std::ifstream in(path);
            std::stringstream text;
            text << in.rdbuf();
            out.push_back(opas::intents::parse_entity_words(text.str(), path));
        }
        return out;
    }();
    return words;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    (void)all_words();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 3) return 0;
    using namespace opas::intents;
    const auto& words = all_words();
    const auto& w = words[data[0] % words.size()];
    const civil_date today = add_days({2026, 1, 1}, (data[1] << 8 | data[2]) % 3000);
    const std::string_view text(reinterpret_cast<const char*>(data) + 3, size - 3);

    if (const auto c = extract_choice(text, w, 10); c && (*c < 1 || *c > 10)) __builtin_trap();
    if (const auto d = extract_date(text, w, today)) {
        if (d->month < 1 || d->month > 12 || d->day < 1 || d->day > 31) __builtin_trap();
        (void)weekday_of(*d);
    }
    if (const auto t = extract_time(text, w); t && (*t < 0 || *t >= 24 * 60)) __builtin_trap();
    return 0;
}
