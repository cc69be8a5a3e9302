#pragma once
// "Forget me" after the engine's turn (DESIGN.md "Privacy by construction"): the dispatcher
// calls forget_person() instead of saving the person when turn.erase_person is set.

#include <cstdint>
#include <string>

#include "bot/catalog.hpp"
#include "bot/config.hpp"
#include "bot/engine.hpp"
#include "storage/database.hpp"

namespace opas::bot {

// Erases the person (storage/erasure.hpp: bookings cancelled, volunteer record removed,
// handover closed with a note to staff, people row and outbox deleted) and queues the turn's
// replies (the confirmation) and `callback_ack` (if not empty) to a stand-in that holds only
// the reply address until they are delivered. The caller checkpoints after the commit.
// False when a storage call failed (the job is rolled back: nothing is erased).
bool forget_person(storage::database& db, const catalog& messages, const config& cfg,
                   const storage::person& p, const turn& t, const std::string& callback_ack,
                   std::int64_t now_ms);

}  // namespace opas::bot
