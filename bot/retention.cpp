// Retention: people inactive longer than privacy.retention_days are erased as in the forget
// flow; the contact log keeps only pseudonyms, so it stays for reporting.
#include <spdlog/spdlog.h>

#include "bot/scheduler.hpp"

namespace opas::bot {

bool retention_due(scheduler_context& ctx) {
    const std::int64_t cutoff = ctx.now_ms / 1000 - std::int64_t{ctx.cfg.retention_days} * 86400;
    auto people = ctx.db.people_inactive_since(cutoff);
    if (!people.ok()) return false;
    for (const auto& p : people.value()) {
        storage::contact_record rec{p.pseudonym, ctx.now_ms / 1000 / 3600 * 3600, p.channel,
                                    p.language,  "privacy.retention", "erased", -1};
        if (!ctx.db.log_contact(rec).ok() || !ctx.db.erase_person(p.id).ok()) return false;
        ctx.erased = true;
    }
    if (!people.value().empty()) spdlog::info("retention erased people={}", people.value().size());
    return true;
}

}  // namespace opas::bot
