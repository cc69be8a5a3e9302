// SQL aggregation for the report: counts only, never a pseudonym in a result row.
#include "storage/report.hpp"


#include "storage/database_impl.hpp"

namespace opas::storage::report {
namespace {

constexpr std::string_view select_totals =
    "SELECT count(*), count(DISTINCT pseudonym) FROM contact_log WHERE hour >= ?1 AND hour < ?2";

// One statement per dimension (the statement cache is keyed by SQL text). ?3 = '' means all
// outcomes.
constexpr std::string_view select_by_language =
    "SELECT language, count(*), count(DISTINCT pseudonym) FROM contact_log "
    "WHERE hour >= ?1 AND hour < ?2 AND (?3 = '' OR outcome = ?3) GROUP BY 1 "
    "ORDER BY 2 DESC, 1";
constexpr std::string_view select_by_channel =
    "SELECT channel, count(*), count(DISTINCT pseudonym) FROM contact_log "
    "WHERE hour >= ?1 AND hour < ?2 AND (?3 = '' OR outcome = ?3) GROUP BY 1 "
    "ORDER BY 2 DESC, 1";
constexpr std::string_view select_by_intent =
    "SELECT CASE WHEN outcome = 'feedback' THEN 'feedback' ELSE intent END, count(*), "
    "count(DISTINCT pseudonym) FROM contact_log "
    "WHERE hour >= ?1 AND hour < ?2 AND (?3 = '' OR outcome = ?3) GROUP BY 1 "
    "ORDER BY 2 DESC, 1";
constexpr std::string_view select_by_outcome =
    "SELECT outcome, count(*), count(DISTINCT pseudonym) FROM contact_log "
    "WHERE hour >= ?1 AND hour < ?2 AND (?3 = '' OR outcome = ?3) GROUP BY 1 "
    "ORDER BY 2 DESC, 1";

// The first contact ever of everyone seen in the interval.
constexpr std::string_view select_new_returning =
    "WITH seen AS (SELECT DISTINCT pseudonym FROM contact_log WHERE hour >= ?1 AND hour < ?2), "
    "first AS (SELECT c.pseudonym, min(c.hour) AS first_hour FROM contact_log AS c "
    "JOIN seen AS s ON s.pseudonym = c.pseudonym GROUP BY c.pseudonym) "
    "SELECT coalesce(sum(first_hour >= ?1), 0), coalesce(sum(first_hour < ?1), 0) FROM first";

constexpr std::string_view select_feedback =
    "SELECT intent, sum(helpful = 1), sum(helpful = 0) FROM contact_log "
    "WHERE hour >= ?1 AND hour < ?2 AND outcome = 'feedback' AND helpful IN (0, 1) "
    "GROUP BY intent ORDER BY intent";

// Bookings made in the interval that are not themselves the result of a move, each followed
// along moved_to to its last booking (depth-limited against a corrupt cycle).
constexpr std::string_view select_bookings =
    "WITH RECURSIVE chain (origin, id, depth) AS ("
    " SELECT b.id, b.id, 0 FROM bookings AS b"
    " WHERE b.created_at >= ?1 AND b.created_at < ?2"
    " AND NOT EXISTS (SELECT 1 FROM bookings AS m WHERE m.moved_to = b.id)"
    " UNION ALL"
    " SELECT c.origin, b.moved_to, c.depth + 1 FROM chain AS c JOIN bookings AS b ON b.id = c.id"
    " WHERE b.moved_to IS NOT NULL AND c.depth < 64),"
    " last AS (SELECT origin, max(depth) AS depth FROM chain GROUP BY origin)"
    " SELECT o.topic, o.language, o.interpreter, o.created_at, f.slot_start, f.status,"
    " l.depth > 0 OR o.status = 'moved'"
    " FROM last AS l JOIN chain AS c ON c.origin = l.origin AND c.depth = l.depth"
    " JOIN bookings AS o ON o.id = l.origin JOIN bookings AS f ON f.id = c.id"
    " ORDER BY o.id";

constexpr std::string_view select_volunteers =
    "SELECT coalesce(sum(created_at >= ?1 AND created_at < ?2), 0),"
    " coalesce(sum(approved_at >= ?1 AND approved_at < ?2), 0),"
    " coalesce(sum(status = 'approved'), 0) FROM volunteers";

constexpr std::string_view select_shifts =
    "SELECT count(*), coalesce(sum(s.status = 'cancelled'), 0),"
    " coalesce(sum(s.status = 'open' AND a.accepted >= s.capacity), 0),"
    " coalesce(sum(CASE WHEN s.status = 'open' THEN a.accepted ELSE 0 END), 0),"
    " coalesce(sum(CASE WHEN s.status = 'open' THEN a.accepted * (s.ends_at - s.starts_at)"
    " ELSE 0 END), 0)"
    " FROM shifts AS s LEFT JOIN (SELECT shift_id, count(*) AS accepted FROM shift_assignments"
    " WHERE status = 'accepted' GROUP BY shift_id) AS a ON a.shift_id = s.id"
    " WHERE s.starts_at >= ?1 AND s.starts_at < ?2";

std::string_view by_sql(dimension dim) {
    switch (dim) {
        case dimension::language: return select_by_language;
        case dimension::channel: return select_by_channel;
        case dimension::intent: return select_by_intent;
        case dimension::outcome: return select_by_outcome;
    }
    return select_by_outcome;
}

// Steps a statement expected to give exactly one row.
status one_row(sqlite::statement& st, std::string_view what) {
    const int rc = st.step();
    if (rc == SQLITE_ROW) return status::ok_status();
    return sqlite::to_status(rc == SQLITE_DONE ? SQLITE_INTERNAL : rc, what, st.db());
}

// Steps to the end; `row` reads each row.
template <class F>
status each_row(sqlite::statement& st, std::string_view what, F&& row) {
    for (;;) {
        const int rc = st.step();
        if (rc == SQLITE_DONE) return status::ok_status();
        if (rc != SQLITE_ROW) return sqlite::to_status(rc, what, st.db());
        row(st);
    }
}

}  // namespace

result<totals> contacts(database& db, interval in) {
    constexpr std::string_view what = "report contacts";
    auto st = db.internals().conn.prepare(select_totals, what);
    if (!st) return st.error();
    st->bind(1, in.from).bind(2, in.to);
    if (auto s = one_row(*st, what); !s.ok()) return s;
    return totals{st->column_int64(0), st->column_int64(1)};
}

result<std::vector<keyed_totals>> contacts_by(database& db, interval in, dimension dim,
                                              const std::string& only_outcome) {
    constexpr std::string_view what = "report contacts by";
    auto st = db.internals().conn.prepare(by_sql(dim), what);
    if (!st) return st.error();
    st->bind(1, in.from).bind(2, in.to).bind(3, only_outcome);
    std::vector<keyed_totals> out;
    const auto s = each_row(*st, what, [&out](const sqlite::statement& r) {
        out.push_back({r.column_text(0), {r.column_int64(1), r.column_int64(2)}});
    });
    if (!s.ok()) return s;
    return out;
}

result<new_returning> new_and_returning(database& db, interval in) {
    constexpr std::string_view what = "report new and returning";
    auto st = db.internals().conn.prepare(select_new_returning, what);
    if (!st) return st.error();
    st->bind(1, in.from).bind(2, in.to);
    if (auto s = one_row(*st, what); !s.ok()) return s;
    return new_returning{st->column_int64(0), st->column_int64(1)};
}

result<std::vector<feedback_counts>> feedback_by_topic(database& db, interval in) {
    constexpr std::string_view what = "report feedback";
    auto st = db.internals().conn.prepare(select_feedback, what);
    if (!st) return st.error();
    st->bind(1, in.from).bind(2, in.to);
    std::vector<feedback_counts> out;
    const auto s = each_row(*st, what, [&out](const sqlite::statement& r) {
        out.push_back({r.column_text(0), r.column_int64(1), r.column_int64(2)});
    });
    if (!s.ok()) return s;
    return out;
}

result<std::vector<booking_fact>> bookings_made(database& db, interval in) {
    constexpr std::string_view what = "report bookings";
    auto st = db.internals().conn.prepare(select_bookings, what);
    if (!st) return st.error();
    st->bind(1, in.from).bind(2, in.to);
    std::vector<booking_fact> out;
    const auto s = each_row(*st, what, [&out](const sqlite::statement& r) {
        booking_fact f;
        f.topic = r.column_text(0);
        f.language = r.column_text(1);
        f.interpreter = r.column_text(2);
        f.created_at = r.column_int64(3);
        f.slot_start = r.column_int64(4);
        f.final_status = r.column_text(5);
        f.moved = r.column_int64(6) != 0;
        out.push_back(std::move(f));
    });
    if (!s.ok()) return s;
    return out;
}

result<volunteer_counts> volunteers(database& db, interval in) {
    constexpr std::string_view what = "report volunteers";
    auto st = db.internals().conn.prepare(select_volunteers, what);
    if (!st) return st.error();
    st->bind(1, in.from).bind(2, in.to);
    if (auto s = one_row(*st, what); !s.ok()) return s;
    return volunteer_counts{st->column_int64(0), st->column_int64(1), st->column_int64(2)};
}

result<shift_counts> shifts(database& db, interval in) {
    constexpr std::string_view what = "report shifts";
    auto st = db.internals().conn.prepare(select_shifts, what);
    if (!st) return st.error();
    st->bind(1, in.from).bind(2, in.to);
    if (auto s = one_row(*st, what); !s.ok()) return s;
    shift_counts c;
    c.offered = st->column_int64(0);
    c.cancelled = st->column_int64(1);
    c.filled = st->column_int64(2);
    c.accepted = st->column_int64(3);
    c.volunteer_minutes = st->column_int64(4) / 60;
    return c;
}

}  // namespace opas::storage::report
