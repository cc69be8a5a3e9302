#pragma once
// Result types shared by the channel adapters (telegram.hpp, whatsapp.hpp): what a webhook
// body parsed into, and what a platform answered to one send.

#include <string>
#include <vector>

#include "bot/types.hpp"

namespace opas::webhooks {

// One webhook body. ok == false: the body is malformed and the caller answers 400.
// ok == true with no events: well-formed, nothing in it (answer 200).
struct parse_result {
    bool ok = false;
    std::vector<bot::inbound> events;
};

// The outcome of one outbound API call, decided from the HTTP status and the response body.
struct send_result {
    enum class kind {
        ok,       // delivered to the platform; platform_message_id set when it reported one
        retry,    // temporary: try again after retry_after_s (0: the caller backs off itself)
        blocked,  // the person cannot be reached any more (blocked the bot, left, no account)
        failed,   // permanent for this message; see reason
    };
    kind outcome = kind::failed;
    int retry_after_s = 0;
    std::string
        reason;  // short machine-readable code ("http_400", "outside_window"); no personal data
    std::string platform_message_id;
};

}  // namespace opas::webhooks
