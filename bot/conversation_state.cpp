#include "bot/conversation_state.hpp"

#include "bot/json_read.hpp"
#include "bot/json_text.hpp"

namespace opas::bot {
using json = nlohmann::json;

conversation_state conversation_state::parse_tree(const std::string& text) {
    conversation_state s;
    const auto j = json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return s;
    if (j.contains("choices") && j["choices"].is_array())
        for (const auto& c : j["choices"])
            if (c.is_string()) s.choices.push_back(c.get<std::string>());
    if (j.contains("explicit_language") && j["explicit_language"].is_boolean())
        s.explicit_language = j["explicit_language"].get<bool>();
    if (j.contains("unsure") && j["unsure"].is_number_integer())
        s.unsure_in_a_row = j["unsure"].get<int>();
    if (j.contains("flow") && j["flow"].is_object()) s.flow = j["flow"];
    return s;
}

conversation_state conversation_state::parse(const std::string& text) {
    const auto doc = json_read::document::parse(text);
    if (!doc || !doc->root().is_object()) return {};
    const json_read::value& j = doc->root();
    const json_read::value* flow = j.find("flow");
    if (flow != nullptr && flow->is_object()) return parse_tree(text);  // the flows read a tree
    conversation_state s;
    if (const auto* choices = j.find("choices"); choices != nullptr && choices->is_array())
        for (const auto* c = choices->first(); c != nullptr; c = choices->next(*c))
            if (c->is_string()) s.choices.emplace_back(c->text());
    if (const auto* b = j.find("explicit_language"); b != nullptr && b->is_boolean())
        s.explicit_language = b->boolean();
    if (const auto* n = j.find("unsure"); n != nullptr && n->is_integer())
        s.unsure_in_a_row = static_cast<int>(n->integer());
    return s;
}

std::string conversation_state::dump() const {
    std::string out = "{\"choices\":[";
    for (std::size_t i = 0; i < choices.size(); ++i) {
        if (i > 0) out += ',';
        append_json_string(out, choices[i]);
    }
    out += explicit_language ? "],\"explicit_language\":true,\"flow\":"
                             : "],\"explicit_language\":false,\"flow\":";
    out += flow.dump();
    out += ",\"unsure\":";
    out += std::to_string(unsure_in_a_row);
    out += '}';
    return out;
}

}  // namespace opas::bot
