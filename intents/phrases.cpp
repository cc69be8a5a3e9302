#include "intents/phrases.hpp"

#include <unicode/utf8.h>

#include "intents/normalize.hpp"

namespace opas::intents {

bool is_han_text(std::string_view text) {
    const auto* bytes = reinterpret_cast<const uint8_t*>(text.data());
    const auto length = static_cast<int32_t>(text.size());
    for (int32_t i = 0; i < length;) {
        UChar32 c = 0;
        U8_NEXT(bytes, i, length, c);
        if ((c >= 0x3400 && c <= 0x9FFF) || (c >= 0xF900 && c <= 0xFAFF) || c >= 0x20000) {
            return true;
        }
    }
    return false;
}

message_words prepare_message(std::string_view text) {
    message_words m;
    m.folded = fold(text);
    m.tokens = words(m.folded);
    for (const auto& token : m.tokens) m.compact += token;
    return m;
}

std::size_t longest_match(const message_words& message,
                          const std::vector<std::vector<std::string>>& phrases, bool inflected) {
    constexpr std::size_t min_stem_bytes = 5;
    constexpr std::size_t max_ending_bytes = 6;
    std::size_t best = 0;
    for (const auto& phrase : phrases) {
        if (phrase.empty()) continue;
        std::size_t bytes = 0;
        std::string joined;
        for (const auto& word : phrase) {
            bytes += word.size();
            joined += word;
        }
        if (bytes <= best) continue;
        if (is_han_text(joined)) {
            if (message.compact.find(joined) != std::string::npos) best = bytes;
            continue;
        }
        const auto& tokens = message.tokens;
        for (std::size_t start = 0; start + phrase.size() <= tokens.size(); ++start) {
            bool same = true;
            for (std::size_t j = 0; j + 1 < phrase.size() && same; ++j) {
                same = tokens[start + j] == phrase[j];
            }
            if (!same) continue;
            const std::string& last = tokens[start + phrase.size() - 1];
            const std::string& want = phrase.back();
            const bool exact = last == want;
            const bool ending = inflected && want.size() >= min_stem_bytes &&
                                last.size() <= want.size() + max_ending_bytes &&
                                last.compare(0, want.size(), want) == 0;
            if (exact || ending) {
                best = bytes;
                break;
            }
        }
    }
    return best;
}

}  // namespace opas::intents
