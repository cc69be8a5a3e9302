// Admin routes of the report feature (see bot/admin.hpp):
//   GET /admin/report?from=YYYY-MM-DD&to=YYYY-MM-DD[&format=json|csv|html][&lang=CODE]
#include "bot/admin.hpp"
#include "bot/report.hpp"
#include "bot/report_render.hpp"

namespace opas::bot {
namespace {

std::string query_or(const admin_request& req, const std::string& name, std::string fallback) {
    const auto it = req.query.find(name);
    return it == req.query.end() || it->second.empty() ? fallback : it->second;
}

admin_response get_report(admin_context& ctx, const admin_request& req,
                          const std::vector<std::string>&) {
    report_request rr;
    rr.from = query_or(req, "from", "");
    rr.to = query_or(req, "to", "");
    rr.lang = query_or(req, "lang", ctx.cfg.default_language);
    rr.timezone = ctx.cfg.timezone;
    const auto format = parse_report_format(query_or(req, "format", "json"));
    if (!format) return bad_request("format", "format must be json, csv or html");
    if (auto problem = check_report_request(rr, ctx.messages)) {
        std::string message = problem->message;
        if (message.rfind("--", 0) == 0) message = message.substr(2);  // "--from must ..."
        return bad_request(problem->field, message);
    }
    auto built = build_report(ctx.db, ctx.messages, rr);
    if (!built.ok()) return {500, {{"error", "report failed: " + built.error().message()}}};
    if (*format == report_format::json) return {200, report_to_json(built.value())};
    admin_response res;
    res.status = 200;
    res.content_type = content_type_of(*format);
    res.body = render_report(built.value(), *format);
    return res;
}

}  // namespace

void add_report_routes(admin_api& api) { api.add("GET", "/admin/report", get_report); }

}  // namespace opas::bot
