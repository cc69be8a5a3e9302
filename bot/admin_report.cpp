// Admin routes of the report feature (see bot/admin.hpp).
#include "bot/admin.hpp"

namespace opas::bot {

void add_report_routes(admin_api& /*api*/) {}

}  // namespace opas::bot
