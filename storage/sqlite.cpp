#include "storage/sqlite.hpp"

#include <string>

namespace opas::storage::sqlite {

status to_status(int rc, std::string_view what, sqlite3* db) {
    std::string msg(what);
    msg += ": ";
    // sqlite3_errmsg names the constraint or the problem, never a bound value.
    msg += db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    switch (rc & 0xff) {
        case SQLITE_OK:
        case SQLITE_ROW:
        case SQLITE_DONE:
            return status::ok_status();
        case SQLITE_BUSY:
        case SQLITE_LOCKED:
            return status::busy(std::move(msg));
        case SQLITE_READONLY:
            return status::read_only(std::move(msg));
        case SQLITE_FULL:
            return status::full(std::move(msg));
        case SQLITE_IOERR:
        case SQLITE_CANTOPEN:
            return status::io_error(std::move(msg));
        case SQLITE_CONSTRAINT:
            if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
                return status::duplicate(std::move(msg));
            }
            return status::invalid(std::move(msg));
        default:
            return status::internal(std::move(msg));
    }
}

statement::~statement() {
    if (stmt_ == nullptr) return;
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
}

statement& statement::bind(int pos, std::string_view text) {
    const int rc =
        sqlite3_bind_text64(stmt_, pos, text.data(), text.size(), SQLITE_STATIC, SQLITE_UTF8);
    if (bind_rc_ == SQLITE_OK) bind_rc_ = rc;
    return *this;
}

statement& statement::bind(int pos, std::int64_t value) {
    const int rc = sqlite3_bind_int64(stmt_, pos, value);
    if (bind_rc_ == SQLITE_OK) bind_rc_ = rc;
    return *this;
}

statement& statement::bind_null(int pos) {
    const int rc = sqlite3_bind_null(stmt_, pos);
    if (bind_rc_ == SQLITE_OK) bind_rc_ = rc;
    return *this;
}

int statement::step() {
    if (bind_rc_ != SQLITE_OK) return bind_rc_;
    return sqlite3_step(stmt_);
}

status statement::run(std::string_view what) {
    const int rc = step();
    if (rc == SQLITE_DONE || rc == SQLITE_ROW) return status::ok_status();
    return to_status(rc, what, db_);
}

std::int64_t statement::column_int64(int col) const { return sqlite3_column_int64(stmt_, col); }

std::string statement::column_text(int col) const {
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
    if (text == nullptr) return {};
    return std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)));
}

bool statement::column_is_null(int col) const {
    return sqlite3_column_type(stmt_, col) == SQLITE_NULL;
}

result<statement> connection::prepare(std::string_view sql, std::string_view what) {
    if (auto it = cache_.find(sql); it != cache_.end()) {
        return statement(it->second.get(), db_.get());
    }
    sqlite3_stmt* raw = nullptr;
    const int rc = sqlite3_prepare_v3(db_.get(), sql.data(), static_cast<int>(sql.size()),
                                      SQLITE_PREPARE_PERSISTENT, &raw, nullptr);
    if (rc != SQLITE_OK) {
        sqlite3_finalize(raw);
        return to_status(rc, what, db_.get());
    }
    auto entry = cache_.emplace(std::string(sql), stmt_handle(raw, &sqlite3_finalize));
    return statement(entry.first->second.get(), db_.get());
}

status connection::exec(const char* sql, std::string_view what) {
    const int rc = sqlite3_exec(db_.get(), sql, nullptr, nullptr, nullptr);
    if (rc == SQLITE_OK) return status::ok_status();
    return to_status(rc, what, db_.get());
}

}  // namespace opas::storage::sqlite
