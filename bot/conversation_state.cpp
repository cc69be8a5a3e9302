#include "bot/conversation_state.hpp"

#include "bot/json_text.hpp"

namespace opas::bot {
namespace {

using json = nlohmann::json;

// The members of a state without a running flow, read as the parser meets them. A flow that
// is an object stops the reading (the caller parses the whole text into a tree instead).
class state_reader final : public json::json_sax_t {
public:
    explicit state_reader(conversation_state& s) : s_(s) {}
    bool needs_tree = false;

    bool start_object(std::size_t) override {
        if (depth_ == 1 && key_ == "flow") {
            needs_tree = true;
            return false;
        }
        return enter(false);
    }
    bool end_object() override { return leave(); }
    bool start_array(std::size_t) override {
        if (depth_ == 0) return false;  // not an object
        return enter(true);
    }
    bool end_array() override { return leave(); }
    bool key(string_t& k) override {
        if (depth_ != 1) return true;
        key_ = k;
        if (key_ == "choices") s_.choices.clear();
        if (key_ == "explicit_language") s_.explicit_language = false;
        if (key_ == "unsure") s_.unsure_in_a_row = 0;
        if (key_ == "flow") s_.flow = nullptr;
        return true;
    }
    bool string(string_t& v) override {
        if (depth_ == 2 && in_choices_) s_.choices.push_back(std::move(v));
        return depth_ > 0;
    }
    bool boolean(bool v) override {
        if (depth_ == 1 && key_ == "explicit_language") s_.explicit_language = v;
        return depth_ > 0;
    }
    bool number_integer(number_integer_t v) override { return integer(v); }
    bool number_unsigned(number_unsigned_t v) override {
        return integer(static_cast<number_integer_t>(v));
    }
    bool number_float(number_float_t, const string_t&) override { return depth_ > 0; }
    bool null() override { return depth_ > 0; }
    bool binary(binary_t&) override { return depth_ > 0; }
    bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override {
        return false;
    }

private:
    bool enter(bool array) {
        if (depth_ == 1) in_choices_ = array && key_ == "choices";
        ++depth_;
        return true;
    }
    bool leave() {
        --depth_;
        if (depth_ <= 1) in_choices_ = false;
        return true;
    }
    bool integer(number_integer_t v) {
        if (depth_ == 1 && key_ == "unsure") s_.unsure_in_a_row = static_cast<int>(v);
        return depth_ > 0;
    }

    conversation_state& s_;
    int depth_ = 0;            // 1 inside the state object
    bool in_choices_ = false;  // in the "choices" array (its strings are at depth 2)
    std::string key_;          // the state object's member being read
};

}  // namespace

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
    conversation_state s;
    state_reader reader(s);
    if (json::sax_parse(text, &reader)) return s;
    return reader.needs_tree ? parse_tree(text) : conversation_state{};
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
