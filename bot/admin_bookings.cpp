// Admin routes of the booking feature (see bot/admin.hpp).
#include "bot/admin.hpp"

namespace opas::bot {

void add_booking_routes(admin_api& /*api*/) {}

}  // namespace opas::bot
