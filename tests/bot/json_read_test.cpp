// bot::json_read must accept exactly what nlohmann accepts and read the same values: compared
// on hand-picked texts and on thousands of mutations of real-shaped ones.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "bot/json_read.hpp"
#include "bot/json_text.hpp"

namespace {

namespace jr = opas::bot::json_read;

nlohmann::json reader_as_nlohmann(const jr::value& v) {
    switch (v.kind()) {
        case jr::type::null:
            return nullptr;
        case jr::type::boolean:
            return v.boolean();
        case jr::type::integer:
            if (v.text().starts_with('-') || v.text() == "0") return v.integer();
            return static_cast<std::uint64_t>(v.integer());
        case jr::type::floating:
            return std::strtod(std::string(v.text()).c_str(), nullptr);
        case jr::type::string:
            return std::string(v.text());
        case jr::type::array: {
            auto a = nlohmann::json::array();
            for (const jr::value* e = v.first(); e != nullptr; e = v.next(*e))
                a.push_back(reader_as_nlohmann(*e));
            return a;
        }
        case jr::type::object: {
            auto o = nlohmann::json::object();
            for (const jr::value* m = v.first(); m != nullptr; m = v.next(*m))
                o[std::string(m->key())] = reader_as_nlohmann(*m);  // the last repeat counts
            return o;
        }
    }
    return nullptr;
}

// Integers also as text: what dump() writes for them.
void require_integer_texts(const jr::value& v, const nlohmann::json& theirs) {
    if (v.is_integer()) REQUIRE(v.text() == theirs.dump());
    if (v.is_object())
        for (const jr::value* m = v.first(); m != nullptr; m = v.next(*m))
            if (v.find(m->key()) == m) require_integer_texts(*m, theirs.at(std::string(m->key())));
    if (v.is_array()) {
        std::size_t i = 0;
        for (const jr::value* e = v.first(); e != nullptr; e = v.next(*e))
            require_integer_texts(*e, theirs.at(i++));
    }
}

// Whether both accept the text; when they do, the same values.
bool reads_like_nlohmann(const std::string& text) {
    const auto mine = jr::document::parse(text);
    const auto theirs = nlohmann::json::parse(text, nullptr, false);
    if (mine.has_value() != !theirs.is_discarded()) {
        UNSCOPED_INFO("accepted by " << (mine ? "json_read" : "nlohmann") << ": " << text);
        return false;
    }
    if (!mine) return true;
    const auto as_theirs = reader_as_nlohmann(mine->root());
    if (as_theirs.dump() != theirs.dump()) {
        UNSCOPED_INFO("read differently: " << text);
        return false;
    }
    require_integer_texts(mine->root(), theirs);
    return true;
}

const std::vector<std::string> json_read_seeds = {
    R"({"update_id":10001,"message":{"message_id":7,"from":{"id":4242,"is_bot":false,)"
    R"("first_name":"Aino","language_code":"fi"},"chat":{"id":4242,"type":"private"},)"
    R"("date":1764000000,"text":"Hei, milloin keskus on auki?"}})",
    R"({"update_id":2,"callback_query":{"id":"4382bfdwdsb323b2d9","from":{"id":-100123},)"
    R"("message":{"message_id":3,"chat":{"id":-1001234567890}},"data":"helpful:yes"}})",
    R"({"choices":["hours","book","volunteer"],"explicit_language":true,"flow":null,"unsure":2})",
    R"({"ok":false,"error_code":429,"description":"Too Many Requests: retry after 3",)"
    R"("parameters":{"retry_after":3}})",
    R"({"a":[1,-0,0.5,-1.25e+3,1E2,18446744073709551615,18446744073709551616,)"
    R"(-9223372036854775808,-9223372036854775809,true,false,null,[],{},[[{}]]]})",
    R"({"s":"quote \" slash \/ back \\ \b\f\n\r\t \u00e4 \u20AC \ud83d\ude00 \u0000 end"})",
    "{\"k\xC3\xA4\":\"\xD9\x85\xD8\xB1\xD8\xAD\xD8\xA8\xD8\xA7 \xE4\xB8\xAD \xF0\x9F\x91\x8B\xF0\x9F\x8F\xBD\"}",
};

}  // namespace

TEST_CASE("json_read accepts and rejects what nlohmann does, hand-picked texts") {
    const std::vector<std::string> texts = {
        "", " ", "{", "}", "[", "]", "{}", "[]", " {} ", "\t\r\n[ ]\n", "null", "true", "false",
        "nul", "tru", "falsey", "0", "-0", "01", "-", "1.", ".5", "+1", "1e", "1e+", "1e5", "-1.5E-3",
        "123456789012345678901234567890", "\"\"", "\"abc", "\"a\\\"", "\"\\x\"", "\"\\u12\"",
        "\"\\u12G4\"", "\"\\ud800\"", "\"\\ud800\\u0041\"", "\"\\udc00\"", "\"\\ud800\\udc00\"",
        "\"\\uDBFF\\uDFFF\"", "\"tab\there\"", "\"nl\nhere\"", "\"\x7f\"", "\"\xC3\"",
        "\"\xC0\x80\"", "\"\xED\xA0\x80\"", "\"\xF4\x90\x80\x80\"", "\"\xE2\x82\"",
        "\"\xF0\x9F\x98\x80\"", "\xEF\xBB\xBF{}", "\xEF\xBB{}", " \xEF\xBB\xBF{}", "{} {}", "{}x",
        "[1,]", "[,1]", "[1 2]", "{\"a\" 1}", "{\"a\":}", "{\"a\":1,}", "{,}", "{1:2}",
        "{\"a\":1 \"b\":2}", "{\"a\":1,\"a\":2}", "{\"a\":{\"b\":1},\"a\":[3]}", "[[[[[[]]]]]]",
        "[[[[[[]]]]]", std::string("\"a\0b\"", 5), std::string("[1]\0", 4), "/* c */ {}", "{}//",
        "[1e400, -1e400, 1e-400]", "[-]", "[--1]", "[0x10]", "[NaN]", "[Infinity]", "{\"\":0}",
        // Not deeper: the comparison's nlohmann dump() recurses, and under ASan 2,000 levels
        // overflow the stack. The reader itself does not recurse (see the next test case).
        std::string(200, '[') + std::string(200, ']'),
    };
    for (const auto& t : texts) CHECK(reads_like_nlohmann(t));
    for (const auto& t : json_read_seeds) CHECK(reads_like_nlohmann(t));
}

TEST_CASE("json_read reads like nlohmann on mutated update and state texts") {
    std::mt19937 rng(20261125);
    const std::string specials = "{}[],:\"\\ 0-1.eE+tfnu\xC3\xA4\xED\xF0\x80\xBF";
    int checked = 0, accepted = 0;
    for (int round = 0; round < 3000; ++round) {
        for (const auto& seed : json_read_seeds) {
            std::string t = seed;
            const int edits = 1 + static_cast<int>(rng() % 3);
            for (int e = 0; e < edits && !t.empty(); ++e) {
                const std::size_t at = rng() % t.size();
                const char c = specials[rng() % specials.size()];
                switch (rng() % 4) {
                    case 0: t[at] = c; break;
                    case 1: t.insert(t.begin() + static_cast<std::ptrdiff_t>(at), c); break;
                    case 2: t.erase(at, 1 + rng() % 3); break;
                    default: t.resize(at); break;
                }
            }
            REQUIRE(reads_like_nlohmann(t));
            ++checked;
            accepted += !nlohmann::json::parse(t, nullptr, false).is_discarded();
        }
    }
    // Both kinds were compared: texts both accept and texts both refuse.
    CHECK(accepted > checked / 20);
    CHECK(accepted < checked - checked / 20);
}

TEST_CASE("a json_read value finds the last of a repeated member and nothing in a non-object") {
    const std::string text = R"({"id":1,"id":-2,"list":[{"id":3}],"s":"x"})";
    const auto doc = jr::document::parse(text);
    REQUIRE(doc);
    const jr::value& root = doc->root();
    REQUIRE(root.find("id") != nullptr);
    CHECK(root.find("id")->integer() == -2);
    CHECK(root.find("id")->text() == "-2");
    CHECK(root.find("missing") == nullptr);
    const jr::value* list = root.find("list");
    REQUIRE(list != nullptr);
    CHECK(list->find("id") == nullptr);  // an array has no members
    REQUIRE(list->first() != nullptr);
    CHECK(list->first()->find("id")->integer() == 3);
    CHECK(list->next(*list->first()) == nullptr);
    CHECK(root.find("s")->find("id") == nullptr);

    const std::string deep = std::string(100000, '[') + std::string(100000, ']');
    CHECK(jr::document::parse(deep));  // no recursion: any depth nlohmann takes
    CHECK_FALSE(jr::document::parse(deep.substr(1)));
}

// Both the writer and the reader skip plain ASCII 8 bytes at a time: a character that needs
// care must be seen at every position of such a block.
TEST_CASE("JSON strings with a special character at every position write and read like nlohmann") {
    const std::vector<std::string> specials = {"\"", "\\", "\x01", "\x1f", "\x7f", "\xC3\xA4",
                                               "\xF0\x9F\x91\x8B", "/", "\t"};
    for (const auto& special : specials) {
        for (std::size_t at = 0; at <= 20; ++at) {
            std::string text(24, 'a');
            text.insert(at, special);
            std::string written;
            opas::bot::append_json_string(written, text);
            CHECK(written == nlohmann::json(text).dump());
            const std::string doc = "[" + written + "]";
            const auto read = jr::document::parse(doc);
            REQUIRE(read);
            CHECK(read->root().first()->text() == text);
        }
    }
    std::string invalid(24, 'a');
    invalid[13] = '\xC3';  // a lead byte without its continuation
    std::string written;
    opas::bot::append_json_string(written, invalid);
    CHECK(written == "\"" + std::string(13, 'a') + "\xEF\xBF\xBD" + std::string(10, 'a') + "\"");
    CHECK_FALSE(jr::document::parse("[\"" + invalid + "\"]"));
}
