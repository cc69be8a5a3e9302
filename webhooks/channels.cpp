// The platform descriptions the senders use: where to call and how to render an outbox row.
#include <nlohmann/json.hpp>
#include <optional>

#include "webhooks/sender.hpp"
#include "webhooks/telegram.hpp"
#include "webhooks/whatsapp.hpp"

namespace opas::webhooks {
namespace {

url origin_of(const std::string& base, const char* key) {
    auto u = parse_url(base);
    if (!u) throw std::runtime_error(std::string("config: '") + key + "' is not a valid http(s) URL");
    return *u;
}

std::string json_string_field(const std::string& payload, const char* name) {
    const auto j = nlohmann::json::parse(payload, nullptr, false);
    if (j.is_discarded() || !j.is_object() || !j.contains(name) || !j[name].is_string()) return {};
    return j[name].get<std::string>();
}

// The "fallback" reply of a "template" outbox row (bot/booking_reminders.cpp), as reply JSON:
// what a channel without templates sends instead.
std::string template_fallback(const std::string& payload) {
    const auto j = nlohmann::json::parse(payload, nullptr, false);
    if (j.is_discarded() || !j.is_object() || !j.contains("fallback")) return {};
    return j["fallback"].dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// A "template" outbox row: {"name", "language", "params": [...]} -> a WhatsApp template body.
std::optional<std::string> whatsapp_template_body(const storage::outbox_row& row) {
    const auto j = nlohmann::json::parse(row.payload, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return std::nullopt;
    const auto name = j.value("name", std::string());
    const auto language = j.value("language", std::string());
    if (name.empty() || language.empty()) return std::nullopt;
    std::vector<std::string> params;
    if (j.contains("params") && j["params"].is_array())
        for (const auto& p : j["params"])
            if (p.is_string()) params.push_back(p.get<std::string>());
    return render_whatsapp_template(row.chat_id, name, language, params);
}

}  // namespace

channel_api make_telegram_api(const bot::telegram_config& cfg) {
    channel_api api;
    api.name = "telegram";
    api.origin = origin_of(cfg.api_base, "telegram.api_base");
    const std::string prefix = "/bot" + cfg.bot_token;
    api.render = [prefix](const storage::outbox_row& row) {
        std::vector<outbound_call> calls;
        if (row.kind == "callback_ack") {
            const auto id = json_string_field(row.payload, "callback_query_id");
            if (!id.empty())
                calls.push_back({prefix + "/answerCallbackQuery", render_telegram_callback_answer(id)});
        } else if (auto r = bot::reply_from_json(
                       row.kind == "template" ? template_fallback(row.payload) : row.payload)) {
            for (auto& body : render_telegram(row.chat_id, *r))
                calls.push_back({prefix + "/sendMessage", std::move(body)});
        }
        return calls;
    };
    api.classify = classify_telegram_response;
    return api;
}

channel_api make_whatsapp_api(const bot::whatsapp_config& cfg) {
    channel_api api;
    api.name = "whatsapp";
    api.origin = origin_of(cfg.api_base, "whatsapp.api_base");
    api.headers = {{"Authorization", "Bearer " + cfg.access_token}};
    const std::string path = "/" + cfg.phone_number_id + "/messages";
    api.render = [path](const storage::outbox_row& row) {
        std::vector<outbound_call> calls;
        if (row.kind == "template") {
            if (auto body = whatsapp_template_body(row)) calls.push_back({path, std::move(*body)});
        } else if (auto r = bot::reply_from_json(row.payload)) {
            for (auto& body : render_whatsapp(row.chat_id, *r)) calls.push_back({path, std::move(body)});
        }
        return calls;
    };
    api.classify = classify_whatsapp_response;
    return api;
}

}  // namespace opas::webhooks
