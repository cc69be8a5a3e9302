// Admin routes of the handover feature (see bot/admin.hpp):
//   GET  /admin/handovers              open handovers (code, pseudonym, channel, language, times)
//   POST /admin/handovers/{code}/end   ends one (code without '#'): as `/end #code` in the group
#include <cctype>

#include "bot/admin.hpp"
#include "bot/handover_data.hpp"
#include "storage/handovers.hpp"

namespace opas::bot {
namespace {

using json = nlohmann::json;

json to_json_row(const storage::handover& h) {
    return {{"code", h.code},
            {"pseudonym", h.pseudonym},
            {"channel", h.channel},
            {"language", h.language},
            {"started_at", h.started_at},
            {"last_activity", h.last_activity}};
}

bool is_code(std::string_view code) {
    if (!code.empty() && code.front() == '#') code.remove_prefix(1);
    if (code.size() != 8) return false;
    for (char c : code)
        if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
    return true;
}

admin_response list_handovers(admin_context& ctx, const admin_request&,
                              const std::vector<std::string>&) {
    auto rows = storage::open_handovers(ctx.db);
    if (!rows) return {500, {{"error", "storage"}}};
    json list = json::array();
    for (const auto& h : rows.value()) list.push_back(to_json_row(h));
    return {200, {{"handovers", list}}};
}

admin_response end_one(admin_context& ctx, const admin_request&,
                       const std::vector<std::string>& params) {
    const std::string& code = params.at(0);
    if (!is_code(code)) return bad_request("code", "must be 8 hexadecimal characters, e.g. a1b2c3d4");
    auto found = storage::find_handover(ctx.db, code);
    if (!found) return {500, {{"error", "storage"}}};
    if (!found->has_value()) return not_found("open handover " + code);
    const storage::handover h = **found;
    if (!end_handover(ctx.db, ctx.messages, ctx.cfg, ctx.now_ms, h, "handover.staff_ended"))
        return {500, {{"error", "storage"}}};
    return {200, {{"ended", to_json_row(h)}}};
}

}  // namespace

void add_handover_routes(admin_api& api) {
    api.add("GET", "/admin/handovers", list_handovers);
    api.add("POST", "/admin/handovers/{code}/end", end_one);
}

}  // namespace opas::bot
