// Handover in Finnish on Telegram, through dispatcher + engine on a temp SQLite file.
#include <catch2/catch.hpp>

#include "tests/bot/handover_fixture.hpp"

using namespace opas::bot;
using namespace opas::bot::test;

namespace {

constexpr const char* fi_person = "5001";

// The person asks for a person; returns the staff note.
std::string hand_over_fi(handover_bench& b) {
    REQUIRE(b.person_says("telegram", fi_person, "Haluan puhua ihmisen kanssa", "fi"));
    const auto staff = b.staff_inbox();
    REQUIRE(staff.size() == 1);
    b.sent_to(fi_person);
    return staff.front();
}

}  // namespace

TEST_CASE("a Finnish person who asks for a person is handed to the staff group") {
    handover_bench b;
    REQUIRE(b.person_says("telegram", fi_person, "Haluan puhua ihmisen kanssa", "fi"));
    const auto to_person = b.sent_to(fi_person);
    REQUIRE_FALSE(to_person.empty());
    CHECK(contains(joined(to_person), b.text("fi", "handover.started")));
    const auto staff = b.staff_inbox();
    REQUIRE(staff.size() == 1);
    const std::string code = code_in(staff[0]);
    REQUIRE(code.size() == 9);
    CHECK(contains(staff[0], "fi"));
    CHECK(contains(staff[0], "telegram"));
    CHECK(contains(staff[0], "Haluan puhua ihmisen kanssa"));
    CHECK_FALSE(contains(staff[0], fi_person));  // a pseudonymous code, never the platform id
    const auto pseudonym = b.sql("SELECT pseudonym FROM people WHERE user_id = '5001'");
    REQUIRE(pseudonym.size() == 1);
    CHECK(code == "#" + pseudonym[0].substr(0, 8));
    CHECK(b.sql("SELECT outcome FROM contact_log WHERE intent = 'handover'") ==
          std::vector<std::string>{"handed_over"});
}

TEST_CASE("a staff reply to the handover note reaches the person as written") {
    handover_bench b;
    const std::string note = hand_over_fi(b);
    REQUIRE(b.staff_says("Hei! Olen Maija keskukselta. Miten voin auttaa?", note));
    CHECK(b.sent_to(fi_person) == std::vector<std::string>{"Hei! Olen Maija keskukselta. Miten voin auttaa?"});
    CHECK(b.staff_inbox().empty());
}

TEST_CASE("during a handover the bot stays quiet and forwards the person's messages") {
    handover_bench b;
    const std::string note = hand_over_fi(b);
    REQUIRE(b.person_says("telegram", fi_person, "Voinko tulla huomenna kello 10?", "fi"));
    CHECK(b.sent_to(fi_person).empty());
    const auto staff = b.staff_inbox();
    REQUIRE(staff.size() == 1);
    CHECK(code_in(staff[0]) == code_in(note));
    CHECK(contains(staff[0], "Voinko tulla huomenna kello 10?"));
}

TEST_CASE("a reply /end in the staff group ends the handover and the bot answers again") {
    handover_bench b;
    const std::string note = hand_over_fi(b);
    REQUIRE(b.staff_says("/end", note));
    CHECK(b.sent_to(fi_person) == std::vector<std::string>{b.text("fi", "handover.ended")});
    CHECK(contains(joined(b.staff_inbox()), code_in(note)));
    REQUIRE(b.person_says("telegram", fi_person, "Missä keskus on?", "fi"));
    CHECK_FALSE(b.sent_to(fi_person).empty());
    CHECK(b.staff_inbox().empty());
}

TEST_CASE("three not-sure answers in a row hand the conversation over") {
    handover_bench b;
    REQUIRE(b.person_says("telegram", fi_person, "Hei", "fi"));
    b.sent_to(fi_person);
    for (int i = 0; i < 2; ++i) {
        REQUIRE(b.person_says("telegram", fi_person, "xqzv plorf blarg", "fi"));
        CHECK(contains(joined(b.sent_to(fi_person)), b.text("fi", "not_sure")));
        CHECK(b.staff_inbox().empty());
    }
    REQUIRE(b.person_says("telegram", fi_person, "xqzv plorf blarg", "fi"));
    CHECK(contains(joined(b.sent_to(fi_person)), b.text("fi", "handover.started")));
    CHECK(b.staff_inbox().size() == 1);
}

TEST_CASE("outside staff hours the person is told when staff will answer") {
    handover_bench b;
    b.set_now(tuesday_noon_ms + 4 * 86'400'000LL);  // Saturday 12:00
    REQUIRE(b.person_says("telegram", fi_person, "Haluan puhua ihmisen kanssa", "fi"));
    const std::int64_t monday_ten = tuesday_noon_ms + 6 * 86'400'000LL - 2 * 3'600'000LL;
    const std::string when = b.messages().format_datetime("fi", monday_ten);
    CHECK(contains(joined(b.sent_to(fi_person)), b.text("fi", "handover.closed", {{"when", when}})));
}

TEST_CASE("a handover without activity ends after the timeout") {
    handover_bench b;
    const std::string note = hand_over_fi(b);
    b.advance_minutes(b.cfg().staff.handover_timeout_minutes - 1);
    REQUIRE(b.tick());
    CHECK(b.sent_to(fi_person).empty());
    b.advance_minutes(2);
    REQUIRE(b.tick());
    CHECK(b.sent_to(fi_person) == std::vector<std::string>{b.text("fi", "handover.ended")});
    CHECK(contains(joined(b.staff_inbox()), code_in(note)));
    CHECK(b.sql("SELECT count(*) FROM handovers") == std::vector<std::string>{"0"});
}

TEST_CASE("the menu's talk-to-a-person button hands over") {
    handover_bench b;
    REQUIRE(b.person_says("telegram", fi_person, "Hei", "fi"));
    b.sent_to(fi_person);
    REQUIRE(b.person_presses("telegram", fi_person, "menu:person"));
    CHECK(contains(joined(b.sent_to(fi_person)), b.text("fi", "handover.started")));
    CHECK(b.staff_inbox().size() == 1);
}

TEST_CASE("writing Valikko during a handover leaves it and shows the menu") {
    handover_bench b;
    hand_over_fi(b);
    REQUIRE(b.person_says("telegram", fi_person, "Valikko", "fi"));
    const auto to_person = b.sent_to(fi_person);
    // One message: the handover has ended, then the router's answer to "Valikko".
    REQUIRE(to_person.size() == 1);
    const auto ended = b.text("fi", "handover.ended");
    CHECK(to_person[0].rfind(ended + "\n\n", 0) == 0);
    CHECK(to_person[0].size() > ended.size() + 2);
    CHECK(b.staff_inbox().size() == 1);  // "the person ended the conversation"
    CHECK(b.sql("SELECT count(*) FROM handovers") == std::vector<std::string>{"0"});
}

TEST_CASE("a staff reply under an unknown code is not delivered and staff are told") {
    handover_bench b;
    REQUIRE(b.staff_says("Kiitos viestistä", "#0badc0de (fi, telegram):\n\nhei"));
    const auto staff = b.staff_inbox();
    REQUIRE(staff.size() == 1);
    CHECK(contains(staff[0], "#0badc0de"));
}

TEST_CASE("staff chatting in the group without a code is ignored") {
    handover_bench b;
    hand_over_fi(b);
    REQUIRE(b.staff_says("Kuka ottaa tämän?"));
    CHECK(b.sent_to(fi_person).empty());
    CHECK(b.staff_inbox().empty());
}

TEST_CASE("without a staff group, asking for a person gives the centre's contacts") {
    handover_bench b([](config& c) { c.staff.telegram_chat_id.clear(); });
    REQUIRE(b.person_says("telegram", fi_person, "Haluan puhua ihmisen kanssa", "fi"));
    const auto all = joined(b.sent_to(fi_person));
    CHECK(contains(all, b.cfg().centre.phone));
    CHECK_FALSE(contains(all, b.text("fi", "handover.started")));
}
