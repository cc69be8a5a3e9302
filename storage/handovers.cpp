#include "storage/handovers.hpp"

#include <cctype>

#include "storage/database_impl.hpp"

namespace opas::storage {
namespace {

constexpr std::size_t code_chars = 8;

constexpr std::string_view select_handovers =
    "SELECT h.person_id, p.pseudonym, p.channel, p.language, h.started_at, h.last_activity "
    "FROM handovers h JOIN people p ON p.id = h.person_id ";

handover read_handover(const sqlite::statement& st) {
    handover h;
    h.person_id = st.column_int64(0);
    h.pseudonym = st.column_text(1);
    h.code = handover_code(h.pseudonym);
    h.channel = st.column_text(2);
    h.language = st.column_text(3);
    h.started_at = st.column_int64(4);
    h.last_activity = st.column_int64(5);
    return h;
}

result<std::vector<handover>> all_rows(sqlite::statement& st, std::string_view what) {
    std::vector<handover> out;
    int rc = SQLITE_OK;
    while ((rc = st.step()) == SQLITE_ROW) out.push_back(read_handover(st));
    if (rc != SQLITE_DONE) return sqlite::to_status(rc, what, st.db());
    return out;
}

}  // namespace

std::string handover_code(std::string_view pseudonym) {
    return "#" + std::string(pseudonym.substr(0, code_chars));
}

result<bool> open_handover(database& db, std::int64_t person_id, std::int64_t now) {
    auto& conn = db.internals().conn;
    auto st = conn.prepare(
        "INSERT INTO handovers (person_id, started_at, last_activity) VALUES (?1, ?2, ?2) "
        "ON CONFLICT (person_id) DO NOTHING",
        "open handover");
    if (!st) return st.error();
    if (auto s = st->bind(1, person_id).bind(2, now).run("open handover"); !s.ok()) return s;
    if (conn.changes() > 0) return true;
    if (auto s = touch_handover(db, person_id, now); !s.ok()) return s;
    return false;
}

result<bool> handover_active(database& db, std::int64_t person_id) {
    auto st = db.internals().conn.prepare("SELECT 1 FROM handovers WHERE person_id = ?1",
                                          "find handover");
    if (!st) return st.error();
    st->bind(1, person_id);
    const int rc = st->step();
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    return sqlite::to_status(rc, "find handover", st->db());
}

status touch_handover(database& db, std::int64_t person_id, std::int64_t now) {
    auto st = db.internals().conn.prepare(
        "UPDATE handovers SET last_activity = max(last_activity, ?2) WHERE person_id = ?1",
        "touch handover");
    if (!st) return st.error();
    return st->bind(1, person_id).bind(2, now).run("touch handover");
}

result<bool> close_handover(database& db, std::int64_t person_id) {
    auto& conn = db.internals().conn;
    auto st = conn.prepare("DELETE FROM handovers WHERE person_id = ?1", "close handover");
    if (!st) return st.error();
    if (auto s = st->bind(1, person_id).run("close handover"); !s.ok()) return s;
    return conn.changes() > 0;
}

result<std::optional<handover>> find_handover(database& db, std::string_view code) {
    if (!code.empty() && code.front() == '#') code.remove_prefix(1);
    if (code.size() != code_chars) return std::optional<handover>();
    std::string prefix;
    for (char c : code) {
        if (!std::isxdigit(static_cast<unsigned char>(c))) return std::optional<handover>();
        prefix += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    static const std::string sql = std::string(select_handovers) +
                                   "WHERE substr(p.pseudonym, 1, 8) = ?1 "
                                   "ORDER BY h.last_activity DESC LIMIT 1";
    auto st = db.internals().conn.prepare(sql, "find handover by code");
    if (!st) return st.error();
    st->bind(1, prefix);
    auto rows = all_rows(*st, "find handover by code");
    if (!rows) return rows.error();
    if (rows->empty()) return std::optional<handover>();
    return std::optional<handover>(std::move(rows->front()));
}

result<std::vector<handover>> open_handovers(database& db) {
    static const std::string sql = std::string(select_handovers) + "ORDER BY h.started_at, h.person_id";
    auto st = db.internals().conn.prepare(sql, "list handovers");
    if (!st) return st.error();
    return all_rows(*st, "list handovers");
}

result<std::vector<handover>> idle_handovers(database& db, std::int64_t before) {
    static const std::string sql = std::string(select_handovers) +
                                   "WHERE h.last_activity < ?1 ORDER BY h.last_activity";
    auto st = db.internals().conn.prepare(sql, "list idle handovers");
    if (!st) return st.error();
    st->bind(1, before);
    return all_rows(*st, "list idle handovers");
}

result<std::int64_t> staff_group_person(database& db, std::string_view chat_id, std::int64_t now) {
    auto p = db.upsert_person("telegram", staff_group_user_id, chat_id, now);
    if (!p) return p.error();
    return p->id;
}

}  // namespace opas::storage
