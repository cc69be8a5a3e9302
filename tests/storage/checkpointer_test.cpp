// The checkpointer (storage/checkpointer.hpp) on a real file: once the writer is quiet, the
// WAL's pages are copied into the database and the next commit starts the WAL over; during a
// burst nothing is copied until the WAL passes its cap.
#include <sqlite3.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#include "storage/checkpointer.hpp"
#include "tests/storage/storage_fixture.hpp"

using opas::storage::checkpointer;
using opas::storage::test::raw_db;
using opas::storage::test::temp_dir;

namespace {

// A file database in WAL mode with one table, written through `writer`.
struct wal_file {
    temp_dir dir;
    std::string path = dir.file("c.db");
    raw_db writer{path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE};
    wal_file() {
        writer.exec(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;"
            "PRAGMA journal_size_limit = 0; CREATE TABLE t (v BLOB)");
    }
    // One commit of about `pages` pages.
    void commit_pages(int pages) {
        writer.exec("BEGIN");
        for (int i = 0; i < pages; ++i) writer.exec("INSERT INTO t VALUES (randomblob(3500))");
        writer.exec("COMMIT");
    }
};

std::uintmax_t size_of(const std::string& path) {
    std::error_code ec;
    const auto n = std::filesystem::file_size(path, ec);
    return ec ? 0 : n;
}

// Polls `done` for up to five seconds.
template <class Done>
bool eventually(Done done) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (std::chrono::steady_clock::now() < until) {
        if (done()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return done();
}

}  // namespace

TEST_CASE("a quiet writer's WAL is copied into the database and starts over",
          "[storage][checkpoint]") {
    wal_file w;
    const std::string& path = w.path;
    checkpointer::limits lim;
    lim.threshold_pages = 50;
    lim.quiet = std::chrono::milliseconds(20);
    checkpointer c(w.writer.get(), path, lim);
    const auto db_before = size_of(path);
    w.commit_pages(80);  // over the threshold
    REQUIRE(eventually([&] { return size_of(path) > db_before + 50 * 4096; }));
    // Every frame is in the database now: the next commit writes the WAL from its start, and
    // journal_size_limit = 0 trims the file to what that commit wrote.
    const auto wal_full = size_of(path + "-wal");
    w.commit_pages(1);
    CHECK(size_of(path + "-wal") < wal_full / 4);
    raw_db reader(path);
    CHECK(reader.text("SELECT count(*) FROM t") == "81");
    CHECK(reader.text("PRAGMA quick_check") == "ok");
}

TEST_CASE("during a burst nothing is copied until the WAL passes its cap",
          "[storage][checkpoint]") {
    wal_file w;
    const std::string& path = w.path;
    checkpointer::limits lim;
    lim.threshold_pages = 20;
    lim.cap_pages = 400;
    lim.quiet = std::chrono::seconds(10);  // the writer is never quiet in this test
    checkpointer c(w.writer.get(), path, lim);
    const auto db_before = size_of(path);
    for (int i = 0; i < 6; ++i) w.commit_pages(30);  // 180 pages: over the threshold
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    CHECK(size_of(path) == db_before);
    for (int i = 0; i < 10; ++i) w.commit_pages(30);  // past the cap
    CHECK(eventually([&] { return size_of(path) > db_before + 300 * 4096; }));
}
