// Retention: people inactive longer than privacy.retention_days are erased as in the forget
// flow; the contact log keeps only pseudonyms, so it stays for reporting. Housekeeping, once
// an hour: dedupe keys and finished outbox rows (their payloads hold reply texts) go.
#include <spdlog/spdlog.h>

#include "bot/scheduler.hpp"
#include "storage/erasure.hpp"

namespace opas::bot {

namespace {
// People erased per scheduler tick: a backlog (a long pause, a lowered retention_days) is
// worked off over several ticks instead of stalling every webhook behind one long job.
constexpr std::int64_t erase_per_tick = 200;

constexpr std::string_view housekeeping_key = "housekeeping_at";
constexpr std::int64_t housekeeping_every_s = 3600;
// Sent and failed rows stay two days, so that an operator can look into yesterday's failures.
constexpr std::int64_t finished_outbox_keep_s = 2 * 86400;

bool housekeeping_due(scheduler_context& ctx) {
    const std::int64_t now = ctx.now_ms / 1000;
    auto last = ctx.db.meta_time(housekeeping_key);
    if (!last.ok()) return false;
    if (now >= *last && now - *last < housekeeping_every_s) return true;
    auto seen = ctx.db.prune_seen(now - storage::database::seen_keep_seconds);
    if (!seen.ok()) return false;
    auto outbox = ctx.db.prune_outbox((now - finished_outbox_keep_s) * 1000);
    if (!outbox.ok()) return false;
    if (!ctx.db.set_meta_time(housekeeping_key, now).ok()) return false;
    if (*seen > 0 || *outbox > 0)
        spdlog::info("housekeeping pruned seen={} outbox={}", *seen, *outbox);
    return true;
}

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
    return housekeeping_due(ctx);
}

}  // namespace opas::bot
