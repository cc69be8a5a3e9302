#pragma once
// Helpers for storage tests: a temporary directory that removes itself, opening a database
// in it, and raw SQLite access for checks the public interface does not offer.

#include <sqlite3.h>
#include <stdlib.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <string_view>

#include "storage/database.hpp"

namespace opas::storage::test {

class temp_dir {
public:
    temp_dir() {
        std::string pattern = (std::filesystem::temp_directory_path() / "opas-storage-XXXXXX");
        REQUIRE(mkdtemp(pattern.data()) != nullptr);
        path_ = pattern;
    }
    ~temp_dir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    temp_dir(const temp_dir&) = delete;
    temp_dir& operator=(const temp_dir&) = delete;

    const std::filesystem::path& path() const { return path_; }
    std::string file(std::string_view name) const { return (path_ / name).string(); }

private:
    std::filesystem::path path_;
};

inline config config_for(const std::string& path, std::string key = {}) {
    config cfg;
    cfg.path = path;
    cfg.pseudonym_key = std::move(key);
    cfg.synchronous_full = false;  // tests need no fsync
    return cfg;
}

inline std::unique_ptr<database> open_ok(const config& cfg) {
    auto db = database::open(cfg);
    INFO(db.error().message());
    REQUIRE(db.ok());
    return std::move(db.value());
}

// A second, raw connection to look at the file from outside.
class raw_db {
public:
    explicit raw_db(const std::string& path, int flags = SQLITE_OPEN_READWRITE) {
        REQUIRE(sqlite3_open_v2(path.c_str(), &db_, flags, nullptr) == SQLITE_OK);
    }
    ~raw_db() { sqlite3_close_v2(db_); }
    raw_db(const raw_db&) = delete;
    raw_db& operator=(const raw_db&) = delete;

    void exec(const std::string& sql) {
        REQUIRE(sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
    }
    // Every value of the first column of the query's rows, joined by '\n'.
    std::string text(const std::string& sql) {
        sqlite3_stmt* st = nullptr;
        REQUIRE(sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr) == SQLITE_OK);
        std::string out;
        while (sqlite3_step(st) == SQLITE_ROW) {
            if (!out.empty()) out += '\n';
            const auto* t = sqlite3_column_text(st, 0);
            if (t != nullptr) out += reinterpret_cast<const char*>(t);
        }
        sqlite3_finalize(st);
        return out;
    }
    sqlite3* get() const { return db_; }

private:
    sqlite3* db_ = nullptr;
};

inline std::string file_bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace opas::storage::test
