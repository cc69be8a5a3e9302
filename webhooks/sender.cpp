#include "webhooks/sender.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <iterator>
#include <random>

#include "webhooks/async_dispatch.hpp"

namespace opas::webhooks {
namespace {

// A row may vanish while it is being sent (the person asked to be forgotten): that is done.
bool stored(const storage::status& st) {
    return st.ok() || st.kind() == storage::status::code::not_found;
}

constexpr int fetch_limit = 500;
constexpr std::int64_t idle_poll_ms = 1000;
constexpr std::int64_t backoff_base_ms = 1000;
constexpr std::int64_t backoff_cap_ms = 600000;

std::int64_t backoff_ms(int attempts) {
    static thread_local std::mt19937 rng{std::random_device{}()};
    const std::int64_t exp = backoff_base_ms << std::min(attempts, 20);
    const std::int64_t delay = std::min(exp, backoff_cap_ms);
    std::uniform_real_distribution<double> jitter(0.8, 1.2);
    return static_cast<std::int64_t>(static_cast<double>(delay) * jitter(rng));
}

}  // namespace

sender::sender(net::io_context& ioc, ssl::context& tls, channel_api api, bot::channel_limits limits,
               bot::dispatcher& dispatcher, metrics& m, clock_fn clock, int workers)
    : strand_(net::make_strand(ioc)),
      tls_(tls),
      api_(std::move(api)),
      limits_(limits),
      dispatcher_(dispatcher),
      metrics_(m),
      clock_(std::move(clock)),
      worker_count_(static_cast<std::size_t>(std::max(1, workers))) {
    for (std::size_t i = 0; i < worker_count_; ++i)
        timers_.push_back(std::make_unique<net::steady_timer>(strand_));
}

sender::~sender() = default;

void sender::start() {
    net::dispatch(strand_, [this] {
        running_ = worker_count_;
        for (std::size_t i = 0; i < worker_count_; ++i)
            net::co_spawn(strand_, worker(i), [this](std::exception_ptr e) {
                if (e) try { std::rethrow_exception(e); } catch (const std::exception& ex) {
                        spdlog::error("sender worker ended channel={} error={}", api_.name, ex.what());
                    }
                worker_done();
            });
    });
}

void sender::wake() {
    net::post(strand_, [this] {
        woken_ = true;
        for (auto& t : timers_) t->cancel();
    });
}

void sender::stop(std::function<void()> done) {
    net::post(strand_, [this, done = std::move(done)] {
        stopping_ = true;
        stopped_ = done;
        for (auto& t : timers_) t->cancel();
        if (running_ == 0 && stopped_) std::exchange(stopped_, nullptr)();
    });
}

void sender::worker_done() {
    if (--running_ == 0 && stopped_) std::exchange(stopped_, nullptr)();
}

sender::pick sender::next_row() {
    const std::int64_t now = clock_();
    std::int64_t wait = idle_poll_ms;
    std::set<std::string> heads;  // chats whose oldest pending row we have looked at
    for (const auto& row : candidates_) {
        if (!heads.insert(row.chat_id).second) continue;  // keep order per chat
        if (busy_ids_.count(row.id) || busy_chats_.count(row.chat_id)) continue;
        if (row.next_attempt_at > now) {
            wait = std::min(wait, row.next_attempt_at - now);
            continue;
        }
        const auto last = last_sent_ms_.find(row.chat_id);
        if (last != last_sent_ms_.end() && last->second + limits_.per_chat_interval_ms > now) {
            wait = std::min(wait, last->second + limits_.per_chat_interval_ms - now);
            continue;
        }
        if (next_global_ms_ > now) return {std::nullopt, false, std::chrono::milliseconds(next_global_ms_ - now)};
        next_global_ms_ = std::max(next_global_ms_, now) +
                          static_cast<std::int64_t>(1000.0 / limits_.rate_per_second);
        return {row, false, {}};
    }
    const bool stale = now - last_refresh_ms_ >= idle_poll_ms;
    if (!refreshing_ && (woken_ || stale)) return {std::nullopt, true, {}};
    return {std::nullopt, false, std::chrono::milliseconds(std::max<std::int64_t>(wait, 1))};
}

net::awaitable<void> sender::refresh() {
    refreshing_ = true;
    woken_ = false;
    auto rows = std::make_shared<std::vector<storage::outbox_row>>();
    const std::string channel = api_.name;
    bot::dispatcher::work_fn fetch = [rows, channel](storage::database& db) {
        auto r = db.pending(channel, fetch_limit);
        if (!r.ok()) return false;
        *rows = std::move(r.value());
        return true;
    };
    const bool ok = co_await async_post(dispatcher_, std::move(fetch));
    refreshing_ = false;
    last_refresh_ms_ = clock_();
    if (ok)
        candidates_.assign(std::make_move_iterator(rows->begin()),
                           std::make_move_iterator(rows->end()));
    for (auto& t : timers_) t->cancel();  // let the other workers look at the new rows
}

net::awaitable<void> sender::worker(std::size_t index) {
    http_client client(strand_, tls_, api_.origin);
    auto& timer = *timers_[index];
    while (!stopping_) {
        auto p = next_row();
        if (p.refresh) {
            co_await refresh();
            continue;
        }
        if (!p.row) {
            timer.expires_after(p.wait);
            co_await timer.async_wait(net::as_tuple(net::use_awaitable));
            continue;
        }
        const storage::outbox_row row = *p.row;
        busy_ids_.insert(row.id);
        busy_chats_.insert(row.chat_id);
        const auto result = co_await deliver(client, row);
        co_await record(row, result);
        last_sent_ms_[row.chat_id] = clock_();
        busy_ids_.erase(row.id);
        busy_chats_.erase(row.chat_id);
        if (result.outcome != send_result::kind::ok && result.retry_after_s > 0)
            next_global_ms_ = std::max(next_global_ms_, clock_() + result.retry_after_s * 1000);
    }
    client.close();
}

net::awaitable<send_result> sender::deliver(http_client& client, const storage::outbox_row& row) {
    const auto calls = api_.render(row);
    if (calls.empty()) co_return send_result{send_result::kind::failed, 0, "unrenderable", {}};
    send_result last{send_result::kind::ok, 0, {}, {}};
    for (std::size_t i = parts_sent_[row.id]; i < calls.size(); ++i) {
        const auto started = std::chrono::steady_clock::now();
        auto path = calls[i].path;
        auto body = calls[i].body;
        auto headers = api_.headers;
        const auto timeout = std::chrono::milliseconds(limits_.request_timeout_ms);
        const auto res = co_await client.post_json(std::move(path), std::move(body),
                                                   std::move(headers), timeout);
        const std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
        metrics_.send(api_.name, took.count());
        last = res.ec ? send_result{send_result::kind::retry, 0, "network", {}}
                      : api_.classify(res.status, res.body);
        if (last.outcome != send_result::kind::ok) co_return last;
        parts_sent_[row.id] = i + 1;
    }
    co_return last;
}

net::awaitable<void> sender::record(const storage::outbox_row& row, const send_result& result) {
    const std::int64_t now = clock_();
    bot::dispatcher::work_fn work;
    using kind = send_result::kind;
    std::string reason = result.reason.empty() ? "unknown" : result.reason;
    const int attempts = row.attempts + 1;
    const bool give_up = result.outcome == kind::retry && attempts >= limits_.max_attempts;
    if (result.outcome == kind::ok) {
        parts_sent_.erase(row.id);
        work = [id = row.id, pid = result.platform_message_id, now](storage::database& db) {
            return stored(db.mark_sent(id, pid, now));
        };
    } else if (result.outcome == kind::retry && !give_up) {
        const std::int64_t delay =
            result.retry_after_s > 0 ? result.retry_after_s * 1000 : backoff_ms(row.attempts);
        work = [id = row.id, attempts, next = now + delay, reason](storage::database& db) {
            return stored(db.mark_retry(id, attempts, next, reason));
        };
        // Keep the local copy in step so the row is not picked again before it is due.
        for (auto& r : candidates_)
            if (r.id == row.id) r.next_attempt_at = now + delay, r.attempts = attempts;
    } else {
        parts_sent_.erase(row.id);
        const bool blocked = result.outcome == kind::blocked;
        if (give_up) reason = "gave_up_" + reason;
        metrics_.send_failure(api_.name, reason);
        spdlog::warn("outbox row failed channel={} row={} reason={}", api_.name, row.id, reason);
        work = [id = row.id, pid = row.person_id, reason, now, blocked](storage::database& db) {
            // Blocked: this row and everything else queued for them fail (it would only be
            // refused again).
            if (blocked)
                return stored(db.mark_unreachable(pid, true)) &&
                       db.fail_pending_of(pid, reason, now).ok();
            return stored(db.mark_failed(id, reason, now));
        };
        if (blocked)
            std::erase_if(candidates_, [&](const auto& r) { return r.person_id == row.person_id; });
    }
    if (result.outcome == kind::retry) metrics_.send_failure(api_.name, reason);
    const bool ok = co_await async_post(dispatcher_, std::move(work));
    if (!ok) spdlog::error("outbox update not stored channel={} row={}", api_.name, row.id);
    if (result.outcome != kind::retry || give_up) {
        // Ids are unique: erase the one row (a deque moves only the side nearer its end).
        const auto done = std::find_if(candidates_.begin(), candidates_.end(),
                                       [&](const auto& r) { return r.id == row.id; });
        if (done != candidates_.end()) candidates_.erase(done);
    }
}

}  // namespace opas::webhooks
