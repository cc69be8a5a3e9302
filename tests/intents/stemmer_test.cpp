// intents::stemmer remembers the stems it made: a remembered stem must be the stem Snowball
// makes, also after the memory filled up and started over.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "intents/features.hpp"

TEST_CASE("a remembered stem is the stem a fresh stemmer makes") {
    const std::vector<std::string> bases = {"talo", "kirja", "työ", "päivä", "asunto", "lääkäri"};
    const std::vector<std::string> endings = {"", "ssa", "sta", "lle", "ksi", "jen", "illa", "kin"};
    std::vector<std::string> words;
    for (int n = 0; n < 700; ++n)  // more words than the stemmer remembers
        for (const auto& e : endings) words.push_back(bases[n % bases.size()] + e + std::to_string(n));
    for (const auto& b : bases)
        for (const auto& e : endings) words.push_back(b + e);

    opas::intents::stemmer remembering("fi");
    REQUIRE(remembering.available());
    std::vector<std::string> first;
    for (const auto& w : words) first.emplace_back(remembering.stem(w));
    for (std::size_t i = 0; i < words.size(); ++i) {
        opas::intents::stemmer fresh("fi");
        const std::string expected(fresh.stem(words[i]));
        CHECK(first[i] == expected);
        CHECK(std::string(remembering.stem(words[i])) == expected);  // asked again
    }
    CHECK(std::string(remembering.stem("taloissa")) == "talo");
}
