#pragma once
// JSON text written out by hand where the writer thread renders it on every turn (a reply's
// outbox payload, the conversation state): building a JSON object to dump it cost more than
// the rest of the rendering.

#include <string>
#include <string_view>

namespace opas::bot {

// Appends `text` as a JSON string: byte for byte what nlohmann's dump() writes for valid
// UTF-8 (non-ASCII as is, control characters escaped); an invalid UTF-8 sequence becomes
// U+FFFD, where dump() would throw.
void append_json_string(std::string& out, std::string_view text);

}  // namespace opas::bot
