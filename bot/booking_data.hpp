#pragma once
// The booking part of the domain (see bot/domain.hpp): what the booking flow reads and changes
// about one person's appointments. Runs inside the turn's transaction on the dispatcher's
// single writer, so `book` checks seats, the person's limit and closed dates atomically.

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "bot/domain.hpp"
#include "storage/bookings.hpp"
#include "storage/status.hpp"

namespace opas::bot {

using appointment = storage::booking_row;

class booking_data {
public:
    virtual ~booking_data() = default;

    // The person's booked appointments starting after `now_s`, earliest first.
    virtual storage::result<std::vector<appointment>> upcoming(std::int64_t now_s) = 0;
    // One of the person's own appointments (any status); not_found for anyone else's.
    virtual storage::result<appointment> find(std::int64_t id) = 0;
    // Booked seats per slot start in [from, to).
    virtual storage::result<std::map<std::int64_t, int>> taken(std::int64_t from,
                                                               std::int64_t to) = 0;
    // Closed by staff (/admin/closed-dates); "YYYY-MM-DD".
    virtual storage::result<bool> closed(const std::string& day) = 0;
    // Books `a` (slot, topic, languages; person fields are filled in here) on local `day`.
    // `replacing`: the appointment a move replaces (it does not count against the limit).
    virtual storage::result<storage::book_result> book(appointment a, const std::string& day,
                                                       int capacity, int max_active,
                                                       std::int64_t now_s,
                                                       std::int64_t replacing = 0) = 0;
    // booked -> cancelled / moved (to `moved_to`); not_found when it is not the person's
    // booked appointment.
    virtual storage::status cancel(std::int64_t id, std::int64_t now_s) = 0;
    virtual storage::status mark_moved(std::int64_t id, std::int64_t moved_to,
                                       std::int64_t now_s) = 0;
};

// SQLite-backed, for the dispatcher; works inside the caller's transaction.
std::unique_ptr<booking_data> make_booking_data(storage::database& db, const person_ref& person);

}  // namespace opas::bot
