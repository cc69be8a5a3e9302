// libFuzzer target: a Telegram webhook body (parse_telegram_update) and a Bot API response
// (classify_telegram_response). Neither may crash, hang or leak on any bytes.
#include <cstddef>
#include <cstdint>
#include <string_view>

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
    return 0;
}
