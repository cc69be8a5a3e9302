#pragma once
// Appointments with counsellors, closed dates and appointment reminders (schema v2 tables).
//
// A `booking_store` is a thin view over one `database`: it runs on the caller's connection and
// transaction. The dispatcher is the single writer, so `book` checks the seats left, the
// person's limit and closed dates and inserts in one step that no other turn can interleave:
// many people racing for the last seat get exactly as many bookings as there are seats.
// Times are unix seconds; days are "YYYY-MM-DD" in the configured time zone (bot/ computes
// them). No platform ids here: a booking refers to its person by `person_id` and pseudonym.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "storage/database.hpp"
#include "storage/status.hpp"

namespace opas::storage {

struct booking_row {
    std::int64_t id = 0;
    std::int64_t person_id = 0;   // 0 once the person was erased
    std::string pseudonym;
    std::int64_t slot_start = 0;  // unix seconds
    int slot_minutes = 30;
    std::string topic;            // a guidance.* intent
    std::string language;         // conversation language
    std::string interpreter;      // language code, "" = none needed
    std::string status = "booked";  // booked | cancelled | moved | no_show
    std::int64_t created_at = 0;
    std::int64_t changed_at = 0;  // 0 when never changed
    std::int64_t moved_to = 0;    // the new booking of a moved one, else 0
};

enum class book_outcome {
    booked,         // the row is in; `id` holds its id
    slot_full,      // every seat of the slot is taken
    limit_reached,  // the person already holds `max_active` upcoming bookings
    day_closed,     // the day is a closed date
};

struct book_result {
    book_outcome outcome = book_outcome::booked;
    std::int64_t id = 0;
    int active = 0;  // the person's upcoming bookings before this one
};

class booking_store {
public:
    explicit booking_store(database& db) : db_(db) {}

    // Books `b.slot_start` for `b.person_id` when the slot has fewer than `capacity` booked
    // rows, the person has fewer than `max_active` booked rows starting after `now` (not
    // counting `replacing`, the booking a move replaces) and `day` is not closed.
    result<book_result> book(const booking_row& b, std::string_view day, int capacity,
                             int max_active, std::int64_t now, std::int64_t replacing = 0);

    // One booking; not_found when there is none.
    result<booking_row> by_id(std::int64_t id);
    // The person's booked appointments starting after `from`, earliest first.
    result<std::vector<booking_row>> upcoming_of(std::int64_t person_id, std::int64_t from);
    // Booked rows per slot start, for slots starting in [from, to).
    result<std::map<std::int64_t, int>> taken_between(std::int64_t from, std::int64_t to);
    // Every booking (any status) with a slot in [from, to), earliest first.
    result<std::vector<booking_row>> between(std::int64_t from, std::int64_t to);
    // Booked appointments with a slot in (from, to], for reminders.
    result<std::vector<booking_row>> booked_between(std::int64_t from, std::int64_t to);

    // booked -> cancelled / no_show; not_found when the row is not booked (or not there).
    status cancel(std::int64_t id, std::int64_t now);
    status mark_no_show(std::int64_t id, std::int64_t now);
    // booked -> moved, pointing at the booking that replaces it.
    status mark_moved(std::int64_t id, std::int64_t moved_to, std::int64_t now);

    // Closed dates ("YYYY-MM-DD").
    result<bool> is_closed(std::string_view day);
    result<std::vector<std::string>> closed_dates();
    // true when added / removed, false when it was already so.
    result<bool> add_closed(std::string_view day);
    result<bool> remove_closed(std::string_view day);

    // Records that reminder (target, lead) went out; false when it had been recorded before
    // (each reminder goes exactly once, across restarts too).
    result<bool> claim_reminder(std::string_view target, double lead_minutes, std::int64_t now);

private:
    database& db_;
};

}  // namespace opas::storage
