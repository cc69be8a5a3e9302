#pragma once
// WhatsApp Cloud API adapter: signature and verification checks, webhook payload ->
// bot::inbound, bot::reply -> /messages request bodies, and the reading of API responses.
// Pure functions: no I/O, safe from any thread.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bot/types.hpp"
#include "webhooks/send_result.hpp"

namespace opas::webhooks {

// Limits in code points (the platform allows 4096 for a text, 1024 for an interactive body).
constexpr std::size_t whatsapp_text_limit = 4000;
constexpr std::size_t whatsapp_interactive_body_limit = 1024;
constexpr std::size_t whatsapp_button_title_limit = 20;
constexpr std::size_t whatsapp_max_buttons = 3;
constexpr std::size_t whatsapp_button_id_limit = 256;  // bytes
constexpr std::size_t whatsapp_list_button_limit = 20;
constexpr std::size_t whatsapp_max_rows = 10;
constexpr std::size_t whatsapp_row_title_limit = 24;
constexpr std::size_t whatsapp_row_description_limit = 72;
constexpr std::size_t whatsapp_row_id_limit = 200;  // bytes

// True when the X-Hub-Signature-256 header is "sha256=" followed by the 64 hex digits (either
// case) of HMAC-SHA256(app_secret, raw_body). Constant time. An empty secret is never accepted.
bool whatsapp_signature_ok(std::string_view header_value, std::string_view raw_body,
                           std::string_view app_secret);

// The GET verification handshake. `target_query` is the query string (a full request target
// "/path?query" works too). Returns the percent-decoded hub.challenge when hub.mode is
// "subscribe" and hub.verify_token equals `verify_token` (constant time), else nothing.
// The caller answers 200 with the challenge as a text/plain body, or 403.
std::optional<std::string> whatsapp_verify(std::string_view target_query,
                                           std::string_view verify_token);

// One webhook body. Every entry[].changes[] with field "messages" is read, every message and
// status in it becomes one event (user_id = chat_id = the sender's wa_id, language_hint empty):
// - text -> text; interactive button_reply / list_reply -> choice (text = reply id);
//   button (template quick reply) -> choice (text = payload);
//   image, audio, video, document, location, sticker, contacts -> media;
//   reaction, unsupported, system and anything else -> ignored. message_id "wa:<wamid>".
// - statuses[] -> status (message_id "wa:status:<wamid>:<status>", text = our wamid,
//   status, error_code = errors[0].code).
// Messages and statuses without their required fields are skipped.
// ok == false only for a body that is not JSON or not an object; another "object" than
// "whatsapp_business_account" gives ok with no events.
parse_result parse_whatsapp(std::string_view body);

// /messages bodies for one reply, in order. Choices with an empty, too long or repeated id are
// left out; then:
// - none: the text as text message(s) (no link preview), split at whatsapp_text_limit;
// - 1-3: reply buttons; titles shortened to 20 code points with "…" and made unique;
// - 4-10: a list opened by `list_button`; row titles shortened to 24 (the full title then goes
//   into the row description, shortened to 72);
// - more: the options numbered ("1. …") below the text, as plain text.
// Buttons and lists carry the last 1024 code points' worth of text as their body; text before
// that goes first as plain messages. An empty text with choices is sent as "…".
std::vector<std::string> render_whatsapp(std::string_view to, const bot::reply& r,
                                         std::string_view list_button = "Valitse / Choose");

// A template message (for sends outside the 24-hour window). Parameters fill the body's
// {{1}}, {{2}}, ... in order; each run of spaces, tabs and newlines in them becomes one space
// (the platform refuses newlines, tabs and more than four spaces in a row).
std::string render_whatsapp_template(std::string_view to, std::string_view name,
                                     std::string_view language,
                                     const std::vector<std::string>& body_params);

// Reads a Cloud API response: 2xx with messages[0].id -> ok; error 131047 -> failed
// "outside_window" (send a template instead); rate limits and temporary errors (4, 80007,
// 130429, 131056, 1, 2, 131000, 131016) and 5xx -> retry (retry_after_s 0: back off);
// 131026 (no WhatsApp account / cannot receive) -> blocked; other 4xx -> failed "wa_<code>"
// (or "http_<status>" without an error code).
send_result classify_whatsapp_response(int http_status, std::string_view body);

}  // namespace opas::webhooks
