#include "bot/json_text.hpp"

#include <unicode/utf8.h>

#include <cstdint>

namespace opas::bot {

void append_json_string(std::string& out, std::string_view text) {
    static constexpr char hex[] = "0123456789abcdef";
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(text.data());
    const auto length = static_cast<std::int32_t>(text.size());
    std::int32_t run = 0;  // start of the bytes that go out unchanged
    const auto flush = [&](std::int32_t end) {
        out.append(text.data() + run, static_cast<std::size_t>(end - run));
    };
    out += '"';
    std::int32_t checked = 0;  // bytes before this were looked at 8 at a time already
    for (std::int32_t i = 0; i < length;) {
        if (i >= checked) {
            while (i + 8 <= length && plain_ascii8(bytes + i)) i += 8;
            if (i == length) break;
            checked = i + 8;  // something in these 8 needs care: byte by byte up to there
        }
        const std::uint8_t c = bytes[i];
        if (c >= 0x80) {
            const std::int32_t start = i;
            UChar32 code_point = 0;
            U8_NEXT(bytes, i, length, code_point);
            if (code_point < 0) {
                flush(start);
                out += "\xEF\xBF\xBD";
                run = i;
            }
            continue;
        }
        if (c >= 0x20 && c != '"' && c != '\\') {
            ++i;
            continue;
        }
        flush(i);
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\b':
                out += "\\b";
                break;
            case '\f':
                out += "\\f";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\t':
                out += "\\t";
                break;
            default:
                out += "\\u00";
                out += hex[c >> 4];
                out += hex[c & 0xF];
        }
        run = ++i;
    }
    flush(length);
    out += '"';
}

}  // namespace opas::bot
