// Handover in Ukrainian on Telegram, through dispatcher + engine on a temp SQLite file.
#include <catch2/catch.hpp>

#include "tests/bot/handover_fixture.hpp"

using namespace opas::bot;
using namespace opas::bot::test;

namespace {

constexpr const char* uk_person = "7007";

std::string hand_over_uk(handover_bench& b) {
    REQUIRE(b.person_says("telegram", uk_person, "привіт", "uk"));
    b.sent_to(uk_person);
    REQUIRE(b.person_presses("telegram", uk_person, "menu:person"));
    const auto staff = b.staff_inbox();
    REQUIRE(staff.size() == 1);
    return staff.front();
}

}  // namespace

TEST_CASE("a Ukrainian person is handed over from the menu and gets the staff reply") {
    handover_bench b;
    const std::string note = hand_over_uk(b);
    CHECK(contains(joined(b.sent_to(uk_person)), b.text("uk", "handover.started")));
    CHECK(contains(note, "uk"));
    REQUIRE(b.person_says("telegram", uk_person, "Мені потрібна допомога з документами для Kela", "uk"));
    CHECK(b.sent_to(uk_person).empty());
    const auto forwarded = b.staff_inbox();
    REQUIRE(forwarded.size() == 1);
    REQUIRE(b.staff_says("Добрий день! Приходьте в середу о 10:00.", forwarded[0]));
    CHECK(b.sent_to(uk_person) == std::vector<std::string>{"Добрий день! Приходьте в середу о 10:00."});
}

TEST_CASE("a /end@bot reply ends the Ukrainian handover") {
    handover_bench b;
    const std::string note = hand_over_uk(b);
    b.sent_to(uk_person);
    REQUIRE(b.staff_says("/end@OpasBot", note));
    CHECK(b.sent_to(uk_person) == std::vector<std::string>{b.text("uk", "handover.ended")});
    REQUIRE(b.person_says("telegram", uk_person, "привіт", "uk"));
    CHECK_FALSE(b.sent_to(uk_person).empty());  // the bot answers again
}

TEST_CASE("a Ukrainian handover times out and the person is told in Ukrainian") {
    handover_bench b;
    hand_over_uk(b);
    b.sent_to(uk_person);
    b.advance_minutes(b.cfg().staff.handover_timeout_minutes + 1);
    REQUIRE(b.tick());
    CHECK(b.sent_to(uk_person) == std::vector<std::string>{b.text("uk", "handover.ended")});
}

TEST_CASE("forgetting a person cancels bookings, removes the volunteer and confirms") {
    handover_bench b;
    hand_over_uk(b);
    b.sent_to(uk_person);
    const auto id = b.sql("SELECT id, pseudonym FROM people WHERE user_id = '7007'");
    REQUIRE(id.size() == 1);
    const std::string pid = id[0].substr(0, id[0].find('|'));
    const std::string pseudonym = id[0].substr(id[0].find('|') + 1);
    b.sql("INSERT INTO bookings (person_id, pseudonym, slot_start, slot_minutes, topic, language, "
          "created_at) VALUES (" + pid + ", '" + pseudonym + "', 1797400000, 30, "
          "'guidance.housing', 'uk', 1)");
    b.sql("INSERT INTO volunteers (person_id, pseudonym, name, languages, interests, availability, "
          "created_at) VALUES (" + pid + ", '" + pseudonym + "', 'Olena', '[\"uk\"]', '[]', 'ma', 1)");

    REQUIRE(b.person_presses("telegram", uk_person, "menu:topics"));  // leaves the handover
    b.sent_to(uk_person);
    REQUIRE(b.person_says("telegram", uk_person, "видаліть мої дані", "uk"));
    CHECK(contains(joined(b.sent_to(uk_person)), b.text("uk", "privacy.forget_confirm")));
    REQUIRE(b.person_presses("telegram", uk_person, "forget:yes"));

    CHECK(b.sent_to(uk_person) == std::vector<std::string>{b.text("uk", "privacy.forgotten")});
    CHECK(b.sql("SELECT status, person_id IS NULL FROM bookings") == std::vector<std::string>{"cancelled|1"});
    CHECK(b.sql("SELECT count(*) FROM volunteers") == std::vector<std::string>{"0"});
    CHECK(b.sql("SELECT count(*) FROM handovers") == std::vector<std::string>{"0"});
    CHECK(b.sql("SELECT count(*) FROM people WHERE user_id = '7007'") == std::vector<std::string>{"0"});
    CHECK(b.sql("SELECT outcome FROM contact_log WHERE pseudonym = '" + pseudonym +
                "' AND outcome = 'erased'") == std::vector<std::string>{"erased"});
    REQUIRE(b.tick());  // the stand-in that carried the confirmation goes too
    CHECK(b.sql("SELECT count(*) FROM people WHERE chat_id = '7007'") == std::vector<std::string>{"0"});
}

TEST_CASE("after being forgotten the Ukrainian person is a stranger again") {
    handover_bench b;
    REQUIRE(b.person_says("telegram", uk_person, "привіт", "uk"));
    b.sent_to(uk_person);
    REQUIRE(b.person_says("telegram", uk_person, "видаліть мої дані", "uk"));
    REQUIRE(b.person_presses("telegram", uk_person, "forget:yes"));
    b.sent_to(uk_person);
    REQUIRE(b.person_says("telegram", uk_person, "привіт", "uk"));
    const std::string welcome = b.text("uk", "welcome", {{"centre", b.cfg().centre.name}});
    CHECK(contains(joined(b.sent_to(uk_person)), welcome));
}
