// The race for the last seats: many people confirm the same slot at the same moment.
#include <catch2/catch.hpp>

#include <thread>

#include "tests/bot/booking_fixture.hpp"

using namespace opas::bot;
using namespace opas::bot::test;

namespace {

// Brings `user` to the confirmation of `slot` on 16.12.
void ready_to_confirm(booking_bench& b, const std::string& user, std::int64_t slot) {
    REQUIRE(b.says(user, "Haluan varata ajan neuvojalle", "fi"));
    REQUIRE(b.presses(user, "bk:topic:guidance.housing"));
    REQUIRE(b.presses(user, "bk:int:no"));
    REQUIRE(b.presses(user, "bk:day:2026-12-16"));
    REQUIRE(b.presses(user, "bk:slot:" + std::to_string(slot)));
    REQUIRE(offers(b.last(user), "bk:book"));
}

// Everyone presses "confirm" at once, from threads of their own; returns how many committed.
int confirm_all_at_once(booking_bench& b, const std::vector<std::string>& users) {
    std::vector<std::future<bool>> results(users.size());
    std::vector<std::thread> threads;
    std::promise<void> go;
    std::shared_future<void> start = go.get_future().share();
    for (std::size_t i = 0; i < users.size(); ++i)
        threads.emplace_back([&, i] {
            start.wait();
            results[i] = b.presses_async(users[i], "bk:book");
        });
    go.set_value();
    for (auto& t : threads) t.join();
    int committed = 0;
    for (auto& r : results) committed += r.get() ? 1 : 0;
    return committed;
}

}  // namespace

TEST_CASE("many people racing for one slot get exactly as many bookings as counsellors") {
    booking_bench b;  // two counsellors
    const std::int64_t slot = december_2026(16, 10);
    std::vector<std::string> users;
    for (int i = 0; i < 12; ++i) users.push_back("80" + std::to_string(10 + i));
    for (const auto& u : users) ready_to_confirm(b, u, slot);
    CHECK(confirm_all_at_once(b, users) == 12);
    CHECK(b.one("SELECT count(*) FROM bookings WHERE status = 'booked' AND slot_start = " +
                std::to_string(slot)) == "2");
    int done = 0, taken = 0;
    for (const auto& u : users) {
        const reply r = b.last(u);
        if (r.text.rfind(b.text("fi", "booking.taken"), 0) == 0) ++taken;
        else if (contains(r.text, b.when("fi", slot))) ++done;
    }
    CHECK(done == 2);
    CHECK(taken == 10);
}

TEST_CASE("a full slot is no longer offered") {
    booking_bench b([](config& c) { c.schedule.counsellors = 1; });
    const std::int64_t slot = december_2026(16, 10);
    ready_to_confirm(b, "8101", slot);
    REQUIRE(b.presses("8101", "bk:book"));
    REQUIRE(b.says("8102", "Haluan varata ajan neuvojalle", "fi"));
    REQUIRE(b.presses("8102", "bk:topic:guidance.housing"));
    REQUIRE(b.presses("8102", "bk:int:no"));
    REQUIRE(b.presses("8102", "bk:day:2026-12-16"));
    const reply times = b.last("8102");
    CHECK_FALSE(offers(times, "bk:slot:" + std::to_string(slot)));
    CHECK(ids_with(times, "bk:slot:").size() == 7);
}

TEST_CASE("three counsellors give three seats in a race") {
    booking_bench b([](config& c) { c.schedule.counsellors = 3; });
    const std::int64_t slot = december_2026(17, 14);
    std::vector<std::string> users;
    for (int i = 0; i < 8; ++i) users.push_back("82" + std::to_string(10 + i));
    for (const auto& u : users) {
        REQUIRE(b.says(u, "Haluan varata ajan neuvojalle", "fi"));
        REQUIRE(b.presses(u, "bk:topic:guidance.money"));
        REQUIRE(b.presses(u, "bk:int:no"));
        REQUIRE(b.presses(u, "bk:day:2026-12-17"));
        REQUIRE(b.presses(u, "bk:slot:" + std::to_string(slot)));
    }
    confirm_all_at_once(b, users);
    CHECK(b.one("SELECT count(*) FROM bookings WHERE slot_start = " + std::to_string(slot)) == "3");
}
