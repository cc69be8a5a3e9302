// Volunteer enrolment in Arabic, through dispatcher + engine on a temp SQLite file.
#include <catch2/catch.hpp>

#include "tests/bot/volunteer_fixture.hpp"

using namespace opas::bot;
using namespace opas::bot::volunteer_test;

namespace {
constexpr const char* amina = "7101";
}

TEST_CASE("an Arabic enrolment with an unclear answer saves a pending volunteer") {
    volunteer_bench b;
    auto r = b.says(amina, "أريد أن أتطوع معكم", "ar");
    CHECK(contains(all_text(r), b.text("ar", "volunteer.intro")));
    CHECK(contains(all_text(r), b.text("ar", "volunteer.ask_name")));

    r = b.says(amina, "أمينة حسن", "ar");
    CHECK(contains(all_text(r), b.text("ar", "volunteer.ask_languages")));

    r = b.says(amina, "123", "ar");  // no language in it: asked again with a hint
    CHECK(contains(all_text(r), b.text("ar", "volunteer.hint_languages")));
    CHECK(contains(all_text(r), b.text("ar", "volunteer.ask_languages")));

    r = b.says(amina, "العربية والفنلندية", "ar");
    CHECK(contains(all_text(r), b.text("ar", "volunteer.ask_interests")));

    r = b.says(amina, "تم", "ar");  // done before choosing anything: a hint
    CHECK(contains(all_text(r), b.text("ar", "volunteer.hint_interests")));
    b.presses(amina, "vol:int:interpreting");
    b.presses(amina, "vol:int:accompany");
    r = b.says(amina, "تم", "ar");
    CHECK(contains(all_text(r), b.text("ar", "volunteer.ask_availability")));

    r = b.says(amina, "السبت صباحا", "ar");
    CHECK(contains(all_text(r), b.text("ar", "volunteer.ask_consent")));

    r = b.says(amina, "نعم", "ar");
    CHECK(contains(all_text(r), b.text("ar", "volunteer.done", {{"name", std::string("أمينة حسن")}})));
    CHECK(b.sql("SELECT name, languages, interests, availability, status FROM volunteers") ==
          std::vector<std::string>{"أمينة حسن|[\"ar\",\"fi\"]|[\"interpreting\",\"accompany\"]|"
                                   "السبت صباحا|pending"});
}

TEST_CASE("an Arabic enrolment goes back a step and keeps the earlier answers") {
    volunteer_bench b;
    b.says(amina, "أريد أن أتطوع معكم", "ar");
    b.says(amina, "أمينة", "ar");
    auto r = b.says(amina, "رجوع", "ar");
    CHECK(contains(all_text(r), b.text("ar", "volunteer.ask_name")));
    r = b.says(amina, "أمينة علي", "ar");
    CHECK(contains(all_text(r), b.text("ar", "volunteer.ask_languages")));
    b.says(amina, "العربية", "ar");
    b.presses(amina, "vol:int:events");
    b.presses(amina, "vol:int:done");
    b.says(amina, "مساء الخميس", "ar");
    b.presses(amina, "vol:yes");
    CHECK(b.sql("SELECT name, languages FROM volunteers") ==
          std::vector<std::string>{"أمينة علي|[\"ar\"]"});
}

TEST_CASE("an Arabic enrolment stopped with the stop word saves nothing") {
    volunteer_bench b;
    b.says(amina, "أريد أن أتطوع معكم", "ar");
    b.says(amina, "أمينة", "ar");
    b.says(amina, "العربية", "ar");
    const auto r = b.says(amina, "توقف", "ar");
    CHECK(contains(all_text(r), b.text("ar", "volunteer.stopped")));
    CHECK(b.sql("SELECT COUNT(*) FROM volunteers") == std::vector<std::string>{"0"});
    CHECK(b.sql("SELECT outcome FROM contact_log WHERE intent = 'volunteer.enrol' ORDER BY id") ==
          std::vector<std::string>{"started", "stopped"});
}
