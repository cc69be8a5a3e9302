#include "bot/privacy.hpp"

#include "bot/handover_data.hpp"
#include "storage/erasure.hpp"
#include "storage/handovers.hpp"

namespace opas::bot {

bool forget_person(storage::database& db, const catalog& messages, const config& cfg,
                   const storage::person& p, const turn& t, const std::string& callback_ack,
                   std::int64_t now_ms) {
    const std::int64_t now = now_ms / 1000;
    auto open = storage::handover_active(db, p.id);
    if (!open) return false;
    if (open.value() && cfg.handover_enabled()) {
        const std::string note =
            messages.text(staff_language(cfg), "handover.staff_erased",
                          {{"code", storage::handover_code(p.pseudonym)}});
        if (!storage::erase_person_fully(db, p.id, now).ok()) return false;
        if (!post_to_staff(db, cfg, note, now_ms)) return false;
    } else if (!storage::erase_person_fully(db, p.id, now).ok()) {
        return false;
    }
    if (callback_ack.empty() && t.replies.empty()) return true;
    auto stand_in = storage::farewell_contact(db, p.channel, p.chat_id, p.id, now);
    if (!stand_in) return false;
    if (!callback_ack.empty() && !db.enqueue(*stand_in, "callback_ack", callback_ack, now_ms).ok())
        return false;
    for (const auto& r : t.replies)
        if (!db.enqueue(*stand_in, "message", to_json(r), now_ms).ok()) return false;
    return true;
}

}  // namespace opas::bot
