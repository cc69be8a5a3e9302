#pragma once
// The handover part of the domain (see bot/domain.hpp): what the handover flow reads and changes.

#include <memory>

#include "bot/domain.hpp"

namespace opas::bot {

class handover_data {
public:
    virtual ~handover_data() = default;
};

// SQLite-backed, for the dispatcher; works inside the caller's transaction.
std::unique_ptr<handover_data> make_handover_data(storage::database& db, const person_ref& person);

}  // namespace opas::bot
