#pragma once
// The private state of storage::database, shared by the database_*.cpp files.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "storage/checkpointer.hpp"
#include "storage/database.hpp"
#include "storage/keyed_hash.hpp"
#include "storage/sqlite.hpp"

namespace opas::storage {

// The people the writer last read or wrote, by channel and user id, so that a turn finds its
// person without a query (database_people.cpp). It holds what the database holds: every write
// to `people` goes through this connection's methods, which update it; whatever could make it
// differ empties it (a rollback, a failed write, a commit by another connection: begin()
// compares PRAGMA data_version).
class person_cache {
public:
    const person* find(std::string_view channel, std::string_view user_id) {
        key_.assign(channel).append(1, '\0').append(user_id);
        const auto it = by_user_.find(key_);
        return it == by_user_.end() ? nullptr : &it->second;
    }
    person* find(std::int64_t id) {
        const auto it = user_of_.find(id);
        return it == user_of_.end() ? nullptr : &by_user_.at(it->second);
    }
    void put(const person& p) {
        if (by_user_.size() >= limit) clear();  // a burst of new people: start over
        std::string key = p.channel + '\0' + p.user_id;
        user_of_[p.id] = key;
        person& kept = by_user_[std::move(key)];
        kept = p;
        kept.is_new = false;
    }
    void erase(std::int64_t id) {
        if (const auto it = user_of_.find(id); it != user_of_.end()) {
            by_user_.erase(it->second);
            user_of_.erase(it);
        }
    }
    void clear() {
        by_user_.clear();
        user_of_.clear();
    }

private:
    static constexpr std::size_t limit = 20000;
    std::unordered_map<std::string, person> by_user_;
    std::unordered_map<std::int64_t, std::string> user_of_;
    std::string key_;  // find's lookup key, kept to reuse its allocation
};

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

    // Empties the cache when another connection has committed since the last look (PRAGMA
    // data_version changes only for other connections' commits). Inside a transaction.
    void check_data_version() {
        auto version = count("PRAGMA data_version", "read data version");
        const std::int64_t now = version.ok() ? version.value() : -1;
        if (now < 0 || now != data_version) people.clear();
        data_version = now;
    }

    sqlite::connection conn;
    keyed_hash hasher;  // HMAC-SHA256 with the pseudonym key
    person_cache people;
    std::int64_t data_version = -1;  // at the last begin()
    std::unique_ptr<checkpointer> wal;  // file databases opened for writing; after conn
};

}  // namespace opas::storage
