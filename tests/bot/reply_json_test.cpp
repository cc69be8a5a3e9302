// A reply's outbox payload (bot::to_json) is written out by hand: it must be the JSON that
// nlohmann writes, and read back to the same reply.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "bot/types.hpp"

using opas::bot::reply;

namespace {

std::string nlohmann_payload(const reply& r) {
    nlohmann::json j;
    j["text"] = r.text;
    auto& choices = j["choices"] = nlohmann::json::array();
    for (const auto& c : r.choices) choices.push_back({{"id", c.id}, {"title", c.title}});
    return j.dump();
}

}  // namespace

TEST_CASE("a reply's payload is the JSON nlohmann writes and reads back the same") {
    std::string controls;
    for (char c = 1; c < 0x20; ++c) controls += c;
    const std::vector<reply> replies = {
        {"", {}},
        {"Keskus on auki ma–pe 9–16.", {{"helpful:yes", "Kyllä"}, {"helpful:no", "Ei"}}},
        {"quote \" backslash \\ slash / tab\tline\nend\r" + controls + "\x7f", {}},
        {"مرحبا بك في المركز 👋🏽 中文 Ꭰ",
         {{"lang:ar", "العربية"}, {"lang:zh", "中文"}}},
        {std::string(5000, 'x'), {{"a\"b", "t\\u"}}},
    };
    for (const auto& r : replies) {
        const std::string payload = opas::bot::to_json(r);
        CHECK(payload == nlohmann_payload(r));
        const auto back = opas::bot::reply_from_json(payload);
        REQUIRE(back);
        CHECK(back->text == r.text);
        REQUIRE(back->choices.size() == r.choices.size());
        for (std::size_t i = 0; i < r.choices.size(); ++i) {
            CHECK(back->choices[i].id == r.choices[i].id);
            CHECK(back->choices[i].title == r.choices[i].title);
        }
    }
}

TEST_CASE("a reply with invalid UTF-8 is stored with replacement characters, not refused") {
    const reply r{"ok \xC3 then \xED\xA0\x80 and \xF4\x90\x80\x80 end", {{"choice:1", "t\xFF"}}};
    const std::string payload = opas::bot::to_json(r);
    const auto back = opas::bot::reply_from_json(payload);
    REQUIRE(back);
    CHECK(back->text.starts_with("ok \xEF\xBF\xBD then "));
    CHECK(back->text.ends_with(" end"));
    CHECK(back->text.find('\xED') == std::string::npos);
    CHECK(back->choices.at(0).title == "t\xEF\xBF\xBD");
}
