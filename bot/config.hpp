#pragma once
// The configuration of opas (CONTRACTS §3): parsed once at start-up into plain structs.
// Unknown keys are errors; secrets may come from the environment, which wins.

#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace opas::bot {

// Thrown for any bad configuration; the message names the key. `main` prints it and exits 2.
struct config_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct channel_limits {
    double rate_per_second = 30;     // messages per second over all chats
    int per_chat_interval_ms = 1000; // minimum gap between two messages to one chat
    int max_attempts = 8;            // then the outbox row is marked failed
    int request_timeout_ms = 10000;  // connect + request + response
};

struct telegram_config {
    std::string api_base = "https://api.telegram.org";
    std::string bot_token;     // empty: channel off
    std::string secret_token;  // X-Telegram-Bot-Api-Secret-Token
    channel_limits limits{30, 1000, 8, 10000};
    bool enabled() const { return !bot_token.empty(); }
};

struct whatsapp_config {
    std::string api_base = "https://graph.facebook.com/v21.0";
    std::string phone_number_id;  // empty: channel off
    std::string access_token;
    std::string app_secret;
    std::string verify_token;
    channel_limits limits{80, 0, 8, 10000};
    bool enabled() const { return !phone_number_id.empty(); }
};

struct centre_config {
    std::string name = "Monikulttuurikeskus Opas (demo)";
    std::string address = "Esimerkkikatu 1, 50100 Mikkeli";
    std::string hours = "Mon-Thu 10-16, Fri 10-14";
    std::string phone = "+358 40 000 0000";
    std::string email = "info@example.org";
};

struct config {
    std::string listen_address = "127.0.0.1";
    int listen_port = 8080;
    int listen_threads = 0;  // 0: number of cores
    std::size_t max_body_bytes = 1 << 20;
    int header_timeout_ms = 10000;  // whole request header must arrive within this
    int body_timeout_ms = 30000;    // whole body must arrive within this
    int idle_timeout_ms = 60000;    // keep-alive connection closed after this much silence
    int max_connections = 20000;
    std::string database = "var/opas.db";
    bool database_sync_full = true;
    std::string locales_dir = "locales";
    std::string default_language = "fi";
    std::vector<std::string> languages = {"fi", "sv", "en", "ru", "et", "fr", "so",
                                          "es", "tr", "zh", "fa", "ar", "uk"};
    std::string timezone = "Europe/Helsinki";
    std::string log_level = "info";
    telegram_config telegram;
    whatsapp_config whatsapp;
    std::string pseudonym_key;
    int retention_days = 365;
    std::string admin_token;
    centre_config centre;
};

// The languages every deployment must have (CONTRACTS §6).
const std::vector<std::string>& required_languages();

// Reads `path` (or, when `path` is empty, `opas.json` if present, else the built-in
// defaults), applies `env` overrides, validates. Throws config_error.
config load_config(const std::string& path, const std::map<std::string, std::string>& env);

// The process environment as a map of the OPAS_* variables (for `main` only).
std::map<std::string, std::string> opas_environment();

}  // namespace opas::bot
