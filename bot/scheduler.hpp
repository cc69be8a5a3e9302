#pragma once
// Time-driven work, run every few seconds as one job on the dispatcher's writer thread:
// reminders before appointments and shifts (unique per target and lead time, so restarts
// neither lose nor repeat them), handover timeouts, and retention (erasing inactive people;
// hourly, forgetting old dedupe keys and finished outbox rows).
// Each feature defines its own hook in its own file.

#include <cstdint>

#include "bot/catalog.hpp"
#include "bot/config.hpp"
#include "storage/database.hpp"

namespace opas::bot {

struct scheduler_context {
    storage::database& db;
    const catalog& messages;
    const config& cfg;
    std::int64_t now_ms;
    bool added_outbox = false;  // set by hooks that enqueue messages
    bool erased = false;        // set when people were erased (the caller checkpoints)
};

// Runs every hook; false when a storage call failed (the job is rolled back and retried at
// the next tick).
bool run_scheduler(scheduler_context& ctx);

// Hooks (each defined in its feature's file).
bool booking_reminders_due(scheduler_context& ctx);   // bot/flow_booking.cpp
bool shift_reminders_due(scheduler_context& ctx);     // bot/flow_volunteer.cpp
bool handover_timeouts_due(scheduler_context& ctx);   // bot/flow_handover.cpp
bool retention_due(scheduler_context& ctx);           // bot/retention.cpp

}  // namespace opas::bot
