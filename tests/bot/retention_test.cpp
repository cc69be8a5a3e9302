// Retention: people silent longer than privacy.retention_days are erased like "forget me"
// (bookings cancelled, people row gone), in batches per scheduler tick.
#include <catch2/catch.hpp>

#include "tests/bot/booking_fixture.hpp"

using namespace opas::bot;
using namespace opas::bot::test;

namespace {

bool retention_tick(booking_bench& b) {
    return b.run([&b](opas::storage::database& db) {
        scheduler_context ctx{db, b.messages(), b.cfg(), b.now()};
        return retention_due(ctx);
    });
}

}  // namespace

TEST_CASE("a person silent past the retention period is erased and their booking cancelled") {
    booking_bench b([](config& c) { c.retention_days = 30; });
    REQUIRE(b.says("7101", "Haluan varata ajan neuvojalle", "fi"));
    REQUIRE(b.presses("7101", "bk:topic:guidance.housing"));
    REQUIRE(b.presses("7101", "bk:int:no"));
    REQUIRE(b.presses("7101", "bk:day:2026-12-16"));
    const auto slots = ids_with(b.last("7101"), "bk:slot:");
    REQUIRE_FALSE(slots.empty());
    REQUIRE(b.presses("7101", slots.front()));
    REQUIRE(b.presses("7101", "bk:book"));
    REQUIRE(b.says("7102", "Hei", "fi"));
    REQUIRE(b.one("SELECT count(*) FROM bookings WHERE status = 'booked'") == "1");

    b.set_now(b.now() + 29LL * 86400 * 1000);  // not yet
    REQUIRE(retention_tick(b));
    CHECK(b.one("SELECT count(*) FROM people") == "2");

    REQUIRE(b.says("7102", "Kiitos", "fi"));   // 7102 stays active
    b.set_now(b.now() + 2LL * 86400 * 1000);  // 31 days after 7101's last message
    REQUIRE(retention_tick(b));
    CHECK(b.sql("SELECT user_id FROM people") == std::vector<std::string>{"7102"});
    CHECK(b.one("SELECT status || '|' || ifnull(person_id, 'null') FROM bookings") == "cancelled|null");
    CHECK(b.one("SELECT count(*) FROM contact_log WHERE intent = 'privacy.retention' AND "
                "outcome = 'erased'") == "1");
}

TEST_CASE("a large backlog of inactive people is erased a batch per tick") {
    booking_bench b([](config& c) { c.retention_days = 1; });
    for (int i = 0; i < 450; ++i) REQUIRE(b.says(std::to_string(8000 + i), "Hei", "fi"));
    b.set_now(b.now() + 2LL * 86400 * 1000);
    REQUIRE(retention_tick(b));
    CHECK(b.one("SELECT count(*) FROM people") == "250");
    REQUIRE(retention_tick(b));
    REQUIRE(retention_tick(b));
    CHECK(b.one("SELECT count(*) FROM people") == "0");
    CHECK(b.one("SELECT count(*) FROM contact_log WHERE intent = 'privacy.retention'") == "450");
}

TEST_CASE("housekeeping forgets old dedupe keys and finished outbox rows once an hour") {
    booking_bench b;
    const std::int64_t t0 = b.now();
    const std::int64_t minute = 60 * 1000, day = 86400 * 1000;
    REQUIRE(b.says("7301", "Hei", "fi"));
    REQUIRE_FALSE(b.replies("7301").empty());  // marks the replies sent at t0
    REQUIRE(b.one("SELECT count(*) FROM seen") == "1");
    REQUIRE(b.one("SELECT count(*) FROM outbox WHERE state = 'sent'") != "0");

    b.set_now(t0 + 2 * day - 10 * minute);  // the first run: sent rows are not two days old
    REQUIRE(retention_tick(b));
    CHECK(b.one("SELECT count(*) FROM outbox WHERE state = 'sent'") != "0");

    b.set_now(t0 + 2 * day + 10 * minute);  // old enough now, but the last run was 20 min ago
    REQUIRE(retention_tick(b));
    CHECK(b.one("SELECT count(*) FROM outbox WHERE state = 'sent'") != "0");

    b.set_now(t0 + 2 * day + 61 * minute);  // due again
    REQUIRE(b.says("7302", "Hei", "fi"));    // its pending rows and its key stay
    REQUIRE(retention_tick(b));
    CHECK(b.one("SELECT count(*) FROM outbox WHERE state = 'sent'") == "0");
    CHECK(b.one("SELECT count(*) FROM outbox WHERE state = 'pending'") != "0");
    CHECK(b.one("SELECT count(*) FROM seen") == "2");  // keys stay 14 days

    b.set_now(t0 + 15 * day);
    REQUIRE(retention_tick(b));
    CHECK(b.one("SELECT count(*) FROM seen") == "1");  // 7302's key is 13 days old
    CHECK(b.one("SELECT count(*) FROM outbox WHERE state = 'pending'") != "0");
}
