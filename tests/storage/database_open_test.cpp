#include <catch2/catch.hpp>
#include <filesystem>
#include <string>

#include "storage/database.hpp"
#include "tests/storage/storage_fixture.hpp"

using namespace opas::storage;
using opas::storage::test::config_for;
using opas::storage::test::open_ok;
using opas::storage::test::raw_db;
using opas::storage::test::temp_dir;

TEST_CASE("opening creates the parent directory and turns WAL on", "[storage]") {
    temp_dir dir;
    const std::string path = dir.file("nested/deeper/opas.db");
    auto db = open_ok(config_for(path));
    CHECK(std::filesystem::exists(path));
    raw_db raw(path);
    CHECK(raw.text("PRAGMA journal_mode") == "wal");
}

TEST_CASE("opening twice keeps the schema at the latest version", "[storage]") {
    temp_dir dir;
    const auto cfg = config_for(dir.file("opas.db"));
    REQUIRE(database::latest_schema_version() >= 1);
    open_ok(cfg).reset();
    auto db = open_ok(cfg);
    CHECK(db->schema_version() == database::latest_schema_version());
    CHECK(db->ping());
}

TEST_CASE("a database newer than this program is refused", "[storage]") {
    temp_dir dir;
    const auto cfg = config_for(dir.file("opas.db"));
    open_ok(cfg).reset();
    {
        raw_db raw(cfg.path);
        raw.exec("PRAGMA user_version = " + std::to_string(database::latest_schema_version() + 1));
    }
    auto db = database::open(cfg);
    REQUIRE_FALSE(db.ok());
    CHECK(db.error().kind() == status::code::invalid);
    CHECK_THAT(db.error().message(), Catch::Contains("newer"));
}

TEST_CASE("a read-only database refuses writes with read_only", "[storage]") {
    temp_dir dir;
    auto cfg = config_for(dir.file("opas.db"));
    {
        auto db = open_ok(cfg);
        REQUIRE(db->upsert_person("telegram", "42", "42", 1000).ok());
    }
    cfg.read_only = true;
    auto db = open_ok(cfg);
    CHECK(db->find_person("telegram", "42").ok());
    auto write = db->upsert_person("telegram", "43", "43", 1000);
    REQUIRE_FALSE(write.ok());
    CHECK(write.error().kind() == status::code::read_only);
}

TEST_CASE("a read-only open of a missing file gives io_error", "[storage]") {
    temp_dir dir;
    auto cfg = config_for(dir.file("missing.db"));
    cfg.read_only = true;
    auto db = database::open(cfg);
    REQUIRE_FALSE(db.ok());
    CHECK(db.error().kind() == status::code::io_error);
}

TEST_CASE("a file that is not a database is refused with a status", "[storage]") {
    temp_dir dir;
    const std::string path = dir.file("junk.db");
    {
        std::ofstream out(path);
        out << std::string(4096, 'x');
    }
    auto db = database::open(config_for(path));
    REQUIRE_FALSE(db.ok());
    CHECK_FALSE(db.error().message().empty());
}
