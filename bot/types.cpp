#include "bot/types.hpp"

#include <unicode/utf8.h>

#include <cstdint>
#include <nlohmann/json.hpp>

namespace opas::bot {
namespace {

// Appends `text` as a JSON string, byte for byte what nlohmann's dump() writes for valid
// UTF-8; an invalid sequence becomes U+FFFD (where dump() would throw). Written out because
// the writer thread renders every reply here (a JSON object and its dump cost 11 % of it).
void append_json_string(std::string& out, std::string_view text) {
    static constexpr char hex[] = "0123456789abcdef";
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(text.data());
    const auto length = static_cast<std::int32_t>(text.size());
    out += '"';
    for (std::int32_t i = 0; i < length;) {
        const std::uint8_t c = bytes[i];
        if (c >= 0x80) {
            const std::int32_t start = i;
            UChar32 code_point = 0;
            U8_NEXT(bytes, i, length, code_point);
            if (code_point < 0) out += "\xEF\xBF\xBD";
            else out.append(text.data() + start, static_cast<std::size_t>(i - start));
            continue;
        }
        ++i;
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\b': out += "\\b"; break;
            case '\f': out += "\\f"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                if (c < 0x20) {
                    out += "\\u00";
                    out += hex[c >> 4];
                    out += hex[c & 0xF];
                } else {
                    out += static_cast<char>(c);
                }
        }
    }
    out += '"';
}

}  // namespace

const char* to_string(channel c) {
    switch (c) {
        case channel::telegram: return "telegram";
        case channel::whatsapp: return "whatsapp";
        case channel::console: return "console";
    }
    return "console";
}

std::string to_json(const reply& r) {
    std::string out;
    out.reserve(r.text.size() + 48 * r.choices.size() + 24);
    out += "{\"choices\":[";
    for (std::size_t i = 0; i < r.choices.size(); ++i) {
        out += i == 0 ? "{\"id\":" : ",{\"id\":";
        append_json_string(out, r.choices[i].id);
        out += ",\"title\":";
        append_json_string(out, r.choices[i].title);
        out += '}';
    }
    out += "],\"text\":";
    append_json_string(out, r.text);
    out += '}';
    return out;
}

std::optional<reply> reply_from_json(std::string_view text) {
    const auto j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object() || !j.contains("text") || !j["text"].is_string())
        return std::nullopt;
    reply r;
    r.text = j["text"].get<std::string>();
    if (j.contains("choices") && j["choices"].is_array()) {
        for (const auto& c : j["choices"]) {
            if (!c.is_object() || !c.contains("id") || !c["id"].is_string() ||
                !c.contains("title") || !c["title"].is_string())
                return std::nullopt;
            r.choices.push_back({c["id"].get<std::string>(), c["title"].get<std::string>()});
        }
    }
    return r;
}

}  // namespace opas::bot
