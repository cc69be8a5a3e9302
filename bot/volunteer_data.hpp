#pragma once
// The volunteer part of the domain (see bot/domain.hpp): what the volunteer flow reads and changes.

#include <memory>

#include "bot/domain.hpp"

namespace opas::bot {

class volunteer_data {
public:
    virtual ~volunteer_data() = default;
};

// SQLite-backed, for the dispatcher; works inside the caller's transaction.
std::unique_ptr<volunteer_data> make_volunteer_data(storage::database& db, const person_ref& person);

}  // namespace opas::bot
