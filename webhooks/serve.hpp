#pragma once
// `opas serve`: wires the server, the dispatcher and the senders, runs until SIGINT/SIGTERM,
// then drains and returns 0.

#include "bot/config.hpp"

namespace opas::webhooks {

int run_serve(const bot::config& cfg);

}  // namespace opas::webhooks
