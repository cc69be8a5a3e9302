// Volunteer enrolment in Ukrainian, through dispatcher + engine on a temp SQLite file.
#include <catch2/catch.hpp>

#include "tests/bot/volunteer_fixture.hpp"

using namespace opas::bot;
using namespace opas::bot::volunteer_test;

namespace {
constexpr const char* olena = "7201";
}

TEST_CASE("a Ukrainian enrolment with an unclear answer and a step back saves a pending volunteer") {
    volunteer_bench b;
    auto r = b.says(olena, "Хочу стати волонтером", "uk");
    CHECK(contains(all_text(r), b.text("uk", "volunteer.intro")));

    r = b.says(olena, "Олена Коваленко", "uk");
    CHECK(contains(all_text(r), b.text("uk", "volunteer.ask_languages")));

    r = b.says(olena, "українська, російська, англійська", "uk");
    CHECK(contains(all_text(r), b.text("uk", "volunteer.ask_interests")));
    b.presses(olena, "vol:int:children");
    r = b.says(olena, "Готово", "uk");
    CHECK(contains(all_text(r), b.text("uk", "volunteer.ask_availability")));

    r = b.says(olena, "коли зможу", "uk");  // no day or time in it: asked again with a hint
    CHECK(contains(all_text(r), b.text("uk", "volunteer.hint_availability")));

    r = b.says(olena, "у вівторок увечері", "uk");
    CHECK(contains(all_text(r), b.text("uk", "volunteer.ask_consent")));

    r = b.says(olena, "назад", "uk");  // back to the availability
    CHECK(contains(all_text(r), b.text("uk", "volunteer.ask_availability")));
    r = b.says(olena, "по суботах зранку", "uk");
    CHECK(contains(all_text(r), b.text("uk", "volunteer.ask_consent")));

    r = b.says(olena, "так", "uk");
    CHECK(contains(all_text(r), b.text("uk", "volunteer.done", {{"name", std::string("Олена Коваленко")}})));
    CHECK(b.sql("SELECT name, languages, interests, availability, status FROM volunteers") ==
          std::vector<std::string>{"Олена Коваленко|[\"uk\",\"ru\",\"en\"]|[\"children\"]|"
                                   "по суботах зранку|pending"});
    CHECK(b.sql("SELECT outcome FROM contact_log WHERE intent = 'volunteer.enrol' ORDER BY id") ==
          std::vector<std::string>{"started", "enrolled"});
}

TEST_CASE("a Ukrainian enrolment stopped at the interests saves nothing") {
    volunteer_bench b;
    b.says(olena, "Хочу стати волонтером", "uk");
    b.says(olena, "Олена", "uk");
    b.says(olena, "українська", "uk");
    b.presses(olena, "vol:int:events");
    const auto r = b.says(olena, "стоп", "uk");
    CHECK(contains(all_text(r), b.text("uk", "volunteer.stopped")));
    CHECK(b.sql("SELECT COUNT(*) FROM volunteers") == std::vector<std::string>{"0"});
}

TEST_CASE("a Ukrainian volunteer language answer in free text is kept as written") {
    volunteer_bench b;
    b.says(olena, "Хочу стати волонтером", "uk");
    b.says(olena, "Олена", "uk");
    const auto r = b.says(olena, "українська, тигринья", "uk");
    CHECK(contains(all_text(r), b.text("uk", "volunteer.ask_interests")));
    b.presses(olena, "vol:int:events");
    b.presses(olena, "vol:int:done");
    b.says(olena, "в понеділок", "uk");
    b.presses(olena, "vol:yes");
    CHECK(b.sql("SELECT languages FROM volunteers") ==
          std::vector<std::string>{"[\"uk\",\"тигринья\"]"});
}
