#pragma once
// JSON text written out by hand where the writer thread renders it on every turn (a reply's
// outbox payload, the conversation state): building a JSON object to dump it cost more than
// the rest of the rendering.

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace opas::bot {

// Appends `text` as a JSON string: byte for byte what nlohmann's dump() writes for valid
// UTF-8 (non-ASCII as is, control characters escaped); an invalid UTF-8 sequence becomes
// U+FFFD, where dump() would throw.
void append_json_string(std::string& out, std::string_view text);

// Whether the 8 bytes at `p` go into a JSON string unchanged and need no UTF-8 check: none is
// a quote, a backslash, a control character or non-ASCII. The writer and the reader
// (bot/json_read.cpp) skip such runs 8 bytes at a time.
inline bool plain_ascii8(const unsigned char* p) {
    std::uint64_t x;
    std::memcpy(&x, p, sizeof x);
    constexpr std::uint64_t ones = 0x0101010101010101, highs = 0x8080808080808080;
    const auto zero_byte = [](std::uint64_t v) { return (v - ones) & ~v & highs; };
    const std::uint64_t control = (x - ones * 0x20) & ~x & highs;  // a byte below 0x20
    const std::uint64_t quote = zero_byte(x ^ (ones * '"'));
    const std::uint64_t backslash = zero_byte(x ^ (ones * '\\'));
    return ((x & highs) | control | quote | backslash) == 0;
}

}  // namespace opas::bot
