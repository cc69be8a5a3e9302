// People: the only table with platform ids, chat ids and phone numbers.
#include <algorithm>
#include <string>

#include "storage/database.hpp"
#include "storage/database_impl.hpp"

namespace opas::storage {
namespace {

// Every query that returns a person lists these columns in this order (see read_person).
constexpr std::string_view select_by_user =
    "SELECT id, channel, user_id, chat_id, pseudonym, language, state, unreachable, created_at, "
    "last_inbound_at FROM people WHERE channel = ?1 AND user_id = ?2";
constexpr std::string_view select_by_id =
    "SELECT id, channel, user_id, chat_id, pseudonym, language, state, unreachable, created_at, "
    "last_inbound_at FROM people WHERE id = ?1";
constexpr std::string_view select_inactive =
    "SELECT id, channel, user_id, chat_id, pseudonym, language, state, unreachable, created_at, "
    "last_inbound_at FROM people WHERE last_inbound_at < ?1 ORDER BY id LIMIT ?2";
// No RETURNING and no INSERT ... SELECT on the hot path: SQLite runs those as multi-row
// writes with a statement journal, which costs an allocation cycle per statement.
constexpr std::string_view update_inbound =
    "UPDATE people SET chat_id = ?2, last_inbound_at = ?3 WHERE id = ?1";
constexpr std::string_view insert_person =
    "INSERT INTO people (channel, user_id, chat_id, pseudonym, created_at, last_inbound_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?5)";

person read_person(const sqlite::statement& st) {
    person p;
    p.id = st.column_int64(0);
    p.channel = st.column_text(1);
    p.user_id = st.column_text(2);
    p.chat_id = st.column_text(3);
    p.pseudonym = st.column_text(4);
    p.language = st.column_text(5);
    p.state = st.column_text(6);
    p.unreachable = st.column_int64(7) != 0;
    p.created_at = st.column_int64(8);
    p.last_inbound_at = st.column_int64(9);
    return p;
}

// Steps a statement that returns at most one person row.
result<person> one_person(sqlite::statement& st, std::string_view what) {
    const int rc = st.step();
    if (rc == SQLITE_ROW) return read_person(st);
    if (rc == SQLITE_DONE) return status::not_found(std::string(what) + ": no such person");
    return sqlite::to_status(rc, what, st.db());
}

}  // namespace

result<person> database::find_person(std::string_view channel, std::string_view user_id) {
    if (const person* kept = impl_->people.find(channel, user_id)) return *kept;
    auto st = impl_->conn.prepare(select_by_user, "find person");
    if (!st) return st.error();
    st->bind(1, channel).bind(2, user_id);
    auto found = one_person(*st, "find person");
    if (found) impl_->people.put(*found);
    return found;
}

result<person> database::find_person_by_id(std::int64_t id) {
    auto st = impl_->conn.prepare(select_by_id, "find person by id");
    if (!st) return st.error();
    st->bind(1, id);
    return one_person(*st, "find person by id");
}

result<person> database::upsert_person(std::string_view channel, std::string_view user_id,
                                       std::string_view chat_id, std::int64_t now) {
    if (channel.empty() || user_id.empty()) {
        return status::invalid("upsert person: empty channel or user id");
    }
    auto found = find_person(channel, user_id);
    if (found) {
        person& p = *found;
        if (p.chat_id != chat_id || now > p.last_inbound_at) {
            p.chat_id = chat_id;
            p.last_inbound_at = std::max(p.last_inbound_at, now);
            auto st = impl_->conn.prepare(update_inbound, "update person");
            if (!st) return st.error();
            st->bind(1, p.id).bind(2, p.chat_id).bind(3, p.last_inbound_at);
            if (auto s = st->run("update person"); !s.ok()) {
                impl_->people.clear();
                return s;
            }
            impl_->people.put(p);
        }
        return found;
    }
    if (found.error().kind() != status::code::not_found) return found;

    person p;
    p.channel = channel;
    p.user_id = user_id;
    p.chat_id = chat_id;
    p.pseudonym = pseudonym_of(channel, user_id);
    p.created_at = now;
    p.last_inbound_at = now;
    p.is_new = true;
    if (p.pseudonym.empty()) return status::internal("create person: pseudonym hashing failed");
    auto st = impl_->conn.prepare(insert_person, "create person");
    if (!st) return st.error();
    st->bind(1, p.channel).bind(2, p.user_id).bind(3, p.chat_id).bind(4, p.pseudonym).bind(5, now);
    if (auto s = st->run("create person"); !s.ok()) {
        impl_->people.clear();
        return s;
    }
    p.id = impl_->conn.last_insert_rowid();
    impl_->people.put(p);
    return p;
}

status database::save_person(std::int64_t id, std::string_view language, std::string_view state) {
    auto st = impl_->conn.prepare("UPDATE people SET language = ?2, state = ?3 WHERE id = ?1",
                                  "save person");
    if (!st) return st.error();
    if (auto s = st->bind(1, id).bind(2, language).bind(3, state).run("save person"); !s.ok()) {
        impl_->people.clear();
        return s;
    }
    if (impl_->conn.changes() == 0) return status::not_found("save person: no such person");
    if (person* kept = impl_->people.find(id)) {
        kept->language = language;
        kept->state = state;
    }
    return status::ok_status();
}

status database::mark_unreachable(std::int64_t id, bool unreachable) {
    auto st =
        impl_->conn.prepare("UPDATE people SET unreachable = ?2 WHERE id = ?1", "mark unreachable");
    if (!st) return st.error();
    if (auto s = st->bind(1, id).bind(2, unreachable ? 1 : 0).run("mark unreachable"); !s.ok()) {
        impl_->people.clear();
        return s;
    }
    if (impl_->conn.changes() == 0) return status::not_found("mark unreachable: no such person");
    if (person* kept = impl_->people.find(id)) kept->unreachable = unreachable;
    return status::ok_status();
}

std::string database::pseudonym_of(std::string_view channel, std::string_view user_id) const {
    return impl_->hasher.hex(channel, ":", user_id);
}

result<std::vector<person>> database::people_inactive_since(std::int64_t unix_seconds,
                                                            std::int64_t limit) {
    auto st = impl_->conn.prepare(select_inactive, "list inactive people");
    if (!st) return st.error();
    st->bind(1, unix_seconds);
    st->bind(2, limit);
    std::vector<person> out;
    int rc = SQLITE_OK;
    while ((rc = st->step()) == SQLITE_ROW) out.push_back(read_person(*st));
    if (rc != SQLITE_DONE) return sqlite::to_status(rc, "list inactive people", st->db());
    return out;
}

status database::erase_person(std::int64_t id) {
    impl_->people.erase(id);
    auto st = impl_->conn.prepare("DELETE FROM people WHERE id = ?1", "erase person");
    if (!st) return st.error();
    if (auto s = st->bind(1, id).run("erase person"); !s.ok()) return s;
    if (impl_->conn.changes() == 0) return status::not_found("erase person: no such person");
    return status::ok_status();
}

}  // namespace opas::storage
