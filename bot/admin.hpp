#pragma once
// The staff's JSON API (/admin/...), without HTTP: webhooks/server.cpp checks the bearer token,
// parses the body and runs `admin_api::handle` as a job on the dispatcher's writer thread, so
// every change is one transaction. Each feature adds its routes in its own file:
//   add_booking_routes   (bot/admin_bookings.cpp)    bookings by day, no-show, closed dates
//   add_volunteer_routes (bot/admin_volunteers.cpp)  volunteers, shifts
//   add_handover_routes  (bot/admin_handover.cpp)    handovers
//   add_report_routes    (bot/admin_report.cpp)      the anonymized report

#include <cstdint>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "bot/catalog.hpp"
#include "bot/config.hpp"
#include "storage/database.hpp"

namespace opas::bot {

struct admin_request {
    std::string method;                         // GET, POST, PUT, DELETE
    std::string path;                           // "/admin/bookings"
    std::map<std::string, std::string> query;   // decoded query parameters
    nlohmann::json body;                        // null when there is no body
};

struct admin_response {
    int status = 200;
    nlohmann::json body;
    std::string content_type = "application/json";  // other types: body is a string
};

// 400 with {"error": message, "field": field}: every validation failure names the field.
admin_response bad_request(std::string field, std::string message);
admin_response not_found(std::string what);

struct admin_context {
    storage::database& db;
    const catalog& messages;
    const config& cfg;
    std::int64_t now_ms;
};

// `params` holds the values of "{name}" segments of the route pattern, in order.
using admin_handler = std::function<admin_response(admin_context&, const admin_request&,
                                                   const std::vector<std::string>& params)>;

class admin_api {
public:
    admin_api();  // all routes of all features
    // Pattern like "/admin/bookings/{id}/no-show".
    void add(std::string method, std::string pattern, admin_handler handler);
    // Runs the matching route; 404 for an unknown path, 405 for a known path with another method.
    admin_response handle(admin_context& ctx, const admin_request& req) const;

private:
    struct route {
        std::string method;
        std::vector<std::string> segments;
        admin_handler handler;
    };
    std::vector<route> routes_;
};

void add_booking_routes(admin_api& api);
void add_volunteer_routes(admin_api& api);
void add_handover_routes(admin_api& api);
void add_report_routes(admin_api& api);

}  // namespace opas::bot
