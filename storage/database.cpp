// Opening, pragmas, the pseudonym key, transactions, dedupe. People are in
// database_people.cpp, outbox and logs in database_outbox.cpp.
#include "storage/database.hpp"

#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <optional>
#include <string>
#include <system_error>

#include "storage/database_impl.hpp"
#include "storage/keyed_hash.hpp"
#include "storage/page_cache.hpp"
#include "storage/schema.hpp"
#include "storage/sqlite.hpp"
#include "storage/wal_vfs.hpp"

namespace opas::storage {
namespace {

constexpr std::string_view pseudonym_key_name = "pseudonym_key";

bool is_memory_path(const std::string& path) {
    return path.empty() || path == ":memory:" || path.starts_with("file::memory:");
}

status create_parent_directory(const std::string& path) {
    const auto parent = std::filesystem::path(path).parent_path();
    if (parent.empty()) return status::ok_status();
    std::error_code ec;
    std::filesystem::create_directories(parent, ec);
    if (ec) return status::io_error("create database directory: " + ec.message());
    return status::ok_status();
}

// SQLite opens a file it may not write read-only without a word, and then fails on the first
// pragma with "unable to open database file". Say what is wrong instead: the writer needs the
// file and its folder (for the -wal and -shm files beside it).
status check_writable(const std::string& path) {
    const std::filesystem::path file(path);
    const std::filesystem::path folder = file.has_parent_path() ? file.parent_path() : ".";
    for (const auto& [p, what] : {std::pair{file, "the file"}, std::pair{folder, "its folder"}}) {
        if (::access(p.c_str(), F_OK) != 0) continue;  // a new file: SQLite creates it
        if (::access(p.c_str(), W_OK) == 0) continue;
        const int e = errno;
        return status::read_only(std::string("cannot write ") + what + " (" + std::strerror(e) +
                                 "); opas needs to write the file and create the -wal and -shm "
                                 "files beside it");
    }
    return status::ok_status();
}

// Reads one text pragma such as journal_mode (which answers with the mode now in force).
result<std::string> pragma_text(sqlite::connection& conn, const char* sql, std::string_view what) {
    auto st = conn.prepare(sql, what);
    if (!st) return st.error();
    const int rc = st->step();
    if (rc != SQLITE_ROW) return sqlite::to_status(rc, what, conn.get());
    return st->column_text(0);
}

status set_pragmas(sqlite::connection& conn, const config& cfg) {
    if (auto s = conn.exec("PRAGMA foreign_keys = ON", "enable foreign keys"); !s.ok()) return s;
    if (auto s = conn.exec("PRAGMA secure_delete = ON", "enable secure delete"); !s.ok()) return s;
    // Savepoint and statement journals hold old page images: keep them off the disk.
    if (auto s = conn.exec("PRAGMA temp_store = MEMORY", "keep temp in memory"); !s.ok()) return s;
    const char* sync =
        cfg.synchronous_full ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL";
    if (auto s = conn.exec(sync, "set synchronous"); !s.ok()) return s;
    if (cfg.cache_kib > 0) {
        const std::string cache = "PRAGMA cache_size = -" + std::to_string(cfg.cache_kib);
        if (auto s = conn.exec(cache.c_str(), "set cache size"); !s.ok()) return s;
    }
    if (cfg.read_only || is_memory_path(cfg.path)) return status::ok_status();
    // journal_mode is persistent in the file; read-only connections use what is there.
    auto mode = pragma_text(conn, "PRAGMA journal_mode = WAL", "enable WAL");
    if (!mode) return mode.error();
    if (*mode != "wal") return status::io_error("enable WAL: journal mode stayed " + *mode);
    // When the WAL starts over, trim a file that grew under a burst (see checkpointer.hpp).
    return conn.exec("PRAGMA journal_size_limit = 16777216", "limit WAL size");
}

// The stored pseudonym key; generates and stores one when there is none yet.
result<std::vector<unsigned char>> stored_key(sqlite::connection& conn, bool read_only) {
    constexpr std::string_view select = "SELECT value FROM meta WHERE key = ?1";
    auto read = [&]() -> result<std::string> {
        auto st = conn.prepare(select, "read pseudonym key");
        if (!st) return st.error();
        st->bind(1, pseudonym_key_name);
        const int rc = st->step();
        if (rc == SQLITE_DONE) return std::string();
        if (rc != SQLITE_ROW) return sqlite::to_status(rc, "read pseudonym key", conn.get());
        return st->column_text(0);
    };
    auto decode = [](std::string& hex) -> result<std::vector<unsigned char>> {
        auto bytes = from_hex(hex);
        wipe(hex);
        if (!bytes || bytes->empty()) return status::internal("stored pseudonym key is malformed");
        return std::move(*bytes);
    };

    auto existing = read();
    if (!existing) return existing.error();
    if (!existing->empty()) return decode(*existing);
    if (read_only) {
        return status::read_only("no pseudonym key stored and the database is open read-only");
    }

    // Another process may be doing the same: take the write lock, then look again.
    if (auto s = conn.exec("BEGIN IMMEDIATE", "store pseudonym key"); !s.ok()) return s;
    existing = read();
    status s = existing ? status::ok_status() : existing.error();
    if (s.ok() && !existing->empty()) {
        // Another process stored one first; use it (the transaction only read).
        s = conn.exec("COMMIT", "store pseudonym key");
        if (s.ok()) return decode(*existing);
        wipe(*existing);
    }
    std::vector<unsigned char> key;
    if (s.ok()) key = random_key();
    if (s.ok() && key.empty()) s = status::internal("generate pseudonym key: RAND_bytes failed");
    if (s.ok()) {
        std::string hex = to_hex(key);
        auto st =
            conn.prepare("INSERT INTO meta (key, value) VALUES (?1, ?2)", "store pseudonym key");
        s = st ? st->bind(1, pseudonym_key_name).bind(2, hex).run("store pseudonym key")
               : st.error();
        wipe(hex);
    }
    if (s.ok()) s = conn.exec("COMMIT", "store pseudonym key");
    if (!s.ok()) {
        if (conn.in_transaction()) conn.exec("ROLLBACK", "store pseudonym key");
        wipe(key);
        return s;
    }
    return key;
}

bool is_valid_savepoint_name(std::string_view name) {
    if (name.empty() || name.size() > 64) return false;
    for (const char c : name) {
        const bool ok =
            (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
        if (!ok) return false;
    }
    return true;
}

// The row id of a dedupe key (schema migration 3). A Telegram update id ("tg:" and digits)
// counts up per bot and names no one: it is stored as the number, so that a group commit of
// consecutive updates touches one page. Any other key (a WhatsApp message id encodes a phone
// number) as -1 - the first 60 bits of its keyed hash: always negative, never a Telegram id.
std::optional<std::int64_t> seen_id(const keyed_hash& hasher, std::string_view key) {
    constexpr std::string_view telegram = "tg:";
    if (key.starts_with(telegram) && key.size() > telegram.size() &&
        key.size() <= telegram.size() + 18) {
        std::int64_t n = 0;
        const char* first = key.data() + telegram.size();
        const char* last = key.data() + key.size();
        const auto [end, ec] = std::from_chars(first, last, n);
        if (ec == std::errc() && end == last && n >= 0 && *first != '-') return n;
    }
    const std::string hashed = hasher.hex("seen:", key);
    std::uint64_t bits = 0;
    if (hashed.size() < 15) return std::nullopt;
    const auto [end, ec] = std::from_chars(hashed.data(), hashed.data() + 15, bits, 16);
    if (ec != std::errc()) return std::nullopt;
    return -1 - static_cast<std::int64_t>(bits);
}

}  // namespace

database::database(std::unique_ptr<impl> p) : impl_(std::move(p)) {}
database::~database() = default;

result<std::unique_ptr<database>> database::open(const config& cfg) {
    // SQLite's allocation statistics take a global mutex on every malloc; nothing reads them.
    // Must precede the library's initialization (the first open); later calls are refused.
    [[maybe_unused]] static const int no_memstatus = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    // Installed before main by page_cache.cpp; this call keeps that object in the link.
    [[maybe_unused]] static const bool layered = page_cache::install();
    const bool memory = is_memory_path(cfg.path);
    if (!memory && !cfg.read_only) {
        if (auto s = create_parent_directory(cfg.path); !s.ok()) return s;
        if (auto s = check_writable(cfg.path); !s.ok()) return s;
    }
    int flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
    flags |= cfg.read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    sqlite3* raw = nullptr;
    // The writer's WAL frames go to the kernel one commit at a time (wal_vfs.hpp).
    const char* vfs = memory || cfg.read_only ? nullptr : wal_vfs::name();
    const int rc = sqlite3_open_v2(cfg.path.c_str(), &raw, flags, vfs);
    sqlite::db_handle handle(raw, &sqlite3_close_v2);
    if (rc != SQLITE_OK) return sqlite::to_status(rc, "open database", raw);
    sqlite3_extended_result_codes(raw, 1);
    sqlite3_busy_timeout(raw, cfg.busy_timeout_ms);
    sqlite::connection conn(std::move(handle));

    if (auto s = set_pragmas(conn, cfg); !s.ok()) return s;
    const status schema_ok =
        cfg.read_only ? schema::check_current(conn.get()) : schema::migrate(conn);
    if (!schema_ok.ok()) return schema_ok;

    std::vector<unsigned char> key;
    if (!cfg.pseudonym_key.empty()) {
        key = key_from_config(cfg.pseudonym_key);
    } else {
        auto stored = stored_key(conn, cfg.read_only);
        if (!stored) return stored.error();
        key = std::move(*stored);
    }
    auto hasher = keyed_hash::make(key);
    wipe(key);
    if (!hasher) return status::internal("set up HMAC-SHA256 for pseudonyms failed");

    auto p = std::make_unique<impl>(std::move(conn), std::move(*hasher));
    if (!memory && !cfg.read_only) p->wal = std::make_unique<checkpointer>(p->conn.get(), cfg.path);
    return std::unique_ptr<database>(new database(std::move(p)));
}

int database::latest_schema_version() { return schema::latest_version(); }

int database::schema_version() { return schema::current_version(impl_->conn.get()); }

bool database::ping() {
    auto st = impl_->conn.prepare("SELECT 1 FROM meta LIMIT 1", "ping");
    if (!st) return false;
    const int rc = st->step();
    return rc == SQLITE_ROW || rc == SQLITE_DONE;
}

status database::write_probe(std::int64_t now) { return set_meta_time("ready_probe", now); }

// --- transactions ---------------------------------------------------------------------------

bool database::in_transaction() const { return impl_->conn.in_transaction(); }

status database::begin() {
    if (in_transaction()) return status::invalid("begin: a transaction is already open");
    auto s = impl_->run("BEGIN IMMEDIATE", "begin transaction");
    if (s.ok()) impl_->check_data_version();
    return s;
}

status database::commit() {
    if (!in_transaction()) return status::invalid("commit: no transaction is open");
    auto s = impl_->run("COMMIT", "commit transaction");
    if (!s.ok()) impl_->people.clear();
    return s;
}

status database::rollback() {
    impl_->people.clear();
    if (!in_transaction()) return status::ok_status();
    return impl_->run("ROLLBACK", "roll back transaction");
}

status database::savepoint(std::string_view name) {
    if (!is_valid_savepoint_name(name)) return status::invalid("savepoint: bad name");
    return impl_->run("SAVEPOINT " + std::string(name), "savepoint");
}

status database::release(std::string_view name) {
    if (!is_valid_savepoint_name(name)) return status::invalid("release savepoint: bad name");
    return impl_->run("RELEASE SAVEPOINT " + std::string(name), "release savepoint");
}

status database::rollback_to(std::string_view name) {
    if (!is_valid_savepoint_name(name)) return status::invalid("roll back to savepoint: bad name");
    impl_->people.clear();
    return impl_->run("ROLLBACK TO SAVEPOINT " + std::string(name), "roll back to savepoint");
}

status database::checkpoint() {
    if (in_transaction()) return status::invalid("checkpoint: inside a transaction");
    int log_frames = 0;
    int copied_frames = 0;
    const int rc = sqlite3_wal_checkpoint_v2(impl_->conn.get(), nullptr, SQLITE_CHECKPOINT_TRUNCATE,
                                             &log_frames, &copied_frames);
    if (rc != SQLITE_OK) return sqlite::to_status(rc, "checkpoint", impl_->conn.get());
    return status::ok_status();
}

// --- dedupe ---------------------------------------------------------------------------------

result<bool> database::mark_seen(std::string_view key, std::int64_t now) {
    const auto id = seen_id(impl_->hasher, key);
    if (!id) return status::internal("mark seen: hashing failed");
    auto st = impl_->conn.prepare("INSERT OR IGNORE INTO seen (id, at) VALUES (?1, ?2)", "mark seen");
    if (!st) return st.error();
    if (auto s = st->bind(1, *id).bind(2, now).run("mark seen"); !s.ok()) return s;
    return impl_->conn.changes() == 1;
}

bool database::is_seen(std::string_view key) {
    const auto id = seen_id(impl_->hasher, key);
    if (!id) return false;
    auto st = impl_->conn.prepare("SELECT 1 FROM seen WHERE id = ?1", "is seen");
    if (!st) return false;
    st->bind(1, *id);
    return st->step() == SQLITE_ROW;
}

result<std::int64_t> database::meta_time(std::string_view key) {
    auto st = impl_->conn.prepare("SELECT value FROM meta WHERE key = ?1", "read meta time");
    if (!st) return st.error();
    st->bind(1, key);
    const int rc = st->step();
    if (rc == SQLITE_DONE) return std::int64_t{0};
    if (rc != SQLITE_ROW) return sqlite::to_status(rc, "read meta time", st->db());
    return st->column_int64(0);
}

status database::set_meta_time(std::string_view key, std::int64_t unix_s) {
    auto st = impl_->conn.prepare(
        "INSERT INTO meta (key, value) VALUES (?1, ?2) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        "write meta time");
    if (!st) return st.error();
    return st->bind(1, key).bind(2, std::to_string(unix_s)).run("write meta time");
}

result<std::int64_t> database::prune_seen(std::int64_t older_than) {
    auto st = impl_->conn.prepare("DELETE FROM seen WHERE at < ?1", "prune seen");
    if (!st) return st.error();
    if (auto s = st->bind(1, older_than).run("prune seen"); !s.ok()) return s;
    return impl_->conn.changes();
}

}  // namespace opas::storage
