#include <catch2/catch.hpp>
#include <chrono>
#include <ctime>
#include <string>

#include "storage/database.hpp"
#include "tests/storage/storage_fixture.hpp"

using namespace opas::storage;
using opas::storage::test::config_for;
using opas::storage::test::open_ok;
using opas::storage::test::raw_db;
using opas::storage::test::temp_dir;

TEST_CASE("mark_seen is true for a new key and false for a repeat", "[storage]") {
    temp_dir dir;
    auto db = open_ok(config_for(dir.file("opas.db")));
    CHECK_FALSE(db->is_seen("tg:100"));
    CHECK(db->mark_seen("tg:100", 1).value());
    CHECK_FALSE(db->mark_seen("tg:100", 2).value());
    CHECK(db->is_seen("tg:100"));
    CHECK(db->mark_seen("tg:101", 3).value());
}

TEST_CASE("seen keys are stored as keyed hashes, not as given", "[storage]") {
    temp_dir dir;
    const std::string path = dir.file("opas.db");
    auto db = open_ok(config_for(path));
    REQUIRE(db->mark_seen("wa:wamid.HBgMMzU4NDAxMjM0NTY3", 1).value());
    raw_db raw(path);
    const std::string stored = raw.text("SELECT id FROM seen");
    CHECK(stored.starts_with("-"));  // the hashed range; Telegram update ids are >= 0
    CHECK(stored.find("358401234567") == std::string::npos);
    CHECK(db->is_seen("wa:wamid.HBgMMzU4NDAxMjM0NTY3"));
    CHECK_FALSE(db->is_seen("wa:wamid.HBgMMzU4NDAxMjM0NTY4"));
}

TEST_CASE("Telegram update ids are kept as numbers, look-alikes are hashed", "[storage]") {
    temp_dir dir;
    const std::string path = dir.file("opas.db");
    auto db = open_ok(config_for(path));
    REQUIRE(db->mark_seen("tg:734001", 1).value());
    REQUIRE(db->mark_seen("tg:734002", 1).value());
    CHECK_FALSE(db->mark_seen("tg:734001", 2).value());
    for (const char* odd : {"tg:", "tg:-5", "tg:12a", "tg:1234567890123456789012", "tgx:1"})
        CHECK(db->mark_seen(odd, 1).value());
    raw_db raw(path);
    CHECK(raw.text("SELECT count(*) FROM seen WHERE id IN (734001, 734002)") == "2");
    CHECK(raw.text("SELECT count(*) FROM seen WHERE id < 0") == "5");
}

TEST_CASE("prune_seen forgets only keys older than the cut-off", "[storage]") {
    temp_dir dir;
    auto db = open_ok(config_for(dir.file("opas.db")));
    REQUIRE(db->mark_seen("old", 100).ok());
    REQUIRE(db->mark_seen("new", 100 + database::seen_keep_seconds).ok());
    auto pruned = db->prune_seen(100 + database::seen_keep_seconds);
    REQUIRE(pruned.ok());
    CHECK(*pruned == 1);
    CHECK_FALSE(db->is_seen("old"));
    CHECK(db->is_seen("new"));
}

TEST_CASE("rollback of the outer transaction undoes everything", "[storage]") {
    temp_dir dir;
    auto db = open_ok(config_for(dir.file("opas.db")));
    REQUIRE(db->begin().ok());
    CHECK(db->in_transaction());
    REQUIRE(db->mark_seen("tg:1", 1).value());
    auto p = db->upsert_person("telegram", "1", "1", 1);
    REQUIRE(p.ok());
    REQUIRE(db->enqueue(p->id, "message", "{}", 1).ok());
    REQUIRE(db->rollback().ok());
    CHECK_FALSE(db->in_transaction());
    CHECK_FALSE(db->is_seen("tg:1"));
    CHECK(db->find_person("telegram", "1").error().kind() == status::code::not_found);
    CHECK(db->outbox_depth().value() == 0);
}

TEST_CASE("a committed transaction is visible to another connection", "[storage]") {
    temp_dir dir;
    const auto cfg = config_for(dir.file("opas.db"));
    auto writer = open_ok(cfg);
    auto reader = open_ok(cfg);
    REQUIRE(writer->begin().ok());
    REQUIRE(writer->upsert_person("telegram", "1", "1", 1).ok());
    CHECK_FALSE(reader->find_person("telegram", "1").ok());
    REQUIRE(writer->commit().ok());
    CHECK(reader->find_person("telegram", "1").ok());
}

TEST_CASE("rolling back to a savepoint undoes only its part", "[storage]") {
    temp_dir dir;
    auto db = open_ok(config_for(dir.file("opas.db")));
    REQUIRE(db->begin().ok());
    REQUIRE(db->upsert_person("telegram", "kept", "kept", 1).ok());
    REQUIRE(db->savepoint("booking").ok());
    REQUIRE(db->upsert_person("telegram", "undone", "undone", 1).ok());
    REQUIRE(db->rollback_to("booking").ok());
    REQUIRE(db->release("booking").ok());
    REQUIRE(db->commit().ok());
    CHECK(db->find_person("telegram", "kept").ok());
    CHECK_FALSE(db->find_person("telegram", "undone").ok());
}

TEST_CASE("misused transaction calls give invalid, not a crash", "[storage]") {
    temp_dir dir;
    auto db = open_ok(config_for(dir.file("opas.db")));
    CHECK(db->commit().kind() == status::code::invalid);
    CHECK(db->rollback().ok());
    REQUIRE(db->begin().ok());
    CHECK(db->begin().kind() == status::code::invalid);
    CHECK(db->savepoint("bad name; DROP TABLE people").kind() == status::code::invalid);
    CHECK(db->checkpoint().kind() == status::code::invalid);
    REQUIRE(db->rollback().ok());
}

TEST_CASE("a second writer waits and then reports busy", "[storage]") {
    temp_dir dir;
    auto cfg = config_for(dir.file("opas.db"));
    auto first = open_ok(cfg);
    cfg.busy_timeout_ms = 0;
    auto second = open_ok(cfg);
    REQUIRE(first->begin().ok());
    const auto s = second->begin();
    CHECK(s.kind() == status::code::busy);
    REQUIRE(first->rollback().ok());
}

TEST_CASE("one turn in one transaction is cheap (timing printed, not asserted)", "[storage]") {
    temp_dir dir;
    auto db = open_ok(config_for(dir.file("opas.db")));
    constexpr int turns = 2000;
    const auto start = std::chrono::steady_clock::now();
    const std::clock_t cpu_start = std::clock();
    for (int i = 0; i < turns; ++i) {
        const std::string user = std::to_string(i % 200);
        REQUIRE(db->begin().ok());
        REQUIRE(db->mark_seen("tg:" + std::to_string(i), i).value());
        auto p = db->upsert_person("telegram", user, user, i);
        REQUIRE(p.ok());
        REQUIRE(db->save_person(p->id, "fi", R"({"flow":"guidance","step":1})").ok());
        REQUIRE(db->enqueue(p->id, "message", R"({"text":"Hei! Miten voin auttaa?"})", i).ok());
        contact_record rec{p->pseudonym, i, "telegram", "fi", "greeting", "answered", -1};
        REQUIRE(db->log_contact(rec).ok());
        REQUIRE(db->commit().ok());
    }
    const auto elapsed = std::chrono::steady_clock::now() - start;
    const double wall_us = std::chrono::duration<double, std::micro>(elapsed).count() / turns;
    const double cpu_us = 1e6 * double(std::clock() - cpu_start) / CLOCKS_PER_SEC / turns;
    // Wall time includes the fsync of SQLite's automatic checkpoint (about every 30 turns).
    WARN("one turn (seen+upsert+save+enqueue+log+commit, synchronous=NORMAL): wall "
         << wall_us << " us, cpu " << cpu_us << " us");
    CHECK(db->outbox_depth().value() == turns);
}
