#pragma once
// Channel-neutral types on the path of one message: Inbound -> Engine -> Turn.
// webhooks/ builds `inbound` from platform JSON and renders `reply` for the platform;
// bot/ never sees HTTP or platform JSON shapes.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "intents/model.hpp"

namespace opas::bot {

enum class channel { telegram, whatsapp, console };

const char* to_string(channel c);  // "telegram" | "whatsapp" | "console"

// One button / list row / numbered option. `id` travels back when chosen (Telegram
// callback_data, WhatsApp reply id); keep it short ASCII (<= 64 bytes).
struct choice {
    std::string id;
    std::string title;
};

// What the bot says: a text and optional choices.
struct reply {
    std::string text;
    std::vector<choice> choices;
};

enum class inbound_kind {
    text,         // a text message: `text`
    choice,       // a button / list pick: `text` holds the choice id
    media,        // photo, voice, sticker, location, ... (no text to read)
    unreachable,  // the person blocked / removed the bot
    status,       // delivery status of one of our messages (WhatsApp)
    ignored,      // well-formed but not for the bot (edits, channel posts, ...)
};

// Language and intent of a text as the model reads it, before any person's state is known.
struct understanding {
    intents::language_guess language;  // detect_language(text, hint)
    std::string classified_as;         // the language `intent` was classified in
    intents::intent_guess intent;
};

struct inbound {
    channel source = channel::console;
    inbound_kind kind = inbound_kind::ignored;
    std::string message_id;     // platform-unique dedupe key, e.g. "tg:123", "wa:wamid.X"
    std::string user_id;        // platform user id
    std::string chat_id;        // where replies go
    std::string text;           // message text, or chosen option id
    std::string language_hint;  // platform language tag ("fi", "ar-SA"), may be empty
    bool language_forced = false;  // the channel knows the language (console --lang)
    std::string callback_id;    // Telegram callback query id to acknowledge, else empty
    std::int64_t time = 0;      // unix seconds, as the platform reports it
    // A message that replies to another one (Telegram reply_to_message), else empty: the
    // staff group answers a handover by replying to the bot's message (bot/flow_handover.cpp).
    std::string reply_to_id;
    std::string reply_to_text;
    // What the text says, independent of the person (engine::understand), computed on the
    // receiving thread so the single writer does not have to; empty until then.
    std::shared_ptr<const understanding> understood;
    // kind == status only:
    std::string status;         // sent | delivered | read | failed
    int error_code = 0;
};

// The outbox payload of a reply: {"text": ..., "choices": [{"id": ..., "title": ...}]}.
std::string to_json(const reply& r);
std::optional<reply> reply_from_json(std::string_view json_text);

}  // namespace opas::bot
