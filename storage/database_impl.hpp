#pragma once
// The private state of storage::database, shared by the database_*.cpp files.

#include <memory>
#include <string>
#include <string_view>

#include "storage/checkpointer.hpp"
#include "storage/database.hpp"
#include "storage/keyed_hash.hpp"
#include "storage/sqlite.hpp"

namespace opas::storage {

struct database::impl {
    impl(sqlite::connection c, keyed_hash h) : conn(std::move(c)), hasher(std::move(h)) {}

    // Runs a cached statement that takes no parameters and returns no rows we need.
    status run(std::string_view sql, std::string_view what) {
        auto st = conn.prepare(sql, what);
        if (!st) return st.error();
        return st->run(what);
    }

    // Runs a cached single-row count query.
    result<std::int64_t> count(std::string_view sql, std::string_view what) {
        auto st = conn.prepare(sql, what);
        if (!st) return st.error();
        const int rc = st->step();
        if (rc != SQLITE_ROW) return sqlite::to_status(rc, what, conn.get());
        return st->column_int64(0);
    }

    sqlite::connection conn;
    keyed_hash hasher;  // HMAC-SHA256 with the pseudonym key
    std::unique_ptr<checkpointer> wal;  // file databases opened for writing; after conn
};

}  // namespace opas::storage
