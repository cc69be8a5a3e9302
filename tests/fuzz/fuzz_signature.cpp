// libFuzzer target: the authenticity checks. Input: header value, a newline, the raw body.
// Properties: a random header is (almost surely) rejected; the right HMAC of the body is
// always accepted, in lower and upper case; the secret-token compare is exact.
#include <openssl/hmac.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "webhooks/telegram.hpp"
#include "webhooks/whatsapp.hpp"

namespace {

std::string signature(std::string_view body, std::string_view secret, bool upper) {
    unsigned char mac[32];
    unsigned int len = 0;
    HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
         reinterpret_cast<const unsigned char*>(body.data()), body.size(), mac, &len);
    const char* hex = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    std::string out = "sha256=";
    for (unsigned i = 0; i < len; ++i) {
        out += hex[mac[i] >> 4];
        out += hex[mac[i] & 15];
    }
    return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view in(reinterpret_cast<const char*>(data), size);
    const auto nl = in.find('\n');
    const std::string_view header = in.substr(0, nl);
    const std::string_view body = nl == std::string_view::npos ? std::string_view() : in.substr(nl + 1);
    constexpr std::string_view secret = "app-secret";
    using namespace opas::webhooks;

    const bool random_ok = whatsapp_signature_ok(header, body, secret);
    if (random_ok && header != signature(body, secret, false) && header != signature(body, secret, true)) {
        // Only a mixed-case spelling of the right digest may pass.
        std::string lower(header);
        for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (lower != signature(body, secret, false)) __builtin_trap();
    }
    if (!whatsapp_signature_ok(signature(body, secret, false), body, secret)) __builtin_trap();
    if (!whatsapp_signature_ok(signature(body, secret, true), body, secret)) __builtin_trap();
    if (whatsapp_signature_ok(signature(body, secret, false), body, "")) __builtin_trap();

    const bool may_match = !header.empty() && header.size() <= 256 && !body.empty();
    if (telegram_secret_ok(header, body) != (may_match && header == body))
        __builtin_trap();
    return 0;
}
