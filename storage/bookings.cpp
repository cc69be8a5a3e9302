// Appointments, closed dates and appointment reminders (see bookings.hpp).
#include "storage/bookings.hpp"

#include <cstdio>

#include "storage/database_impl.hpp"

namespace opas::storage {
namespace {

// Every booking query lists these columns in this order (see read_booking).
#define OPAS_BOOKING_COLUMNS                                                                  \
    "SELECT id, COALESCE(person_id, 0), pseudonym, slot_start, slot_minutes, topic, language, " \
    "interpreter, status, created_at, COALESCE(changed_at, 0), COALESCE(moved_to, 0) "        \
    "FROM bookings "

constexpr std::string_view select_by_id = OPAS_BOOKING_COLUMNS "WHERE id = ?1";
constexpr std::string_view select_upcoming_of =
    OPAS_BOOKING_COLUMNS "WHERE person_id = ?1 AND status = 'booked' AND slot_start > ?2 "
    "ORDER BY slot_start, id";
constexpr std::string_view select_between =
    OPAS_BOOKING_COLUMNS "WHERE slot_start >= ?1 AND slot_start < ?2 ORDER BY slot_start, id";
constexpr std::string_view select_booked_between =
    OPAS_BOOKING_COLUMNS "WHERE status = 'booked' AND slot_start > ?1 AND slot_start <= ?2 "
    "ORDER BY slot_start, id";
constexpr std::string_view select_taken =
    "SELECT slot_start, COUNT(*) FROM bookings WHERE status = 'booked' AND slot_start >= ?1 "
    "AND slot_start < ?2 GROUP BY slot_start";
constexpr std::string_view count_slot =
    "SELECT COUNT(*) FROM bookings WHERE status = 'booked' AND slot_start = ?1";
constexpr std::string_view count_active =
    "SELECT COUNT(*) FROM bookings WHERE person_id = ?1 AND status = 'booked' "
    "AND slot_start > ?2 AND id <> ?3";
constexpr std::string_view insert_booking =
    "INSERT INTO bookings (person_id, pseudonym, slot_start, slot_minutes, topic, language, "
    "interpreter, status, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'booked', ?8)";
constexpr std::string_view update_status =
    "UPDATE bookings SET status = ?2, changed_at = ?3 WHERE id = ?1 AND status = 'booked'";
constexpr std::string_view update_moved =
    "UPDATE bookings SET status = 'moved', moved_to = ?2, changed_at = ?3 "
    "WHERE id = ?1 AND status = 'booked'";

constexpr std::string_view select_closed = "SELECT 1 FROM closed_dates WHERE day = ?1";
constexpr std::string_view select_all_closed = "SELECT day FROM closed_dates ORDER BY day";
constexpr std::string_view insert_closed = "INSERT OR IGNORE INTO closed_dates (day) VALUES (?1)";
constexpr std::string_view delete_closed = "DELETE FROM closed_dates WHERE day = ?1";

constexpr std::string_view insert_reminder =
    "INSERT OR IGNORE INTO reminders (target, lead_minutes, sent_at) "
    "VALUES (?1, CAST(?2 AS REAL), ?3)";

#undef OPAS_BOOKING_COLUMNS

booking_row read_booking(const sqlite::statement& st) {
    booking_row b;
    b.id = st.column_int64(0);
    b.person_id = st.column_int64(1);
    b.pseudonym = st.column_text(2);
    b.slot_start = st.column_int64(3);
    b.slot_minutes = static_cast<int>(st.column_int64(4));
    b.topic = st.column_text(5);
    b.language = st.column_text(6);
    b.interpreter = st.column_text(7);
    b.status = st.column_text(8);
    b.created_at = st.column_int64(9);
    b.changed_at = st.column_int64(10);
    b.moved_to = st.column_int64(11);
    return b;
}

result<std::vector<booking_row>> all_bookings(sqlite::statement& st, std::string_view what) {
    std::vector<booking_row> out;
    for (;;) {
        const int rc = st.step();
        if (rc == SQLITE_DONE) return out;
        if (rc != SQLITE_ROW) return sqlite::to_status(rc, what, st.db());
        out.push_back(read_booking(st));
    }
}

result<std::int64_t> single_count(sqlite::statement& st, std::string_view what) {
    const int rc = st.step();
    if (rc != SQLITE_ROW) return sqlite::to_status(rc, what, st.db());
    return st.column_int64(0);
}

// Runs a statement that changes at most one row; true when it changed one.
result<bool> changed_one(sqlite::connection& conn, sqlite::statement& st, std::string_view what) {
    if (auto s = st.run(what); !s.ok()) return s;
    return conn.changes() > 0;
}

}  // namespace

result<book_result> booking_store::book(const booking_row& b, std::string_view day, int capacity,
                                        int max_active, std::int64_t now,
                                        std::int64_t replacing) {
    auto& conn = db_.internals().conn;
    auto closed = is_closed(day);
    if (!closed) return closed.error();
    if (closed.value()) return book_result{book_outcome::day_closed, 0, 0};

    constexpr std::string_view active_what = "count active bookings";
    auto active_st = conn.prepare(count_active, active_what);
    if (!active_st) return active_st.error();
    active_st->bind(1, b.person_id).bind(2, now).bind(3, replacing);
    auto active = single_count(*active_st, active_what);
    if (!active) return active.error();
    const int held = static_cast<int>(active.value());
    if (held >= max_active) return book_result{book_outcome::limit_reached, 0, held};

    constexpr std::string_view seats_what = "count slot bookings";
    auto seats_st = conn.prepare(count_slot, seats_what);
    if (!seats_st) return seats_st.error();
    seats_st->bind(1, b.slot_start);
    auto seats = single_count(*seats_st, seats_what);
    if (!seats) return seats.error();
    if (seats.value() >= capacity) return book_result{book_outcome::slot_full, 0, held};

    constexpr std::string_view insert_what = "insert booking";
    auto ins = conn.prepare(insert_booking, insert_what);
    if (!ins) return ins.error();
    ins->bind(1, b.person_id)
        .bind(2, b.pseudonym)
        .bind(3, b.slot_start)
        .bind(4, b.slot_minutes)
        .bind(5, b.topic)
        .bind(6, b.language)
        .bind(7, b.interpreter)
        .bind(8, now);
    if (auto s = ins->run(insert_what); !s.ok()) return s;
    return book_result{book_outcome::booked, conn.last_insert_rowid(), held};
}

result<booking_row> booking_store::by_id(std::int64_t id) {
    constexpr std::string_view what = "booking by id";
    auto st = db_.internals().conn.prepare(select_by_id, what);
    if (!st) return st.error();
    st->bind(1, id);
    auto rows = all_bookings(*st, what);
    if (!rows) return rows.error();
    if (rows->empty()) return status::not_found("booking not found");
    return rows->front();
}

result<std::vector<booking_row>> booking_store::upcoming_of(std::int64_t person_id,
                                                            std::int64_t from) {
    constexpr std::string_view what = "upcoming bookings";
    auto st = db_.internals().conn.prepare(select_upcoming_of, what);
    if (!st) return st.error();
    st->bind(1, person_id).bind(2, from);
    return all_bookings(*st, what);
}

result<std::map<std::int64_t, int>> booking_store::taken_between(std::int64_t from,
                                                                 std::int64_t to) {
    constexpr std::string_view what = "taken slots";
    auto st = db_.internals().conn.prepare(select_taken, what);
    if (!st) return st.error();
    st->bind(1, from).bind(2, to);
    std::map<std::int64_t, int> out;
    for (;;) {
        const int rc = st->step();
        if (rc == SQLITE_DONE) return out;
        if (rc != SQLITE_ROW) return sqlite::to_status(rc, what, st->db());
        out[st->column_int64(0)] = static_cast<int>(st->column_int64(1));
    }
}

result<std::vector<booking_row>> booking_store::between(std::int64_t from, std::int64_t to) {
    constexpr std::string_view what = "bookings between";
    auto st = db_.internals().conn.prepare(select_between, what);
    if (!st) return st.error();
    st->bind(1, from).bind(2, to);
    return all_bookings(*st, what);
}

result<std::vector<booking_row>> booking_store::booked_between(std::int64_t from,
                                                               std::int64_t to) {
    constexpr std::string_view what = "booked between";
    auto st = db_.internals().conn.prepare(select_booked_between, what);
    if (!st) return st.error();
    st->bind(1, from).bind(2, to);
    return all_bookings(*st, what);
}

status booking_store::cancel(std::int64_t id, std::int64_t now) {
    constexpr std::string_view what = "cancel booking";
    auto& conn = db_.internals().conn;
    auto st = conn.prepare(update_status, what);
    if (!st) return st.error();
    st->bind(1, id).bind(2, std::string_view("cancelled")).bind(3, now);
    auto changed = changed_one(conn, *st, what);
    if (!changed) return changed.error();
    return changed.value() ? status::ok_status() : status::not_found("no booked appointment");
}

status booking_store::mark_no_show(std::int64_t id, std::int64_t now) {
    constexpr std::string_view what = "mark no-show";
    auto& conn = db_.internals().conn;
    auto st = conn.prepare(update_status, what);
    if (!st) return st.error();
    st->bind(1, id).bind(2, std::string_view("no_show")).bind(3, now);
    auto changed = changed_one(conn, *st, what);
    if (!changed) return changed.error();
    return changed.value() ? status::ok_status() : status::not_found("no booked appointment");
}

status booking_store::mark_moved(std::int64_t id, std::int64_t moved_to, std::int64_t now) {
    constexpr std::string_view what = "mark booking moved";
    auto& conn = db_.internals().conn;
    auto st = conn.prepare(update_moved, what);
    if (!st) return st.error();
    st->bind(1, id).bind(2, moved_to).bind(3, now);
    auto changed = changed_one(conn, *st, what);
    if (!changed) return changed.error();
    return changed.value() ? status::ok_status() : status::not_found("no booked appointment");
}

result<bool> booking_store::is_closed(std::string_view day) {
    constexpr std::string_view what = "closed date";
    auto st = db_.internals().conn.prepare(select_closed, what);
    if (!st) return st.error();
    st->bind(1, day);
    const int rc = st->step();
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    return sqlite::to_status(rc, what, st->db());
}

result<std::vector<std::string>> booking_store::closed_dates() {
    constexpr std::string_view what = "closed dates";
    auto st = db_.internals().conn.prepare(select_all_closed, what);
    if (!st) return st.error();
    std::vector<std::string> out;
    for (;;) {
        const int rc = st->step();
        if (rc == SQLITE_DONE) return out;
        if (rc != SQLITE_ROW) return sqlite::to_status(rc, what, st->db());
        out.push_back(st->column_text(0));
    }
}

result<bool> booking_store::add_closed(std::string_view day) {
    constexpr std::string_view what = "add closed date";
    auto& conn = db_.internals().conn;
    auto st = conn.prepare(insert_closed, what);
    if (!st) return st.error();
    st->bind(1, day);
    return changed_one(conn, *st, what);
}

result<bool> booking_store::remove_closed(std::string_view day) {
    constexpr std::string_view what = "remove closed date";
    auto& conn = db_.internals().conn;
    auto st = conn.prepare(delete_closed, what);
    if (!st) return st.error();
    st->bind(1, day);
    return changed_one(conn, *st, what);
}

result<bool> booking_store::claim_reminder(std::string_view target, double lead_minutes,
                                           std::int64_t now) {
    constexpr std::string_view what = "claim booking reminder";
    auto& conn = db_.internals().conn;
    char lead[64];
    std::snprintf(lead, sizeof lead, "%.6f", lead_minutes);
    auto st = conn.prepare(insert_reminder, what);
    if (!st) return st.error();
    st->bind(1, target).bind(2, std::string_view(lead)).bind(3, now);
    return changed_one(conn, *st, what);
}

}  // namespace opas::storage
