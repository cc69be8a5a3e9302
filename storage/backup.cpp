#include "storage/backup.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <system_error>
#include <thread>

#include "storage/schema.hpp"
#include "storage/sqlite.hpp"

namespace opas::storage {
namespace {

namespace fs = std::filesystem;

constexpr int busy_timeout_ms = 10000;
// backup_step answers BUSY or LOCKED when another connection holds a lock it needs; each
// retry waits a little (this is a command-line job, not a request path).
constexpr int step_retries = 100;
constexpr auto retry_pause = std::chrono::milliseconds(100);
// SQLite's unix VFS keeps its WAL lock bytes at offsets 120..127 of the -shm file and the
// "dead man switch" byte at 128, which every open connection holds a shared lock on.
constexpr off_t shm_lock_first_byte = 120;
constexpr off_t shm_lock_bytes = 9;

result<sqlite::db_handle> open_raw(const std::string& path, int flags, std::string_view what) {
    sqlite3* raw = nullptr;
    const int rc = sqlite3_open_v2(path.c_str(), &raw, flags | SQLITE_OPEN_EXRESCODE, nullptr);
    sqlite::db_handle handle(raw, &sqlite3_close_v2);
    if (rc != SQLITE_OK) return sqlite::to_status(rc, what, raw);
    sqlite3_extended_result_codes(raw, 1);
    sqlite3_busy_timeout(raw, busy_timeout_ms);
    return handle;
}

// The first column of the first row as text ("" when there is no row).
result<std::string> query_text(sqlite3* db, const char* sql, std::string_view what) {
    sqlite3_stmt* raw = nullptr;
    int rc = sqlite3_prepare_v2(db, sql, -1, &raw, nullptr);
    const sqlite::stmt_handle st(raw, &sqlite3_finalize);
    if (rc != SQLITE_OK) return sqlite::to_status(rc, what, db);
    rc = sqlite3_step(st.get());
    if (rc == SQLITE_DONE) return std::string();
    if (rc != SQLITE_ROW) return sqlite::to_status(rc, what, db);
    const auto* text = sqlite3_column_text(st.get(), 0);
    return std::string(text ? reinterpret_cast<const char*>(text) : "");
}

status exec(sqlite3* db, const char* sql, std::string_view what) {
    const int rc = sqlite3_exec(db, sql, nullptr, nullptr, nullptr);
    return rc == SQLITE_OK ? status::ok_status() : sqlite::to_status(rc, what, db);
}

status quick_check(sqlite3* db, const std::string& name) {
    auto answer = query_text(db, "PRAGMA quick_check", "integrity check of " + name);
    if (!answer) return answer.error();
    if (*answer != "ok") return status::invalid(name + " fails SQLite's integrity check");
    return status::ok_status();
}

bool is_busy(int rc) {
    const int primary = rc & 0xff;
    return primary == SQLITE_BUSY || primary == SQLITE_LOCKED;
}

// Copies every page of `from` into `to` in one step (one read transaction on `from`, one
// write transaction on `to`); returns the number of pages.
result<std::int64_t> copy_pages(sqlite3* from, sqlite3* to, std::string_view what) {
    sqlite3_backup* b = sqlite3_backup_init(to, "main", from, "main");
    if (b == nullptr) return sqlite::to_status(sqlite3_extended_errcode(to), what, to);
    int rc = SQLITE_OK;
    for (int attempt = 0; attempt < step_retries; ++attempt) {
        rc = sqlite3_backup_step(b, -1);
        if (!is_busy(rc)) break;
        std::this_thread::sleep_for(retry_pause);
    }
    const std::int64_t pages = sqlite3_backup_pagecount(b);
    const int finish_rc = sqlite3_backup_finish(b);
    if (is_busy(rc)) return status::busy(std::string(what) + ": the database stayed locked");
    if (rc != SQLITE_DONE) return sqlite::to_status(rc, what, to);
    if (finish_rc != SQLITE_OK) return sqlite::to_status(finish_rc, what, to);
    return pages;
}

status sync_path(const std::string& path, bool directory) {
    const int fd = ::open(path.c_str(), (directory ? O_DIRECTORY : 0) | O_RDONLY | O_CLOEXEC);
    if (fd < 0) return status::io_error("sync " + path + ": " + std::strerror(errno));
    const int rc = ::fsync(fd);
    ::close(fd);
    if (rc != 0) return status::io_error("sync " + path + ": " + std::strerror(errno));
    return status::ok_status();
}

std::int64_t file_size(const std::string& path) {
    std::error_code ec;
    const auto size = fs::file_size(path, ec);
    return ec ? 0 : static_cast<std::int64_t>(size);
}

std::string parent_or_dot(const std::string& path) {
    const auto parent = fs::path(path).parent_path();
    return parent.empty() ? "." : parent.string();
}

result<backup_info> write_backup(const std::string& database_path, const std::string& tmp) {
    // Read-write (never create): as the last connection it removes the -wal and -shm files it
    // may have had to create, so a backup run by root leaves no root-owned files for opas.
    auto src = open_raw(database_path, SQLITE_OPEN_READWRITE, "backup: open the database");
    if (!src) return src.error();
    auto dst = open_raw(tmp, SQLITE_OPEN_READWRITE, "backup: open the backup file");
    if (!dst) return dst.error();
    auto pages = copy_pages(src->get(), dst->get(), "backup");
    if (!pages) return pages.error();
    // The pages carry the source's WAL flag: make the backup one self-contained file.
    if (auto s = exec(dst->get(), "PRAGMA journal_mode = DELETE", "backup: journal mode");
        !s.ok())
        return s;
    if (auto s = quick_check(dst->get(), "the backup"); !s.ok()) return s;
    backup_info info;
    info.schema_version = schema::current_version(dst->get());
    info.pages = *pages;
    return info;
}

}  // namespace

result<backup_info> backup_to(const std::string& database_path, const std::string& path) {
    std::error_code ec;
    if (!fs::is_regular_file(database_path, ec))
        return status::not_found("backup: there is no database at " + database_path);
    if (fs::exists(path, ec) && fs::equivalent(database_path, path, ec))
        return status::invalid("backup: the backup file must not be the database itself");
    const std::string tmp = path + ".tmp";
    fs::remove(tmp, ec);
    // Created empty with mode 0600 before SQLite opens it (SQLite keeps an existing file's
    // mode, and gives its journal the same): the backup holds the pseudonym key.
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) return status::io_error("backup: cannot create " + tmp + ": " + std::strerror(errno));
    ::close(fd);

    auto info = write_backup(database_path, tmp);
    status s = info ? sync_path(tmp, false) : info.error();
    if (s.ok()) {
        fs::rename(tmp, path, ec);
        if (ec) s = status::io_error("backup: rename " + tmp + " to " + path + ": " + ec.message());
    }
    if (!s.ok()) {
        fs::remove(tmp, ec);
        return s;
    }
    if (auto synced = sync_path(parent_or_dot(path), true); !synced.ok()) return synced;
    info->bytes = file_size(path);
    return info;
}

result<backup_info> inspect_backup(const std::string& path) {
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) return status::not_found("restore: there is no file " + path);
    auto db = open_raw(path, SQLITE_OPEN_READONLY, "restore: open " + path);
    if (!db) return db.error();
    auto check = query_text(db->get(), "PRAGMA quick_check", "restore: read " + path);
    if (!check) return status::invalid(path + " is not an SQLite database");
    if (*check != "ok") return status::invalid(path + " fails SQLite's integrity check");
    auto tables = query_text(db->get(),
                             "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name IN "
                             "('meta', 'people', 'outbox', 'contact_log')",
                             "restore: read the tables of " + path);
    if (!tables) return tables.error();
    if (*tables != "4") return status::invalid(path + " is not an opas database");
    backup_info info;
    info.schema_version = schema::current_version(db->get());
    if (info.schema_version < 1 || info.schema_version > schema::latest_version())
        return status::invalid(path + " has schema version " +
                               std::to_string(info.schema_version) + "; this opas knows 1 to " +
                               std::to_string(schema::latest_version()));
    auto pages = query_text(db->get(), "PRAGMA page_count", "restore: page count");
    if (pages && !pages->empty()) info.pages = std::stoll(*pages);
    info.bytes = file_size(path);
    return info;
}

bool database_in_use(const std::string& database_path) {
    // Our own process must not have the database open: closing this descriptor would drop the
    // POSIX locks of its connections, and F_GETLK does not report our own locks anyway.
    const std::string shm = database_path + "-shm";
    const int fd = ::open(shm.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    struct flock probe {};
    probe.l_type = F_WRLCK;
    probe.l_whence = SEEK_SET;
    probe.l_start = shm_lock_first_byte;
    probe.l_len = shm_lock_bytes;
    const bool locked = ::fcntl(fd, F_GETLK, &probe) == 0 && probe.l_type != F_UNLCK;
    ::close(fd);
    return locked;
}

result<restore_info> restore_from(const std::string& path, const std::string& database_path) {
    auto checked = inspect_backup(path);
    if (!checked) return checked.error();
    std::error_code ec;
    if (fs::exists(database_path, ec) && fs::equivalent(path, database_path, ec))
        return status::invalid("restore: the backup is the database itself");
    if (database_in_use(database_path))
        return status::busy("restore: " + database_path +
                            " is open in another process; stop opas first");

    restore_info info;
    info.restored = *checked;
    if (fs::exists(database_path, ec)) {
        const std::string keep = database_path + ".before-restore";
        if (backup_to(database_path, keep)) {
            info.previous_copy = keep;
        } else {
            // Unreadable: move its files aside together, so it stays openable for a look later.
            for (const char* suffix : {"", "-wal", "-shm"}) {
                const std::string from = database_path + suffix;
                if (!fs::exists(from, ec)) continue;
                fs::rename(from, keep + suffix, ec);
                if (ec) return status::io_error("restore: move " + from + " aside: " + ec.message());
            }
            info.previous_copy = keep;
            info.previous_was_unreadable = true;
        }
    } else if (const auto parent = fs::path(database_path).parent_path(); !parent.empty()) {
        fs::create_directories(parent, ec);
        if (ec) return status::io_error("restore: create " + parent.string() + ": " + ec.message());
    }

    auto src = open_raw(path, SQLITE_OPEN_READONLY, "restore: open the backup");
    if (!src) return src.error();
    auto dst = open_raw(database_path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                        "restore: open the database");
    if (!dst) return dst.error();
    auto pages = copy_pages(src->get(), dst->get(), "restore");
    if (!pages) return pages.error();
    if (auto s = exec(dst->get(), "PRAGMA wal_checkpoint(TRUNCATE)", "restore: checkpoint");
        !s.ok())
        return s;
    if (auto s = quick_check(dst->get(), "the restored database"); !s.ok()) return s;
    return info;
}

}  // namespace opas::storage
