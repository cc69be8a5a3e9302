#include "webhooks/whatsapp.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "webhooks/split.hpp"

namespace opas::webhooks {

namespace {

using json = nlohmann::json;
using bot::inbound;
using bot::inbound_kind;

constexpr std::string_view signature_prefix = "sha256=";
constexpr std::size_t sha256_bytes = 32;

// Error codes worth another try later: rate limits and temporary platform trouble.
constexpr std::array retry_codes = {1, 2, 4, 80007, 130429, 131000, 131016, 131056};
constexpr int outside_window_code = 131047;
constexpr int undeliverable_code = 131026;

constexpr std::array media_types = {"image",    "audio",   "video",   "document",
                                    "location", "sticker", "contacts"};

std::string to_body(const json& j) {
    return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::optional<std::string> string_at(const json& j, const char* key) {
    const auto it = j.find(key);
    if (it == j.end() || !it->is_string()) return std::nullopt;
    return it->get<std::string>();
}

const json empty_array = json::array();

const json& array_at(const json& j, const char* key) {
    const auto it = j.find(key);
    return it != j.end() && it->is_array() ? *it : empty_array;
}

// "1700000000" -> 1700000000; anything else -> 0.
std::int64_t timestamp_at(const json& j) {
    const auto text = string_at(j, "timestamp");
    if (!text) return 0;
    std::int64_t value = 0;
    const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
    return ec == std::errc{} && end == text->data() + text->size() ? value : 0;
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::string percent_decode(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '+') {
            out += ' ';
        } else if (s[i] == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 &&
                   hex_value(s[i + 2]) >= 0) {
            out += static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2]));
            i += 2;
        } else {
            out += s[i];
        }
    }
    return out;
}

bool equal_constant_time(std::string_view a, std::string_view b) {
    return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

// The kind and text of one inbound message, from its "type".
void read_content(const json& message, const std::string& type, inbound& event) {
    const auto it = message.find(type);
    const bool has_object = it != message.end() && it->is_object();
    if (type == "text" && has_object) {
        if (auto body = string_at(*it, "body")) {
            event.kind = inbound_kind::text;
            event.text = std::move(*body);
        }
    } else if (type == "interactive" && has_object) {
        const auto reply_type = string_at(*it, "type").value_or("");
        const auto reply = it->find(reply_type);
        if ((reply_type == "button_reply" || reply_type == "list_reply") && reply != it->end() &&
            reply->is_object()) {
            if (auto id = string_at(*reply, "id")) {
                event.kind = inbound_kind::choice;
                event.text = std::move(*id);
            }
        }
    } else if (type == "button" && has_object) {
        if (auto payload = string_at(*it, "payload")) {
            event.kind = inbound_kind::choice;
            event.text = std::move(*payload);
        }
    } else if (std::find(media_types.begin(), media_types.end(), type) != media_types.end()) {
        event.kind = inbound_kind::media;
    }
}

void read_messages(const json& value, std::vector<inbound>& events) {
    for (const json& message : array_at(value, "messages")) {
        auto from = string_at(message, "from");
        auto id = string_at(message, "id");
        const auto type = string_at(message, "type");
        if (!from || !id || !type) continue;
        inbound event;
        event.source = bot::channel::whatsapp;
        event.kind = inbound_kind::ignored;
        event.message_id = "wa:" + *id;
        event.user_id = *from;
        event.chat_id = std::move(*from);
        event.time = timestamp_at(message);
        read_content(message, *type, event);
        events.push_back(std::move(event));
    }
}

void read_statuses(const json& value, std::vector<inbound>& events) {
    for (const json& status : array_at(value, "statuses")) {
        auto id = string_at(status, "id");
        auto state = string_at(status, "status");
        auto recipient = string_at(status, "recipient_id");
        if (!id || !state || !recipient) continue;
        inbound event;
        event.source = bot::channel::whatsapp;
        event.kind = inbound_kind::status;
        event.message_id = "wa:status:" + *id + ":" + *state;
        event.user_id = *recipient;
        event.chat_id = std::move(*recipient);
        event.text = std::move(*id);
        event.status = std::move(*state);
        event.time = timestamp_at(status);
        const json& errors = array_at(status, "errors");
        if (!errors.empty() && errors[0].is_object()) {
            const auto code = errors[0].find("code");
            if (code != errors[0].end() && code->is_number_integer()) {
                event.error_code = code->get<int>();
            }
        }
        events.push_back(std::move(event));
    }
}

json envelope(std::string_view to) {
    return {{"messaging_product", "whatsapp"},
            {"recipient_type", "individual"},
            {"to", std::string(to)}};
}

std::string text_body(std::string_view to, const std::string& text) {
    json body = envelope(to);
    body["type"] = "text";
    body["text"] = {{"preview_url", false}, {"body", text}};
    return to_body(body);
}

// Choices whose id the platform accepts, without repeats.
std::vector<bot::choice> valid_choices(const std::vector<bot::choice>& choices,
                                       std::size_t id_limit) {
    std::vector<bot::choice> valid;
    for (const auto& c : choices) {
        const bool repeated = std::any_of(valid.begin(), valid.end(),
                                          [&](const bot::choice& v) { return v.id == c.id; });
        if (!c.id.empty() && c.id.size() <= id_limit && !repeated) valid.push_back(c);
    }
    return valid;
}

const std::string& label_of(const bot::choice& c) { return c.title.empty() ? c.id : c.title; }

// Button titles: shortened to the limit, then made unique with " 2", " 3", ...
std::vector<std::string> unique_titles(const std::vector<bot::choice>& choices) {
    std::vector<std::string> titles;
    for (const auto& c : choices) {
        std::string title = shorten_text(label_of(c), whatsapp_button_title_limit);
        for (int n = 2; std::find(titles.begin(), titles.end(), title) != titles.end(); ++n) {
            const std::string suffix = " " + std::to_string(n);
            title = shorten_text(label_of(c), whatsapp_button_title_limit - suffix.size()) + suffix;
        }
        titles.push_back(std::move(title));
    }
    return titles;
}

json button_action(const std::vector<bot::choice>& choices) {
    const auto titles = unique_titles(choices);
    json buttons = json::array();
    for (std::size_t i = 0; i < choices.size(); ++i) {
        buttons.push_back(
            {{"type", "reply"}, {"reply", {{"id", choices[i].id}, {"title", titles[i]}}}});
    }
    return {{"buttons", buttons}};
}

json list_action(const std::vector<bot::choice>& choices, std::string_view list_button) {
    json rows = json::array();
    for (const auto& c : choices) {
        const std::string& label = label_of(c);
        json row = {{"id", c.id}, {"title", shorten_text(label, whatsapp_row_title_limit)}};
        if (count_code_points(label) > whatsapp_row_title_limit) {
            row["description"] = shorten_text(label, whatsapp_row_description_limit);
        }
        rows.push_back(std::move(row));
    }
    return {{"button", shorten_text(list_button, whatsapp_list_button_limit)},
            {"sections", json::array({{{"rows", rows}}})}};
}

// The text as plain messages, except a last piece short enough to be an interactive body.
std::vector<std::string> texts_before_interactive(const std::string& text, std::string& body) {
    std::vector<std::string> texts = split_text(text, whatsapp_text_limit, false);
    if (texts.empty()) texts.emplace_back("\u2026");
    if (count_code_points(texts.back()) > whatsapp_interactive_body_limit) {
        auto pieces = split_text(texts.back(), whatsapp_interactive_body_limit, false);
        texts.pop_back();
        texts.insert(texts.end(), pieces.begin(), pieces.end());
    }
    body = std::move(texts.back());
    texts.pop_back();
    return texts;
}

std::string numbered_text(const std::string& text, const std::vector<bot::choice>& choices) {
    std::string out = text;
    for (std::size_t i = 0; i < choices.size(); ++i) {
        out += (i == 0 ? "\n\n" : "\n") + std::to_string(i + 1) + ". " + label_of(choices[i]);
    }
    return out;
}

// Template parameters may not contain newlines, tabs or more than four spaces in a row:
// every run of ASCII whitespace becomes one space.
std::string template_parameter(std::string_view text) {
    std::string out;
    for (const char c : text) {
        const bool space = c == ' ' || c == '\n' || c == '\r' || c == '\t';
        if (!space) {
            out += c;
        } else if (out.empty() || out.back() != ' ') {
            out += ' ';
        }
    }
    return out;
}

int status_class(int http_status) { return http_status / 100; }

}  // namespace

bool whatsapp_signature_ok(std::string_view header_value, std::string_view raw_body,
                           std::string_view app_secret) {
    if (app_secret.empty() || !header_value.starts_with(signature_prefix)) return false;
    const std::string_view hex = header_value.substr(signature_prefix.size());
    if (hex.size() != 2 * sha256_bytes) return false;
    std::array<unsigned char, sha256_bytes> given{};
    for (std::size_t i = 0; i < given.size(); ++i) {
        const int high = hex_value(hex[2 * i]);
        const int low = hex_value(hex[2 * i + 1]);
        if (high < 0 || low < 0) return false;
        given[i] = static_cast<unsigned char>(high * 16 + low);
    }
    std::array<unsigned char, EVP_MAX_MD_SIZE> expected{};
    unsigned int expected_size = 0;
    const unsigned char* mac =
        HMAC(EVP_sha256(), app_secret.data(), static_cast<int>(app_secret.size()),
             reinterpret_cast<const unsigned char*>(raw_body.data()), raw_body.size(),
             expected.data(), &expected_size);
    return mac != nullptr && expected_size == sha256_bytes &&
           CRYPTO_memcmp(given.data(), expected.data(), sha256_bytes) == 0;
}

std::optional<std::string> whatsapp_verify(std::string_view target_query,
                                           std::string_view verify_token) {
    if (const auto q = target_query.find('?'); q != std::string_view::npos) {
        target_query.remove_prefix(q + 1);
    }
    std::optional<std::string> mode, token, challenge;
    while (!target_query.empty()) {
        const auto amp = target_query.find('&');
        const std::string_view pair = target_query.substr(0, amp);
        target_query.remove_prefix(amp == std::string_view::npos ? target_query.size() : amp + 1);
        const auto eq = pair.find('=');
        const std::string key = percent_decode(pair.substr(0, eq));
        std::string value = eq == std::string_view::npos ? "" : percent_decode(pair.substr(eq + 1));
        std::optional<std::string>* slot = key == "hub.mode"           ? &mode
                                           : key == "hub.verify_token" ? &token
                                           : key == "hub.challenge"    ? &challenge
                                                                       : nullptr;
        if (slot != nullptr && !*slot) *slot = std::move(value);  // the first one counts
    }
    if (verify_token.empty() || mode != "subscribe" || !token || !challenge) return std::nullopt;
    if (!equal_constant_time(*token, verify_token)) return std::nullopt;
    return challenge;
}

parse_result parse_whatsapp(std::string_view body) {
    const json payload = json::parse(body, nullptr, false);
    if (payload.is_discarded() || !payload.is_object()) return {};
    parse_result result;
    result.ok = true;
    if (string_at(payload, "object") != "whatsapp_business_account") return result;
    for (const json& entry : array_at(payload, "entry")) {
        for (const json& change : array_at(entry, "changes")) {
            if (!change.is_object() || string_at(change, "field") != "messages") continue;
            const auto value = change.find("value");
            if (value == change.end() || !value->is_object()) continue;
            read_messages(*value, result.events);
            read_statuses(*value, result.events);
        }
    }
    return result;
}

std::vector<std::string> render_whatsapp(std::string_view to, const bot::reply& r,
                                         std::string_view list_button) {
    const std::size_t id_limit =
        r.choices.size() <= whatsapp_max_buttons ? whatsapp_button_id_limit : whatsapp_row_id_limit;
    const auto choices = valid_choices(r.choices, id_limit);
    std::vector<std::string> bodies;
    if (choices.empty() || choices.size() > whatsapp_max_rows) {
        const std::string text = choices.empty() ? r.text : numbered_text(r.text, choices);
        for (const auto& part : split_text(text, whatsapp_text_limit, false)) {
            bodies.push_back(text_body(to, part));
        }
        return bodies;
    }
    std::string interactive_text;
    for (const auto& part : texts_before_interactive(r.text, interactive_text)) {
        bodies.push_back(text_body(to, part));
    }
    const bool buttons = choices.size() <= whatsapp_max_buttons;
    json body = envelope(to);
    body["type"] = "interactive";
    body["interactive"] = {
        {"type", buttons ? "button" : "list"},
        {"body", {{"text", interactive_text}}},
        {"action", buttons ? button_action(choices) : list_action(choices, list_button)},
    };
    bodies.push_back(to_body(body));
    return bodies;
}

std::string render_whatsapp_template(std::string_view to, std::string_view name,
                                     std::string_view language,
                                     const std::vector<std::string>& body_params) {
    json body = envelope(to);
    body["type"] = "template";
    json tmpl = {{"name", std::string(name)}, {"language", {{"code", std::string(language)}}}};
    if (!body_params.empty()) {
        json parameters = json::array();
        for (const auto& p : body_params) {
            parameters.push_back({{"type", "text"}, {"text", template_parameter(p)}});
        }
        tmpl["components"] = json::array({{{"type", "body"}, {"parameters", parameters}}});
    }
    body["template"] = std::move(tmpl);
    return to_body(body);
}

send_result classify_whatsapp_response(int http_status, std::string_view body) {
    const json response = json::parse(body, nullptr, false);
    const bool readable = !response.is_discarded() && response.is_object();
    send_result result;
    if (status_class(http_status) == 2) {
        const json& messages = readable ? array_at(response, "messages") : empty_array;
        const auto id = !messages.empty() && messages[0].is_object() ? string_at(messages[0], "id")
                                                                     : std::nullopt;
        if (!id) return {send_result::kind::retry, 0, "bad_response", {}};
        return {send_result::kind::ok, 0, {}, *id};
    }
    int code = 0;
    if (readable) {
        const auto error = response.find("error");
        if (error != response.end() && error->is_object()) {
            const auto c = error->find("code");
            if (c != error->end() && c->is_number_integer()) code = c->get<int>();
        }
    }
    if (code == outside_window_code) {
        result.outcome = send_result::kind::failed;
        result.reason = "outside_window";
    } else if (code == undeliverable_code) {
        result.outcome = send_result::kind::blocked;
        result.reason = "undeliverable";
    } else if (std::find(retry_codes.begin(), retry_codes.end(), code) != retry_codes.end() ||
               http_status == 429 || status_class(http_status) != 4) {
        result.outcome = send_result::kind::retry;
        result.reason =
            code != 0 ? "wa_" + std::to_string(code) : "http_" + std::to_string(http_status);
    } else {
        result.outcome = send_result::kind::failed;
        result.reason =
            code != 0 ? "wa_" + std::to_string(code) : "http_" + std::to_string(http_status);
    }
    return result;
}

}  // namespace opas::webhooks
