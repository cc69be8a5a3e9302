#pragma once
// Text normalization and word segmentation shared by language id, the intent classifier and
// the entity extractors. Pure functions; thread-safe.

#include <unicode/uversion.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

U_NAMESPACE_BEGIN
class BreakIterator;
U_NAMESPACE_END

namespace opas::intents {

// NFKC, case folding, Arabic diacritics/tatweel removed, Arabic/Persian letter variants unified
// (ى/ی→ي, ک→ك, ة/ۀ→ه, أ/إ/آ/ٱ→ا, ؤ→و, ئ→ي), Arabic-Indic and Persian digits -> ASCII,
// default-ignorable characters (ZWNJ, ZWJ) dropped, whitespace collapsed and trimmed.
// Invalid UTF-8 bytes become U+FFFD. Returns UTF-8.
std::string normalize(std::string_view text);

// normalize(), plus Latin diacritics folded to their base letter (ä->a, ö->o, å->a, õ->o,
// ü->u, ş->s, ç->c, ğ->g, ı->i, ñ->n, ø->o, ł->l, đ->d): for matching text typed without them.
// Cyrillic, Arabic and Han text is left as normalize() returns it.
std::string fold(std::string_view text);

// fold() of text that is already normalize()d: only the Latin diacritics step (cheaper).
std::string fold_normalized(std::string_view normalized);

// Word tokens of already normalized (or folded) text as ICU's word BreakIterator gives them,
// so that Chinese is segmented by dictionary (printable ASCII is split by hand, the same way). Punctuation and spaces are dropped; numbers are kept
// ("10.30" stays one token). Uses one word_breaker per thread.
std::vector<std::string> words(std::string_view normalized);

// Appends each emoji and other pictograph of `text` (Extended_Pictographic code points: 👋 🙏
// 👍 ❤) to `out` as a token of its own, in order; the word segmenter drops them, yet people
// greet and thank with them alone.
void append_pictographs(std::string_view text, std::vector<std::string>& out);

// A reusable word segmenter: owns one ICU BreakIterator, cloned from a shared prototype.
// Not thread-safe; use one per thread (the model keeps a pool of them).
class word_breaker {
public:
    word_breaker();
    ~word_breaker();
    word_breaker(const word_breaker&) = delete;
    word_breaker& operator=(const word_breaker&) = delete;

    // Appends the word tokens of `normalized` to `out`, as words() describes. Most texts are
    // printable ASCII: they are split without ICU, by the same rules (Unicode's word
    // boundaries, UAX #29, as far as ASCII meets them), and give the same tokens.
    void split(std::string_view normalized, std::vector<std::string>& out);
    // split() through ICU's iterator whatever the text: the reference that the ASCII path is
    // tested against (tests/intents/normalize_test.cpp).
    void split_by_icu(std::string_view normalized, std::vector<std::string>& out);

private:
    std::unique_ptr<icu::BreakIterator> iterator_;
};

}  // namespace opas::intents
