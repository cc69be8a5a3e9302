// Retention: people inactive longer than privacy.retention_days are erased as in the forget
// flow; the contact log keeps only pseudonyms, so it stays for reporting.
#include <spdlog/spdlog.h>

#include "bot/scheduler.hpp"
#include "storage/erasure.hpp"

namespace opas::bot {

namespace {
// People erased per scheduler tick: a backlog (a long pause, a lowered retention_days) is
// worked off over several ticks instead of stalling every webhook behind one long job.
constexpr std::int64_t erase_per_tick = 200;
}  // namespace

bool retention_due(scheduler_context& ctx) {
    const std::int64_t now = ctx.now_ms / 1000;
    const std::int64_t cutoff = now - std::int64_t{ctx.cfg.retention_days} * 86400;
    auto people = ctx.db.people_inactive_since(cutoff, erase_per_tick);
    if (!people.ok()) return false;
    for (const auto& p : people.value()) {
        storage::contact_record rec{p.pseudonym, now / 3600 * 3600,   p.channel,
                                    p.language,  "privacy.retention", "erased", -1};
        if (!ctx.db.log_contact(rec).ok()) return false;
        if (!storage::erase_person_fully(ctx.db, p.id, now).ok()) return false;
        ctx.erased = true;
    }
    if (!people.value().empty()) spdlog::info("retention erased people={}", people.value().size());
    return true;
}

}  // namespace opas::bot
