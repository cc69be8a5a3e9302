#pragma once
// The single writer: runs every turn and every outbox update on one thread, in one SQLite
// transaction per batch (group commit). A caller learns the outcome only after the commit,
// so the edge answers 200 only for what is durably stored.
//
// Thread-safety: submit() and post() may be called from any thread; callbacks run on the
// writer thread and must be quick (post the result back to your own executor).

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "bot/engine.hpp"
#include "bot/types.hpp"
#include "storage/database.hpp"

namespace opas::bot {

class dispatcher {
public:
    using done_fn = std::function<void(bool ok)>;
    using work_fn = std::function<bool(storage::database&)>;  // false: roll back this job
    using clock_fn = std::function<std::int64_t()>;           // unix milliseconds

    // Counters for /metrics; read with relaxed consistency.
    struct counters {
        std::int64_t turns = 0;
        std::int64_t duplicates = 0;
        std::int64_t ignored = 0;
        std::int64_t commit_failures = 0;
        std::int64_t job_failures = 0;
        std::int64_t batches = 0;
    };

    dispatcher(storage::database& db, const engine& eng, clock_fn clock);
    ~dispatcher();  // stop(): finishes queued work first
    dispatcher(const dispatcher&) = delete;
    dispatcher& operator=(const dispatcher&) = delete;

    // Handles inbound events (one webhook request) as one job: all of them commit or none.
    void submit(std::vector<inbound> events, done_fn done);
    // Runs storage work on the writer thread inside the batch transaction.
    void post(work_fn work, done_fn done);
    // Called on the writer thread after a commit that added outbox rows (to wake senders).
    void on_outbox(std::function<void()> listener);
    // Called from inside a job (writer thread): the job added outbox rows (wake the senders
    // after the commit) / erased people (checkpoint after the commit).
    void note_outbox_added() { batch_added_outbox_ = true; }
    void note_erased() { erased_in_batch_ = true; }
    void stop();
    counters snapshot() const;

private:
    struct job {
        work_fn work;
        done_fn done;
    };
    void run();
    bool commit_batch(std::vector<job>& batch, std::vector<bool>& ok);
    bool handle_event(storage::database& db, const inbound& ev, bool& added_outbox);

    storage::database& db_;
    const engine& engine_;
    clock_fn clock_;
    std::function<void()> outbox_listener_;

    mutable std::mutex mutex_;  // guards queue_, stopping_, counters_
    std::condition_variable wake_;
    std::deque<job> queue_;
    bool stopping_ = false;
    counters counters_;
    bool batch_added_outbox_ = false;  // writer thread only
    bool erased_in_batch_ = false;     // writer thread only
    counters batch_counts_;            // writer thread only: the open batch's, added on commit
    std::thread thread_;
};

}  // namespace opas::bot
