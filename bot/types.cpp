#include "bot/types.hpp"

#include <nlohmann/json.hpp>

#include "bot/json_text.hpp"

namespace opas::bot {

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
