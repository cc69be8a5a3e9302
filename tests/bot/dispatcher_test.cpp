// The single writer's group commit: jobs that fail are undone alone, the rest of their batch
// commits, and counters count each committed turn once (bot/dispatcher.cpp).
#include <catch2/catch.hpp>

#include <future>

#include "tests/bot/booking_fixture.hpp"

using namespace opas::bot;
using namespace opas::bot::test;

TEST_CASE("a failed job in a batch is undone alone and the others in its batch commit") {
    booking_bench bench;
    // Hold the writer so that everything below is queued and taken as one batch.
    std::promise<void> release;
    auto held = release.get_future().share();
    auto holder = bench.run_async([held](opas::storage::database&) {
        held.wait();
        return true;
    });
    auto first = bench.presses_async("5001", "lang:fi");
    auto failing = bench.run_async([](opas::storage::database& db) {
        // Writes, then fails: nothing of it may stay.
        return !db.upsert_person("telegram", "ghost", "ghost", 1).ok();
    });
    auto second = bench.presses_async("5002", "lang:sv");
    release.set_value();

    CHECK(holder.get());
    CHECK(first.get());
    CHECK_FALSE(failing.get());
    CHECK(second.get());
    CHECK(bench.one("SELECT count(*) FROM people WHERE user_id = 'ghost'") == "0");
    CHECK(bench.one("SELECT language FROM people WHERE user_id = '5001'") == "fi");
    CHECK(bench.one("SELECT language FROM people WHERE user_id = '5002'") == "sv");
    CHECK_FALSE(bench.replies("5001").empty());
    CHECK_FALSE(bench.replies("5002").empty());
    const auto c = bench.counts();
    CHECK(c.turns == 2);  // the batch ran twice (see commit_batch); its turns count once
    CHECK(c.job_failures == 1);
}
