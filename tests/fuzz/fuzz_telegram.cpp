// libFuzzer target: a Telegram webhook body (parse_telegram_update) and a Bot API response
// (classify_telegram_response). Neither may crash, hang or leak on any bytes. The hand-written
// JSON reader they use (bot/json_read) must accept exactly what nlohmann accepts, and the
// conversation state read with it must equal the state read through nlohmann's tree.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "bot/conversation_state.hpp"
#include "bot/json_read.hpp"
#include "webhooks/telegram.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view body(reinterpret_cast<const char*>(data), size);
    const auto parsed = opas::webhooks::parse_telegram_update(body);
    if (parsed.ok && parsed.events.size() != 1) __builtin_trap();  // one event per update
    for (const auto& ev : parsed.events)
        if (ev.message_id.rfind("tg:", 0) != 0) __builtin_trap();
    (void)opas::webhooks::classify_telegram_response(200, body);
    (void)opas::webhooks::classify_telegram_response(429, body);
    (void)opas::webhooks::classify_telegram_response(400, body);

    const bool ours = opas::bot::json_read::document::parse(body).has_value();
    const bool theirs = !nlohmann::json::parse(body, nullptr, false).is_discarded();
    if (ours != theirs) __builtin_trap();
    const std::string text(body);
    const auto fast = opas::bot::conversation_state::parse(text);
    const auto tree = opas::bot::conversation_state::parse_tree(text);
    if (fast.choices != tree.choices || fast.explicit_language != tree.explicit_language ||
        fast.unsure_in_a_row != tree.unsure_in_a_row || fast.flow != tree.flow) {
        __builtin_trap();
    }
    return 0;
}
