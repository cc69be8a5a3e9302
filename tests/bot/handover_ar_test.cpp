// Handover in Arabic on WhatsApp, through dispatcher + engine on a temp SQLite file.
#include <catch2/catch.hpp>

#include "tests/bot/handover_fixture.hpp"

using namespace opas::bot;
using namespace opas::bot::test;

namespace {

constexpr const char* person = "358401112233";

std::string hand_over(handover_bench& b) {
    REQUIRE(b.person_says("whatsapp", person, "مرحبا"));
    b.sent_to(person);
    REQUIRE(b.person_says("whatsapp", person, "بدي احكي مع انسان"));
    const auto staff = b.staff_inbox();
    REQUIRE(staff.size() == 1);
    return staff.front();
}

}  // namespace

TEST_CASE("an Arabic person on WhatsApp is handed over with language and channel for staff") {
    handover_bench b;
    const std::string note = hand_over(b);
    CHECK(contains(joined(b.sent_to(person)), b.text("ar", "handover.started")));
    CHECK(contains(note, "ar"));
    CHECK(contains(note, "whatsapp"));
    CHECK(contains(note, "بدي احكي مع انسان"));
    CHECK_FALSE(contains(note, person));
}

TEST_CASE("a staff message that starts with the code reaches the Arabic person without the code") {
    handover_bench b;
    const std::string code = code_in(hand_over(b));
    b.sent_to(person);
    REQUIRE(b.staff_says(code + " أهلا، أنا سارة من المركز. كيف أساعدك؟"));
    CHECK(b.sent_to(person) == std::vector<std::string>{"أهلا، أنا سارة من المركز. كيف أساعدك؟"});
}

TEST_CASE("/end with the code ends the Arabic handover and the person is told in Arabic") {
    handover_bench b;
    const std::string code = code_in(hand_over(b));
    b.sent_to(person);
    REQUIRE(b.staff_says("/end " + code));
    CHECK(b.sent_to(person) == std::vector<std::string>{b.text("ar", "handover.ended")});
    CHECK(b.sql("SELECT count(*) FROM handovers") == std::vector<std::string>{"0"});
}

TEST_CASE("an emergency during an Arabic handover still gets the bot's emergency answer") {
    handover_bench b;
    hand_over(b);
    b.sent_to(person);
    REQUIRE(b.person_says("whatsapp", person, "النجدة، زوجي عم يضربني"));
    CHECK(contains(joined(b.sent_to(person)), "112"));
    CHECK(b.sql("SELECT count(*) FROM handovers") == std::vector<std::string>{"1"});
}

TEST_CASE("a photo during an Arabic handover is announced to staff, not answered") {
    handover_bench b;
    const std::string code = code_in(hand_over(b));
    b.sent_to(person);
    REQUIRE(b.person_sends_media("whatsapp", person));
    CHECK(b.sent_to(person).empty());
    const auto staff = b.staff_inbox();
    REQUIRE(staff.size() == 1);
    CHECK(contains(staff[0], code));
    CHECK(contains(staff[0], b.text("fi", "handover.staff_media")));
}
