#include "webhooks/split.hpp"

#include <catch2/catch.hpp>
#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

using opas::webhooks::count_code_points;
using opas::webhooks::shorten_text;
using opas::webhooks::split_text;

namespace {

// UTF-16 code units of valid UTF-8: one per sequence, two for a 4-byte sequence.
std::size_t utf16_units(std::string_view utf8) {
    std::size_t units = 0;
    for (const char c : utf8) {
        const auto byte = static_cast<unsigned char>(c);
        if ((byte & 0xC0) != 0x80) units += byte >= 0xF0 ? 2 : 1;
    }
    return units;
}

bool is_space(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; }

// The parts appear in the input in order, separated only by whitespace.
bool reassembles(std::string_view input, const std::vector<std::string>& parts) {
    std::size_t at = 0;
    for (const auto& part : parts) {
        while (at < input.size() && is_space(input[at])) ++at;
        if (input.substr(at, part.size()) != part) return false;
        at += part.size();
    }
    while (at < input.size() && is_space(input[at])) ++at;
    return at == input.size();
}

std::string repeat(std::string_view s, int n) {
    std::string out;
    for (int i = 0; i < n; ++i) out += s;
    return out;
}

// A 5000-character text of words and sentences (ASCII: characters = bytes = units).
std::string long_latin_text() {
    std::string text;
    for (int i = 0; text.size() < 5000; ++i) {
        text += "Tervetuloa monikulttuuriseen keskukseen numero " + std::to_string(i) + ". ";
        if (i % 7 == 6) text += "\n";
        if (i % 20 == 19) text += "\n";
    }
    return text.substr(0, 5000);
}

bool is_valid_utf8(const std::string& s) {
    try {
        (void)nlohmann::json(s).dump();
        return true;
    } catch (const nlohmann::json::type_error&) {
        return false;
    }
}

}  // namespace

TEST_CASE("a text within the limit comes back as one part") {
    CHECK(split_text("Hei! Miten voin auttaa?", 4000, true) ==
          std::vector<std::string>{"Hei! Miten voin auttaa?"});
}

TEST_CASE("a short text is one part only when it needs no trimming or repair") {
    // Texts that fit in bytes take a shortcut past ICU; these sit at its edges.
    CHECK(split_text("Hei", 3, true) == std::vector<std::string>{"Hei"});
    CHECK(split_text(" Hei\n", 5, true) == std::vector<std::string>{"Hei"});
    CHECK(split_text("\u00A0Hei\u3000", 40, true) == std::vector<std::string>{"Hei"});
    CHECK(split_text("Hei\xff", 40, true) == std::vector<std::string>{"Hei\uFFFD"});
    CHECK(split_text("\xed\xa0\x80", 40, false) == std::vector<std::string>{"\uFFFD\uFFFD\uFFFD"});
    const std::string with_nul("a\0b", 3);
    CHECK(split_text(with_nul, 40, true) == std::vector<std::string>{with_nul});
    // More bytes than the limit, yet within it in units or code points: still one part.
    CHECK(split_text("\u00e4\u00e4\u00e4", 3, true) ==
          std::vector<std::string>{"\u00e4\u00e4\u00e4"});
    CHECK(split_text("\U0001F44B\U0001F44B", 2, false) ==
          std::vector<std::string>{"\U0001F44B\U0001F44B"});
    CHECK(split_text("\U0001F44B\U0001F44B", 2, true) ==
          std::vector<std::string>{"\U0001F44B", "\U0001F44B"});
}

TEST_CASE("empty or all-whitespace text gives no parts") {
    CHECK(split_text("", 4000, true).empty());
    CHECK(split_text(" \n\n\t ", 4000, false).empty());
}

TEST_CASE("a 5000-character text is split into parts within the limit") {
    const std::string text = long_latin_text();
    const auto parts = split_text(text, 4000, true);
    REQUIRE(parts.size() == 2);
    for (const auto& part : parts) CHECK(utf16_units(part) <= 4000);
}

TEST_CASE("the parts concatenate to the input apart from whitespace at the cuts") {
    const std::string text = long_latin_text();
    for (const std::size_t limit : {100, 333, 1000, 4000}) {
        const auto parts = split_text(text, limit, false);
        CHECK(reassembles(text, parts));
        for (const auto& part : parts) CHECK(count_code_points(part) <= limit);
    }
}

TEST_CASE("a paragraph break is preferred over a line break") {
    const std::string text = "First paragraph line one.\nLine two.\n\nSecond paragraph.\nMore.";
    const auto parts = split_text(text, 45, false);
    REQUIRE(parts.size() == 2);
    CHECK(parts[0] == "First paragraph line one.\nLine two.");
    CHECK(parts[1] == "Second paragraph.\nMore.");
}

TEST_CASE("a line break is preferred over a sentence end") {
    const auto parts = split_text("One. Two. Three\nFour. Five. Six.", 24, false);
    REQUIRE(parts.size() == 2);
    CHECK(parts[0] == "One. Two. Three");
    CHECK(parts[1] == "Four. Five. Six.");
}

TEST_CASE("a sentence end is preferred over a space") {
    const auto parts = split_text("Please book a time first. Then come to the centre.", 40, false);
    REQUIRE(parts.size() == 2);
    CHECK(parts[0] == "Please book a time first.");
    CHECK(parts[1] == "Then come to the centre.");
}

TEST_CASE("a text without good breaks is cut at a space") {
    const auto parts = split_text("aaaa bbbb cccc dddd eeee", 12, false);
    CHECK(parts == std::vector<std::string>{"aaaa bbbb", "cccc dddd", "eeee"});
}

TEST_CASE("Chinese text without spaces is cut after a full stop") {
    const std::string sentence = "您好，欢迎来到多元文化中心。";  // 14 characters
    const auto parts = split_text(sentence + sentence + sentence, 30, false);
    REQUIRE(parts.size() == 2);
    CHECK(parts[0] == sentence + sentence);
    CHECK(parts[1] == sentence);
}

TEST_CASE("Arabic sentences are cut after the Arabic question mark") {
    const std::string question = "هل تحتاج إلى مساعدة في تصريح الإقامة؟ ";
    const std::string text = repeat(question, 40);
    const auto parts = split_text(text, 200, false);
    REQUIRE(parts.size() > 1);
    for (const auto& part : parts) {
        CHECK(count_code_points(part) <= 200);
        CHECK(std::string_view(part).ends_with("؟"));
    }
    CHECK(reassembles(text, parts));
}

TEST_CASE("Arabic with combining marks is never cut between a letter and its marks") {
    const std::string word = "مَرْحَبًا";           // letters with harakat (U+064E, U+0652, U+064B)
    const std::string text = repeat(word, 60);  // no spaces: only grapheme boundaries
    const auto parts = split_text(text, 25, false);
    REQUIRE(parts.size() > 1);
    for (const auto& part : parts) {
        CHECK(count_code_points(part) <= 25);
        const auto first = static_cast<unsigned char>(part[1]);
        // No part starts with a combining mark (U+064B..U+0652 are D9 8B..D9 92).
        CHECK_FALSE(
            (static_cast<unsigned char>(part[0]) == 0xD9 && first >= 0x8B && first <= 0x92));
    }
    CHECK(reassembles(text, parts));
}

TEST_CASE("emoji with skin tones are never cut apart") {
    const std::string thumbs = "👍🏽";  // 2 code points, 4 UTF-16 units
    const auto parts = split_text(repeat(thumbs, 10), 7, true);
    REQUIRE(parts.size() == 10);
    for (const auto& part : parts) CHECK(part == thumbs);
}

TEST_CASE("ZWJ family emoji are never cut apart") {
    const std::string family = "👨‍👩‍👧‍👦";  // 7 code points, 11 UTF-16 units
    const auto parts = split_text(repeat(family, 6), 25, true);
    REQUIRE(parts.size() == 3);
    for (const auto& part : parts) CHECK(part == family + family);
}

TEST_CASE("flags are never cut between their two regional indicators") {
    const std::string flag = "🇫🇮";
    const auto parts = split_text(repeat(flag, 9), 5, false);
    REQUIRE(parts.size() == 5);
    CHECK(parts[0] == flag + flag);
    CHECK(parts[4] == flag);
}

TEST_CASE("a single cluster longer than the limit is cut between code points") {
    const std::string family = "👨‍👩‍👧‍👦";
    const auto parts = split_text(family, 4, true);
    REQUIRE(parts.size() > 1);
    std::string joined;
    for (const auto& part : parts) {
        CHECK(utf16_units(part) <= 4);
        CHECK(is_valid_utf8(part));
        joined += part;
    }
    CHECK(joined == family);
}

TEST_CASE("UTF-16 counting counts characters outside the BMP twice") {
    const std::string text = repeat("😀", 3000);
    CHECK(split_text(text, 4000, true).size() == 2);
    CHECK(split_text(text, 4000, false).size() == 1);
}

TEST_CASE("invalid UTF-8 is replaced and every part is valid UTF-8") {
    const std::string text = repeat("abc\xff\xfe def \xe2\x82 ", 300);
    const auto parts = split_text(text, 100, true);
    REQUIRE_FALSE(parts.empty());
    for (const auto& part : parts) {
        CHECK(is_valid_utf8(part));
        CHECK(utf16_units(part) <= 100);
    }
    CHECK(parts[0].find("\xEF\xBF\xBD") != std::string::npos);
}

TEST_CASE("a title within the limit is kept as it is") {
    CHECK(shorten_text("Varaa aika", 20) == "Varaa aika");
}

TEST_CASE("a long title is shortened at a grapheme boundary and ends with an ellipsis") {
    const std::string title = "Ajanvaraus 👨‍👩‍👧‍👦 perheelle";
    const std::string shortened = shorten_text(title, 15);
    CHECK(shortened == "Ajanvaraus…");
    CHECK(count_code_points(shortened) <= 15);
}
