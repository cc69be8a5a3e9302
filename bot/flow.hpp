#pragma once
// The working set of one turn, shared by the router (engine.cpp) and the flows. A flow is a
// pair of functions in its own file:
//   bool X_start(turn_context&, std::string_view intent, const inbound&)
//       starts the flow when the router hands it an intent it owns; false if not its intent;
//   bool X_continue(turn_context&, const inbound&, std::string_view choice)
//       handles a message while `ctx.flow["name"] == "X"` (or a choice id with the flow's
//       prefix); false hands the message back to the router (the person left the flow).
// Flows keep their step in `ctx.flow` (JSON, persisted in the conversation state) and end by
// `ctx.end_flow()`. Choice ids are short ASCII with a flow prefix ("bk:", "vol:", "ho:").

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "bot/catalog.hpp"
#include "bot/config.hpp"
#include "bot/domain.hpp"
#include "bot/engine.hpp"
#include "bot/types.hpp"

namespace opas::intents {
class model;
}

namespace opas::bot {

struct turn_context {
    const intents::model& model;
    const catalog& cat;
    const config& cfg;
    const person_view& person;
    domain data;
    std::int64_t now_ms = 0;
    turn& out;               // replies, language, contact record
    nlohmann::json& flow;    // the active flow's state; null when none
    std::string message;     // the text of a text message ("" for choices and media)
    std::string intent;      // the router's reading of a text message ("" for choices)
    double confidence = 0;

    const std::string& language() const { return out.language; }
    std::string text(std::string_view key, const message_args& args = {}) const {
        return cat.text(out.language, key, args);
    }
    void say(std::string body, std::vector<choice> choices = {}) {
        out.replies.push_back({std::move(body), std::move(choices)});
    }
    void record(std::string intent_name, std::string outcome, int helpful = -1) {
        out.intent = std::move(intent_name);
        out.outcome = std::move(outcome);
        out.helpful = helpful;
    }
    void end_flow() { flow = nullptr; }
    // True when the text asks to leave whatever flow is running ("menu", "stop", or a clear
    // different intent): flows check it first and return false.
    bool wants_out(std::string_view own_intent_prefix) const;
    std::vector<choice> menu_choices() const;
};

// Flows (each in bot/flow_<name>.cpp).
bool booking_start(turn_context& ctx, std::string_view intent, const inbound& in);
bool booking_continue(turn_context& ctx, const inbound& in, std::string_view choice);
bool volunteer_start(turn_context& ctx, std::string_view intent, const inbound& in);
bool volunteer_continue(turn_context& ctx, const inbound& in, std::string_view choice);
bool handover_start(turn_context& ctx, std::string_view intent, const inbound& in);
bool handover_continue(turn_context& ctx, const inbound& in, std::string_view choice);

}  // namespace opas::bot
