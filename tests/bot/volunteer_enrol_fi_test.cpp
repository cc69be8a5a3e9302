// Volunteer enrolment in Finnish, through dispatcher + engine on a temp SQLite file.
#include <catch2/catch.hpp>

#include "tests/bot/volunteer_fixture.hpp"

using namespace opas::bot;
using namespace opas::bot::volunteer_test;

namespace {
constexpr const char* aino = "7001";
}

TEST_CASE("a Finnish enrolment with an unclear answer and a step back saves a pending volunteer") {
    volunteer_bench b;
    auto r = b.says(aino, "Haluan vapaaehtoiseksi", "fi");
    CHECK(contains(all_text(r), b.text("fi", "volunteer.intro")));
    CHECK(contains(all_text(r), b.text("fi", "volunteer.ask_name")));

    r = b.says(aino, "Aino Virtanen", "fi");
    CHECK(contains(all_text(r), b.text("fi", "volunteer.ask_languages")));

    r = b.says(aino, "suomi, englanti ja arabia", "fi");
    CHECK(contains(all_text(r), b.text("fi", "volunteer.ask_interests")));
    CHECK(offers(r, "vol:int:conversation"));
    CHECK(offers(r, "vol:int:done"));

    r = b.presses(aino, "vol:int:conversation");
    CHECK(contains(all_text(r), b.text("fi", "interest.conversation")));
    r = b.says(aino, "2", "fi");  // the second button: events
    CHECK(contains(all_text(r), b.text("fi", "volunteer.chosen",
                                       {{"list", b.text("fi", "interest.conversation") + ", " +
                                                     b.text("fi", "interest.events")}})));
    r = b.says(aino, "Valmis", "fi");
    CHECK(contains(all_text(r), b.text("fi", "volunteer.ask_availability")));

    r = b.says(aino, "en ole varma", "fi");  // names no day or time: asked again with a hint
    CHECK(contains(all_text(r), b.text("fi", "volunteer.hint_availability")));
    CHECK(contains(all_text(r), b.text("fi", "volunteer.ask_availability")));

    r = b.says(aino, "takaisin", "fi");  // back to the interests, which are kept
    CHECK(contains(all_text(r), b.text("fi", "volunteer.ask_interests")));
    r = b.presses(aino, "vol:int:done");
    CHECK(contains(all_text(r), b.text("fi", "volunteer.ask_availability")));

    r = b.says(aino, "maanantaisin ja torstaisin klo 16 jälkeen", "fi");
    CHECK(contains(all_text(r), b.text("fi", "volunteer.ask_consent")));
    CHECK(b.sql("SELECT COUNT(*) FROM volunteers") == std::vector<std::string>{"0"});

    r = b.says(aino, "kyllä", "fi");
    CHECK(contains(all_text(r), b.text("fi", "volunteer.done", {{"name", std::string("Aino Virtanen")}})));
    CHECK(b.sql("SELECT name, languages, interests, availability, status FROM volunteers") ==
          std::vector<std::string>{"Aino Virtanen|[\"fi\",\"en\",\"ar\"]|[\"conversation\",\"events\"]|"
                                   "maanantaisin ja torstaisin klo 16 jälkeen|pending"});
    CHECK(b.sql("SELECT outcome FROM contact_log WHERE intent = 'volunteer.enrol' ORDER BY id") ==
          std::vector<std::string>{"started", "enrolled"});
}

TEST_CASE("a Finnish volunteer who asks to enrol again is told they already are one") {
    volunteer_bench b;
    b.presses(aino, "menu:volunteer");
    b.says(aino, "Aino", "fi");
    b.says(aino, "suomi", "fi");
    b.presses(aino, "vol:int:events");
    b.presses(aino, "vol:int:done");
    b.says(aino, "lauantaisin", "fi");
    b.presses(aino, "vol:yes");
    REQUIRE(b.sql("SELECT status FROM volunteers") == std::vector<std::string>{"pending"});

    const auto r = b.says(aino, "Haluan vapaaehtoiseksi", "fi");
    CHECK(contains(all_text(r), b.text("fi", "volunteer.already")));
    CHECK(b.sql("SELECT COUNT(*) FROM volunteers") == std::vector<std::string>{"1"});
}

TEST_CASE("a Finnish enrolment stopped half-way saves nothing") {
    volunteer_bench b;
    b.says(aino, "Haluan vapaaehtoiseksi", "fi");
    b.says(aino, "Aino", "fi");
    // The Stop button (typed "lopeta" reads as an emergency to the classifier today).
    const auto r = b.presses(aino, "vol:stop");
    CHECK(contains(all_text(r), b.text("fi", "volunteer.stopped")));
    CHECK(b.sql("SELECT COUNT(*) FROM volunteers") == std::vector<std::string>{"0"});
    // The flow is over: the next message is an ordinary question again.
    const auto next = b.says(aino, "Missä keskus on?", "fi");
    CHECK_FALSE(contains(all_text(next), b.text("fi", "volunteer.hint_languages")));
}

TEST_CASE("a Finnish enrolment without consent saves nothing") {
    volunteer_bench b;
    b.presses(aino, "menu:volunteer");
    b.says(aino, "Aino", "fi");
    b.says(aino, "suomi", "fi");
    b.presses(aino, "vol:int:children");
    b.presses(aino, "vol:int:done");
    b.says(aino, "tiistai-iltaisin", "fi");
    const auto r = b.presses(aino, "vol:no");
    CHECK(contains(all_text(r), b.text("fi", "volunteer.stopped")));
    CHECK(b.sql("SELECT COUNT(*) FROM volunteers") == std::vector<std::string>{"0"});
    CHECK(b.sql("SELECT outcome FROM contact_log WHERE intent = 'volunteer.enrol' ORDER BY id") ==
          std::vector<std::string>{"started", "declined"});
}
