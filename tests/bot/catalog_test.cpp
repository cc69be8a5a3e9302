// The message catalogue: ICU plural rules, dates in the person's language, fallbacks, checks.
#include <catch2/catch.hpp>

#include "bot/catalog.hpp"
#include "bot/config.hpp"

#include <unicode/msgfmt.h>

#include <fstream>
#include <nlohmann/json.hpp>

using namespace opas::bot;

namespace {
const catalog& real_catalog() {
    static const auto cat = catalog::load(OPAS_SOURCE_DIR "/locales", required_languages());
    return *cat;
}
}  // namespace

TEST_CASE("English plurals follow one and other") {
    const auto& c = real_catalog();
    CHECK(c.text("en", "booking.limit", {{"count", std::int64_t{1}}}).find("1 appointment,") != std::string::npos);
    CHECK(c.text("en", "booking.limit", {{"count", std::int64_t{5}}}).find("5 appointments") != std::string::npos);
}

TEST_CASE("Russian plurals follow one, few and many") {
    const auto& c = real_catalog();
    CHECK(c.text("ru", "booking.limit", {{"count", std::int64_t{1}}}).find("1 запись ") != std::string::npos);
    CHECK(c.text("ru", "booking.limit", {{"count", std::int64_t{3}}}).find("3 записи") != std::string::npos);
    CHECK(c.text("ru", "booking.limit", {{"count", std::int64_t{5}}}).find("5 записей") != std::string::npos);
    CHECK(c.text("ru", "booking.limit", {{"count", std::int64_t{21}}}).find("21 запись ") != std::string::npos);
}

TEST_CASE("Arabic plurals use the dual form for two") {
    const auto& c = real_catalog();
    CHECK(c.text("ar", "booking.limit", {{"count", std::int64_t{2}}}).find("موعدان") != std::string::npos);
}

TEST_CASE("placeholders are filled with the given values") {
    const auto& c = real_catalog();
    const auto s = c.text("fi", "welcome", {{"centre", std::string("Mikkelin keskus")}});
    CHECK(s.find("Mikkelin keskus") != std::string::npos);
    CHECK(s.find("{centre}") == std::string::npos);
}

TEST_CASE("dates are formatted in the language and the Helsinki time zone") {
    const auto& c = real_catalog();
    // 2026-12-15 08:00 UTC = Monday 10:00 in Helsinki (EET, UTC+2).
    const std::int64_t t = 1765785600000;
    const auto fi = c.format_datetime("fi", t);
    CHECK(fi.find("10.00") != std::string::npos);
    CHECK(fi.find("15. jouluk.") != std::string::npos);
    CHECK(c.format_datetime("en", t).find("15 Dec") != std::string::npos);
    CHECK_FALSE(c.format_datetime("ar", t).empty());
}

TEST_CASE("a missing key falls back to English, then to the key") {
    const auto& c = real_catalog();
    CHECK(c.text("xx", "button.yes") == "Yes");
    CHECK(c.text("fi", "no.such.key") == "no.such.key");
}

TEST_CASE("every required language is complete in the shipped locales") {
    const auto& c = real_catalog();
    for (const auto& code : required_languages()) {
        INFO(code);
        CHECK(c.problems(code).empty());
    }
}

TEST_CASE("every guidance topic exists in every required language") {
    const auto& c = real_catalog();
    for (const auto& code : required_languages())
        for (const auto& intent : topic_intents()) {
            INFO(code << " " << intent);
            const topic* t = c.find_topic(code, intent);
            REQUIRE(t != nullptr);
            CHECK_FALSE(t->text.empty());
            CHECK_FALSE(t->sources.empty());
        }
}

TEST_CASE("every shipped text without arguments reads as ICU formats it") {
    // catalog::text gives a pattern without {, } or ' back as it is (bot/catalog.cpp); ICU
    // must agree on every text of every language.
    const auto& c = real_catalog();
    int plain = 0;
    for (const auto& code : required_languages()) {
        const auto dir = std::string(OPAS_SOURCE_DIR) + "/locales/" + code + "/";
        for (const char* file : {"messages.json", "messages_booking.json", "messages_handover.json",
                                 "messages_report.json", "messages_volunteer.json"}) {
            std::ifstream in(dir + file);
            REQUIRE(in);
            const auto doc = nlohmann::json::parse(in);
            for (const auto& [key, value] : doc.items()) {
                if (!value.is_string()) continue;
                const auto pattern = value.get<std::string>();
                if (pattern.find_first_of("{}'") != std::string::npos) continue;
                ++plain;
                UErrorCode ec = U_ZERO_ERROR;
                icu::MessageFormat mf(icu::UnicodeString::fromUTF8(pattern),
                                      icu::Locale(code.c_str()), ec);
                REQUIRE(U_SUCCESS(ec));
                icu::UnicodeString out;
                mf.format(nullptr, nullptr, 0, out, ec);
                REQUIRE(U_SUCCESS(ec));
                std::string expected;
                out.toUTF8String(expected);
                INFO(code << " " << key);
                CHECK(c.text(code, key) == expected);
            }
        }
    }
    CHECK(plain > 13 * 50);
}
