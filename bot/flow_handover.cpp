// The handover flow (see bot/flow.hpp and bot/handover_data.hpp).
//
// Person side: the `handover` intent, the menu's "Talk to a person", or repeated "not sure"
// answers (engine.cpp) open a handover: the staff group gets a note with the code, language,
// channel and the person's message; the person is told staff will answer (and when, outside
// staff hours). While the handover is open the bot stays quiet: every message of the person
// goes to the staff group under the code. "menu"/"stop" or a button from an older message ends
// it from the person's side. Emergencies still get the bot's answer (the router goes first).
//
// Staff side: a reply in the staff group to a note with the code goes to the person as written;
// `/end #code` or a reply `/end` ends it; so does a timeout (staff.handover_timeout_minutes).
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>

#include "bot/flow.hpp"
#include "bot/handover_data.hpp"
#include "bot/scheduler.hpp"
#include "intents/normalize.hpp"
#include "storage/erasure.hpp"
#include "storage/handovers.hpp"

namespace opas::bot {
namespace {

constexpr std::int64_t farewell_max_wait_s = 600;

std::string_view trim(std::string_view s) {
    const auto first = s.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) return {};
    const auto last = s.find_last_not_of(" \t\r\n");
    return s.substr(first, last - first + 1);
}

bool is_code_at(std::string_view s, std::size_t pos) {
    if (pos + 9 > s.size() || s[pos] != '#') return false;
    for (std::size_t i = pos + 1; i < pos + 9; ++i)
        if (!std::isxdigit(static_cast<unsigned char>(s[i]))) return false;
    return pos + 9 == s.size() || !std::isalnum(static_cast<unsigned char>(s[pos + 9]));
}

// The first handover code ("#a1b2c3d4") in a text, "" when none.
std::string find_code(std::string_view s) {
    for (auto pos = s.find('#'); pos != std::string_view::npos; pos = s.find('#', pos + 1))
        if (is_code_at(s, pos)) return std::string(s.substr(pos, 9));
    return {};
}

// "/end", "/end@OpasBot", "/end #a1b2c3d4".
bool is_end_command(std::string_view text) {
    if (text.substr(0, 4) != "/end") return false;
    return text.size() == 4 || text[4] == ' ' || text[4] == '@' || text[4] == '\n';
}

// The person asks to leave: the menu/stop/cancel words (intents do not end a handover: what
// the person writes is meant for staff).
bool leaves(const turn_context& ctx) {
    if (ctx.message.empty()) return false;
    const std::string said = intents::fold(trim(ctx.message));
    for (const char* key : {"button.menu", "button.stop", "button.cancel"})
        if (said == intents::fold(ctx.text(key))) return true;
    for (const char* word : {"menu", "stop", "/start", "/menu", "/stop"})
        if (said == word) return true;
    return false;
}

std::string staff_text(const turn_context& ctx, std::string_view key, const std::string& code) {
    return ctx.cat.text(staff_language(ctx.cfg), key,
                        {{"code", code},
                         {"language", ctx.language()},
                         {"channel", ctx.data.handovers.channel()}});
}

}  // namespace

bool handover_start(turn_context& ctx, std::string_view intent, const inbound& in) {
    if (intent != "handover" || !ctx.cfg.handover_enabled()) return false;
    auto& data = ctx.data.handovers;
    const bool was_open = data.active();
    if (!data.open(ctx.now_ms)) return false;
    const std::string code = data.code();
    std::string note = staff_text(ctx, was_open ? "handover.staff_message" : "handover.staff_new", code);
    if (in.kind == inbound_kind::media) note += "\n\n" + staff_text(ctx, "handover.staff_media", code);
    else if (!trim(ctx.message).empty()) note += "\n\n" + std::string(trim(ctx.message));
    if (!data.to_staff(ctx.cfg, note, ctx.now_ms)) return false;

    ctx.flow = {{"name", "handover"}};
    std::string body = ctx.text("handover.started");
    if (const auto when = staff_next_opening(ctx.cfg, ctx.now_ms))
        body += "\n" + ctx.text("handover.closed",
                                {{"when", ctx.cat.format_datetime(ctx.language(), *when)}});
    ctx.say(std::move(body));
    ctx.record("handover", "handed_over");
    return true;
}

bool handover_continue(turn_context& ctx, const inbound& in, std::string_view choice) {
    auto& data = ctx.data.handovers;
    if (!data.active()) {  // ended by staff or by the timeout meanwhile
        ctx.end_flow();
        return false;
    }
    const std::string code = data.code();
    if (choice == "menu:person") {  // asks again: still with staff
        ctx.say(ctx.text("handover.started"));
        return true;
    }
    if (leaves(ctx) || !choice.empty()) {
        if (!data.close()) return false;
        data.to_staff(ctx.cfg, staff_text(ctx, "handover.staff_left", code), ctx.now_ms);
        ctx.say(ctx.text("handover.ended"));
        ctx.end_flow();
        return false;  // the router answers the word or the button
    }
    std::string note = staff_text(ctx, "handover.staff_message", code) + "\n\n";
    if (in.kind == inbound_kind::text) note += std::string(trim(in.text));
    else note += staff_text(ctx, "handover.staff_media", code);
    if (!data.to_staff(ctx.cfg, note, ctx.now_ms) || !data.touch(ctx.now_ms)) {
        spdlog::warn("handover forward failed");
        return false;
    }
    return true;  // quiet: staff answer
}

bool handover_staff_message(scheduler_context& ctx, const inbound& in) {
    if (in.kind != inbound_kind::text) return true;  // photos, buttons in the group: not ours
    const std::string_view text = trim(in.text);
    const bool end = is_end_command(text);
    const bool starts_with_code = is_code_at(text, 0);
    std::string code = end || starts_with_code ? find_code(text) : std::string();
    if (code.empty()) code = find_code(in.reply_to_text);
    if (code.empty()) return true;  // staff talking among themselves
    if (!end && !starts_with_code && in.reply_to_text.empty()) return true;

    auto found = storage::find_handover(ctx.db, code);
    if (!found) return false;
    const std::string lang = staff_language(ctx.cfg);
    if (!found->has_value()) {
        ctx.added_outbox = true;
        return post_to_staff(ctx.db, ctx.cfg,
                             ctx.messages.text(lang, "handover.staff_not_active", {{"code", code}}),
                             ctx.now_ms);
    }
    const storage::handover& h = **found;
    ctx.added_outbox = true;
    if (end) return end_handover(ctx.db, ctx.messages, ctx.cfg, ctx.now_ms, h, "handover.staff_ended");

    std::string_view body = text;
    if (starts_with_code) body = trim(body.substr(9));
    if (body.empty()) return true;
    if (!ctx.db.enqueue(h.person_id, "message", to_json(reply{std::string(body), {}}), ctx.now_ms).ok())
        return false;
    return storage::touch_handover(ctx.db, h.person_id, ctx.now_ms / 1000).ok();
}

bool handover_timeouts_due(scheduler_context& ctx) {
    const std::int64_t now = ctx.now_ms / 1000;
    auto idle = storage::idle_handovers(
        ctx.db, now - std::int64_t{ctx.cfg.staff.handover_timeout_minutes} * 60);
    if (!idle) return false;
    for (const auto& h : idle.value()) {
        if (!end_handover(ctx.db, ctx.messages, ctx.cfg, ctx.now_ms, h, "handover.staff_timeout"))
            return false;
        ctx.added_outbox = true;
    }
    // Erasure stand-ins whose confirmation is delivered (storage/erasure.hpp).
    auto dropped = storage::drop_farewell_contacts(ctx.db, now, farewell_max_wait_s);
    if (!dropped) return false;
    if (dropped.value() > 0) ctx.erased = true;
    return true;
}

}  // namespace opas::bot
