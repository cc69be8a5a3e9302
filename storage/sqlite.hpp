#pragma once
// Small RAII helpers over the SQLite C API, private to storage/.
//
// - `connection`: owns a sqlite3 handle and a cache of prepared statements keyed by SQL text.
// - `statement`: a borrowed cached statement for one use; binds by position, steps, reads
//   columns, and resets (and clears bindings) when it goes out of scope.
// - `to_status`: turns a SQLite return code into a storage::status right away. Messages name
//   what failed and SQLite's reason; they never contain bound values (no personal data).
//
// Not thread-safe: one connection belongs to one thread at a time (see database.hpp).

#include <sqlite3.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "storage/status.hpp"

namespace opas::storage::sqlite {

// Maps a SQLite (extended) return code to a status. `what` names the operation that failed.
status to_status(int rc, std::string_view what, sqlite3* db = nullptr);

using db_handle = std::unique_ptr<sqlite3, decltype(&sqlite3_close_v2)>;
using stmt_handle = std::unique_ptr<sqlite3_stmt, decltype(&sqlite3_finalize)>;

class statement {
public:
    statement(sqlite3_stmt* s, sqlite3* db) : stmt_(s), db_(db) {}
    ~statement();
    statement(statement&& other) noexcept
        : stmt_(std::exchange(other.stmt_, nullptr)), db_(other.db_), bind_rc_(other.bind_rc_) {}
    statement(const statement&) = delete;
    statement& operator=(const statement&) = delete;
    statement& operator=(statement&&) = delete;

    // Binds by 1-based position. Text is bound without copying: it must stay alive until the
    // statement is done (the end of the calling function in all our uses).
    statement& bind(int pos, std::string_view text);
    statement& bind(int pos, std::int64_t value);
    statement& bind(int pos, int value) { return bind(pos, static_cast<std::int64_t>(value)); }
    statement& bind_null(int pos);

    // SQLITE_ROW, SQLITE_DONE, or an error code. Binding errors surface here.
    int step();
    // Steps once and expects SQLITE_DONE; returns a status naming `what` on failure.
    status run(std::string_view what);

    std::int64_t column_int64(int col) const;
    std::string column_text(int col) const;
    bool column_is_null(int col) const;

    sqlite3* db() const { return db_; }

private:
    sqlite3_stmt* stmt_;
    sqlite3* db_;
    int bind_rc_ = SQLITE_OK;  // first binding error, reported by step()
};

class connection {
public:
    explicit connection(db_handle db) : db_(std::move(db)) {}

    sqlite3* get() const { return db_.get(); }

    // The cached prepared statement for `sql`, prepared on first use, ready for one use.
    // `what` names the operation in the status when preparing fails.
    result<statement> prepare(std::string_view sql, std::string_view what);

    // Runs SQL text that has no parameters and returns no rows we need (pragmas, DDL).
    status exec(const char* sql, std::string_view what);

    // Number of rows changed by the last INSERT/UPDATE/DELETE.
    std::int64_t changes() const { return sqlite3_changes64(db_.get()); }
    std::int64_t last_insert_rowid() const { return sqlite3_last_insert_rowid(db_.get()); }
    bool in_transaction() const { return sqlite3_get_autocommit(db_.get()) == 0; }

private:
    struct sv_hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const {
            return std::hash<std::string_view>{}(s);
        }
    };
    db_handle db_;
    // Declared after db_, so it is destroyed first: statements are finalized before the close.
    std::unordered_map<std::string, stmt_handle, sv_hash, std::equal_to<>> cache_;
};

}  // namespace opas::storage::sqlite
