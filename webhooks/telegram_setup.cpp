#include "webhooks/telegram_setup.hpp"

#include <chrono>
#include <ctime>
#include <exception>
#include <nlohmann/json.hpp>
#include <ostream>
#include <stdexcept>

#include "webhooks/http_client.hpp"
#include "webhooks/net.hpp"

namespace opas::webhooks {
namespace {

using json = nlohmann::json;

// One Bot API call; the references outlive the io_context that runs it.
net::awaitable<void> call_api(http_client& client, std::string path, std::string body,
                              std::chrono::milliseconds timeout, http_result& out) {
    std::vector<std::pair<std::string, std::string>> headers;
    out = co_await client.post_json(std::move(path), std::move(body), std::move(headers), timeout);
    client.close();
}

http_result call_bot_api(const bot::telegram_config& cfg, const url& origin,
                         const std::string& method, const std::string& body) {
    net::io_context ioc;
    auto tls = make_client_tls_context();
    http_client client(ioc.get_executor(), *tls, origin);
    http_result result;
    const auto timeout = std::chrono::milliseconds(cfg.limits.request_timeout_ms);
    std::exception_ptr failure;
    auto task = call_api(client, "/bot" + cfg.bot_token + "/" + method, body, timeout, result);
    net::co_spawn(ioc, std::move(task), [&failure](std::exception_ptr e) { failure = e; });
    ioc.run();
    if (failure) std::rethrow_exception(failure);
    return result;
}

std::string joined(const json& list) {
    std::string out;
    for (const auto& item : list) {
        if (!out.empty()) out += ", ";
        out += item.is_string() ? item.get<std::string>() : item.dump();
    }
    return out;
}

std::string utc_time(std::int64_t unix_seconds) {
    const std::time_t t = static_cast<std::time_t>(unix_seconds);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S UTC", &tm);
    return text;
}

// getWebhookInfo's result, one "key: value" line each (dates readable, lists joined).
void print_webhook_info(const json& info, std::ostream& out) {
    if (!info.is_object()) {
        out << info.dump() << "\n";
        return;
    }
    if (info.value("url", std::string()).empty()) out << "no webhook is set (url is empty)\n";
    for (const auto& [key, value] : info.items()) {
        out << key << ": ";
        if (value.is_array()) {
            out << joined(value);
        } else if (value.is_number_integer() && key.size() > 5 &&
                   key.compare(key.size() - 5, 5, "_date") == 0) {
            out << utc_time(value.get<std::int64_t>());
        } else if (value.is_string()) {
            out << value.get<std::string>();
        } else {
            out << value.dump();
        }
        out << "\n";
    }
    if (info.contains("allowed_updates") && info["allowed_updates"] != json(telegram_allowed_updates()))
        out << "note: allowed_updates differ from what opas handles (" +
                   joined(json(telegram_allowed_updates())) + "); run 'opas telegram set-webhook'\n";
}

int parse_max_connections(const std::string& text) {
    std::size_t used = 0;
    int n = 0;
    try {
        n = std::stoi(text, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used != text.size() || n < 1 || n > 100)
        throw std::invalid_argument("--max-connections must be an integer from 1 to 100");
    return n;
}

// Telegram delivers webhooks over HTTPS to ports 443, 80, 88 and 8443 only.
void check_webhook_url(const std::string& text, std::ostream& err) {
    const auto u = parse_url(text);
    if (!u || !u->tls)
        throw std::invalid_argument("set-webhook: URL must be https://host[:port]/webhooks/telegram");
    if (u->port != "443" && u->port != "80" && u->port != "88" && u->port != "8443")
        throw std::invalid_argument("set-webhook: Telegram only calls ports 443, 80, 88 and 8443");
    const std::string suffix = "/webhooks/telegram";
    if (u->base_path.size() < suffix.size() ||
        u->base_path.compare(u->base_path.size() - suffix.size(), suffix.size(), suffix) != 0)
        err << "opas: warning: the URL's path does not end in /webhooks/telegram, where opas "
               "listens; make sure the proxy maps it there\n";
}

}  // namespace

const std::vector<std::string>& telegram_allowed_updates() {
    // message: texts, media, staff replies in the staff chat; callback_query: button taps;
    // my_chat_member: a person blocked or unblocked the bot.
    static const std::vector<std::string> kinds = {"message", "callback_query", "my_chat_member"};
    return kinds;
}

std::string telegram_set_webhook_body(const bot::telegram_config& cfg,
                                      const telegram_webhook_options& options) {
    json body;
    body["url"] = options.url;
    body["secret_token"] = cfg.secret_token;
    body["allowed_updates"] = telegram_allowed_updates();
    body["max_connections"] = options.max_connections;
    body["drop_pending_updates"] = options.drop_pending_updates;
    return body.dump();
}

int run_telegram_command(const bot::config& cfg, const bot::command_line& cl, std::ostream& out,
                         std::ostream& err) {
    if (cfg.telegram.bot_token.empty())
        throw bot::config_error(
            "config: 'telegram.bot_token' is not set (or OPAS_TELEGRAM_BOT_TOKEN)");
    const auto origin = parse_url(cfg.telegram.api_base);
    if (!origin) throw bot::config_error("config: 'telegram.api_base' is not a valid URL");

    telegram_webhook_options options;
    options.drop_pending_updates = cl.get("--drop-pending-updates").has_value();
    std::string method;
    std::string body = "{}";
    if (cl.command == "telegram set-webhook") {
        options.url = cl.get("URL").value_or("");
        check_webhook_url(options.url, err);
        if (const auto n = cl.get("--max-connections")) options.max_connections = parse_max_connections(*n);
        method = "setWebhook";
        body = telegram_set_webhook_body(cfg.telegram, options);
    } else if (cl.command == "telegram delete-webhook") {
        method = "deleteWebhook";
        body = json{{"drop_pending_updates", options.drop_pending_updates}}.dump();
    } else if (cl.command == "telegram webhook-info") {
        method = "getWebhookInfo";
    } else {
        throw std::invalid_argument("unknown command '" + cl.command + "'");
    }

    const auto res = call_bot_api(cfg.telegram, *origin, method, body);
    if (res.ec) {
        err << "opas: telegram " << method << ": cannot reach " << origin->host << ":"
            << origin->port << " (" << res.ec.message() << ")\n";
        return 1;
    }
    const json answer = json::parse(res.body, nullptr, false);
    if (answer.is_discarded() || !answer.is_object()) {
        err << "opas: telegram " << method << ": HTTP " << res.status
            << " with a body that is not JSON\n";
        return 1;
    }
    const std::string description = answer.value("description", std::string());
    if (res.status != 200 || !answer.value("ok", false)) {
        err << "opas: telegram " << method << " refused: HTTP " << res.status << " "
            << (description.empty() ? "(no description)" : description) << "\n";
        return 1;
    }
    out << "Telegram " << method << ": ok";
    if (!description.empty()) out << " (" << description << ")";
    out << "\n";
    if (method == "setWebhook") {
        out << "url: " << options.url << "\n"
            << "allowed_updates: " << joined(json(telegram_allowed_updates())) << "\n"
            << "max_connections: " << options.max_connections << "\n"
            << "drop_pending_updates: " << (options.drop_pending_updates ? "yes" : "no") << "\n";
    } else if (method == "getWebhookInfo") {
        print_webhook_info(answer.value("result", json::object()), out);
    }
    return 0;
}

}  // namespace opas::webhooks
