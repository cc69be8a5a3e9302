#include "bot/config.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <sstream>

extern char** environ;

namespace opas::bot {
namespace {

using json = nlohmann::json;
using setter = std::function<void(const json&, const std::string& key)>;

[[noreturn]] void fail(const std::string& key, const std::string& what) {
    throw config_error("config: '" + key + "' " + what);
}

setter string_key(std::string& out) {
    return [&out](const json& v, const std::string& key) {
        if (!v.is_string()) fail(key, "must be a string");
        out = v.get<std::string>();
    };
}

setter int_key(int& out, long long lo, long long hi) {
    return [&out, lo, hi](const json& v, const std::string& key) {
        if (!v.is_number_integer() || v.get<long long>() < lo || v.get<long long>() > hi)
            fail(key, "must be an integer from " + std::to_string(lo) + " to " +
                          std::to_string(hi));
        out = static_cast<int>(v.get<long long>());
    };
}

setter size_key(std::size_t& out, long long lo, long long hi) {
    return [&out, lo, hi](const json& v, const std::string& key) {
        if (!v.is_number_integer() || v.get<long long>() < lo || v.get<long long>() > hi)
            fail(key, "must be an integer from " + std::to_string(lo) + " to " +
                          std::to_string(hi));
        out = static_cast<std::size_t>(v.get<long long>());
    };
}

setter number_key(double& out, double lo, double hi) {
    return [&out, lo, hi](const json& v, const std::string& key) {
        if (!v.is_number() || v.get<double>() < lo || v.get<double>() > hi)
            fail(key, "must be a number from " + std::to_string(lo) + " to " +
                          std::to_string(hi));
        out = v.get<double>();
    };
}

setter bool_key(bool& out) {
    return [&out](const json& v, const std::string& key) {
        if (!v.is_boolean()) fail(key, "must be true or false");
        out = v.get<bool>();
    };
}

setter string_list_key(std::vector<std::string>& out) {
    return [&out](const json& v, const std::string& key) {
        if (!v.is_array() || v.empty()) fail(key, "must be a non-empty array of strings");
        out.clear();
        for (const auto& item : v) {
            if (!item.is_string()) fail(key, "must be a non-empty array of strings");
            out.push_back(item.get<std::string>());
        }
    };
}

// "HH:MM-HH:MM" with the start before the end, or "" for a closed day.
bool is_hours_range(const std::string& s) {
    if (s.empty()) return true;
    int h1 = 0, m1 = 0, h2 = 0, m2 = 0;
    char tail = 0;
    if (std::sscanf(s.c_str(), "%2d:%2d-%2d:%2d%c", &h1, &m1, &h2, &m2, &tail) != 4) return false;
    const bool valid = h1 >= 0 && h1 <= 24 && h2 >= 0 && h2 <= 24 && m1 >= 0 && m1 < 60 &&
                       m2 >= 0 && m2 < 60;
    return valid && h1 * 60 + m1 < h2 * 60 + m2 && h2 * 60 + m2 <= 24 * 60;
}

setter staff_hours_key(std::array<std::string, 7>& out) {
    return [&out](const json& v, const std::string& key) {
        static const char* const days[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
        if (!v.is_object()) fail(key, "must be an object with keys mon ... sun");
        std::array<std::string, 7> hours{};
        for (const auto& [day, range] : v.items()) {
            const auto* it = std::find(std::begin(days), std::end(days), day);
            if (it == std::end(days)) fail(key + "." + day, "is not a known key (mon ... sun)");
            if (!range.is_string() || !is_hours_range(range.get<std::string>()))
                fail(key + "." + day, "must be \"HH:MM-HH:MM\" or \"\" (closed)");
            hours[static_cast<std::size_t>(it - std::begin(days))] = range.get<std::string>();
        }
        out = hours;
    };
}

// Reminder lead times: a list of minutes before the event, each above 0 and at most 30 days.
setter shift_leads_key(std::vector<double>& out) {
    return [&out](const json& v, const std::string& key) {
        if (!v.is_array()) fail(key, "must be an array of minutes, e.g. [1440, 120]");
        out.clear();
        for (const auto& item : v) {
            if (!item.is_number() || item.get<double>() <= 0 || item.get<double>() > 43200)
                fail(key, "must hold numbers of minutes above 0 and at most 43200");
            out.push_back(item.get<double>());
        }
    };
}

// "schedule.hours": {"mon": ["10:00-12:00", ...], ...}; a missing day has no guidance hours.
setter schedule_hours_key(std::array<std::vector<std::string>, 7>& out) {
    return [&out](const json& v, const std::string& key) {
        static const char* const days[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
        if (!v.is_object()) fail(key, "must be an object with keys mon ... sun");
        std::array<std::vector<std::string>, 7> hours{};
        for (const auto& [day, ranges] : v.items()) {
            const auto* it = std::find(std::begin(days), std::end(days), day);
            if (it == std::end(days)) fail(key + "." + day, "is not a known key (mon ... sun)");
            if (!ranges.is_array()) fail(key + "." + day, "must be an array of \"HH:MM-HH:MM\"");
            auto& list = hours[static_cast<std::size_t>(it - std::begin(days))];
            for (const auto& r : ranges) {
                if (!r.is_string() || r.get<std::string>().empty() ||
                    !is_hours_range(r.get<std::string>()))
                    fail(key + "." + day, "must be an array of \"HH:MM-HH:MM\"");
                list.push_back(r.get<std::string>());
            }
        }
        out = hours;
    };
}

// "YYYY-MM-DD" with a plausible month and day.
bool is_iso_date(const std::string& s) {
    int y = 0, m = 0, d = 0;
    char tail = 0;
    if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
    if (std::sscanf(s.c_str(), "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3) return false;
    return y >= 2000 && y <= 2999 && m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

setter date_list_key(std::vector<std::string>& out) {
    return [&out](const json& v, const std::string& key) {
        if (!v.is_array()) fail(key, "must be an array of \"YYYY-MM-DD\" dates");
        out.clear();
        for (const auto& item : v) {
            if (!item.is_string() || !is_iso_date(item.get<std::string>()))
                fail(key, "must be an array of \"YYYY-MM-DD\" dates");
            out.push_back(item.get<std::string>());
        }
    };
}

// "whatsapp.templates": {"booking_reminder": {"name": "...", "languages": {"fi": "fi", ...}}}.
// Purposes named in the file replace the defaults; the others keep them.
setter templates_key(std::map<std::string, whatsapp_template>& out) {
    return [&out](const json& v, const std::string& key) {
        if (!v.is_object()) fail(key, "must be an object of templates by purpose");
        for (const auto& [purpose, t] : v.items()) {
            const std::string at = key + "." + purpose;
            if (!t.is_object()) fail(at, "must be an object with \"name\" and \"languages\"");
            whatsapp_template tmpl;
            for (const auto& [field, value] : t.items()) {
                if (field == "name") {
                    if (!value.is_string() || value.get<std::string>().empty())
                        fail(at + ".name", "must be a non-empty string");
                    tmpl.name = value.get<std::string>();
                } else if (field == "languages") {
                    if (!value.is_object() || value.empty())
                        fail(at + ".languages", "must be an object of language -> template code");
                    for (const auto& [lang, code] : value.items()) {
                        if (!code.is_string() || code.get<std::string>().empty())
                            fail(at + ".languages." + lang, "must be a template language code");
                        tmpl.languages[lang] = code.get<std::string>();
                    }
                } else {
                    fail(at + "." + field, "is not a known key");
                }
            }
            if (tmpl.name.empty()) fail(at + ".name", "is required");
            if (tmpl.languages.empty()) fail(at + ".languages", "is required");
            out[purpose] = std::move(tmpl);
        }
    };
}

void add_limits(std::map<std::string, setter>& keys, const std::string& prefix,
                channel_limits& l) {
    keys[prefix + ".rate_per_second"] = number_key(l.rate_per_second, 0.1, 10000);
    keys[prefix + ".per_chat_interval_ms"] = int_key(l.per_chat_interval_ms, 0, 600000);
    keys[prefix + ".max_attempts"] = int_key(l.max_attempts, 1, 1000);
    keys[prefix + ".request_timeout_ms"] = int_key(l.request_timeout_ms, 100, 600000);
}

std::map<std::string, setter> known_keys(config& c) {
    std::map<std::string, setter> k;
    k["listen.address"] = string_key(c.listen_address);
    k["listen.port"] = int_key(c.listen_port, 0, 65535);
    k["listen.threads"] = int_key(c.listen_threads, 1, 256);
    k["listen.max_body_bytes"] = size_key(c.max_body_bytes, 1024, 64ll << 20);
    k["listen.header_timeout_ms"] = int_key(c.header_timeout_ms, 100, 600000);
    k["listen.body_timeout_ms"] = int_key(c.body_timeout_ms, 100, 600000);
    k["listen.idle_timeout_ms"] = int_key(c.idle_timeout_ms, 100, 3600000);
    k["listen.max_connections"] = int_key(c.max_connections, 1, 1000000);
    k["database"] = string_key(c.database);
    k["database_sync_full"] = bool_key(c.database_sync_full);
    k["locales_dir"] = string_key(c.locales_dir);
    k["default_language"] = string_key(c.default_language);
    k["languages"] = string_list_key(c.languages);
    k["timezone"] = string_key(c.timezone);
    k["log_level"] = string_key(c.log_level);
    k["telegram.api_base"] = string_key(c.telegram.api_base);
    k["telegram.bot_token"] = string_key(c.telegram.bot_token);
    k["telegram.secret_token"] = string_key(c.telegram.secret_token);
    add_limits(k, "telegram", c.telegram.limits);
    k["whatsapp.api_base"] = string_key(c.whatsapp.api_base);
    k["whatsapp.phone_number_id"] = string_key(c.whatsapp.phone_number_id);
    k["whatsapp.access_token"] = string_key(c.whatsapp.access_token);
    k["whatsapp.app_secret"] = string_key(c.whatsapp.app_secret);
    k["whatsapp.verify_token"] = string_key(c.whatsapp.verify_token);
    add_limits(k, "whatsapp", c.whatsapp.limits);
    k["privacy.pseudonym_key"] = string_key(c.pseudonym_key);
    k["privacy.retention_days"] = int_key(c.retention_days, 1, 36500);
    k["admin.token"] = string_key(c.admin_token);
    k["centre.name"] = string_key(c.centre.name);
    k["centre.address"] = string_key(c.centre.address);
    k["centre.hours"] = string_key(c.centre.hours);
    k["centre.phone"] = string_key(c.centre.phone);
    k["centre.email"] = string_key(c.centre.email);
    k["reminders.shift_leads_minutes"] = shift_leads_key(c.shift_reminder_leads_minutes);
    k["reminders.booking_leads_minutes"] = shift_leads_key(c.booking_reminder_leads_minutes);
    k["schedule.hours"] = schedule_hours_key(c.schedule.hours);
    k["schedule.slot_minutes"] = int_key(c.schedule.slot_minutes, 5, 480);
    k["schedule.counsellors"] = int_key(c.schedule.counsellors, 1, 1000);
    k["schedule.book_days_ahead"] = int_key(c.schedule.book_days_ahead, 1, 366);
    k["schedule.min_notice_minutes"] = int_key(c.schedule.min_notice_minutes, 0, 7 * 24 * 60);
    k["schedule.max_active_bookings"] = int_key(c.schedule.max_active_bookings, 1, 100);
    k["schedule.closed_dates"] = date_list_key(c.schedule.closed_dates);
    k["whatsapp.templates"] = templates_key(c.whatsapp.templates);
    k["staff.telegram_chat_id"] = string_key(c.staff.telegram_chat_id);
    k["staff.language"] = string_key(c.staff.language);
    k["staff.handover_timeout_minutes"] = int_key(c.staff.handover_timeout_minutes, 1, 7 * 24 * 60);
    k["staff.unsure_before_handover"] = int_key(c.staff.unsure_before_handover, 1, 100);
    k["staff.hours"] = staff_hours_key(c.staff.hours);
    return k;
}

// Walks nested objects; a leaf is anything that is not an object, or a known object key.
void apply(const json& node, const std::string& prefix, std::map<std::string, setter>& keys) {
    for (const auto& [name, value] : node.items()) {
        const std::string key = prefix.empty() ? name : prefix + "." + name;
        if (auto it = keys.find(key); it != keys.end()) {
            it->second(value, key);
        } else if (value.is_object()) {
            const bool is_section = std::any_of(keys.begin(), keys.end(), [&](const auto& kv) {
                return kv.first.rfind(key + ".", 0) == 0;
            });
            if (!is_section) fail(key, "is not a known key");
            apply(value, key, keys);
        } else {
            fail(key, "is not a known key");
        }
    }
}

void apply_env(config& c, const std::map<std::string, std::string>& env) {
    const std::pair<const char*, std::string*> vars[] = {
        {"OPAS_TELEGRAM_BOT_TOKEN", &c.telegram.bot_token},
        {"OPAS_TELEGRAM_SECRET_TOKEN", &c.telegram.secret_token},
        {"OPAS_WHATSAPP_PHONE_NUMBER_ID", &c.whatsapp.phone_number_id},
        {"OPAS_WHATSAPP_ACCESS_TOKEN", &c.whatsapp.access_token},
        {"OPAS_WHATSAPP_APP_SECRET", &c.whatsapp.app_secret},
        {"OPAS_WHATSAPP_VERIFY_TOKEN", &c.whatsapp.verify_token},
        {"OPAS_PSEUDONYM_KEY", &c.pseudonym_key},
        {"OPAS_ADMIN_TOKEN", &c.admin_token},
    };
    for (const auto& [name, target] : vars)
        if (auto it = env.find(name); it != env.end() && !it->second.empty()) *target = it->second;
}

bool is_http_base(const std::string& s) {
    return s.rfind("http://", 0) == 0 || s.rfind("https://", 0) == 0;
}

void validate(const config& c) {
    const auto& langs = c.languages;
    if (std::find(langs.begin(), langs.end(), c.default_language) == langs.end())
        fail("default_language", "must be one of 'languages'");
    if (!is_http_base(c.telegram.api_base)) fail("telegram.api_base", "must start with http:// or https://");
    if (!is_http_base(c.whatsapp.api_base)) fail("whatsapp.api_base", "must start with http:// or https://");
    if (c.telegram.enabled() && c.telegram.secret_token.empty())
        fail("telegram.secret_token", "is required when telegram.bot_token is set (or OPAS_TELEGRAM_SECRET_TOKEN)");
    if (!c.telegram.secret_token.empty()) {
        const auto& s = c.telegram.secret_token;
        const bool valid = s.size() <= 256 && std::all_of(s.begin(), s.end(), [](char ch) {
            return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_' || ch == '-';
        });
        if (!valid) fail("telegram.secret_token", "must be 1-256 characters of A-Z a-z 0-9 _ -");
    }
    if (c.whatsapp.enabled()) {
        if (c.whatsapp.app_secret.empty())
            fail("whatsapp.app_secret", "is required when whatsapp.phone_number_id is set (or OPAS_WHATSAPP_APP_SECRET)");
        if (c.whatsapp.access_token.empty())
            fail("whatsapp.access_token", "is required when whatsapp.phone_number_id is set (or OPAS_WHATSAPP_ACCESS_TOKEN)");
        if (c.whatsapp.verify_token.empty())
            fail("whatsapp.verify_token", "is required when whatsapp.phone_number_id is set (or OPAS_WHATSAPP_VERIFY_TOKEN)");
    }
    if (!c.staff.telegram_chat_id.empty() && !c.telegram.enabled())
        fail("staff.telegram_chat_id", "needs the Telegram channel (telegram.bot_token)");
    if (!c.staff.language.empty() &&
        std::find(langs.begin(), langs.end(), c.staff.language) == langs.end())
        fail("staff.language", "must be one of 'languages'");
    for (const auto& [purpose, t] : c.whatsapp.templates)
        if (!t.languages.count("en"))
            fail("whatsapp.templates." + purpose + ".languages", "must have an \"en\" entry (the fallback)");
    static const std::vector<std::string> levels = {"trace", "debug", "info", "warn", "error", "off"};
    if (std::find(levels.begin(), levels.end(), c.log_level) == levels.end())
        fail("log_level", "must be one of trace, debug, info, warn, error, off");
}

}  // namespace

std::map<std::string, whatsapp_template> default_whatsapp_templates() {
    // WhatsApp's codes for our languages; Somali has no template language (it uses "en").
    const std::map<std::string, std::string> codes = {
        {"fi", "fi"}, {"sv", "sv"}, {"en", "en_US"}, {"ru", "ru"}, {"et", "et"}, {"fr", "fr"},
        {"es", "es"}, {"tr", "tr"}, {"zh", "zh_CN"}, {"fa", "fa"}, {"ar", "ar"}, {"uk", "uk"}};
    return {{"booking_reminder", {"appointment_reminder", codes}},
            {"shift_reminder", {"shift_reminder", codes}}};
}

std::optional<template_choice> find_whatsapp_template(const whatsapp_config& cfg,
                                                      const std::string& purpose,
                                                      const std::string& lang) {
    const auto t = cfg.templates.find(purpose);
    if (t == cfg.templates.end()) return std::nullopt;
    if (const auto code = t->second.languages.find(lang); code != t->second.languages.end())
        return template_choice{t->second.name, code->second, lang};
    if (const auto en = t->second.languages.find("en"); en != t->second.languages.end())
        return template_choice{t->second.name, en->second, "en"};
    return std::nullopt;
}

const std::vector<std::string>& required_languages() {
    static const std::vector<std::string> codes = {"fi", "sv", "en", "ru", "et", "fr", "so",
                                                   "es", "tr", "zh", "fa", "ar", "uk"};
    return codes;
}

config load_config(const std::string& path, const std::map<std::string, std::string>& env) {
    config c;
    std::string file = path;
    if (file.empty() && std::filesystem::exists("opas.json")) file = "opas.json";
    if (!file.empty()) {
        std::ifstream in(file, std::ios::binary);
        if (!in) throw config_error("config: cannot read " + file);
        std::stringstream buf;
        buf << in.rdbuf();
        const json doc = json::parse(buf.str(), nullptr, false);
        if (doc.is_discarded()) throw config_error("config: " + file + " is not valid JSON");
        if (!doc.is_object()) throw config_error("config: " + file + " must hold a JSON object");
        auto keys = known_keys(c);
        apply(doc, "", keys);
    }
    apply_env(c, env);
    validate(c);
    return c;
}

std::map<std::string, std::string> opas_environment() {
    std::map<std::string, std::string> env;
    for (char** e = environ; e && *e; ++e) {
        const std::string kv = *e;
        if (kv.rfind("OPAS_", 0) != 0) continue;
        const auto eq = kv.find('=');
        if (eq != std::string::npos) env[kv.substr(0, eq)] = kv.substr(eq + 1);
    }
    return env;
}

}  // namespace opas::bot
