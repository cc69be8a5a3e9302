#pragma once
// Handovers to the staff group: one row per person whose conversation a person (staff) has
// taken over (table `handovers`). A handover is named by a short code, "#" and the first 8 hex
// characters of the person's pseudonym: the staff group sees only the code, never a platform
// id, and a staff reply finds its person by the code in the replied-to message.
//
// The staff group itself is a row of `people` (channel telegram, user id "staff-group", chat id
// the group's id) so that messages to it go through the outbox like any other; it never
// converses.
//
// All functions work inside the caller's transaction (the dispatcher's writer thread).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/database.hpp"

namespace opas::storage {

inline constexpr std::string_view staff_group_user_id = "staff-group";

struct handover {
    std::int64_t person_id = 0;
    std::string code;       // "#a1b2c3d4"
    std::string pseudonym;  // the whole pseudonym (for the contact log)
    std::string channel;    // the person's channel
    std::string language;   // the person's remembered language
    std::int64_t started_at = 0;     // unix seconds
    std::int64_t last_activity = 0;  // unix seconds
};

// "#" + the first 8 characters of a pseudonym.
std::string handover_code(std::string_view pseudonym);

// Opens a handover (or refreshes the one open); true when it was not open before.
result<bool> open_handover(database& db, std::int64_t person_id, std::int64_t now);
result<bool> handover_active(database& db, std::int64_t person_id);
status touch_handover(database& db, std::int64_t person_id, std::int64_t now);
// Closes the person's handover; true when one was open.
result<bool> close_handover(database& db, std::int64_t person_id);

// The open handover named by `code` ("#a1b2c3d4" or "a1b2c3d4", any case).
result<std::optional<handover>> find_handover(database& db, std::string_view code);
// Open handovers, oldest first.
result<std::vector<handover>> open_handovers(database& db);
// Open handovers without activity since `before` (unix seconds).
result<std::vector<handover>> idle_handovers(database& db, std::int64_t before);

// The people row of the staff group (created when missing; the chat id follows the config).
result<std::int64_t> staff_group_person(database& db, std::string_view chat_id, std::int64_t now);

}  // namespace opas::storage
