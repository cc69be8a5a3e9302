#include "intents/normalize.hpp"

#include <unicode/brkiter.h>
#include <unicode/locid.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <stdexcept>

namespace opas::intents {
namespace {

bool is_arabic_mark(UChar32 c) {
    return (c >= 0x064B && c <= 0x065F) || c == 0x0670 || (c >= 0x0610 && c <= 0x061A) ||
           (c >= 0x06D6 && c <= 0x06DC) || (c >= 0x06DF && c <= 0x06E8) ||
           (c >= 0x06EA && c <= 0x06ED) || c == 0x0640;  // 0x0640: tatweel
}

// Canonical Arabic-script letter and digit forms; returns c when no rule applies.
UChar32 unify_arabic(UChar32 c) {
    switch (c) {
        case 0x0649:  // alef maksura
        case 0x06CC:  // farsi yeh
        case 0x0626:  // yeh with hamza
            return 0x064A;
        case 0x06A9:  // keheh
            return 0x0643;
        case 0x0629:  // teh marbuta
        case 0x06C0:  // heh with yeh above
        case 0x06D5:  // ae
            return 0x0647;
        case 0x0622:
        case 0x0623:
        case 0x0625:
        case 0x0671:
            return 0x0627;
        case 0x0624:
            return 0x0648;
        default:
            break;
    }
    if (c >= 0x0660 && c <= 0x0669) return '0' + (c - 0x0660);
    if (c >= 0x06F0 && c <= 0x06F9) return '0' + (c - 0x06F0);
    return c;
}

// Latin letter without its diacritics, or c itself.
UChar32 latin_base(UChar32 c, const icu::Normalizer2& nfd) {
    switch (c) {
        case 0x0131:
            return 'i';  // dotless i
        case 0x00F8:
            return 'o';  // ø
        case 0x0142:
            return 'l';  // ł
        case 0x0111:
            return 'd';  // đ
        case 0x0127:
            return 'h';  // ħ
        default:
            break;
    }
    if (c < 0xC0 || c > 0x24F) {
        if (c < 0x1E00 || c > 0x1EFF) return c;  // Latin Extended Additional (Vietnamese)
    }
    icu::UnicodeString decomposition;
    if (!nfd.getDecomposition(c, decomposition) || decomposition.isEmpty()) return c;
    const UChar32 base = decomposition.char32At(0);
    return base < 0x80 ? base : c;
}

// A combining diacritic after an ASCII letter ("i" + U+0307 from case-folded "İ").
bool is_latin_mark(UChar32 c, const std::string& out) {
    if (c < 0x0300 || c > 0x036F || out.empty()) return false;
    const char last = out.back();
    return (last >= 'a' && last <= 'z') || (last >= 'A' && last <= 'Z');
}

void append_utf8(std::string& out, UChar32 c) {
    char buf[4];
    int32_t len = 0;
    UBool error = false;
    U8_APPEND(reinterpret_cast<uint8_t*>(buf), len, 4, c, error);
    if (!error) out.append(buf, static_cast<size_t>(len));
}

bool is_plain_ascii(std::string_view text) {
    for (const char ch : text) {
        if (static_cast<unsigned char>(ch) >= 0x80) return false;
    }
    return true;
}

// ASCII needs no ICU: lower case and collapse whitespace.
std::string normalize_ascii(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    bool pending_space = false;
    for (const char ch : text) {
        const auto u = static_cast<unsigned char>(ch);
        if (u == ' ' || (u >= 9 && u <= 13)) {
            pending_space = !out.empty();
            continue;
        }
        if (u < 0x20 || u == 0x7F) continue;  // control characters are default-ignorable here
        if (pending_space) out.push_back(' ');
        pending_space = false;
        out.push_back(static_cast<char>(u >= 'A' && u <= 'Z' ? u + 32 : u));
    }
    return out;
}

std::string normalize_impl(std::string_view text, bool fold_latin) {
    if (is_plain_ascii(text)) return normalize_ascii(text);
    UErrorCode ec = U_ZERO_ERROR;
    const icu::Normalizer2* nfkc_cf = icu::Normalizer2::getNFKCCasefoldInstance(ec);
    const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(ec);
    if (U_FAILURE(ec)) throw std::runtime_error("ICU normalizer unavailable");
    const auto source = icu::UnicodeString::fromUTF8(
        icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
    const icu::UnicodeString folded = nfkc_cf->normalize(source, ec);
    if (U_FAILURE(ec)) return normalize_ascii(text);

    std::string out;
    out.reserve(text.size() + 8);
    bool pending_space = false;
    for (int32_t i = 0; i < folded.length();) {
        UChar32 c = folded.char32At(i);
        i += U16_LENGTH(c);
        if (u_isUWhiteSpace(c)) {
            pending_space = !out.empty();
            continue;
        }
        if (is_arabic_mark(c) || u_iscntrl(c)) continue;
        c = unify_arabic(c);
        if (fold_latin && is_latin_mark(c, out)) continue;
        if (fold_latin && c >= 0x80) c = latin_base(c, *nfd);
        if (pending_space) out.push_back(' ');
        pending_space = false;
        append_utf8(out, c);
    }
    return out;
}

}  // namespace

std::string normalize(std::string_view text) { return normalize_impl(text, false); }

std::string fold(std::string_view text) { return normalize_impl(text, true); }

std::string fold_normalized(std::string_view normalized) {
    if (is_plain_ascii(normalized)) return std::string(normalized);
    UErrorCode ec = U_ZERO_ERROR;
    const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(ec);
    if (U_FAILURE(ec)) throw std::runtime_error("ICU normalizer unavailable");
    std::string out;
    out.reserve(normalized.size());
    const auto* bytes = reinterpret_cast<const uint8_t*>(normalized.data());
    const auto length = static_cast<int32_t>(normalized.size());
    for (int32_t i = 0; i < length;) {
        UChar32 c = 0;
        U8_NEXT(bytes, i, length, c);
        if (c < 0) c = 0xFFFD;
        if (is_latin_mark(c, out)) continue;
        append_utf8(out, c >= 0x80 ? latin_base(c, *nfd) : c);
    }
    return out;
}

namespace {

// Creating a word break iterator loads and parses ICU rule data (tens of microseconds);
// cloning a ready one is cheaper. The prototype is never given text, so concurrent clones
// are safe.
const icu::BreakIterator& word_prototype() {
    static const std::unique_ptr<icu::BreakIterator> prototype = [] {
        UErrorCode ec = U_ZERO_ERROR;
        std::unique_ptr<icu::BreakIterator> it(
            icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), ec));
        if (U_FAILURE(ec) || !it) {
            throw std::runtime_error(std::string("ICU word break iterator: ") + u_errorName(ec));
        }
        return it;
    }();
    return *prototype;
}

}  // namespace

word_breaker::word_breaker() : iterator_(word_prototype().clone()) {
    if (!iterator_) throw std::runtime_error("ICU word break iterator: clone failed");
}

word_breaker::~word_breaker() = default;

namespace {

// A letter for ICU's word rules: A-Z, a-z and '@' (e-mail addresses and handles stay whole).
bool is_word_letter(char c) { return ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || c == '@'; }
bool is_ascii_digit(char c) { return c >= '0' && c <= '9'; }

// Word tokens of printable ASCII without '_' (false for anything else, which ICU splits).
// In ASCII, UAX #29 keeps letters and digits together (WB5, WB8-WB10) and breaks everywhere
// else, except that '.' and an apostrophe between two letters (WB6, WB7), and '.', an
// apostrophe, ',' or ';' between two digits (WB11, WB12), stay inside the word. ICU's word
// rules agree, with '@' as a letter; the tokens it keeps are those with letters or digits.
bool split_ascii(std::string_view s, std::vector<std::string>& out) {
    for (const char c : s)
        if (c < 0x20 || c > 0x7E || c == '_') return false;
    std::size_t begin = std::string_view::npos;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (is_word_letter(c) || is_ascii_digit(c)) {
            if (begin == std::string_view::npos) begin = i;
            continue;
        }
        if (begin != std::string_view::npos && i + 1 < s.size()) {
            const char before = s[i - 1];
            const char after = s[i + 1];
            const bool between_letters = (c == '.' || c == '\'') && is_word_letter(before) &&
                                         is_word_letter(after);
            const bool between_digits = (c == '.' || c == '\'' || c == ',' || c == ';') &&
                                        is_ascii_digit(before) && is_ascii_digit(after);
            if (between_letters || between_digits) continue;
        }
        if (begin != std::string_view::npos) out.emplace_back(s.substr(begin, i - begin));
        begin = std::string_view::npos;
    }
    if (begin != std::string_view::npos) out.emplace_back(s.substr(begin));
    return true;
}

}  // namespace

void word_breaker::split(std::string_view normalized, std::vector<std::string>& out) {
    if (!split_ascii(normalized, out)) split_by_icu(normalized, out);
}

void word_breaker::split_by_icu(std::string_view normalized, std::vector<std::string>& out) {
    UErrorCode ec = U_ZERO_ERROR;
    UText* text =
        utext_openUTF8(nullptr, normalized.data(), static_cast<int64_t>(normalized.size()), &ec);
    if (U_FAILURE(ec)) return;
    iterator_->setText(text, ec);
    if (U_SUCCESS(ec)) {
        int32_t start = iterator_->first();
        for (int32_t end = iterator_->next(); end != icu::BreakIterator::DONE;
             start = end, end = iterator_->next()) {
            if (iterator_->getRuleStatus() < UBRK_WORD_NONE_LIMIT) continue;
            out.emplace_back(
                normalized.substr(static_cast<size_t>(start), static_cast<size_t>(end - start)));
        }
    }
    // Detach the iterator from the UText before closing it.
    iterator_->setText(icu::UnicodeString());
    utext_close(text);
}

void append_pictographs(std::string_view text, std::vector<std::string>& out) {
    const auto* bytes = reinterpret_cast<const uint8_t*>(text.data());
    const auto length = static_cast<int32_t>(text.size());
    for (int32_t i = 0; i < length;) {
        const int32_t start = i;
        UChar32 c = 0;
        U8_NEXT(bytes, i, length, c);
        if (c >= 0x80 && u_hasBinaryProperty(c, UCHAR_EXTENDED_PICTOGRAPHIC)) {
            out.emplace_back(
                text.substr(static_cast<size_t>(start), static_cast<size_t>(i - start)));
        }
    }
}

std::vector<std::string> words(std::string_view normalized) {
    std::vector<std::string> out;
    thread_local word_breaker breaker;  // one per thread, reused across calls
    breaker.split(normalized, out);
    return out;
}

}  // namespace opas::intents
