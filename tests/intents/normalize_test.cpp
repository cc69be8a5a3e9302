#include "intents/normalize.hpp"

#include <algorithm>
#include <catch2/catch.hpp>

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
