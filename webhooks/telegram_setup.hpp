#pragma once
// `opas telegram set-webhook URL`, `delete-webhook` and `webhook-info`: one-shot calls of the
// Telegram Bot API (setWebhook, deleteWebhook, getWebhookInfo) for setting a bot up.

#include <iosfwd>
#include <string>
#include <vector>

#include "bot/cli.hpp"
#include "bot/config.hpp"

namespace opas::webhooks {

// The update kinds opas handles (webhooks/telegram.cpp); Telegram keeps the others back.
const std::vector<std::string>& telegram_allowed_updates();

struct telegram_webhook_options {
    std::string url;                    // https://host[:443|80|88|8443]/webhooks/telegram
    int max_connections = 40;           // 1-100: parallel deliveries Telegram may open
    bool drop_pending_updates = false;  // forget updates queued while no webhook answered
};

// The setWebhook request body: url, secret_token, allowed_updates, max_connections,
// drop_pending_updates.
std::string telegram_set_webhook_body(const bot::telegram_config& cfg,
                                      const telegram_webhook_options& options);

// Runs `cl.command` ("telegram set-webhook" | "telegram delete-webhook" |
// "telegram webhook-info"): prints the API's answer to `out` and returns 0; a network error or
// a refusal by the API prints one line to `err` and returns 1. A bad argument or a missing
// bot token throws std::invalid_argument / bot::config_error (exit 2 in `main`).
int run_telegram_command(const bot::config& cfg, const bot::command_line& cl, std::ostream& out,
                         std::ostream& err);

}  // namespace opas::webhooks
