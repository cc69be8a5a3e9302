// Reminders before appointments (the scheduler hook booking_reminders_due, bot/scheduler.hpp).
// Each (booking, lead) is claimed in the reminders table before its message is queued, in the
// same transaction, so a reminder goes exactly once, also across restarts.
#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "bot/scheduler.hpp"
#include "bot/types.hpp"
#include "storage/bookings.hpp"

namespace opas::bot {
namespace {

using json = nlohmann::json;

// WhatsApp lets a business write freely for 24 h after the person's last message; keep a
// margin for the time the message spends in the outbox.
constexpr std::int64_t whatsapp_window_s = 24 * 3600 - 600;

bool send_reminder(scheduler_context& ctx, const storage::booking_row& b) {
    auto person = ctx.db.find_person_by_id(b.person_id);
    if (!person.ok()) return person.error().kind() == storage::status::code::not_found;
    std::string lang = person->language.empty() ? b.language : person->language;
    if (lang.empty() || !ctx.messages.has_language(lang)) lang = ctx.cfg.default_language;
    const std::string& address = ctx.cfg.centre.address;
    const std::string id = std::to_string(b.id);
    const reply r{ctx.messages.text(lang, "booking.reminder",
                                    {{"datetime", ctx.messages.format_datetime(lang, b.slot_start * 1000)},
                                     {"address", address}}),
                  {{"bk:ok:" + id, ctx.messages.text(lang, "button.there")},
                   {"bk:cancel:" + id, ctx.messages.text(lang, "button.cancel")}}};
    std::string kind = "message";
    std::string payload = to_json(r);
    const bool outside_window = person->channel == "whatsapp" &&
                                ctx.now_ms / 1000 - person->last_inbound_at >= whatsapp_window_s;
    const auto tmpl = outside_window
                          ? find_whatsapp_template(ctx.cfg.whatsapp, "booking_reminder", lang)
                          : std::nullopt;
    if (tmpl) {  // only an approved template may open a WhatsApp conversation
        kind = "template";
        const std::string when = ctx.messages.format_datetime(tmpl->lang, b.slot_start * 1000);
        payload = json{{"name", tmpl->name},
                       {"language", tmpl->code},
                       {"params", {when, address}},
                       {"fallback", json::parse(payload)}}
                      .dump(-1, ' ', false, json::error_handler_t::replace);
    }
    if (!ctx.db.enqueue(b.person_id, kind, payload, ctx.now_ms).ok()) return false;
    ctx.added_outbox = true;
    return true;
}

}  // namespace

bool booking_reminders_due(scheduler_context& ctx) {
    const auto& leads = ctx.cfg.booking_reminder_leads_minutes;
    if (leads.empty()) return true;
    const double longest = *std::max_element(leads.begin(), leads.end());
    const std::int64_t now_s = ctx.now_ms / 1000;
    storage::booking_store store(ctx.db);
    auto rows = store.booked_between(now_s, now_s + static_cast<std::int64_t>(std::ceil(longest * 60)));
    if (!rows.ok()) return false;
    for (const auto& b : rows.value()) {
        if (b.person_id == 0) continue;
        const std::string target = "booking:" + std::to_string(b.id);
        bool send = false;
        for (const double lead : leads) {
            const auto due_ms = b.slot_start * 1000 - static_cast<std::int64_t>(lead * 60000);
            if (ctx.now_ms < due_ms) continue;
            auto claimed = store.claim_reminder(target, lead, now_s);
            if (!claimed.ok()) return false;
            // A lead that passed before the booking was made is recorded, not sent: the
            // person has just booked.
            if (claimed.value() && due_ms >= b.created_at * 1000) send = true;
        }
        if (send && !send_reminder(ctx, b)) return false;
    }
    return true;
}

}  // namespace opas::bot
