// Admin routes of the volunteer feature (see bot/admin.hpp).
#include "bot/admin.hpp"

namespace opas::bot {

void add_volunteer_routes(admin_api& /*api*/) {}

}  // namespace opas::bot
