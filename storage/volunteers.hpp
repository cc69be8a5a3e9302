#pragma once
// Volunteers, shifts, shift assignments and shift reminders (the schema v2 tables).
//
// A `volunteer_store` is a thin view over one `database`: it runs its statements on the
// caller's connection and transaction, so the dispatcher's single writer makes every
// check-then-write here atomic (a shift's capacity cannot be exceeded by racing accepts).
// Times are unix seconds. Lists of languages and interests travel as JSON array text; bot/
// parses them. No platform ids here: a volunteer refers to the person by `person_id`.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "storage/database.hpp"
#include "storage/status.hpp"

namespace opas::storage {

struct volunteer_row {
    std::int64_t id = 0;
    std::int64_t person_id = 0;
    std::string pseudonym;
    std::string name;
    std::string languages_json = "[]";  // codes of supported languages, or free text
    std::string interests_json = "[]";  // interest keys (conversation, events, ...)
    std::string availability;           // as the volunteer wrote it
    std::string status = "pending";     // pending | approved | removed
    std::int64_t created_at = 0;
    std::int64_t approved_at = 0;       // 0 when not approved
};

struct shift_row {
    std::int64_t id = 0;
    std::string title;
    std::string place;
    std::int64_t starts_at = 0;
    std::int64_t ends_at = 0;
    int capacity = 1;
    std::string languages_json = "[]";  // wanted language codes; [] = any
    std::string status = "open";        // open | cancelled
    std::int64_t created_at = 0;
    int accepted = 0;                   // volunteers who accepted (filled by the queries)
};

struct roster_entry {
    std::int64_t volunteer_id = 0;
    std::string name;
    std::string status;  // offered | accepted | declined | cancelled
    std::int64_t updated_at = 0;
};

// An accepted place on an upcoming open shift, for reminders.
struct accepted_place {
    shift_row shift;
    std::int64_t volunteer_id = 0;
    std::int64_t person_id = 0;
    std::int64_t accepted_at = 0;
};

class volunteer_store {
public:
    explicit volunteer_store(database& db) : db_(db) {}

    // Volunteers. not_found when there is no such row.
    result<volunteer_row> by_person(std::int64_t person_id);
    result<volunteer_row> by_id(std::int64_t id);
    // Saves a new enrolment (status pending). A removed record of the same person is replaced;
    // an active one gives status::duplicate. Returns the volunteer id.
    result<std::int64_t> enrol(const volunteer_row& v, std::int64_t now);
    // Every volunteer not removed (pending first, then approved), or only `status` ones.
    result<std::vector<volunteer_row>> list(std::string_view status = {});
    // not_found when no row; invalid when the volunteer was removed.
    status approve(std::int64_t id, std::int64_t now);
    // Marks removed and clears name and availability; their offers and places are cancelled.
    status remove(std::int64_t id, std::int64_t now);

    // Shifts.
    result<std::int64_t> add_shift(const shift_row& s, std::int64_t now);
    result<shift_row> shift(std::int64_t id);
    // All shifts starting at or after `from`, earliest first (cancelled ones too).
    result<std::vector<shift_row>> shifts_from(std::int64_t from);
    status cancel_shift(std::int64_t id);
    result<std::vector<roster_entry>> roster(std::int64_t shift_id);

    // Assignments: status of (shift, volunteer), "" when none.
    result<std::string> assignment(std::int64_t shift_id, std::int64_t volunteer_id);
    status set_assignment(std::int64_t shift_id, std::int64_t volunteer_id,
                          std::string_view status, std::int64_t now);
    // Open shifts the volunteer accepted that start after `from`.
    result<std::vector<shift_row>> accepted_shifts(std::int64_t volunteer_id, std::int64_t from);
    // Accepted places on open shifts starting after `from` (reminders).
    result<std::vector<accepted_place>> accepted_places(std::int64_t from);

    // Records that the reminder (target, lead) went out; false when it had been recorded
    // before (so each reminder goes exactly once, across restarts too).
    result<bool> claim_reminder(std::string_view target, double lead_minutes, std::int64_t now);

private:
    database& db_;
};

}  // namespace opas::storage
