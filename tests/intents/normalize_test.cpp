#include "intents/normalize.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

using opas::intents::fold;
using opas::intents::normalize;
using opas::intents::words;

namespace {
bool contains(const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
}
}  // namespace

TEST_CASE("normalize unifies Arabic and Persian letter variants") {
    CHECK(normalize("أحمد") == normalize("احمد"));
    CHECK(normalize("إسلام") == normalize("اسلام"));
    CHECK(normalize("آمنة") == normalize("امنه"));
    CHECK(normalize("مدرسة") == normalize("مدرسه"));
    CHECK(normalize("كتاب") == normalize("کتاب"));
    CHECK(normalize("علي") == normalize("علی"));
    CHECK(normalize("على") == normalize("علي"));
}

TEST_CASE("normalize removes Arabic diacritics and tatweel") {
    CHECK(normalize("مَدْرَسَة") == normalize("مدرسة"));
    CHECK(normalize("مـــرحبا") == "مرحبا");
}

TEST_CASE("normalize turns Arabic-Indic and Persian digits into ASCII") {
    CHECK(normalize("٠١٢٣٤٥٦٧٨٩") == "0123456789");
    CHECK(normalize("۰۱۲۳۴۵۶۷۸۹") == "0123456789");
    CHECK(normalize("الساعة ١٠:٣٠") == normalize("الساعه 10:30"));
}

TEST_CASE("normalize applies NFKC") {
    CHECK(normalize("ＡＢＣ１２３") == "abc123");
    CHECK(normalize("ﬁnland") == "finland");
    CHECK(normalize("ﻣﺮﺣﺒﺎ") == "مرحبا");  // Arabic presentation forms
}

TEST_CASE("normalize folds case in every script") {
    CHECK(normalize("HELLO Kela") == "hello kela");
    CHECK(normalize("ПРИВЕТ") == "привет");
    CHECK(normalize("STRASSE") == normalize("straße"));
    CHECK(normalize("ÄITI") == "äiti");
}

TEST_CASE("normalize collapses and trims whitespace") {
    CHECK(normalize("  hei \t\n  maailma  ") == "hei maailma");
    CHECK(normalize("") == "");
}

TEST_CASE("fold removes Latin diacritics for matching") {
    CHECK(fold("Hyvää päivää") == "hyvaa paivaa");
    CHECK(fold("Förening på Åland") == "forening pa aland");
    CHECK(fold("tõlk") == "tolk");
    CHECK(fold("Şişli çarşı ğ ı İstanbul ü") == "sisli carsi g i istanbul u");
    CHECK(fold("niño café") == "nino cafe");
}

TEST_CASE("fold leaves Cyrillic, Arabic and Chinese letters alone") {
    CHECK(fold("йога") == "йога");
    CHECK(fold("مرحبا") == "مرحبا");
    CHECK(fold("你好") == "你好");
}

TEST_CASE("words segments Chinese text without spaces") {
    const auto w = words(normalize("我想预约咨询"));
    CHECK(w.size() >= 3);
    CHECK(contains(w, "预约"));
}

TEST_CASE("words splits mixed scripts and drops punctuation") {
    const auto w = words(normalize("Где офис Kela? 你好!"));
    CHECK(contains(w, "где"));
    CHECK(contains(w, "офис"));
    CHECK(contains(w, "kela"));
    CHECK(contains(w, "你好"));
    CHECK_FALSE(contains(w, "?"));
    CHECK_FALSE(contains(w, "!"));
}

TEST_CASE("words keeps numbers and dotted times whole") {
    const auto w = words(normalize("klo 10.30 tai 15.12.2026"));
    CHECK(contains(w, "10.30"));
    CHECK(contains(w, "15.12.2026"));
}

TEST_CASE("append_pictographs keeps each emoji as a token and nothing else") {
    std::vector<std::string> tokens;
    opas::intents::append_pictographs(normalize("kiitos 🙏 hei 👋👍 ❤️ a-b?"), tokens);
    CHECK(tokens == std::vector<std::string>{"🙏", "👋", "👍", "❤"});
}

TEST_CASE("ASCII texts are split into the words ICU's word iterator gives") {
    // split() splits printable ASCII by hand; ICU is the reference. Random texts over the
    // characters that matter to word boundaries, and the texts people write.
    opas::intents::word_breaker breaker;
    const auto both = [&](const std::string& text) {
        std::vector<std::string> fast;
        std::vector<std::string> icu;
        breaker.split(text, fast);
        breaker.split_by_icu(text, icu);
        return std::pair{fast, icu};
    };
    for (const char* text : {"hei, milloin keskus on auki?", "don't", "e.g. 10.30", "3,5 ja 7;8",
                             "a.b.c", "a..b", "'a'", "a'", "1.a", "a.1", "a1.2", "x:y", "a-b",
                             "", " ", "...", "kello 9-16!", "info@centre.fi", "\"quoted\""}) {
        const auto [fast, icu] = both(text);
        INFO(text);
        CHECK(fast == icu);
    }
    const std::string alphabet = "abAz1 209.,;:'\"-!?@#/()&+=*%$<>[]{}|~`^\\_\t";
    std::uint32_t seed = 12345;
    const auto next = [&] { return seed = seed * 1664525u + 1013904223u; };
    int differences = 0;
    for (int n = 0; n < 30000; ++n) {
        std::string text;
        const std::size_t length = next() % 12;
        for (std::size_t i = 0; i < length; ++i) text += alphabet[(next() >> 8) % alphabet.size()];
        const auto [fast, icu] = both(text);
        if (fast != icu && ++differences <= 5) FAIL_CHECK("differs from ICU: [" << text << "]");
    }
    CHECK(differences == 0);
}
