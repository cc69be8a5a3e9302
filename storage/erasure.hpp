#pragma once
// Erasure of a person ("forget me", retention): DESIGN.md "Privacy by construction".
//
// erase_person_fully() is database::erase_person() plus what the centre's tables need:
// bookings are cancelled (the rows stay for the counts, pseudonymous, person_id NULL), the
// volunteer record and its shift assignments go, an open handover is closed, and the texts
// that were forwarded to the staff group under the person's handover code are deleted.
// After the commit, call database::checkpoint() so the old page images leave the -wal file.
//
// The confirmation ("everything has been deleted") must still reach a person who no longer
// exists: farewell_contact() makes a stand-in people row that holds only the reply address,
// with a user id "erased:<n>" that no platform sends, so the person's next message finds no
// one and starts as a stranger. drop_farewell_contacts() erases the stand-ins once their
// messages are delivered (bot/flow_handover.cpp calls it from the scheduler).

#include <cstdint>
#include <string_view>

#include "storage/database.hpp"

namespace opas::storage {

status erase_person_fully(database& db, std::int64_t person_id, std::int64_t now);

// A stand-in row on `channel` with reply address `chat_id`; returns its person id.
result<std::int64_t> farewell_contact(database& db, std::string_view channel,
                                      std::string_view chat_id, std::int64_t erased_id,
                                      std::int64_t now);

// Erases stand-ins without pending outbox rows, or older than `max_wait` seconds; returns how
// many went.
result<std::int64_t> drop_farewell_contacts(database& db, std::int64_t now, std::int64_t max_wait);

}  // namespace opas::storage
