// Volunteer shifts: staff create them, matching volunteers get offers, capacity holds under
// concurrent accepts, a cancellation frees the place for the next volunteer.
#include <catch2/catch.hpp>
#include <thread>

#include "tests/bot/volunteer_fixture.hpp"

using namespace opas::bot;
using namespace opas::bot::volunteer_test;

namespace {

// Friday 2026-12-18 10-14 local; the bench clock is Tuesday 2026-12-15 12:00.
constexpr const char* friday_10 = "2026-12-18T10:00";
constexpr const char* friday_14 = "2026-12-18T14:00";

std::string id_text(std::int64_t id) { return std::to_string(id); }

}  // namespace

TEST_CASE("a new shift is offered to the approved volunteers who speak a wanted language") {
    volunteer_bench b;
    REQUIRE(approved_volunteer(b, "8001", "Aino", "fi", "suomi") != 0);
    REQUIRE(approved_volunteer(b, "8002", "Amina", "ar", "العربية") != 0);
    const auto res = b.admin("POST", "/admin/shifts",
                             {{"title", "Kielikahvila"}, {"starts_at", friday_10}, {"ends_at", friday_14},
                              {"place", "Esimerkkikatu 1"}, {"capacity", 2}, {"languages", {"fi"}}});
    REQUIRE(res.status == 201);
    CHECK(res.body["offered"] == 1);
    CHECK(res.body["shift"]["starts_at"] == "2026-12-18T10:00:00+02:00");
    const std::string id = id_text(res.body["shift"]["id"].get<std::int64_t>());
    const auto aino = b.replies_to("8001");
    REQUIRE(aino.size() == 1);
    CHECK(contains(aino[0].text, "Kielikahvila"));
    CHECK(choice_ids(aino) == std::vector<std::string>{"vol:accept:" + id, "vol:decline:" + id});
    CHECK(b.replies_to("8002").empty());
}

TEST_CASE("a pending volunteer gets no offers until staff approve them") {
    volunteer_bench b;
    b.presses("8003", "lang:fi");
    b.presses("8003", "menu:volunteer");
    b.says("8003", "Ville", "fi");
    b.says("8003", "suomi", "fi");
    b.presses("8003", "vol:int:events");
    b.presses("8003", "vol:int:done");
    b.says("8003", "perjantaisin", "fi");
    b.presses("8003", "vol:yes");
    b.outbox("8003");
    REQUIRE(new_shift(b, friday_10, friday_14, 1) != 0);
    CHECK(b.replies_to("8003").empty());
    const auto list = b.admin("GET", "/admin/volunteers", nullptr, {{"status", "pending"}});
    REQUIRE(list.body["volunteers"].size() == 1);
    const auto& v = list.body["volunteers"][0];
    CHECK(v["name"] == "Ville");
    CHECK(v["languages"] == nlohmann::json{"fi"});
    CHECK(v["interests"] == nlohmann::json{"events"});
    CHECK(v["availability"] == "perjantaisin");
    CHECK_FALSE(v.contains("person_id"));
    CHECK_FALSE(contains(list.body.dump(), "8003"));  // no platform ids
    const auto approved = b.admin("POST", "/admin/volunteers/" + id_text(v["id"]) + "/approve");
    CHECK(approved.status == 200);
    CHECK(approved.body["offered"] == 1);  // the open shift, at once
    const auto sent = b.replies_to("8003");
    REQUIRE(sent.size() == 2);
    CHECK(contains(sent[0].text, b.text("fi", "volunteer.approved", {{"name", std::string("Ville")}})));
    CHECK(offers(sent, "vol:accept:1"));
}

TEST_CASE("concurrent accepts of the last places fill exactly the capacity") {
    volunteer_bench b;
    const int volunteers = 6;
    for (int i = 0; i < volunteers; ++i)
        REQUIRE(approved_volunteer(b, "81" + std::to_string(i), "V" + std::to_string(i), "en", "English") != 0);
    const auto shift = new_shift(b, friday_10, friday_14, 2);
    REQUIRE(shift != 0);
    std::vector<std::thread> racers;
    for (int i = 0; i < volunteers; ++i)
        racers.emplace_back([&b, i, shift] { b.press_only("81" + std::to_string(i), "vol:accept:" + id_text(shift)); });
    for (auto& t : racers) t.join();
    CHECK(b.sql("SELECT COUNT(*) FROM shift_assignments WHERE status = 'accepted'") ==
          std::vector<std::string>{"2"});
    int accepted = 0, full = 0;
    for (int i = 0; i < volunteers; ++i) {
        const auto r = all_text(b.replies_to("81" + std::to_string(i)));
        if (contains(r, b.text("en", "shift.full"))) ++full;
        else if (contains(r, "Kielikahvila")) ++accepted;
    }
    CHECK(accepted == 2);
    CHECK(full == volunteers - 2);
}

TEST_CASE("a cancelled place is offered to the next matching volunteer who has not answered") {
    volunteer_bench b;
    approved_volunteer(b, "8201", "Aino", "fi", "suomi");
    approved_volunteer(b, "8202", "Bea", "fi", "suomi");
    approved_volunteer(b, "8203", "Cem", "fi", "suomi");
    const auto shift = new_shift(b, friday_10, friday_14, 1);
    const std::string id = id_text(shift);
    for (const char* u : {"8201", "8202", "8203"}) b.outbox(u);
    CHECK(contains(all_text(b.presses("8201", "vol:accept:" + id)), "Kielikahvila"));
    CHECK(all_text(b.presses("8202", "vol:decline:" + id)) == b.text("fi", "shift.declined") + "\n");
    CHECK(contains(all_text(b.presses("8203", "vol:accept:" + id)), b.text("fi", "shift.full")));
    b.outbox("8203");

    const auto r = b.presses("8201", "vol:cancel:" + id);
    CHECK(contains(all_text(r), b.text("fi", "shift.cancelled", {{"title", std::string("Kielikahvila")},
                                                                 {"datetime", b.messages().format_datetime("fi", 1797580800000)}})));
    CHECK(b.replies_to("8202").empty());  // declined: not asked again
    const auto next = b.replies_to("8203");
    REQUIRE(next.size() == 1);
    CHECK(contains(next[0].text, "Kielikahvila"));
    CHECK(offers(next, "vol:accept:" + id));
    CHECK(contains(all_text(b.presses("8203", "vol:accept:" + id)), "Kielikahvila"));
    CHECK(b.sql("SELECT volunteer_id, status FROM shift_assignments ORDER BY volunteer_id") ==
          std::vector<std::string>{"1|cancelled", "2|declined", "3|accepted"});
}

TEST_CASE("a volunteer asking for shifts sees their shifts with cancel buttons and open ones to accept") {
    volunteer_bench b;
    approved_volunteer(b, "8301", "Aino", "fi", "suomi");
    const auto mine = new_shift(b, friday_10, friday_14, 2, {}, "Kielikahvila");
    const auto other = new_shift(b, "2026-12-19T10:00", "2026-12-19T12:00", 2, {"fi"}, "Lastenkerho");
    b.presses("8301", "vol:accept:" + id_text(mine));
    const auto r = b.says("8301", "mun vuorot", "fi");
    REQUIRE(r.size() == 2);
    CHECK(contains(r[0].text, b.text("fi", "shift.list")));
    CHECK(contains(r[0].text, "Kielikahvila"));
    CHECK(r[0].choices.size() == 1);
    CHECK(r[0].choices[0].id == "vol:cancel:" + id_text(mine));
    CHECK(contains(r[1].text, "Lastenkerho"));
    CHECK(choice_ids(r) == std::vector<std::string>{"vol:accept:" + id_text(other)});
}

TEST_CASE("a person who is not a volunteer asking for shifts is offered the enrolment") {
    volunteer_bench b;
    const auto r = b.says("8401", "mun vuorot", "fi");
    CHECK(contains(all_text(r), b.text("fi", "shift.not_volunteer")));
    const auto next = b.presses("8401", "vol:enrol");
    CHECK(contains(all_text(next), b.text("fi", "volunteer.ask_name")));
}

TEST_CASE("staff cancelling a shift tells the volunteers who accepted it") {
    volunteer_bench b;
    approved_volunteer(b, "8501", "Aino", "fi", "suomi");
    approved_volunteer(b, "8502", "Bea", "fi", "suomi");
    const auto shift = new_shift(b, friday_10, friday_14, 2);
    b.presses("8501", "vol:accept:" + id_text(shift));
    b.outbox("8502");
    const auto res = b.admin("DELETE", "/admin/shifts/" + id_text(shift));
    CHECK(res.status == 200);
    CHECK(res.body["told"] == 1);
    CHECK(contains(all_text(b.replies_to("8501")), "Kielikahvila"));
    CHECK(b.replies_to("8502").empty());
    const auto list = b.admin("GET", "/admin/shifts");
    REQUIRE(list.body["shifts"].size() == 1);
    CHECK(list.body["shifts"][0]["status"] == "cancelled");
    CHECK(list.body["shifts"][0]["roster"].size() == 2);
    CHECK(b.admin("DELETE", "/admin/shifts/" + id_text(shift)).status == 409);
}

TEST_CASE("the shift list shows the roster with names and answers") {
    volunteer_bench b;
    approved_volunteer(b, "8601", "Aino", "fi", "suomi");
    const auto shift = new_shift(b, friday_10, friday_14, 3);
    b.presses("8601", "vol:accept:" + id_text(shift));
    const auto list = b.admin("GET", "/admin/shifts");
    REQUIRE(list.status == 200);
    const auto& s = list.body["shifts"][0];
    CHECK(s["accepted"] == 1);
    CHECK(s["capacity"] == 3);
    CHECK(s["roster"][0]["name"] == "Aino");
    CHECK(s["roster"][0]["status"] == "accepted");
}

TEST_CASE("removing a volunteer gives their place to the next matching volunteer") {
    volunteer_bench b;
    const auto aino = approved_volunteer(b, "8701", "Aino", "fi", "suomi");
    approved_volunteer(b, "8702", "Bea", "fi", "suomi");
    const auto shift = new_shift(b, friday_10, friday_14, 1);
    b.presses("8701", "vol:accept:" + id_text(shift));
    b.outbox("8702");
    const auto res = b.admin("DELETE", "/admin/volunteers/" + id_text(aino));
    CHECK(res.status == 200);
    CHECK(offers(b.replies_to("8702"), "vol:accept:" + id_text(shift)));
    CHECK(b.sql("SELECT status, name FROM volunteers WHERE id = " + id_text(aino)) ==
          std::vector<std::string>{"removed|"});
    CHECK(b.admin("DELETE", "/admin/volunteers/" + id_text(aino)).status == 404);
}

TEST_CASE("a shift with a wrong field gets 400 naming the field") {
    volunteer_bench b;
    const nlohmann::json good = {{"title", "Kielikahvila"}, {"starts_at", friday_10}, {"ends_at", friday_14},
                                 {"place", "Esimerkkikatu 1"}, {"capacity", 2}, {"languages", {"fi"}}};
    const std::pair<const char*, nlohmann::json> cases[] = {
        {"title", ""}, {"place", 5}, {"starts_at", "next friday"}, {"starts_at", "2020-01-01T10:00"},
        {"ends_at", "2026-12-18T09:00"}, {"capacity", 0}, {"capacity", "2"}, {"languages", {"xx"}},
        {"languages", "fi"}, {"colour", "red"}};
    for (const auto& [field, value] : cases) {
        nlohmann::json body = good;
        body[field] = value;
        const auto res = b.admin("POST", "/admin/shifts", body);
        INFO(field << " = " << value.dump());
        CHECK(res.status == 400);
        CHECK(res.body["field"] == field);
    }
    nlohmann::json missing = good;
    missing.erase("capacity");
    CHECK(b.admin("POST", "/admin/shifts", missing).body["field"] == "capacity");
    CHECK(b.admin("POST", "/admin/shifts", "[]"_json).body["field"] == "body");
    CHECK(b.admin("POST", "/admin/volunteers/abc/approve").body["field"] == "id");
    CHECK(b.admin("GET", "/admin/volunteers", nullptr, {{"status", "gone"}}).body["field"] == "status");
    CHECK(b.admin("POST", "/admin/volunteers/99/approve").status == 404);
    CHECK(b.sql("SELECT COUNT(*) FROM shifts") == std::vector<std::string>{"0"});
}

TEST_CASE("a shift time with an offset is stored as that moment") {
    volunteer_bench b;
    const auto res = b.admin("POST", "/admin/shifts",
                             {{"title", "Retki"}, {"starts_at", "2026-12-18T08:00Z"},
                              {"ends_at", "2026-12-18T12:00+02:00"}, {"place", "Satama"}, {"capacity", 1}});
    REQUIRE(res.status == 201);
    CHECK(res.body["shift"]["starts_at"] == "2026-12-18T10:00:00+02:00");
    CHECK(b.sql("SELECT starts_at, ends_at FROM shifts") ==
          std::vector<std::string>{"1797580800|1797588000"});
}
