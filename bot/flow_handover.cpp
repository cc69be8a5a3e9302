// The handover flow (see bot/flow.hpp).
#include "bot/handover_data.hpp"
#include "bot/flow.hpp"
#include "bot/scheduler.hpp"

namespace opas::bot {

bool handover_start(turn_context&, std::string_view, const inbound&) { return false; }

bool handover_continue(turn_context&, const inbound&, std::string_view) { return false; }

bool handover_timeouts_due(scheduler_context&) { return true; }

}  // namespace opas::bot
