#include "webhooks/telegram.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>

#include "bot/json_read.hpp"
#include "bot/json_text.hpp"
#include "webhooks/split.hpp"

namespace opas::webhooks {

namespace {

using bot::json_read::value;
using bot::inbound;
using bot::inbound_kind;

// Message fields that carry something other than text (the bot cannot read it).
constexpr std::array media_fields = {
    "photo",    "voice", "audio",   "video", "video_note", "document", "sticker", "animation",
    "location", "venue", "contact", "dice",  "poll",       "story",    "game",
};

const value* object_at(const value& j, const char* key) {
    const value* v = j.find(key);
    return v != nullptr && v->is_object() ? v : nullptr;
}

std::optional<std::string> string_at(const value& j, const char* key) {
    const value* v = j.find(key);
    if (v == nullptr || !v->is_string()) return std::nullopt;
    return std::string(v->text());
}

// Integer ids (user, chat, update, message) as decimal text.
std::optional<std::string> integer_text_at(const value& j, const char* key) {
    const value* v = j.find(key);
    if (v == nullptr || !v->is_integer()) return std::nullopt;
    return std::string(v->text());
}

std::int64_t integer_at(const value& j, const char* key) {
    const value* v = j.find(key);
    return v != nullptr ? v->integer() : 0;
}

// The sender's id, language and the chat id of a message or a chat member update.
// False when the ids are missing or of the wrong type.
bool read_sender_and_chat(const value& object, inbound& event) {
    const value* from = object_at(object, "from");
    const value* chat = object_at(object, "chat");
    if (from == nullptr || chat == nullptr) return false;
    auto user = integer_text_at(*from, "id");
    auto chat_id = integer_text_at(*chat, "id");
    if (!user || !chat_id) return false;
    event.user_id = std::move(*user);
    event.chat_id = std::move(*chat_id);
    event.language_hint = string_at(*from, "language_code").value_or("");
    event.time = integer_at(object, "date");
    return true;
}

void read_message(const value& message, inbound& event) {
    if (!read_sender_and_chat(message, event)) return;
    if (const value* replied = object_at(message, "reply_to_message")) {
        event.reply_to_id = integer_text_at(*replied, "message_id").value_or("");
        event.reply_to_text = string_at(*replied, "text").value_or("");
    }
    if (const value* text = message.find("text")) {
        if (!text->is_string()) return;
        event.text = text->text();
        event.kind = inbound_kind::text;
        return;
    }
    for (const char* field : media_fields) {
        if (message.find(field) != nullptr) {
            event.kind = inbound_kind::media;
            return;
        }
    }
    // Service messages (members joined, title changed, pinned, ...) stay ignored.
}

void read_callback_query(const value& query, inbound& event) {
    auto id = string_at(query, "id");
    if (!id) return;
    event.callback_id = std::move(*id);
    const value* from = object_at(query, "from");
    auto data = string_at(query, "data");
    auto user = from ? integer_text_at(*from, "id") : std::nullopt;
    if (!data || !user) return;  // a game button, or a malformed query
    // Buttons under an inline-mode message have no message: answer in the private chat.
    const value* message = object_at(query, "message");
    const value* chat = message ? object_at(*message, "chat") : nullptr;
    auto chat_id = chat ? integer_text_at(*chat, "id") : user;
    if (!chat_id) return;
    event.kind = inbound_kind::choice;
    event.text = std::move(*data);
    event.user_id = std::move(*user);
    event.chat_id = std::move(*chat_id);
    event.language_hint = string_at(*from, "language_code").value_or("");
}

void read_my_chat_member(const value& update, inbound& event) {
    const value* member = object_at(update, "new_chat_member");
    const value* chat = object_at(update, "chat");
    if (member == nullptr || chat == nullptr) return;
    const auto status = string_at(*member, "status");
    const bool is_private = string_at(*chat, "type") == "private";
    if (status != "kicked" && !(status == "left" && is_private)) return;
    if (!read_sender_and_chat(update, event)) return;
    event.kind = inbound_kind::unreachable;
    // In a group, "from" is the admin who removed the bot: the group is unreachable, no person.
    if (!is_private) event.user_id.clear();
}

// An integer chat id goes out as a number, anything else (e.g. "@channel") as a string.
void append_chat_id(std::string& out, std::string_view chat_id) {
    std::int64_t number = 0;
    const char* first = chat_id.data();
    const char* last = first + chat_id.size();
    const auto [end, ec] = std::from_chars(first, last, number);
    if (chat_id.empty() || ec != std::errc{} || end != last)
        return bot::append_json_string(out, chat_id);
    std::array<char, 24> digits{};
    const auto written = std::to_chars(digits.data(), digits.data() + digits.size(), number);
    out.append(digits.data(), written.ptr);
}

// One button per row; a choice whose id is empty, too long for callback data or repeated is
// left out. Empty when no button is left.
std::string inline_keyboard(const std::vector<bot::choice>& choices) {
    std::string rows;
    std::vector<std::string_view> used;
    for (const auto& c : choices) {
        const bool valid = !c.id.empty() && c.id.size() <= telegram_callback_data_limit;
        if (!valid || std::find(used.begin(), used.end(), c.id) != used.end()) continue;
        used.push_back(c.id);
        rows += rows.empty() ? "[[{\"callback_data\":" : ",[{\"callback_data\":";
        bot::append_json_string(rows, c.id);
        rows += ",\"text\":";
        bot::append_json_string(rows, c.title.empty() ? c.id : c.title);
        rows += "}]";
    }
    if (!rows.empty()) rows += ']';
    return rows;
}

int status_class(int http_status) { return http_status / 100; }

}  // namespace

bool telegram_secret_ok(std::string_view header_value, std::string_view secret) {
    // Telegram's secret tokens are at most 256 characters (config checks ours). Every call
    // compares all 256 positions of both, zero-padded, so neither the content nor the header's
    // length changes the work; only "longer than any token" is refused early. No hashing per
    // request, and the fixed-length loop compiles to a few vector instructions.
    constexpr std::size_t longest = 256;
    if (header_value.empty() || secret.empty() || header_value.size() > longest ||
        secret.size() > longest) {
        return false;
    }
    std::array<unsigned char, longest> given{};
    std::array<unsigned char, longest> expected{};
    std::memcpy(given.data(), header_value.data(), header_value.size());
    std::memcpy(expected.data(), secret.data(), secret.size());
    unsigned diff = static_cast<unsigned>(header_value.size() ^ secret.size());
    for (std::size_t i = 0; i < longest; ++i) diff |= static_cast<unsigned>(given[i] ^ expected[i]);
    // Read through a volatile so the compiler cannot stop the loop at the first difference.
    volatile unsigned result = diff;
    return result == 0;
}

parse_result parse_telegram_update(std::string_view body) {
    const auto doc = bot::json_read::document::parse(body);
    if (!doc || !doc->root().is_object()) return {};
    const value& update = doc->root();
    const auto update_id = integer_text_at(update, "update_id");
    if (!update_id) return {};

    inbound event;
    event.source = bot::channel::telegram;
    event.kind = inbound_kind::ignored;
    event.message_id = "tg:" + *update_id;
    if (const value* message = object_at(update, "message")) {
        read_message(*message, event);
    } else if (const value* query = object_at(update, "callback_query")) {
        read_callback_query(*query, event);
    } else if (const value* member = object_at(update, "my_chat_member")) {
        read_my_chat_member(*member, event);
    }
    if (event.kind == inbound_kind::ignored) {
        // Keep only what is needed to record the update (and to stop a button's spinner).
        inbound ignored;
        ignored.source = event.source;
        ignored.message_id = std::move(event.message_id);
        ignored.callback_id = std::move(event.callback_id);
        event = std::move(ignored);
    }
    parse_result result;
    result.ok = true;
    result.events.push_back(std::move(event));
    return result;
}

// The bodies are written out by hand (members in the order nlohmann's dump() gives them): the
// sender renders every message it delivers.
std::vector<std::string> render_telegram(std::string_view chat_id, const bot::reply& r) {
    const std::string keyboard = inline_keyboard(r.choices);
    std::vector<std::string> texts = split_text(r.text, telegram_text_limit, true);
    if (texts.empty() && !keyboard.empty()) texts.emplace_back("\u2026");

    std::vector<std::string> bodies;
    bodies.reserve(texts.size());
    for (std::size_t i = 0; i < texts.size(); ++i) {
        std::string body;
        body.reserve(texts[i].size() + keyboard.size() + 64);
        body += "{\"chat_id\":";
        append_chat_id(body, chat_id);
        if (i + 1 == texts.size() && !keyboard.empty()) {
            body += ",\"reply_markup\":{\"inline_keyboard\":";
            body += keyboard;
            body += '}';
        }
        body += ",\"text\":";
        bot::append_json_string(body, texts[i]);
        body += '}';
        bodies.push_back(std::move(body));
    }
    return bodies;
}

std::string render_telegram_callback_answer(std::string_view callback_query_id) {
    std::string body = "{\"callback_query_id\":";
    bot::append_json_string(body, callback_query_id);
    return body += '}';
}

send_result classify_telegram_response(int http_status, std::string_view body) {
    const auto doc = bot::json_read::document::parse(body);
    const bool readable = doc && doc->root().is_object();
    static const value none;  // null: finds nothing
    const value& response = readable ? doc->root() : none;
    const std::string description = string_at(response, "description").value_or("");
    const auto has = [&](std::string_view words) {
        return description.find(words) != std::string::npos;
    };

    send_result result;
    if (status_class(http_status) == 2) {
        const value* ok = response.find("ok");
        if (ok == nullptr || !ok->is_boolean() || !ok->boolean()) {
            result.outcome = send_result::kind::retry;
            result.reason = "bad_response";
            return result;
        }
        result.outcome = send_result::kind::ok;
        if (const value* message = object_at(response, "result")) {
            result.platform_message_id = integer_text_at(*message, "message_id").value_or("");
        }
        return result;
    }
    if (http_status == 429) {
        result.outcome = send_result::kind::retry;
        result.reason = "rate_limited";
        if (const value* parameters = object_at(response, "parameters")) {
            const auto seconds = integer_at(*parameters, "retry_after");
            result.retry_after_s = static_cast<int>(std::clamp<std::int64_t>(seconds, 0, 86400));
        }
        return result;
    }
    if (http_status == 403) {
        result.outcome = send_result::kind::blocked;
        result.reason = has("blocked by the user") ? "blocked_by_user"
                        : has("deactivated")       ? "user_deactivated"
                        : has("kicked")            ? "kicked"
                                                   : "forbidden";
        return result;
    }
    if (http_status == 400 && has("chat not found")) {
        result.outcome = send_result::kind::blocked;
        result.reason = "chat_not_found";
        return result;
    }
    if (status_class(http_status) == 4) {
        result.outcome = send_result::kind::failed;
        result.reason = "http_" + std::to_string(http_status);
        return result;
    }
    result.outcome = send_result::kind::retry;
    result.reason = "http_" + std::to_string(http_status);
    return result;
}

}  // namespace opas::webhooks
