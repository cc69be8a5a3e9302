// The volunteer flow (see bot/flow.hpp).
#include "bot/volunteer_data.hpp"
#include "bot/flow.hpp"
#include "bot/scheduler.hpp"

namespace opas::bot {

bool volunteer_start(turn_context&, std::string_view, const inbound&) { return false; }

bool volunteer_continue(turn_context&, const inbound&, std::string_view) { return false; }

bool shift_reminders_due(scheduler_context&) { return true; }

}  // namespace opas::bot
