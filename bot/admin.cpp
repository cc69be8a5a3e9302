#include "bot/admin.hpp"

namespace opas::bot {
namespace {

std::vector<std::string> split_path(std::string_view path) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= path.size()) {
        const auto slash = path.find('/', start);
        const auto end = slash == std::string_view::npos ? path.size() : slash;
        if (end > start) out.emplace_back(path.substr(start, end - start));
        if (slash == std::string_view::npos) break;
        start = slash + 1;
    }
    return out;
}

}  // namespace

admin_response bad_request(std::string field, std::string message) {
    return {400, {{"error", std::move(message)}, {"field", std::move(field)}}};
}

admin_response not_found(std::string what) { return {404, {{"error", what + " not found"}}}; }

admin_api::admin_api() {
    add_booking_routes(*this);
    add_volunteer_routes(*this);
    add_handover_routes(*this);
    add_report_routes(*this);
}

void admin_api::add(std::string method, std::string pattern, admin_handler handler) {
    routes_.push_back({std::move(method), split_path(pattern), std::move(handler)});
}

admin_response admin_api::handle(admin_context& ctx, const admin_request& req) const {
    const auto segments = split_path(req.path);
    bool path_known = false;
    for (const auto& r : routes_) {
        if (r.segments.size() != segments.size()) continue;
        std::vector<std::string> params;
        bool match = true;
        for (std::size_t i = 0; i < segments.size() && match; ++i) {
            const auto& s = r.segments[i];
            if (s.size() > 2 && s.front() == '{' && s.back() == '}')
                params.push_back(segments[i]);
            else
                match = s == segments[i];
        }
        if (!match) continue;
        path_known = true;
        if (r.method == req.method) return r.handler(ctx, req, params);
    }
    if (path_known) return {405, {{"error", "method not allowed"}}};
    return not_found("admin resource " + req.path);
}

}  // namespace opas::bot
