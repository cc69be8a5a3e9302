#pragma once
// The booking part of the domain (see bot/domain.hpp): what the booking flow reads and changes.

#include <memory>

#include "bot/domain.hpp"

namespace opas::bot {

class booking_data {
public:
    virtual ~booking_data() = default;
};

// SQLite-backed, for the dispatcher; works inside the caller's transaction.
std::unique_ptr<booking_data> make_booking_data(storage::database& db, const person_ref& person);

}  // namespace opas::bot
