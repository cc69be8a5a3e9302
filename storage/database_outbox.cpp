// Outbox, contact log and delivery statuses.
#include <string>

#include "storage/database.hpp"
#include "storage/database_impl.hpp"

namespace opas::storage {
namespace {

// The outbox keeps the channel (not an identifier) so that pending(channel) walks the partial
// index outbox_pending (channel, id) WHERE state = 'pending'; chat_id comes from people.
// A plain INSERT ... VALUES (not INSERT ... SELECT) needs no statement journal.
constexpr std::string_view select_channel = "SELECT channel FROM people WHERE id = ?1";
constexpr std::string_view insert_outbox =
    "INSERT INTO outbox (person_id, channel, kind, payload, next_attempt_at, created_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?5)";
constexpr std::string_view select_pending =
    "SELECT o.id, o.person_id, o.channel, p.chat_id, o.kind, o.payload, o.attempts, "
    "o.next_attempt_at, o.created_at FROM outbox AS o JOIN people AS p ON p.id = o.person_id "
    "WHERE o.channel = ?1 AND o.state = 'pending' ORDER BY o.id LIMIT ?2";
constexpr std::string_view update_sent =
    "UPDATE outbox SET state = 'sent', platform_message_id = ?2, sent_at = ?3 "
    "WHERE id = ?1 AND state = 'pending'";
constexpr std::string_view update_retry =
    "UPDATE outbox SET attempts = ?2, next_attempt_at = ?3, last_error = ?4 "
    "WHERE id = ?1 AND state = 'pending'";
constexpr std::string_view update_failed =
    "UPDATE outbox SET state = 'failed', last_error = ?2, failed_at = ?3 "
    "WHERE id = ?1 AND state = 'pending'";
constexpr std::string_view update_failed_of_person =
    "UPDATE outbox SET state = 'failed', last_error = ?2, failed_at = ?3 "
    "WHERE person_id = ?1 AND state = 'pending'";
constexpr std::string_view delete_finished =
    "DELETE FROM outbox WHERE (state = 'sent' AND sent_at < ?1) "
    "OR (state = 'failed' AND failed_at < ?1)";
constexpr std::string_view insert_contact =
    "INSERT INTO contact_log (pseudonym, hour, channel, language, intent, outcome, helpful) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
constexpr std::string_view insert_delivery =
    "INSERT INTO delivery_status (channel, message_id, status, error_code, time) "
    "VALUES (?1, ?2, ?3, ?4, ?5)";

constexpr std::int64_t seconds_per_hour = 3600;

std::int64_t floor_to_hour(std::int64_t t) {
    std::int64_t r = t % seconds_per_hour;
    if (r < 0) r += seconds_per_hour;
    return t - r;
}

result<std::int64_t> insert_outbox_row(sqlite::connection& conn, std::int64_t person_id,
                                       std::string_view channel, std::string_view kind,
                                       std::string_view payload, std::int64_t now_ms) {
    auto st = conn.prepare(insert_outbox, "enqueue");
    if (!st) return st.error();
    st->bind(1, person_id).bind(2, channel).bind(3, kind).bind(4, payload).bind(5, now_ms);
    if (auto s = st->run("enqueue"); !s.ok()) return s;
    return conn.last_insert_rowid();
}

// Runs an UPDATE of one pending outbox row; not_found when no pending row has that id.
status update_pending(sqlite::connection& conn, sqlite::statement& st, std::string_view what) {
    if (auto s = st.run(what); !s.ok()) return s;
    if (conn.changes() == 0) {
        return status::not_found(std::string(what) + ": no pending outbox row with that id");
    }
    return status::ok_status();
}

}  // namespace

result<std::int64_t> database::enqueue(std::int64_t person_id, std::string_view kind,
                                       std::string_view payload, std::int64_t now_ms) {
    std::string channel;
    {
        auto st = impl_->conn.prepare(select_channel, "enqueue");
        if (!st) return st.error();
        st->bind(1, person_id);
        const int rc = st->step();
        if (rc == SQLITE_DONE) return status::not_found("enqueue: no such person");
        if (rc != SQLITE_ROW) return sqlite::to_status(rc, "enqueue", st->db());
        channel = st->column_text(0);
    }
    return insert_outbox_row(impl_->conn, person_id, channel, kind, payload, now_ms);
}

result<std::int64_t> database::enqueue(const person& to, std::string_view kind,
                                       std::string_view payload, std::int64_t now_ms) {
    return insert_outbox_row(impl_->conn, to.id, to.channel, kind, payload, now_ms);
}

result<std::vector<outbox_row>> database::pending(std::string_view channel, int limit) {
    std::vector<outbox_row> out;
    if (limit <= 0) return out;
    auto st = impl_->conn.prepare(select_pending, "list pending outbox");
    if (!st) return st.error();
    st->bind(1, channel).bind(2, limit);
    int rc = SQLITE_OK;
    while ((rc = st->step()) == SQLITE_ROW) {
        outbox_row row;
        row.id = st->column_int64(0);
        row.person_id = st->column_int64(1);
        row.channel = st->column_text(2);
        row.chat_id = st->column_text(3);
        row.kind = st->column_text(4);
        row.payload = st->column_text(5);
        row.attempts = static_cast<int>(st->column_int64(6));
        row.next_attempt_at = st->column_int64(7);
        row.created_at = st->column_int64(8);
        out.push_back(std::move(row));
    }
    if (rc != SQLITE_DONE) return sqlite::to_status(rc, "list pending outbox", st->db());
    return out;
}

status database::mark_sent(std::int64_t id, std::string_view platform_message_id,
                           std::int64_t now_ms) {
    auto st = impl_->conn.prepare(update_sent, "mark sent");
    if (!st) return st.error();
    st->bind(1, id).bind(2, platform_message_id).bind(3, now_ms);
    return update_pending(impl_->conn, *st, "mark sent");
}

status database::mark_retry(std::int64_t id, int attempts, std::int64_t next_attempt_at_ms,
                            std::string_view reason) {
    auto st = impl_->conn.prepare(update_retry, "mark retry");
    if (!st) return st.error();
    st->bind(1, id).bind(2, attempts).bind(3, next_attempt_at_ms).bind(4, reason);
    return update_pending(impl_->conn, *st, "mark retry");
}

status database::mark_failed(std::int64_t id, std::string_view reason, std::int64_t now_ms) {
    auto st = impl_->conn.prepare(update_failed, "mark failed");
    if (!st) return st.error();
    st->bind(1, id).bind(2, reason).bind(3, now_ms);
    return update_pending(impl_->conn, *st, "mark failed");
}

result<std::int64_t> database::fail_pending_of(std::int64_t person_id, std::string_view reason,
                                               std::int64_t now_ms) {
    auto st = impl_->conn.prepare(update_failed_of_person, "fail pending of person");
    if (!st) return st.error();
    st->bind(1, person_id).bind(2, reason).bind(3, now_ms);
    if (auto s = st->run("fail pending of person"); !s.ok()) return s;
    return static_cast<std::int64_t>(impl_->conn.changes());
}

result<std::int64_t> database::outbox_depth() {
    return impl_->count("SELECT count(*) FROM outbox WHERE state = 'pending'", "outbox depth");
}

result<std::int64_t> database::outbox_failed_count() {
    return impl_->count("SELECT count(*) FROM outbox WHERE state = 'failed'",
                        "outbox failed count");
}

result<std::int64_t> database::prune_outbox(std::int64_t finished_before_ms) {
    auto st = impl_->conn.prepare(delete_finished, "prune outbox");
    if (!st) return st.error();
    if (auto s = st->bind(1, finished_before_ms).run("prune outbox"); !s.ok()) return s;
    return impl_->conn.changes();
}

status database::log_contact(const contact_record& rec) {
    auto st = impl_->conn.prepare(insert_contact, "log contact");
    if (!st) return st.error();
    st->bind(1, rec.pseudonym)
        .bind(2, floor_to_hour(rec.hour))
        .bind(3, rec.channel)
        .bind(4, rec.language)
        .bind(5, rec.intent)
        .bind(6, rec.outcome)
        .bind(7, rec.helpful);
    return st->run("log contact");
}

status database::record_delivery_status(const delivery_status& st_in) {
    const std::string hashed = impl_->hasher.hex("message:", st_in.channel + ":", st_in.message_id);
    if (hashed.empty()) return status::internal("record delivery status: hashing failed");
    auto st = impl_->conn.prepare(insert_delivery, "record delivery status");
    if (!st) return st.error();
    st->bind(1, st_in.channel)
        .bind(2, hashed)
        .bind(3, st_in.status)
        .bind(4, st_in.error_code)
        .bind(5, st_in.time);
    return st->run("record delivery status");
}

}  // namespace opas::storage
