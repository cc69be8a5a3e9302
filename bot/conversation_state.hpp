#pragma once
// The conversation state kept between turns: JSON text in the people table's `state` column.
// The writer reads and writes one on every turn, so both directions avoid nlohmann's JSON tree
// unless a flow is running (its state is a tree the flows read and change).

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace opas::bot {

struct conversation_state {
    std::vector<std::string> choices;  // ids of the choices last offered, for typed numbers
    bool explicit_language = false;    // the person chose the language themselves
    int unsure_in_a_row = 0;
    nlohmann::json flow;  // the active flow's own state, null when none

    // Text that is not a JSON object gives the empty state; members of the wrong type are
    // left at their defaults; of a repeated member the last counts.
    static conversation_state parse(const std::string& text);
    // The same reading through a JSON tree: what parse() falls back to when a flow runs.
    static conversation_state parse_tree(const std::string& text);
    // {"choices":[...],"explicit_language":...,"flow":...,"unsure":...}, as nlohmann writes it.
    std::string dump() const;
};

}  // namespace opas::bot
