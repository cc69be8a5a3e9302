// The WAL-coalescing VFS (storage/wal_vfs.hpp): whatever the size of a transaction, every
// commit is in the file when COMMIT returns (another connection, which reads the file
// through the plain VFS, sees it at once), nothing is lost on close, and a commit of many
// pages costs a handful of writes instead of two per page.
#include <sqlite3.h>

#include <catch2/catch.hpp>
#include <string>

#include "storage/wal_vfs.hpp"
#include "tests/storage/storage_fixture.hpp"

using opas::storage::test::raw_db;
using opas::storage::test::temp_dir;

namespace {

struct connection {
    sqlite3* db = nullptr;
    connection(const std::string& path, const char* vfs) {
        REQUIRE(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                                vfs) == SQLITE_OK);
    }
    ~connection() { sqlite3_close_v2(db); }
    int exec(const std::string& sql) { return sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr); }
};

}  // namespace

TEST_CASE("commits through the WAL VFS reach the file whatever their size", "[storage][wal]") {
    temp_dir dir;
    const std::string path = dir.file("wal.db");
    std::int64_t rows = 0;
    {
        connection w(path, opas::storage::wal_vfs::name());
        REQUIRE(w.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;"
                       "CREATE TABLE t (id INTEGER PRIMARY KEY, v BLOB)") == SQLITE_OK);
        raw_db reader(path);
        // Pages per commit: one, a group commit, just over and far over one buffer, and a
        // single value of 3 MiB (overflow pages).
        for (const int blobs : {1, 20, 33, 200}) {
            INFO(blobs << " rows of 4000 bytes in one transaction");
            REQUIRE(w.exec("BEGIN") == SQLITE_OK);
            for (int i = 0; i < blobs; ++i)
                REQUIRE(w.exec("INSERT INTO t (v) VALUES (randomblob(4000))") == SQLITE_OK);
            REQUIRE(w.exec("COMMIT") == SQLITE_OK);
            rows += blobs;
            CHECK(reader.text("SELECT count(*) FROM t") == std::to_string(rows));
            CHECK(reader.text("PRAGMA quick_check") == "ok");
        }
        REQUIRE(w.exec("INSERT INTO t (v) VALUES (randomblob(3 * 1024 * 1024))") == SQLITE_OK);
        ++rows;
        CHECK(reader.text("SELECT max(length(v)) FROM t") == std::to_string(3 * 1024 * 1024));
        // A checkpoint lets the next commit start the WAL over from its first byte.
        reader.text("PRAGMA wal_checkpoint(TRUNCATE)");
        REQUIRE(w.exec("INSERT INTO t (v) VALUES (x'00')") == SQLITE_OK);
        ++rows;
        CHECK(reader.text("SELECT count(*) FROM t") == std::to_string(rows));
        // A rolled-back transaction leaves no trace; the next commit overwrites its frames.
        REQUIRE(w.exec("BEGIN; INSERT INTO t (v) VALUES (randomblob(100000)); ROLLBACK") ==
                SQLITE_OK);
        REQUIRE(w.exec("INSERT INTO t (v) VALUES (x'01')") == SQLITE_OK);
        ++rows;
        CHECK(reader.text("SELECT count(*) FROM t") == std::to_string(rows));
    }
    raw_db after(path);
    CHECK(after.text("SELECT count(*) FROM t") == std::to_string(rows));
    CHECK(after.text("PRAGMA integrity_check") == "ok");
}

TEST_CASE("a commit of many pages is a few writes", "[storage][wal]") {
    temp_dir dir;
    connection w(dir.file("wal.db"), opas::storage::wal_vfs::name());
    REQUIRE(w.exec("PRAGMA journal_mode = WAL; CREATE TABLE t (v BLOB)") == SQLITE_OK);
    const auto before = opas::storage::wal_vfs::write_counts();
    REQUIRE(w.exec("BEGIN") == SQLITE_OK);
    for (int i = 0; i < 20; ++i) REQUIRE(w.exec("INSERT INTO t VALUES (randomblob(3000))") == SQLITE_OK);
    REQUIRE(w.exec("COMMIT") == SQLITE_OK);
    const auto after = opas::storage::wal_vfs::write_counts();
    const auto asked = after.asked - before.asked;
    const auto made = after.made - before.made;
    INFO("SQLite asked for " << asked << " writes, the file got " << made);
    CHECK(asked >= 40);  // a header and a page for each of 20+ frames
    CHECK(made == 1);
}
