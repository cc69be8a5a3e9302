#pragma once
// The conversation engine: a pure function of (message, person state) -> turn.
// No I/O: storage and delivery happen around it (bot/dispatcher.hpp).

#include <cstdint>
#include <string>
#include <vector>

#include "bot/catalog.hpp"
#include "bot/config.hpp"
#include "bot/domain.hpp"
#include "bot/types.hpp"

namespace opas::intents {
class model;
}

namespace opas::bot {

// What the engine knows of the person before the turn.
struct person_view {
    bool is_new = true;
    std::string language;  // remembered language, "" when none
    std::string state;     // conversation state JSON from the last turn, "" when none
};

// Everything the turn changes; the dispatcher commits it in one transaction.
struct turn {
    std::vector<reply> replies;
    std::string language;  // language to remember
    std::string state;     // new conversation state JSON
    // The anonymized contact record; no record when `intent` is empty.
    std::string intent;
    std::string outcome;  // answered | unanswered | erased | ...
    int helpful = -1;
    bool erase_person = false;  // "forget me" confirmed
};

class engine {
public:
    // The model and catalog outlive the engine (owned by main).
    engine(const intents::model& model, const catalog& messages, config cfg);

    // The person-independent part of a text turn (language, intent): thread-safe, cheap to
    // skip; handle() uses it when it read the text in the same language, else reads again.
    std::shared_ptr<const understanding> understand(const inbound& in) const;

    // `data` is the person's domain view for this turn; `now_ms` the time of the turn.
    turn handle(const inbound& in, const person_view& person, domain data,
                std::int64_t now_ms) const;

    const config& cfg() const { return cfg_; }
    const catalog& messages() const { return messages_; }

private:
    const intents::model& model_;
    const catalog& messages_;
    config cfg_;
};

}  // namespace opas::bot
