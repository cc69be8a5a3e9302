#pragma once
// Unicode-aware length limits for outbound texts: splitting a long text into messages and
// shortening a button title. Pure functions over UTF-8 (ICU inside).

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace opas::webhooks {

// Splits `utf8` into parts of at most `max_units` each, counted in UTF-16 code units when
// `count_utf16` (Telegram) or in code points otherwise (WhatsApp).
// Each cut is made at the last paragraph break, else line break, else sentence end, else
// whitespace that lies in the second half of the allowed span; failing those, at the last
// grapheme cluster boundary. A cut never falls inside a UTF-8 sequence or a grapheme cluster
// (emoji ZWJ sequences, flags, letters with combining marks), except when a single cluster is
// longer than the limit, which is then cut between code points.
// Parts carry no leading or trailing whitespace; apart from the whitespace at the cuts and at
// both ends, the parts concatenate to the input. Empty or all-whitespace input gives no parts.
// Invalid UTF-8 is replaced by U+FFFD, so every part is valid UTF-8. max_units below 2 counts as 2.
std::vector<std::string> split_text(std::string_view utf8, std::size_t max_units, bool count_utf16);

// Number of code points in `utf8` (an invalid sequence counts as one).
std::size_t count_code_points(std::string_view utf8);

// `utf8` itself when it has at most `max_code_points` code points; else its longest prefix that
// ends at a grapheme cluster boundary and, followed by "…", fits in `max_code_points`.
// Invalid UTF-8 is replaced by U+FFFD.
std::string shorten_text(std::string_view utf8, std::size_t max_code_points);

}  // namespace opas::webhooks
