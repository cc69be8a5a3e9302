#pragma once
// Telegram Bot API adapter: authenticity check, Update -> bot::inbound, bot::reply -> request
// bodies, and the reading of API responses. Pure functions: no I/O, safe from any thread.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "bot/types.hpp"
#include "webhooks/send_result.hpp"

namespace opas::webhooks {

// Safe length of one sendMessage text in UTF-16 code units (Telegram allows 4096).
constexpr std::size_t telegram_text_limit = 4000;
// callback_data must be 1..64 bytes.
constexpr std::size_t telegram_callback_data_limit = 64;

// True when the X-Telegram-Bot-Api-Secret-Token header equals `secret`. Constant time (also
// in the lengths). An empty header or an empty secret is never accepted, nor anything
// longer than Telegram's 256-character limit for secret tokens.
bool telegram_secret_ok(std::string_view header_value, std::string_view secret);

// One webhook body (an Update object). Exactly one event per well-formed update, with
// message_id "tg:<update_id>" so that every update, even an ignored one, is recorded as seen:
// - message with text -> text (private or group chat; chat_id is the chat, user_id the sender,
//   language_hint from.language_code, time = date);
// - message with photo, voice, sticker, location, contact, document, video, ... -> media;
// - callback_query with data -> choice (text = data, callback_id = id; chat from the message,
//   else the sender; time 0: Telegram does not say when the button was pressed);
// - my_chat_member with new status "kicked", or "left" in a private chat -> unreachable (in a
//   group the group's chat_id with an empty user_id: "from" is the admin, not a person to mark);
// - anything else (edits, channel posts, inline queries, polls, service messages, fields of the
//   wrong type) -> ignored (a callback_query keeps its callback_id so it can be answered).
// ok == false only for a body that is not JSON, not an object, or has no integer update_id.
parse_result parse_telegram_update(std::string_view body);

// sendMessage bodies for one reply, in order: the text split at telegram_text_limit (plain
// text, no parse_mode), the choices as an inline keyboard (one button per row, callback_data =
// choice.id) on the last part. Choices whose id is empty, longer than 64 bytes or repeated are
// left out. An empty text with choices is sent as "…"; an empty reply gives no bodies.
// `chat_id` is emitted as a JSON number when it is an integer that fits int64, else as a string.
std::vector<std::string> render_telegram(std::string_view chat_id, const bot::reply& r);

// answerCallbackQuery body (no text: it only stops the client's spinner).
std::string render_telegram_callback_answer(std::string_view callback_query_id);

// Reads a Bot API response: 2xx with ok:true -> ok (platform_message_id = result.message_id);
// 429 -> retry after parameters.retry_after; 403, or 400 "chat not found" -> blocked;
// other 4xx -> failed ("http_<status>"); 5xx, other statuses or an unreadable 2xx -> retry.
send_result classify_telegram_response(int http_status, std::string_view body);

}  // namespace opas::webhooks
