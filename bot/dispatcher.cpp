#include "bot/dispatcher.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "bot/domain.hpp"
#include "bot/handover_data.hpp"
#include "bot/privacy.hpp"
#include "bot/scheduler.hpp"

namespace opas::bot {
namespace {

constexpr std::size_t max_batch = 256;  // jobs per transaction

std::string callback_payload(const std::string& id) {
    std::string escaped;
    for (char c : id)
        if (c != '"' && c != '\\' && static_cast<unsigned char>(c) >= 0x20) escaped += c;
    return "{\"callback_query_id\":\"" + escaped + "\"}";
}

}  // namespace

dispatcher::dispatcher(storage::database& db, const engine& eng, clock_fn clock)
    : db_(db), engine_(eng), clock_(std::move(clock)), thread_([this] { run(); }) {}

dispatcher::~dispatcher() { stop(); }

void dispatcher::on_outbox(std::function<void()> listener) {
    std::lock_guard lock(mutex_);
    outbox_listener_ = std::move(listener);
}

void dispatcher::submit(std::vector<inbound> events, done_fn done) {
    // Reading the text needs no state: done here, on the caller's thread, not on the writer.
    for (auto& ev : events)
        if (!ev.understood) ev.understood = engine_.understand(ev);
    auto work = [this, events = std::move(events)](storage::database& db) {
        for (const auto& ev : events)
            if (!handle_event(db, ev, batch_added_outbox_)) return false;
        return true;
    };
    post(std::move(work), std::move(done));
}

void dispatcher::post(work_fn work, done_fn done) {
    {
        std::lock_guard lock(mutex_);
        if (stopping_) {
            if (done) done(false);
            return;
        }
        queue_.push_back({std::move(work), std::move(done)});
    }
    wake_.notify_one();
}

void dispatcher::stop() {
    {
        std::lock_guard lock(mutex_);
        if (stopping_ && !thread_.joinable()) return;
        stopping_ = true;
    }
    wake_.notify_one();
    if (thread_.joinable()) thread_.join();
}

dispatcher::counters dispatcher::snapshot() const {
    std::lock_guard lock(mutex_);
    return counters_;
}

namespace {
// Why a turn rolls back, for the operator: the step and SQLite's message (never a value).
bool failed(const char* step, const storage::status& st = {}) {
    spdlog::warn("turn step {} failed{}{}", step, st.ok() ? "" : ": ", st.ok() ? "" : st.message());
    return false;
}
}  // namespace

bool dispatcher::handle_event(storage::database& db, const inbound& ev, bool& added_outbox) {
    const std::int64_t now_ms = clock_();
    const auto seen = db.mark_seen(ev.message_id, now_ms / 1000);
    if (!seen.ok()) return failed("mark_seen", seen.error());
    if (!seen.value()) {
        ++batch_counts_.duplicates;
        return true;
    }
    const char* channel = to_string(ev.source);
    switch (ev.kind) {
        case inbound_kind::ignored:
            ++batch_counts_.ignored;
            return true;
        case inbound_kind::status:
            return db.record_delivery_status(
                         {channel, ev.text, ev.status, ev.error_code, ev.time})
                .ok();
        case inbound_kind::unreachable: {
            auto p = db.find_person(channel, ev.user_id);
            if (!p.ok()) return p.error().kind() == storage::status::code::not_found;
            return db.mark_unreachable(p->id, true).ok() &&
                   db.fail_pending_of(p->id, "unreachable", now_ms).ok();
        }
        case inbound_kind::text:
        case inbound_kind::choice:
        case inbound_kind::media:
            break;
    }

    if (ev.source == channel::telegram && ev.user_id != ev.chat_id) {
        // A group message: never mix a group into a person's record. The staff group answers
        // handovers (bot/flow_handover.cpp); other groups are ignored.
        const config& cfg = engine_.cfg();
        if (cfg.handover_enabled() && ev.chat_id == cfg.staff.telegram_chat_id) {
            scheduler_context staff{db, engine_.messages(), cfg, now_ms};
            if (!handover_staff_message(staff, ev)) return failed("staff message");
            if (staff.added_outbox) added_outbox = true;
            return true;
        }
        ++batch_counts_.ignored;
        return true;
    }
    auto p = db.upsert_person(channel, ev.user_id, ev.chat_id, now_ms / 1000);
    if (!p.ok()) return failed("upsert_person", p.error());
    if (p->unreachable && !db.mark_unreachable(p->id, false).ok()) return failed("reachable");

    sqlite_domain data(db, {p->id, p->pseudonym, channel, p->last_inbound_at});
    const turn t = engine_.handle(ev, {p->is_new, p->language, p->state}, data.view(), now_ms);

    added_outbox = true;  // replies, or a flow's note to someone else (a handover's staff group)
    if (!t.intent.empty()) {
        storage::contact_record rec{p->pseudonym, (now_ms / 1000) / 3600 * 3600, channel,
                                    t.language,   t.intent,
                                    t.outcome,    t.helpful};
        if (const auto st = db.log_contact(rec); !st.ok()) return failed("log_contact", st);
    }
    const std::string ack = ev.callback_id.empty() ? std::string() : callback_payload(ev.callback_id);
    if (t.erase_person) {  // the confirmation goes out through a stand-in (bot/privacy.hpp)
        erased_in_batch_ = true;
        return forget_person(db, engine_.messages(), engine_.cfg(), *p, t, ack, now_ms);
    }
    if (!ack.empty() && !db.enqueue(*p, "callback_ack", ack, now_ms).ok())
        return failed("enqueue ack");
    for (const auto& r : t.replies)
        if (const auto st = db.enqueue(*p, "message", to_json(r), now_ms); !st.ok())
            return failed("enqueue", st.error());
    // A question answered like the last one leaves the state as it was: no write then.
    const bool changed = t.language != p->language || t.state != p->state;
    if (const auto st = changed ? db.save_person(p->id, t.language, t.state) : storage::status{};
        !st.ok())
        return failed("save_person", st);
    ++batch_counts_.turns;
    return true;
}

// One transaction for the batch. A savepoint per job would let a failed job be undone alone,
// but costs every job two statements and a copy of each page it changes (5 % of the writer),
// and jobs almost never fail. So the batch runs without them; only when a job fails is the
// transaction rolled back and the batch run again, this time with a savepoint per job.
// Jobs only change the database (and this pass's flags and counts), so a second run is safe.
bool dispatcher::commit_batch(std::vector<job>& batch, std::vector<bool>& ok) {
    for (const bool savepoints : {false, true}) {
        batch_added_outbox_ = false;
        erased_in_batch_ = false;
        batch_counts_ = {};
        std::fill(ok.begin(), ok.end(), false);
        if (!db_.begin().ok()) {
            spdlog::error("begin failed");
            return false;
        }
        bool all_ok = true;
        for (std::size_t i = 0; i < batch.size() && all_ok; ++i) {
            if (savepoints && !db_.savepoint("job").ok()) continue;
            ok[i] = batch[i].work(db_);
            if (!savepoints) {
                all_ok = ok[i];
                continue;
            }
            if (!ok[i]) {
                db_.rollback_to("job");
                spdlog::warn("turn rolled back");
            }
            db_.release("job");
        }
        if (!all_ok) {
            db_.rollback();  // and once more with savepoints
            continue;
        }
        if (const auto st = db_.commit(); !st.ok()) {
            spdlog::error("commit failed: {}", st.message());
            db_.rollback();
            return false;
        }
        return true;
    }
    return false;
}

void dispatcher::run() {
    std::vector<job> batch;
    for (;;) {
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
            if (queue_.empty() && stopping_) return;
            while (!queue_.empty() && batch.size() < max_batch) {
                batch.push_back(std::move(queue_.front()));
                queue_.pop_front();
            }
        }
        std::vector<bool> ok(batch.size(), false);
        const bool committed = commit_batch(batch, ok);
        {
            std::lock_guard lock(mutex_);
            ++counters_.batches;
            if (!committed) ++counters_.commit_failures;
            counters_.job_failures += std::count(ok.begin(), ok.end(), false);
            if (committed) {
                counters_.turns += batch_counts_.turns;
                counters_.duplicates += batch_counts_.duplicates;
                counters_.ignored += batch_counts_.ignored;
            }
        }
        // Erased identifiers must leave the -wal file too, not only the tables.
        if (committed && erased_in_batch_) {
            if (const auto st = db_.checkpoint(); !st.ok())
                spdlog::warn("checkpoint after erasure failed: {}", st.message());
        }
        for (std::size_t i = 0; i < batch.size(); ++i)
            if (batch[i].done) batch[i].done(committed && ok[i]);
        if (committed && batch_added_outbox_) {
            std::function<void()> listener;
            {
                std::lock_guard lock(mutex_);
                listener = outbox_listener_;
            }
            if (listener) listener();
        }
        batch.clear();
    }
}

}  // namespace opas::bot
