// Volunteers, shifts, assignments and shift reminders (see volunteers.hpp).
#include "storage/volunteers.hpp"

#include <cstdio>

#include "storage/database_impl.hpp"

namespace opas::storage {
namespace {

// Every volunteer query lists these columns in this order (see read_volunteer).
#define OPAS_VOLUNTEER_COLUMNS                                                                \
    "SELECT id, COALESCE(person_id, 0), pseudonym, name, languages, interests, availability, " \
    "status, created_at, COALESCE(approved_at, 0) FROM volunteers "
// Every shift query lists these columns in this order (see read_shift).
#define OPAS_SHIFT_COLUMNS                                                             \
    "SELECT s.id, s.title, s.place, s.starts_at, s.ends_at, s.capacity, s.languages, " \
    "s.status, s.created_at, (SELECT COUNT(*) FROM shift_assignments AS c "           \
    "WHERE c.shift_id = s.id AND c.status = 'accepted') FROM shifts AS s "

constexpr std::string_view select_volunteer_by_person = OPAS_VOLUNTEER_COLUMNS "WHERE person_id = ?1";
constexpr std::string_view select_volunteer_by_id = OPAS_VOLUNTEER_COLUMNS "WHERE id = ?1";
constexpr std::string_view select_volunteers =
    OPAS_VOLUNTEER_COLUMNS "WHERE status <> 'removed' AND (?1 = '' OR status = ?1) "
    "ORDER BY status DESC, id";
constexpr std::string_view insert_volunteer =
    "INSERT INTO volunteers (person_id, pseudonym, name, languages, interests, availability, "
    "status, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'pending', ?7)";
constexpr std::string_view renew_volunteer =
    "UPDATE volunteers SET pseudonym = ?2, name = ?3, languages = ?4, interests = ?5, "
    "availability = ?6, status = 'pending', created_at = ?7, approved_at = NULL WHERE id = ?1";
constexpr std::string_view update_approved =
    "UPDATE volunteers SET status = 'approved', approved_at = ?2 WHERE id = ?1";
constexpr std::string_view update_removed =
    "UPDATE volunteers SET status = 'removed', name = '', availability = '' WHERE id = ?1";
constexpr std::string_view cancel_places_of_volunteer =
    "UPDATE shift_assignments SET status = 'cancelled', updated_at = ?2 "
    "WHERE volunteer_id = ?1 AND status IN ('offered', 'accepted')";

constexpr std::string_view insert_shift =
    "INSERT INTO shifts (title, place, starts_at, ends_at, capacity, languages, created_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
constexpr std::string_view select_shift = OPAS_SHIFT_COLUMNS "WHERE s.id = ?1";
constexpr std::string_view select_shifts_from =
    OPAS_SHIFT_COLUMNS "WHERE s.starts_at >= ?1 ORDER BY s.starts_at, s.id";
constexpr std::string_view update_shift_cancelled =
    "UPDATE shifts SET status = 'cancelled' WHERE id = ?1";
constexpr std::string_view select_roster =
    "SELECT a.volunteer_id, v.name, a.status, a.updated_at FROM shift_assignments AS a "
    "JOIN volunteers AS v ON v.id = a.volunteer_id WHERE a.shift_id = ?1 "
    "ORDER BY a.status, a.updated_at, a.volunteer_id";

constexpr std::string_view select_assignment =
    "SELECT status FROM shift_assignments WHERE shift_id = ?1 AND volunteer_id = ?2";
constexpr std::string_view upsert_assignment =
    "INSERT INTO shift_assignments (shift_id, volunteer_id, status, updated_at) "
    "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (shift_id, volunteer_id) "
    "DO UPDATE SET status = excluded.status, updated_at = excluded.updated_at";
constexpr std::string_view select_accepted_shifts =
    OPAS_SHIFT_COLUMNS "JOIN shift_assignments AS a ON a.shift_id = s.id "
    "WHERE a.volunteer_id = ?1 AND a.status = 'accepted' AND s.status = 'open' "
    "AND s.starts_at > ?2 ORDER BY s.starts_at, s.id";
constexpr std::string_view select_accepted_places =
    "SELECT s.id, s.title, s.place, s.starts_at, s.ends_at, s.capacity, s.languages, "
    "s.status, s.created_at, 0, a.volunteer_id, COALESCE(v.person_id, 0), a.updated_at "
    "FROM shifts AS s JOIN shift_assignments AS a ON a.shift_id = s.id "
    "JOIN volunteers AS v ON v.id = a.volunteer_id "
    "WHERE a.status = 'accepted' AND s.status = 'open' AND s.starts_at > ?1 "
    "AND v.status = 'approved' ORDER BY s.starts_at, s.id, a.volunteer_id";

constexpr std::string_view insert_reminder =
    "INSERT OR IGNORE INTO reminders (target, lead_minutes, sent_at) "
    "VALUES (?1, CAST(?2 AS REAL), ?3)";

#undef OPAS_VOLUNTEER_COLUMNS
#undef OPAS_SHIFT_COLUMNS

volunteer_row read_volunteer(const sqlite::statement& st) {
    volunteer_row v;
    v.id = st.column_int64(0);
    v.person_id = st.column_int64(1);
    v.pseudonym = st.column_text(2);
    v.name = st.column_text(3);
    v.languages_json = st.column_text(4);
    v.interests_json = st.column_text(5);
    v.availability = st.column_text(6);
    v.status = st.column_text(7);
    v.created_at = st.column_int64(8);
    v.approved_at = st.column_int64(9);
    return v;
}

shift_row read_shift(const sqlite::statement& st) {
    shift_row s;
    s.id = st.column_int64(0);
    s.title = st.column_text(1);
    s.place = st.column_text(2);
    s.starts_at = st.column_int64(3);
    s.ends_at = st.column_int64(4);
    s.capacity = static_cast<int>(st.column_int64(5));
    s.languages_json = st.column_text(6);
    s.status = st.column_text(7);
    s.created_at = st.column_int64(8);
    s.accepted = static_cast<int>(st.column_int64(9));
    return s;
}

template <class Row, class Read>
result<std::vector<Row>> all_rows(sqlite::statement& st, std::string_view what, Read read) {
    std::vector<Row> out;
    for (;;) {
        const int rc = st.step();
        if (rc == SQLITE_DONE) return out;
        if (rc != SQLITE_ROW) return sqlite::to_status(rc, what, st.db());
        out.push_back(read(st));
    }
}

template <class Row, class Read>
result<Row> one_row(sqlite::statement& st, std::string_view what, Read read) {
    const int rc = st.step();
    if (rc == SQLITE_ROW) return read(st);
    if (rc == SQLITE_DONE) return status::not_found(std::string(what) + ": no such row");
    return sqlite::to_status(rc, what, st.db());
}

// Runs an UPDATE; not_found when it changed no row.
status update_one(sqlite::connection& conn, sqlite::statement& st, std::string_view what) {
    if (auto s = st.run(what); !s.ok()) return s;
    if (conn.changes() == 0) return status::not_found(std::string(what) + ": no such row");
    return status::ok_status();
}

}  // namespace

result<volunteer_row> volunteer_store::by_person(std::int64_t person_id) {
    auto st = db_.internals().conn.prepare(select_volunteer_by_person, "volunteer by person");
    if (!st) return st.error();
    st->bind(1, person_id);
    return one_row<volunteer_row>(*st, "volunteer by person", read_volunteer);
}

result<volunteer_row> volunteer_store::by_id(std::int64_t id) {
    auto st = db_.internals().conn.prepare(select_volunteer_by_id, "volunteer by id");
    if (!st) return st.error();
    st->bind(1, id);
    return one_row<volunteer_row>(*st, "volunteer by id", read_volunteer);
}

result<std::int64_t> volunteer_store::enrol(const volunteer_row& v, std::int64_t now) {
    auto& conn = db_.internals().conn;
    auto existing = by_person(v.person_id);
    if (existing.ok() && existing->status != "removed")
        return status::duplicate("enrol volunteer: already a volunteer");
    if (!existing.ok() && existing.error().kind() != status::code::not_found)
        return existing.error();
    if (existing.ok()) {
        auto st = conn.prepare(renew_volunteer, "renew volunteer");
        if (!st) return st.error();
        st->bind(1, existing->id).bind(2, v.pseudonym).bind(3, v.name).bind(4, v.languages_json);
        st->bind(5, v.interests_json).bind(6, v.availability).bind(7, now);
        if (auto s = st->run("renew volunteer"); !s.ok()) return s;
        return existing->id;
    }
    auto st = conn.prepare(insert_volunteer, "enrol volunteer");
    if (!st) return st.error();
    st->bind(1, v.person_id).bind(2, v.pseudonym).bind(3, v.name).bind(4, v.languages_json);
    st->bind(5, v.interests_json).bind(6, v.availability).bind(7, now);
    if (auto s = st->run("enrol volunteer"); !s.ok()) return s;
    return conn.last_insert_rowid();
}

result<std::vector<volunteer_row>> volunteer_store::list(std::string_view status) {
    auto st = db_.internals().conn.prepare(select_volunteers, "list volunteers");
    if (!st) return st.error();
    st->bind(1, status);
    return all_rows<volunteer_row>(*st, "list volunteers", read_volunteer);
}

status volunteer_store::approve(std::int64_t id, std::int64_t now) {
    auto v = by_id(id);
    if (!v) return v.error();
    if (v->status == "removed") return status::invalid("approve volunteer: removed");
    if (v->status == "approved") return status::ok_status();
    auto& conn = db_.internals().conn;
    auto st = conn.prepare(update_approved, "approve volunteer");
    if (!st) return st.error();
    st->bind(1, id).bind(2, now);
    return update_one(conn, *st, "approve volunteer");
}

status volunteer_store::remove(std::int64_t id, std::int64_t now) {
    auto& conn = db_.internals().conn;
    {
        auto st = conn.prepare(update_removed, "remove volunteer");
        if (!st) return st.error();
        st->bind(1, id);
        if (auto s = update_one(conn, *st, "remove volunteer"); !s.ok()) return s;
    }
    auto st = conn.prepare(cancel_places_of_volunteer, "remove volunteer places");
    if (!st) return st.error();
    st->bind(1, id).bind(2, now);
    return st->run("remove volunteer places");
}

result<std::int64_t> volunteer_store::add_shift(const shift_row& s, std::int64_t now) {
    auto& conn = db_.internals().conn;
    auto st = conn.prepare(insert_shift, "add shift");
    if (!st) return st.error();
    st->bind(1, s.title).bind(2, s.place).bind(3, s.starts_at).bind(4, s.ends_at);
    st->bind(5, s.capacity).bind(6, s.languages_json).bind(7, now);
    if (auto r = st->run("add shift"); !r.ok()) return r;
    return conn.last_insert_rowid();
}

result<shift_row> volunteer_store::shift(std::int64_t id) {
    auto st = db_.internals().conn.prepare(select_shift, "find shift");
    if (!st) return st.error();
    st->bind(1, id);
    return one_row<shift_row>(*st, "find shift", read_shift);
}

result<std::vector<shift_row>> volunteer_store::shifts_from(std::int64_t from) {
    auto st = db_.internals().conn.prepare(select_shifts_from, "list shifts");
    if (!st) return st.error();
    st->bind(1, from);
    return all_rows<shift_row>(*st, "list shifts", read_shift);
}

status volunteer_store::cancel_shift(std::int64_t id) {
    auto& conn = db_.internals().conn;
    auto st = conn.prepare(update_shift_cancelled, "cancel shift");
    if (!st) return st.error();
    st->bind(1, id);
    return update_one(conn, *st, "cancel shift");
}

result<std::vector<roster_entry>> volunteer_store::roster(std::int64_t shift_id) {
    auto st = db_.internals().conn.prepare(select_roster, "shift roster");
    if (!st) return st.error();
    st->bind(1, shift_id);
    return all_rows<roster_entry>(*st, "shift roster", [](const sqlite::statement& s) {
        return roster_entry{s.column_int64(0), s.column_text(1), s.column_text(2),
                            s.column_int64(3)};
    });
}

result<std::string> volunteer_store::assignment(std::int64_t shift_id, std::int64_t volunteer_id) {
    auto st = db_.internals().conn.prepare(select_assignment, "shift assignment");
    if (!st) return st.error();
    st->bind(1, shift_id).bind(2, volunteer_id);
    const int rc = st->step();
    if (rc == SQLITE_DONE) return std::string();
    if (rc != SQLITE_ROW) return sqlite::to_status(rc, "shift assignment", st->db());
    return st->column_text(0);
}

status volunteer_store::set_assignment(std::int64_t shift_id, std::int64_t volunteer_id,
                                       std::string_view status, std::int64_t now) {
    auto st = db_.internals().conn.prepare(upsert_assignment, "set shift assignment");
    if (!st) return st.error();
    st->bind(1, shift_id).bind(2, volunteer_id).bind(3, status).bind(4, now);
    return st->run("set shift assignment");
}

result<std::vector<shift_row>> volunteer_store::accepted_shifts(std::int64_t volunteer_id,
                                                                std::int64_t from) {
    auto st = db_.internals().conn.prepare(select_accepted_shifts, "accepted shifts");
    if (!st) return st.error();
    st->bind(1, volunteer_id).bind(2, from);
    return all_rows<shift_row>(*st, "accepted shifts", read_shift);
}

result<std::vector<accepted_place>> volunteer_store::accepted_places(std::int64_t from) {
    auto st = db_.internals().conn.prepare(select_accepted_places, "accepted places");
    if (!st) return st.error();
    st->bind(1, from);
    return all_rows<accepted_place>(*st, "accepted places", [](const sqlite::statement& s) {
        return accepted_place{read_shift(s), s.column_int64(10), s.column_int64(11),
                              s.column_int64(12)};
    });
}

result<bool> volunteer_store::claim_reminder(std::string_view target, double lead_minutes,
                                             std::int64_t now) {
    auto& conn = db_.internals().conn;
    char lead[64];
    std::snprintf(lead, sizeof lead, "%.6f", lead_minutes);
    auto st = conn.prepare(insert_reminder, "claim shift reminder");
    if (!st) return st.error();
    st->bind(1, target).bind(2, std::string_view(lead)).bind(3, now);
    if (auto s = st->run("claim shift reminder"); !s.ok()) return s;
    return conn.changes() > 0;
}

}  // namespace opas::storage
