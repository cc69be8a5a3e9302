#include "bot/scheduler.hpp"

namespace opas::bot {

bool run_scheduler(scheduler_context& ctx) {
    return booking_reminders_due(ctx) && shift_reminders_due(ctx) && handover_timeouts_due(ctx) &&
           retention_due(ctx);
}

}  // namespace opas::bot
