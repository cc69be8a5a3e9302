// libFuzzer target: a WhatsApp webhook payload (parse_whatsapp), the verification query
// (whatsapp_verify) and a Cloud API response (classify_whatsapp_response).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "webhooks/whatsapp.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view body(reinterpret_cast<const char*>(data), size);
    const auto parsed = opas::webhooks::parse_whatsapp(body);
    for (const auto& ev : parsed.events)
        if (ev.message_id.rfind("wa:", 0) != 0) __builtin_trap();
    (void)opas::webhooks::whatsapp_verify(body, "verify-me");
    (void)opas::webhooks::classify_whatsapp_response(200, body);
    (void)opas::webhooks::classify_whatsapp_response(400, body);
    return 0;
}
