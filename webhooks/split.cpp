#include "webhooks/split.hpp"

#include <unicode/brkiter.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <climits>
#include <memory>
#include <optional>

namespace opas::webhooks {

namespace {

using icu::UnicodeString;

constexpr std::string_view ellipsis = "\u2026";

UnicodeString from_utf8(std::string_view utf8) {
    // Bodies are far below 2 GiB (the server limits them); clamp instead of overflowing.
    const auto size = static_cast<int32_t>(std::min<std::size_t>(utf8.size(), INT32_MAX));
    return UnicodeString::fromUTF8(icu::StringPiece(utf8.data(), size));
}

std::string to_utf8(const UnicodeString& s, int32_t begin, int32_t end) {
    std::string out;
    s.tempSubStringBetween(begin, end).toUTF8String(out);
    return out;
}

bool is_space(char16_t c) { return u_isUWhiteSpace(c); }

// The text being cut, with its grapheme cluster boundaries.
class cutter {
public:
    explicit cutter(std::string_view utf8) : s_(from_utf8(utf8)) {
        UErrorCode ec = U_ZERO_ERROR;
        graphemes_.reset(icu::BreakIterator::createCharacterInstance(icu::Locale::getRoot(), ec));
        if (U_FAILURE(ec)) graphemes_.reset();  // no ICU data: fall back to code points
        if (graphemes_) graphemes_->setText(s_);
    }

    const UnicodeString& text() const { return s_; }
    int32_t length() const { return s_.length(); }

    bool is_boundary(int32_t i) {
        if (i <= 0 || i >= s_.length()) return true;
        if (graphemes_) return graphemes_->isBoundary(i);
        return !(U16_IS_LEAD(s_[i - 1]) && U16_IS_TRAIL(s_[i]));
    }

    // Last grapheme boundary in (begin, limit], or 0 when there is none.
    int32_t last_boundary(int32_t begin, int32_t limit) {
        if (limit >= s_.length()) return s_.length();
        int32_t b = graphemes_ ? graphemes_->preceding(limit + 1) : 0;
        if (b > begin) return b;
        // One cluster longer than the limit (or no ICU): cut between code points.
        b = limit;
        if (U16_IS_TRAIL(s_[b]) && b - 1 > begin && U16_IS_LEAD(s_[b - 1])) --b;
        return b > begin ? b : 0;
    }

    int32_t skip_space(int32_t i, int32_t end) {
        while (i < end && is_space(s_[i]) && is_boundary(i + 1)) ++i;
        return i;
    }

    int32_t trim_back(int32_t begin, int32_t end) const {
        while (end > begin && is_space(s_[end - 1])) --end;
        return end;
    }

private:
    UnicodeString s_;
    std::unique_ptr<icu::BreakIterator> graphemes_;
};

struct cut {
    int32_t end;   // the part ends here (whitespace before it is trimmed)
    int32_t next;  // the next part starts here (whitespace after it is skipped)
};

bool is_line_break(char16_t c) { return c == u'\n' || c == u'\u2028'; }

bool is_horizontal_space(char16_t c) { return c == u' ' || c == u'\t' || c == u'\r'; }

// Terminators that end a sentence only when whitespace follows.
bool is_spaced_terminator(char16_t c) {
    return c == u'.' || c == u'!' || c == u'?' || c == u'\u061F' /* ؟ */ ||
           c == u'\u06D4' /* ۔ */ || c == u'\u0964' /* । */ || c == u'\u1362' /* ። */;
}

// CJK terminators: scripts without spaces, so nothing needs to follow.
bool is_cjk_terminator(char16_t c) {
    return c == u'\u3002' /* 。 */ || c == u'\uFF01' /* ！ */ || c == u'\uFF1F' /* ？ */ ||
           c == u'\uFF0E' /* ． */;
}

std::optional<cut> paragraph_at(const UnicodeString& s, int32_t begin, int32_t i) {
    if (s[i] == u'\u2029') return cut{i, i + 1};
    if (s[i] != u'\n') return std::nullopt;
    int32_t j = i;
    while (j > begin && is_horizontal_space(s[j - 1])) --j;
    if (j - 1 > begin && s[j - 1] == u'\n') return cut{j - 1, i + 1};
    return std::nullopt;
}

std::optional<cut> line_at(const UnicodeString& s, int32_t, int32_t i) {
    if (is_line_break(s[i])) return cut{i, i + 1};
    return std::nullopt;
}

std::optional<cut> sentence_at(const UnicodeString& s, int32_t, int32_t i) {
    if (is_cjk_terminator(s[i])) return cut{i + 1, i + 1};
    if (is_spaced_terminator(s[i]) && i + 1 < s.length() && is_space(s[i + 1])) {
        return cut{i + 1, i + 1};
    }
    return std::nullopt;
}

std::optional<cut> space_at(const UnicodeString& s, int32_t, int32_t i) {
    if (is_space(s[i])) return cut{i, i + 1};
    return std::nullopt;
}

using finder = std::optional<cut> (*)(const UnicodeString&, int32_t, int32_t);

// Where to end the part that starts at `begin` and may not go past `limit`.
cut find_cut(cutter& text, int32_t begin, int32_t limit) {
    const int32_t floor = begin + std::max(1, (limit - begin) / 2);
    for (const finder find :
         {finder{paragraph_at}, finder{line_at}, finder{sentence_at}, finder{space_at}}) {
        for (int32_t i = limit; i >= floor; --i) {
            const auto c = find(text.text(), begin, i);
            if (c && c->end > begin && c->end <= limit && text.is_boundary(c->end) &&
                text.is_boundary(c->next)) {
                return *c;
            }
        }
    }
    int32_t end = text.last_boundary(begin, limit);
    if (end == 0) end = begin + U16_LENGTH(text.text().char32At(begin));
    return {end, end};
}

// Most replies: valid UTF-8 no longer in bytes than the limit (so no longer in UTF-16 units or
// code points either), neither starting nor ending with whitespace. Such a text is its own only
// part, and needs no ICU string or break iterator (they were most of a send's instructions).
bool fits_as_it_is(std::string_view utf8, int32_t max) {
    if (utf8.empty() || utf8.size() > static_cast<std::size_t>(max)) return false;
    const auto* bytes = reinterpret_cast<const uint8_t*>(utf8.data());
    const auto length = static_cast<int32_t>(utf8.size());
    UChar32 first = -1;
    UChar32 last = -1;
    for (int32_t i = 0; i < length;) {
        if (bytes[i] < 0x80) {
            last = bytes[i++];
        } else {
            U8_NEXT(bytes, i, length, last);
            if (last < 0) return false;
        }
        if (first < 0) first = last;
    }
    return !u_isUWhiteSpace(first) && !u_isUWhiteSpace(last);
}

}  // namespace

std::vector<std::string> split_text(std::string_view utf8, std::size_t max_units,
                                    bool count_utf16) {
    const auto max = static_cast<int32_t>(std::clamp<std::size_t>(max_units, 2, INT32_MAX));
    if (fits_as_it_is(utf8, max)) return {std::string(utf8)};
    cutter text(utf8);
    const UnicodeString& s = text.text();
    const auto units = [&](int32_t begin, int32_t end) {
        return count_utf16 ? end - begin : s.countChar32(begin, end - begin);
    };

    std::vector<std::string> parts;
    int32_t begin = text.skip_space(0, text.length());
    const int32_t end_all = text.trim_back(begin, text.length());
    while (begin < end_all) {
        if (units(begin, end_all) <= max) {
            parts.push_back(to_utf8(s, begin, end_all));
            break;
        }
        const int32_t limit = count_utf16 ? begin + max : s.moveIndex32(begin, max);
        const cut c = find_cut(text, begin, limit);
        const int32_t part_end = text.trim_back(begin, c.end);
        if (part_end > begin) parts.push_back(to_utf8(s, begin, part_end));
        begin = text.skip_space(c.next, end_all);
    }
    return parts;
}

std::size_t count_code_points(std::string_view utf8) {
    const UnicodeString s = from_utf8(utf8);
    return static_cast<std::size_t>(s.countChar32());
}

std::string shorten_text(std::string_view utf8, std::size_t max_code_points) {
    cutter text(utf8);
    const UnicodeString& s = text.text();
    const auto max = static_cast<int32_t>(std::min<std::size_t>(max_code_points, INT32_MAX));
    if (s.countChar32() <= max) return to_utf8(s, 0, s.length());
    if (max == 0) return {};
    // Keep max - 1 code points for the text and one for the ellipsis.
    const int32_t limit = s.moveIndex32(0, max - 1);
    int32_t end = limit == 0 ? 0 : text.last_boundary(0, limit);
    end = text.trim_back(0, end);
    return to_utf8(s, 0, end) + std::string(ellipsis);
}

}  // namespace opas::webhooks
