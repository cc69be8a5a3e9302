#include "intents/entities.hpp"

#include <catch2/catch.hpp>

#include "intents/model.hpp"
#include "tests/intents/locale_fixture.hpp"

using namespace opas::intents;
using opas::intents::testing::shared_model;

namespace {

// 2026-11-24 is a Tuesday.
constexpr civil_date tuesday{2026, 11, 24};

const entity_words& words(const char* lang) { return shared_model().words_for(lang); }

// Words for a language built in code (tests that must not depend on locale data).
entity_words english_words() {
    return parse_entity_words(R"({
        "ordinals": {"1": ["first", "one"], "2": ["second", "two", "the second"], "3": ["third"]},
        "relative_days": {"0": ["today"], "1": ["tomorrow"], "2": ["day after tomorrow"]},
        "weekdays": [["monday", "mon"], ["tuesday", "tue"], ["wednesday"], ["thursday"],
                     ["friday", "fri"], ["saturday"], ["sunday"]],
        "next": ["next"], "this": ["this"],
        "morning": ["morning"], "afternoon": ["afternoon"], "evening": ["evening", "tonight"],
        "language_names": {"ar": ["arabic"], "fi": ["finnish"]}
    })",
                              "inline en");
}

}  // namespace

TEST_CASE("weekday_of counts from Monday") {
    CHECK(weekday_of({2026, 11, 23}) == 0);
    CHECK(weekday_of(tuesday) == 1);
    CHECK(weekday_of({2000, 1, 1}) == 5);
    CHECK(weekday_of({1969, 12, 31}) == 2);
}

TEST_CASE("add_days crosses months, years and leap days") {
    CHECK(add_days({2026, 12, 31}, 1) == civil_date{2027, 1, 1});
    CHECK(add_days({2028, 2, 28}, 1) == civil_date{2028, 2, 29});
    CHECK(add_days({2026, 3, 1}, -1) == civil_date{2026, 2, 28});
}

TEST_CASE("a malformed entities.json names the file") {
    CHECK_THROWS_WITH(parse_entity_words("{\"ordinals\": 3}", "locales/xx/entities.json"),
                      Catch::Contains("locales/xx/entities.json"));
    CHECK_THROWS_WITH(parse_entity_words("{not json", "locales/xx/entities.json"),
                      Catch::Contains("not valid JSON"));
}

TEST_CASE("choices are digits in any script or ordinal words") {
    const auto en = english_words();
    CHECK(extract_choice("2", en, 5) == 2);
    CHECK(extract_choice("2.", en, 5) == 2);
    CHECK(extract_choice("٢", en, 5) == 2);
    CHECK(extract_choice("۲", en, 5) == 2);
    CHECK(extract_choice("the second", en, 5) == 2);
    CHECK(extract_choice("Third please", en, 5) == 3);
    CHECK_FALSE(extract_choice("7", en, 5));
    CHECK_FALSE(extract_choice("I want to book an appointment for two people", en, 5));
}

TEST_CASE("choices use the ordinal words of the locale files") {
    OPAS_REQUIRE_LANGUAGES("fi", "ar", "fa", "ru", "zh");
    CHECK(extract_choice("toinen", words("fi"), 5) == 2);
    CHECK(extract_choice("الثاني", words("ar"), 5) == 2);
    CHECK(extract_choice("دوم", words("fa"), 5) == 2);
    CHECK(extract_choice("второй", words("ru"), 5) == 2);
    CHECK(extract_choice("第二个", words("zh"), 5) == 2);
}

TEST_CASE("every locale maps its own words for the second option to 2") {
    for (const auto& code : shared_model().languages()) {
        const auto& w = shared_model().words_for(code);
        const auto it = w.ordinals.find(2);
        if (it == w.ordinals.end()) continue;
        for (const auto& phrase : it->second) {
            std::string text;
            for (const auto& word : phrase) text += (text.empty() ? "" : " ") + word;
            INFO(code << ": " << text);
            CHECK(extract_choice(text, w, 10) == 2);
        }
    }
}

TEST_CASE("numeric dates read day first, ISO and year-less forms") {
    const auto en = english_words();
    CHECK(extract_date("15.12.", en, tuesday) == civil_date{2026, 12, 15});
    CHECK(extract_date("on 15.12.2026", en, tuesday) == civil_date{2026, 12, 15});
    CHECK(extract_date("2026-12-15", en, tuesday) == civil_date{2026, 12, 15});
    CHECK(extract_date("15/12", en, tuesday) == civil_date{2026, 12, 15});
    CHECK(extract_date("12/15", en, tuesday) == civil_date{2026, 12, 15});  // only reading
    CHECK(extract_date("3.1.", en, tuesday) == civil_date{2027, 1, 3});     // next year
    CHECK(extract_date("١٥/١٢", en, tuesday) == civil_date{2026, 12, 15});
    CHECK_FALSE(extract_date("31.11.", en, tuesday));
}

TEST_CASE("relative days and weekdays count from today") {
    const auto en = english_words();
    CHECK(extract_date("today", en, tuesday) == tuesday);
    CHECK(extract_date("tomorrow morning", en, tuesday) == civil_date{2026, 11, 25});
    CHECK(extract_date("the day after tomorrow", en, tuesday) == civil_date{2026, 11, 26});
    CHECK(extract_date("next monday", en, tuesday) == civil_date{2026, 11, 30});
    CHECK(extract_date("tuesday", en, tuesday) == civil_date{2026, 12, 1});
    CHECK(extract_date("this tuesday", en, tuesday) == tuesday);
    CHECK_FALSE(extract_date("hello", en, tuesday));
}

TEST_CASE("dates use the day words of the locale files") {
    OPAS_REQUIRE_LANGUAGES("fi", "ar", "fa", "ru", "zh");
    CHECK(extract_date("huomenna", words("fi"), tuesday) == civil_date{2026, 11, 25});
    CHECK(extract_date("ensi maanantaina", words("fi"), tuesday) == civil_date{2026, 11, 30});
    CHECK(extract_date("بكرة", words("ar"), tuesday) == civil_date{2026, 11, 25});
    CHECK(extract_date("یوم الاثنين", words("ar"), tuesday) == civil_date{2026, 11, 30});
    CHECK(extract_date("فردا", words("fa"), tuesday) == civil_date{2026, 11, 25});
    CHECK(extract_date("دوشنبه", words("fa"), tuesday) == civil_date{2026, 11, 30});
    CHECK(extract_date("завтра", words("ru"), tuesday) == civil_date{2026, 11, 25});
    CHECK(extract_date("в понедельник", words("ru"), tuesday) == civil_date{2026, 11, 30});
    CHECK(extract_date("明天", words("zh"), tuesday) == civil_date{2026, 11, 25});
    CHECK(extract_date("星期一下午", words("zh"), tuesday) == civil_date{2026, 11, 30});
}

TEST_CASE("every locale's weekday words give that weekday") {
    for (const auto& code : shared_model().languages()) {
        const auto& w = shared_model().words_for(code);
        for (int d = 0; d < 7; ++d) {
            for (const auto& phrase : w.weekdays[static_cast<std::size_t>(d)]) {
                std::string text;
                for (const auto& word : phrase) text += (text.empty() ? "" : " ") + word;
                INFO(code << ": " << text);
                const auto date = extract_date(text, w, tuesday);
                REQUIRE(date);
                CHECK(weekday_of(*date) == d);
            }
        }
    }
}

TEST_CASE("times of day come from digits with clock words, am/pm and h") {
    const auto en = english_words();
    CHECK(extract_time("10", en) == 600);
    CHECK(extract_time("10:30", en) == 630);
    CHECK(extract_time("10.30", en) == 630);
    CHECK(extract_time("at 2pm", en) == 14 * 60);
    CHECK(extract_time("2.30 pm", en) == 14 * 60 + 30);
    CHECK(extract_time("12 am", en) == 0);
    CHECK(extract_time("14h", en) == 14 * 60);
    CHECK(extract_time("14h30", en) == 14 * 60 + 30);
    CHECK(extract_time("at 3 in the afternoon", en) == 15 * 60);
    CHECK_FALSE(extract_time("I have 3 children", en));
    CHECK_FALSE(extract_time("15.12.", en));
}

TEST_CASE("times use the clock and part-of-day words of the locale files") {
    OPAS_REQUIRE_LANGUAGES("fi", "ar", "fa", "ru", "zh");
    CHECK(extract_time("klo 10", words("fi")) == 600);
    CHECK(extract_time("kello 3 iltapäivällä", words("fi")) == 15 * 60);
    CHECK(extract_time("الساعة ١٠", words("ar")) == 600);
    CHECK(extract_time("ساعت ۱۰:۳۰", words("fa")) == 630);
    CHECK(extract_time("в 10 часов", words("ru")) == 600);
    CHECK(extract_time("下午3点半", words("zh")) == 15 * 60 + 30);
}

TEST_CASE("language requests name a loaded language") {
    OPAS_REQUIRE_LANGUAGES("fi", "en", "ar", "ru", "zh", "fa");
    const auto& m = shared_model();
    CHECK(extract_language("in arabic please", m, "en") == "ar");
    CHECK(extract_language("arabiaksi kiitos", m, "fi") == "ar");
    CHECK(extract_language("بالعربي", m, "ar") == "ar");
    CHECK(extract_language("по-русски пожалуйста", m, "ru") == "ru");
    CHECK(extract_language("请用中文", m, "zh") == "zh");
    CHECK(extract_language("فارسی لطفا", m, "fa") == "fa");
}

TEST_CASE("a bare language name or endonym works from any language") {
    OPAS_REQUIRE_LANGUAGES("fi", "en", "ar");
    const auto& m = shared_model();
    CHECK(extract_language("suomi", m, "en") == "fi");
    CHECK(extract_language("العربية", m, "fi") == "ar");
    CHECK(extract_language("English", m, "ar") == "en");
    CHECK_FALSE(extract_language("hello there", m, "en"));
}
