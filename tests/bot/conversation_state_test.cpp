// The conversation state is read without a JSON tree unless a flow runs
// (bot/conversation_state.cpp): it must read every text as the tree-based reading did, and
// write what nlohmann writes.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "bot/conversation_state.hpp"

using opas::bot::conversation_state;

namespace {

// The writing through a JSON tree, as the engine did before.
std::string tree_dump(const conversation_state& s) {
    nlohmann::json j;
    j["choices"] = s.choices;
    j["explicit_language"] = s.explicit_language;
    j["unsure"] = s.unsure_in_a_row;
    j["flow"] = s.flow;
    return j.dump();
}

}  // namespace

TEST_CASE("the conversation state reads every text as the JSON tree did and writes the same") {
    const std::vector<std::string> texts = {
        "",
        "{}",
        "null",
        "[]",
        "[\"a\"]",
        "5",
        "\"text\"",
        "{\"choices\":[\"helpful:yes\",\"helpful:no\",\"bk:start\"],\"explicit_language\":false,"
        "\"flow\":null,\"unsure\":0}",
        "{\"choices\":[\"a\",[\"b\"],{\"c\":\"d\"},3,\"e\"],"
        "\"explicit_language\":true,\"unsure\":2}",
        "{\"choices\":{\"a\":\"b\"},\"explicit_language\":1,\"unsure\":1.0}",
        "{\"choices\":\"a\",\"unsure\":\"3\",\"flow\":5}",
        "{\"choices\":[\"a\"],\"choices\":[\"b\",\"c\"],\"unsure\":3,\"unsure\":false}",
        "{\"explicit_language\":true,\"explicit_language\":\"yes\"}",
        "{\"flow\":{\"name\":\"booking\",\"step\":\"day\",\"slots\":[1,2]},\"choices\":[\"bk:1\"]}",
        "{\"flow\":{\"name\":\"x\"},\"flow\":null,\"choices\":[\"z\"]}",
        "{\"flow\":null,\"flow\":{\"name\":\"volunteer\"}}",
        "{\"other\":{\"choices\":[\"no\"]},\"deep\":[[[[{\"flow\":{}}]]]],\"unsure\":4294967296}",
        "{\"unsure\":-7,\"choices\":[\"\\u00e4\\\"\\\\\\n\",\"中文\"]}",
        "{\"choices\":[\"a\"] trailing",
        "{\"choices\":[\"a\"]}{}",
        "{\"choices\":[\"a\",]}",
    };
    for (const auto& text : texts) {
        INFO(text);
        const auto fast = conversation_state::parse(text);
        const auto tree = conversation_state::parse_tree(text);
        CHECK(fast.choices == tree.choices);
        CHECK(fast.explicit_language == tree.explicit_language);
        CHECK(fast.unsure_in_a_row == tree.unsure_in_a_row);
        CHECK(fast.flow == tree.flow);
        CHECK(fast.dump() == tree_dump(tree));
        CHECK(conversation_state::parse(fast.dump()).dump() == fast.dump());
    }
}
