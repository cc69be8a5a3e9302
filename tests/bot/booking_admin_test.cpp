// The staff's booking routes: bookings by day, no-show, closed dates; validation names fields.
#include <catch2/catch.hpp>

#include "bot/admin.hpp"
#include "tests/bot/booking_fixture.hpp"

using namespace opas::bot;
using namespace opas::bot::test;
using json = nlohmann::json;

namespace {

admin_response call(booking_bench& b, const std::string& method, const std::string& path,
                    std::map<std::string, std::string> query = {}, json body = nullptr) {
    admin_response out;
    const admin_request req{method, path, std::move(query), std::move(body)};
    b.run([&](opas::storage::database& db) {
        const admin_api api;
        admin_context ctx{db, b.messages(), b.cfg(), b.now()};
        out = api.handle(ctx, req);
        return out.status < 400;
    });
    return out;
}

void book_wednesday_ten(booking_bench& b, const std::string& user) {
    REQUIRE(b.presses(user, "menu:book"));
    REQUIRE(b.presses(user, "bk:topic:guidance.health"));
    REQUIRE(b.presses(user, "bk:int:ar"));
    REQUIRE(b.presses(user, "bk:day:2026-12-16"));
    REQUIRE(b.presses(user, "bk:slot:" + std::to_string(december_2026(16, 10))));
    REQUIRE(b.presses(user, "bk:book"));
}

}  // namespace

TEST_CASE("bookings by day need a valid date") {
    booking_bench b;
    auto r = call(b, "GET", "/admin/bookings");
    CHECK(r.status == 400);
    CHECK(r.body["field"] == "date");
    r = call(b, "GET", "/admin/bookings", {{"date", "2026-02-30"}});
    CHECK(r.status == 400);
    CHECK(r.body["field"] == "date");
    r = call(b, "GET", "/admin/bookings", {{"date", "16.12.2026"}});
    CHECK(r.status == 400);
}

TEST_CASE("bookings by day show topic, languages and interpreter but no platform ids") {
    booking_bench b;
    book_wednesday_ten(b, "424242");
    const auto r = call(b, "GET", "/admin/bookings", {{"date", "2026-12-16"}});
    REQUIRE(r.status == 200);
    REQUIRE(r.body["bookings"].size() == 1);
    const auto& row = r.body["bookings"][0];
    CHECK(row["time"] == "10:00");
    CHECK(row["topic"] == "guidance.health");
    CHECK(row["language"] == "fi");
    CHECK(row["interpreter"] == "ar");
    CHECK(row["status"] == "booked");
    CHECK(row["pseudonym"] == b.one("SELECT pseudonym FROM people"));
    CHECK_FALSE(contains(r.body.dump(), "424242"));
    CHECK(r.body["booked"] == 1);
    CHECK(r.body["seats_per_slot"] == 2);
    CHECK(call(b, "GET", "/admin/bookings", {{"date", "2026-12-17"}}).body["bookings"].empty());
}

TEST_CASE("no-show validates the id and the state of the booking") {
    booking_bench b;
    book_wednesday_ten(b, "424243");
    const std::string id = b.one("SELECT id FROM bookings");
    auto r = call(b, "POST", "/admin/bookings/abc/no-show");
    CHECK(r.status == 400);
    CHECK(r.body["field"] == "id");
    CHECK(call(b, "POST", "/admin/bookings/999/no-show").status == 404);
    CHECK(call(b, "POST", "/admin/bookings/" + id + "/no-show").status == 409);  // not yet started
    b.set_now(december_2026(16, 10, 20) * 1000);
    r = call(b, "POST", "/admin/bookings/" + id + "/no-show");
    CHECK(r.status == 200);
    CHECK(r.body["status"] == "no_show");
    CHECK(b.one("SELECT status FROM bookings") == "no_show");
    CHECK(call(b, "POST", "/admin/bookings/" + id + "/no-show").status == 409);
    CHECK(call(b, "GET", "/admin/bookings/" + id + "/no-show").status == 405);
}

TEST_CASE("closed dates are validated, listed, honoured and removed") {
    booking_bench b;
    auto r = call(b, "POST", "/admin/closed-dates");
    CHECK(r.status == 400);
    CHECK(r.body["field"] == "body");
    r = call(b, "POST", "/admin/closed-dates", {}, json{{"date", 20261216}});
    CHECK(r.status == 400);
    CHECK(r.body["field"] == "date");
    r = call(b, "POST", "/admin/closed-dates", {}, json{{"day", "2026-12-16"}});
    CHECK(r.body["field"] == "date");
    r = call(b, "POST", "/admin/closed-dates", {}, json{{"date", "2026-13-01"}});
    CHECK(r.status == 400);
    r = call(b, "POST", "/admin/closed-dates", {}, json{{"date", "2026-12-16"}});
    CHECK(r.status == 201);
    CHECK(call(b, "POST", "/admin/closed-dates", {}, json{{"date", "2026-12-16"}}).status == 200);
    CHECK(call(b, "GET", "/admin/closed-dates").body["closed_dates"] == json::array({"2026-12-16"}));

    REQUIRE(b.presses("5555", "menu:book"));
    REQUIRE(b.presses("5555", "bk:topic:guidance.health"));
    REQUIRE(b.presses("5555", "bk:int:no"));
    CHECK_FALSE(offers(b.last("5555"), "bk:day:2026-12-16"));
    REQUIRE(b.presses("5555", "bk:slot:" + std::to_string(december_2026(16, 10))));
    REQUIRE(b.presses("5555", "bk:book"));
    CHECK(b.one("SELECT count(*) FROM bookings") == "0");

    CHECK(call(b, "DELETE", "/admin/closed-dates", {}, json{{"date", "2026-12-16"}}).status == 200);
    CHECK(call(b, "DELETE", "/admin/closed-dates", {{"date", "2026-12-16"}}).status == 404);
    r = call(b, "DELETE", "/admin/closed-dates");
    CHECK(r.status == 400);
    CHECK(r.body["field"] == "date");
}
