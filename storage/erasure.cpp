#include "storage/erasure.hpp"

#include <string>
#include <vector>

#include "storage/database_impl.hpp"
#include "storage/handovers.hpp"

namespace opas::storage {
namespace {

constexpr std::string_view farewell_prefix = "erased:";

status run_bound(database& db, std::string_view sql, std::string_view what, std::int64_t a,
                 std::int64_t b) {
    auto st = db.internals().conn.prepare(sql, what);
    if (!st) return st.error();
    return st->bind(1, a).bind(2, b).run(what);
}

}  // namespace

status erase_person_fully(database& db, std::int64_t person_id, std::int64_t now) {
    auto p = db.find_person_by_id(person_id);
    if (!p) return p.error();
    if (auto s = run_bound(db,
                           "UPDATE bookings SET status = 'cancelled', changed_at = ?2 "
                           "WHERE person_id = ?1 AND status = 'booked'",
                           "cancel bookings of erased person", person_id, now);
        !s.ok())
        return s;
    auto volunteer = db.internals().conn.prepare("DELETE FROM volunteers WHERE person_id = ?1",
                                                 "remove volunteer of erased person");
    if (!volunteer) return volunteer.error();
    if (auto s = volunteer->bind(1, person_id).run("remove volunteer"); !s.ok()) return s;
    if (auto closed = close_handover(db, person_id); !closed) return closed.error();
    // Texts forwarded to the staff group carry the person's handover code.
    auto staff = db.find_person("telegram", staff_group_user_id);
    if (staff) {
        const std::string code = handover_code(p->pseudonym);
        auto st = db.internals().conn.prepare(
            "DELETE FROM outbox WHERE person_id = ?1 AND instr(payload, ?2) > 0",
            "delete forwarded texts of erased person");
        if (!st) return st.error();
        if (auto s = st->bind(1, staff->id).bind(2, code).run("delete forwarded texts");
            !s.ok())
            return s;
    } else if (staff.error().kind() != status::code::not_found) {
        return staff.error();
    }
    return db.erase_person(person_id);
}

result<std::int64_t> farewell_contact(database& db, std::string_view channel,
                                      std::string_view chat_id, std::int64_t erased_id,
                                      std::int64_t now) {
    const std::string user = std::string(farewell_prefix) + std::to_string(now) + ":" +
                             std::to_string(erased_id);
    auto p = db.upsert_person(channel, user, chat_id, now);
    if (!p) return p.error();
    return p->id;
}

result<std::int64_t> drop_farewell_contacts(database& db, std::int64_t now, std::int64_t max_wait) {
    auto st = db.internals().conn.prepare(
        "SELECT p.id FROM people p WHERE p.channel IN ('telegram', 'whatsapp', 'console') "
        "AND p.user_id >= 'erased:' AND p.user_id < 'erased;' AND (p.created_at < ?1 OR NOT "
        "EXISTS (SELECT 1 FROM outbox o WHERE o.person_id = p.id AND o.state = 'pending'))",
        "list farewell contacts");
    if (!st) return st.error();
    st->bind(1, now - max_wait);
    std::vector<std::int64_t> ids;
    int rc = SQLITE_OK;
    while ((rc = st->step()) == SQLITE_ROW) ids.push_back(st->column_int64(0));
    if (rc != SQLITE_DONE) return sqlite::to_status(rc, "list farewell contacts", st->db());
    for (const auto id : ids)
        if (auto s = db.erase_person(id); !s.ok()) return s;
    return static_cast<std::int64_t>(ids.size());
}

}  // namespace opas::storage
