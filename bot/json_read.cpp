#include "bot/json_read.hpp"

#include <unicode/utf8.h>

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <string>

#include "bot/json_text.hpp"

namespace opas::bot::json_read {

const value* value::find(std::string_view key) const {
    if (kind_ != type::object) return nullptr;
    const value* found = nullptr;
    for (const value* m = first(); m != nullptr; m = next(*m))
        if (m->key_ == key) found = m;
    return found;
}

std::int64_t value::integer() const {
    if (kind_ != type::integer) return 0;
    const char* first = text_.data();
    const char* last = first + text_.size();
    if (text_.starts_with('-')) {  // "-0" reads as "0", the same number either way
        std::int64_t n = 0;
        std::from_chars(first, last, n);
        return n;
    }
    std::uint64_t n = 0;
    std::from_chars(first, last, n);
    return static_cast<std::int64_t>(n);
}

// One pass over the text, without recursion: `open` holds the arrays and objects not yet closed.
class reader {
public:
    reader(std::string_view text, document& doc) : in_(text), doc_(doc) {}

    bool run() {
        if (in_.starts_with("\xEF\xBB\xBF")) pos_ = 3;  // a byte order mark, as nlohmann skips it
        // A Telegram update has about 15 values. 24 values stay under 1 KiB, which glibc serves
        // from its small bins; a larger request first consolidates its fast bins, every parse.
        doc_.values_.reserve(24);
        open_.reserve(16);  // deeper texts grow it
        std::string_view key;
        for (;;) {
            skip_space();
            bool opened = false;
            if (!read_value(key, opened)) return false;
            if (opened) continue;  // its first element or member comes next
            // After a value: close what ends here, until a comma asks for the next value.
            for (;;) {
                skip_space();
                // nlohmann reads a NUL byte as the end of the text, so what follows it is ignored.
                if (open_.empty()) return pos_ == in_.size() || in_[pos_] == '\0';
                if (pos_ == in_.size()) return false;
                const char c = in_[pos_++];
                value& parent = doc_.values_[open_.back()];
                const char closing = parent.kind_ == type::object ? '}' : ']';
                if (c == closing) {
                    close();
                    continue;
                }
                if (c != ',') return false;
                if (parent.kind_ == type::object && !read_key(key)) return false;
                break;
            }
        }
    }

private:
    void skip_space() {
        while (pos_ < in_.size()) {
            const char c = in_[pos_];
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') return;
            ++pos_;
        }
    }

    value& add(type kind, std::string_view key) {
        value& v = doc_.values_.emplace_back();
        v.kind_ = kind;
        v.key_ = key;
        return v;
    }

    void close() {
        value& v = doc_.values_[open_.back()];
        v.count_ = static_cast<std::uint32_t>(doc_.values_.size() - open_.back());
        open_.pop_back();
    }

    // "name" then ':' (after the '{' or ',' that announced it).
    bool read_key(std::string_view& key) {
        skip_space();
        if (pos_ == in_.size() || in_[pos_] != '"' || !read_string(key)) return false;
        skip_space();
        if (pos_ == in_.size() || in_[pos_] != ':') return false;
        ++pos_;
        return true;
    }

    // One value; an array or object is only opened (and closed at once when empty).
    bool read_value(std::string_view& key, bool& opened) {
        if (pos_ == in_.size()) return false;
        const std::string_view member = key;
        key = {};
        switch (in_[pos_]) {
            case '{':
            case '[': {
                const bool object = in_[pos_++] == '{';
                open_.push_back(static_cast<std::uint32_t>(doc_.values_.size()));
                add(object ? type::object : type::array, member);
                skip_space();
                if (pos_ < in_.size() && in_[pos_] == (object ? '}' : ']')) {
                    ++pos_;
                    close();
                    return true;
                }
                opened = true;
                return !object || read_key(key);
            }
            case '"': {
                std::string_view text;
                if (!read_string(text)) return false;
                add(type::string, member).text_ = text;
                return true;
            }
            case 't':
                return literal("true", member, type::boolean, true);
            case 'f':
                return literal("false", member, type::boolean, false);
            case 'n':
                return literal("null", member, type::null, false);
            default:
                return read_number(member);
        }
    }

    bool literal(std::string_view word, std::string_view key, type kind, bool truth) {
        if (in_.substr(pos_, word.size()) != word) return false;
        pos_ += word.size();
        add(kind, key).boolean_ = truth;
        return true;
    }

    bool digits() {
        const std::size_t start = pos_;
        while (pos_ < in_.size() && in_[pos_] >= '0' && in_[pos_] <= '9') ++pos_;
        return pos_ > start;
    }

    // -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
    bool read_number(std::string_view key) {
        const std::size_t start = pos_;
        const bool negative = in_[pos_] == '-';
        if (negative) ++pos_;
        if (pos_ == in_.size()) return false;
        if (in_[pos_] == '0') {
            ++pos_;
        } else if (!digits()) {
            return false;
        }
        bool integral = true;
        if (pos_ < in_.size() && in_[pos_] == '.') {
            ++pos_;
            if (!digits()) return false;
            integral = false;
        }
        if (pos_ < in_.size() && (in_[pos_] == 'e' || in_[pos_] == 'E')) {
            ++pos_;
            if (pos_ < in_.size() && (in_[pos_] == '+' || in_[pos_] == '-')) ++pos_;
            if (!digits()) return false;
            integral = false;
        }
        const std::string_view token = in_.substr(start, pos_ - start);
        value& v = add(type::floating, key);
        v.text_ = token;
        if (!integral) {  // nlohmann refuses a number too large for a double
            return std::isfinite(std::strtod(std::string(token).c_str(), nullptr));
        }
        // Within 64 bits (signed when negative), as nlohmann reads integers; beyond, a float.
        const char* first = token.data();
        const char* last = first + token.size();
        bool fits = false;
        if (negative) {
            std::int64_t n = 0;
            fits = std::from_chars(first, last, n).ec == std::errc{};
        } else {
            std::uint64_t n = 0;
            fits = std::from_chars(first, last, n).ec == std::errc{};
        }
        if (fits) {
            v.kind_ = type::integer;
            if (token == "-0") v.text_ = "0";  // nlohmann keeps the number, not the sign
        }
        return true;
    }

    static int hex_digit(char c) {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    }

    // Four hex digits after "\u".
    bool read_hex4(std::uint32_t& unit) {
        if (in_.size() - pos_ < 4) return false;
        unit = 0;
        for (int i = 0; i < 4; ++i) {
            const int d = hex_digit(in_[pos_++]);
            if (d < 0) return false;
            unit = unit * 16 + static_cast<std::uint32_t>(d);
        }
        return true;
    }

    // An escape after its backslash, appended to out_ as UTF-8.
    bool read_escape() {
        if (pos_ == in_.size()) return false;
        const char c = in_[pos_++];
        switch (c) {
            case '"':
            case '\\':
            case '/':
                emit(c);
                return true;
            case 'b':
                emit('\b');
                return true;
            case 'f':
                emit('\f');
                return true;
            case 'n':
                emit('\n');
                return true;
            case 'r':
                emit('\r');
                return true;
            case 't':
                emit('\t');
                return true;
            case 'u':
                break;
            default:
                return false;
        }
        std::uint32_t code = 0;
        if (!read_hex4(code)) return false;
        if (code >= 0xDC00 && code <= 0xDFFF) return false;  // a low surrogate first
        if (code >= 0xD800 && code <= 0xDBFF) {
            std::uint32_t low = 0;
            if (in_.substr(pos_, 2) != "\\u") return false;
            pos_ += 2;
            if (!read_hex4(low) || low < 0xDC00 || low > 0xDFFF) return false;
            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
        }
        std::uint8_t bytes[4];
        std::int32_t n = 0;
        U8_APPEND_UNSAFE(bytes, n, code);
        for (std::int32_t i = 0; i < n; ++i) emit(static_cast<char>(bytes[i]));
        return true;
    }

    void emit(char c) { doc_.decoded_[used_++] = c; }

    // A string from its opening quote: a view into the text when it has no escapes, else
    // decoded into the document's buffer (never longer than the text, so it never moves).
    bool read_string(std::string_view& out) {
        const std::size_t start = ++pos_;
        const auto* bytes = reinterpret_cast<const std::uint8_t*>(in_.data());
        const auto length = static_cast<std::int32_t>(in_.size());
        std::size_t decoded_from = 0;
        bool escaped = false;
        auto i = static_cast<std::int32_t>(pos_);
        std::int32_t checked = 0;  // bytes before this were looked at 8 at a time already
        while (i < length) {
            if (i >= checked) {
                while (i + 8 <= length && plain_ascii8(bytes + i)) i += 8;
                if (i == length) break;
                checked = i + 8;  // something in these 8 needs care: byte by byte up to there
            }
            const std::uint8_t c = bytes[i];
            if (c == '"') {
                pos_ = static_cast<std::size_t>(i) + 1;
                if (!escaped) {
                    out = in_.substr(start, static_cast<std::size_t>(i) - start);
                } else {
                    copy_run(static_cast<std::size_t>(i));
                    out = {doc_.decoded_.get() + decoded_from, used_ - decoded_from};
                }
                return true;
            }
            if (c < 0x20) return false;
            if (c == '\\') {
                if (!escaped) {
                    if (!doc_.decoded_) doc_.decoded_ = std::make_unique<char[]>(in_.size());
                    decoded_from = used_;
                    run_ = start;
                    escaped = true;
                }
                copy_run(static_cast<std::size_t>(i));
                pos_ = static_cast<std::size_t>(i) + 1;
                if (!read_escape()) return false;
                run_ = pos_;
                i = static_cast<std::int32_t>(pos_);
                continue;
            }
            if (c < 0x80) {
                ++i;
                continue;
            }
            UChar32 code_point = 0;
            U8_NEXT(bytes, i, length, code_point);
            if (code_point < 0) return false;
        }
        return false;  // no closing quote
    }

    // Copies the unescaped bytes since the last escape into the buffer.
    void copy_run(std::size_t end) {
        std::memcpy(doc_.decoded_.get() + used_, in_.data() + run_, end - run_);
        used_ += end - run_;
        run_ = end;
    }

    std::string_view in_;
    document& doc_;
    std::size_t pos_ = 0;
    std::vector<std::uint32_t> open_;
    std::size_t used_ = 0;  // bytes of doc_.decoded_ in use
    std::size_t run_ = 0;   // start of the bytes not yet copied, in a string with escapes
};

std::optional<document> document::parse(std::string_view text) {
    if (text.size() > std::numeric_limits<std::int32_t>::max()) return std::nullopt;
    document doc;
    reader r(text, doc);
    if (!r.run()) return std::nullopt;
    return doc;
}

}  // namespace opas::bot::json_read
