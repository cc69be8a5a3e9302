// Admin routes of the handover feature (see bot/admin.hpp).
#include "bot/admin.hpp"

namespace opas::bot {

void add_handover_routes(admin_api& /*api*/) {}

}  // namespace opas::bot
