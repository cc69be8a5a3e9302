#pragma once
// Matching the word lists of entities.json against a message (internal to the entity
// extractors).

#include <string>
#include <string_view>
#include <vector>

namespace opas::intents {

// A message prepared for phrase matching: fold()ed words, and all words joined
// (Chinese phrases match as substrings, whatever the segmentation).
struct message_words {
    std::string folded;
    std::vector<std::string> tokens;
    std::string compact;  // all tokens joined without spaces
};

message_words prepare_message(std::string_view text);

// Size in bytes of the longest of `phrases` found in `message`, 0 when none is. A phrase
// matches as a contiguous word sequence; when `inflected`, its last word (if at least five
// bytes long) may carry a short ending ("maanantaina" ~ "maanantai").
std::size_t longest_match(const message_words& message,
                          const std::vector<std::vector<std::string>>& phrases, bool inflected);

bool is_han_text(std::string_view text);

}  // namespace opas::intents
