// The booking flow (see bot/flow.hpp).
#include "bot/booking_data.hpp"
#include "bot/flow.hpp"
#include "bot/scheduler.hpp"

namespace opas::bot {

bool booking_start(turn_context&, std::string_view, const inbound&) { return false; }

bool booking_continue(turn_context&, const inbound&, std::string_view) { return false; }

bool booking_reminders_due(scheduler_context&) { return true; }

}  // namespace opas::bot
