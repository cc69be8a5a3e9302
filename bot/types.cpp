#include "bot/types.hpp"

#include "bot/json_read.hpp"
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
    // The sender reads every payload it delivers: json_read, not a nlohmann tree (a quarter
    // of the instructions of a send).
    const auto doc = json_read::document::parse(text);
    if (!doc || !doc->root().is_object()) return std::nullopt;
    const json_read::value& root = doc->root();
    const json_read::value* body = root.find("text");
    if (body == nullptr || !body->is_string()) return std::nullopt;
    reply r;
    r.text = body->text();
    const json_read::value* choices = root.find("choices");
    if (choices == nullptr || !choices->is_array()) return r;
    for (const auto* c = choices->first(); c != nullptr; c = choices->next(*c)) {
        const json_read::value* id = c->find("id");
        const json_read::value* title = c->find("title");
        if (id == nullptr || !id->is_string() || title == nullptr || !title->is_string())
            return std::nullopt;
        r.choices.push_back({std::string(id->text()), std::string(title->text())});
    }
    return r;
}

}  // namespace opas::bot
