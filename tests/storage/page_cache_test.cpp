// The page cache layer (storage/page_cache.hpp): installed before any connection, it skips
// the commit-time truncations that cannot drop a page, and passes on those that must (a
// rolled-back transaction that grew the file), so the database reads back intact.
#include <sqlite3.h>

#include <catch2/catch.hpp>
#include <string>

#include "storage/page_cache.hpp"
#include "tests/storage/storage_fixture.hpp"

using opas::storage::test::raw_db;
using opas::storage::test::temp_dir;
namespace page_cache = opas::storage::page_cache;

TEST_CASE("the page cache layer skips truncations that drop nothing and keeps data intact",
          "[storage][page_cache]") {
    REQUIRE(page_cache::install());  // done before main; SQLite keeps it
    temp_dir dir;
    const std::string path = dir.file("p.db");
    raw_db w(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    w.exec(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = OFF;"
        "CREATE TABLE t (id INTEGER PRIMARY KEY, k INTEGER, v BLOB);"
        "CREATE INDEX t_by_k ON t (k)");
    const auto before = page_cache::truncation_counts();
    // Group commits with inserts at random places in an index: pages split and are swapped.
    for (int batch = 0; batch < 200; ++batch) {
        w.exec("BEGIN");
        for (int i = 0; i < 50; ++i)
            w.exec("INSERT INTO t (k, v) VALUES (random(), randomblob(300))");
        w.exec("COMMIT");
    }
    const auto after = page_cache::truncation_counts();
    CHECK(after.truncations - before.truncations >= 200);
    CHECK(after.skipped - before.skipped >= 100);

    // A transaction that grows the file by thousands of pages, rolled back: those pages must
    // leave the cache, or later reads of the same page numbers would see them.
    w.exec("BEGIN");
    for (int i = 0; i < 3000; ++i)
        w.exec("INSERT INTO t (k, v) VALUES (random(), randomblob(1500))");
    w.exec("ROLLBACK");
    // The same inside a transaction that commits: a savepoint rolled back.
    w.exec("BEGIN; INSERT INTO t (k, v) VALUES (1, x'01'); SAVEPOINT s");
    for (int i = 0; i < 2000; ++i)
        w.exec("INSERT INTO t (k, v) VALUES (random(), randomblob(1500))");
    w.exec("ROLLBACK TO s; RELEASE s; COMMIT");
    for (int i = 0; i < 500; ++i) w.exec("INSERT INTO t (k, v) VALUES (2, zeroblob(900))");

    CHECK(w.text("SELECT count(*) FROM t") == std::to_string(200 * 50 + 1 + 500));
    CHECK(w.text("SELECT count(*) FROM t WHERE k = 2 AND v = zeroblob(900)") == "500");
    CHECK(w.text("PRAGMA integrity_check") == "ok");
    raw_db other(path);  // a second connection reads the file, not this cache
    CHECK(other.text("SELECT count(*) FROM t WHERE k = 2") == "500");
    CHECK(other.text("PRAGMA integrity_check") == "ok");
}

TEST_CASE("the page cache layer passes on exactly the truncations that drop pages",
          "[storage][page_cache]") {
    REQUIRE(page_cache::install());
    REQUIRE(sqlite3_initialize() == SQLITE_OK);  // runs the caches' xInit; no open did yet
    const sqlite3_pcache_methods2& m = page_cache::methods();
    sqlite3_pcache* cache = m.xCreate(4096, 64, 1);
    REQUIRE(cache != nullptr);
    m.xCachesize(cache, 100);
    auto page = [&](unsigned key) { return m.xFetch(cache, key, 0); };
    for (unsigned key = 1; key <= 10; ++key) {
        sqlite3_pcache_page* p = m.xFetch(cache, key, 2);
        REQUIRE(p != nullptr);
        m.xUnpin(cache, p, 0);
    }
    // balance_nonroot's swap of pages 5 and 7 through the parking number 262145.
    const unsigned parking = 262145;
    sqlite3_pcache_page* five = page(5);
    sqlite3_pcache_page* seven = page(7);
    CHECK(page(parking) == nullptr);  // as SQLite looks before each move
    m.xRekey(cache, five, 5, parking);
    m.xRekey(cache, seven, 7, 5);
    m.xRekey(cache, five, parking, 7);
    for (unsigned key = 1; key <= 10; ++key) {
        if (auto* p = page(key)) m.xUnpin(cache, p, 0);
    }
    const auto c0 = page_cache::truncation_counts();
    m.xTruncate(cache, 11);  // nothing at or past 11: skipped
    const auto c1 = page_cache::truncation_counts();
    CHECK(c1.skipped == c0.skipped + 1);
    CHECK(m.xPagecount(cache) == 10);

    m.xTruncate(cache, 8);  // drops 8, 9, 10
    CHECK(page_cache::truncation_counts().skipped == c1.skipped);
    CHECK(m.xPagecount(cache) == 7);
    CHECK(page(9) == nullptr);

    // A page parked past the end and left there is dropped by the next truncation.
    sqlite3_pcache_page* three = page(3);
    m.xRekey(cache, three, 3, parking);
    m.xUnpin(cache, three, 0);
    m.xTruncate(cache, 8);
    CHECK(page(parking) == nullptr);
    CHECK(m.xPagecount(cache) == 6);
    m.xDestroy(cache);
}
