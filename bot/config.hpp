#pragma once
// The configuration of opas (CONTRACTS §3): parsed once at start-up into plain structs.
// Unknown keys are errors; secrets may come from the environment, which wins.

#include <array>
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

// An approved WhatsApp message template, for messages outside the 24-hour window.
struct whatsapp_template {
    std::string name;                              // the template's name at Meta
    std::map<std::string, std::string> languages;  // our language code -> template language code
};

// The default templates (config "whatsapp.templates"): booking_reminder, shift_reminder.
std::map<std::string, whatsapp_template> default_whatsapp_templates();

// The template to send for `purpose` to a person who speaks `lang`: its name, the template
// language code, and the language whose texts fill its parameters (`lang` when the template
// exists in it, else "en"). nullopt when no template is configured for the purpose.
struct template_choice {
    std::string name;
    std::string code;
    std::string lang;
};
struct whatsapp_config;
std::optional<template_choice> find_whatsapp_template(const whatsapp_config& cfg,
                                                      const std::string& purpose,
                                                      const std::string& lang);

struct whatsapp_config {
    std::string api_base = "https://graph.facebook.com/v21.0";
    std::string phone_number_id;  // empty: channel off
    std::string access_token;
    std::string app_secret;
    std::string verify_token;
    channel_limits limits{80, 0, 8, 10000};
    // Templates by purpose ("booking_reminder", "shift_reminder"); a language without its own
    // template code uses the "en" one.
    std::map<std::string, whatsapp_template> templates = default_whatsapp_templates();
    bool enabled() const { return !phone_number_id.empty(); }
};

struct centre_config {
    std::string name = "Monikulttuurikeskus Opas (demo)";
    std::string address = "Esimerkkikatu 1, 50100 Mikkeli";
    std::string hours = "Mon-Thu 10-16, Fri 10-14";
    std::string phone = "+358 40 000 0000";
    std::string email = "info@example.org";
};

// The staff Telegram group that takes over conversations (bot/flow_handover.cpp).
struct staff_config {
    std::string telegram_chat_id;      // the group's chat id ("-100..."); empty: handover off
    std::string language;              // language of the bot's notes to staff; "" = default_language
    int handover_timeout_minutes = 240;  // a handover without activity ends after this
    int unsure_before_handover = 3;    // "not sure" answers in a row that start a handover
    // Hours when staff answer, Monday first: "HH:MM-HH:MM" or "" (closed), Europe/Helsinki
    // (the `timezone`). Config: "staff.hours": {"mon": "10:00-16:00", ..., "sun": ""}.
    std::array<std::string, 7> hours = {"10:00-16:00", "10:00-16:00", "10:00-16:00",
                                        "10:00-16:00", "10:00-14:00", "", ""};
};

// The counsellors' appointment schedule (bot/flow_booking.cpp), in the `timezone`.
struct schedule_config {
    // Guidance hours per weekday, Monday first, each "HH:MM-HH:MM"; an empty list: no guidance.
    // Config: "schedule.hours": {"mon": ["10:00-12:00", "13:00-15:00"], ..., "sun": []}.
    std::array<std::vector<std::string>, 7> hours = {{{"10:00-12:00", "13:00-15:00"},
                                                      {"10:00-12:00", "13:00-15:00"},
                                                      {"10:00-12:00", "13:00-15:00"},
                                                      {"10:00-12:00", "13:00-15:00"},
                                                      {"10:00-12:00"},
                                                      {},
                                                      {}}};
    int slot_minutes = 30;         // length of one appointment
    int counsellors = 2;           // appointments per slot
    int book_days_ahead = 21;      // how many days ahead bookings open (today counts as 0)
    int min_notice_minutes = 60;   // a slot must start at least this long after booking
    int max_active_bookings = 2;   // upcoming bookings one person may hold
    std::vector<std::string> closed_dates;  // "YYYY-MM-DD" (more via /admin/closed-dates)
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
    // Volunteer shift reminders go this many minutes before a shift (fractions allowed).
    std::vector<double> shift_reminder_leads_minutes = {1440, 120};
    // Appointment reminders go this many minutes before the appointment (fractions allowed).
    std::vector<double> booking_reminder_leads_minutes = {1440, 120};
    schedule_config schedule;
    staff_config staff;
    // Handover needs the staff group and the Telegram channel to reach it.
    bool handover_enabled() const {
        return !staff.telegram_chat_id.empty() && telegram.enabled();
    }
};

// The languages every deployment must have (CONTRACTS §6).
const std::vector<std::string>& required_languages();

// Reads `path` (or, when `path` is empty, `opas.json` if present, else the built-in
// defaults), applies `env` overrides, validates. Throws config_error.
config load_config(const std::string& path, const std::map<std::string, std::string>& env);

// The process environment as a map of the OPAS_* variables (for `main` only).
std::map<std::string, std::string> opas_environment();

}  // namespace opas::bot
