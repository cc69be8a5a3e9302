#pragma once
// Moves WAL checkpoints off the writer: SQLite's automatic checkpoint runs inside the COMMIT
// that crosses the threshold, stalling every turn of that group commit. Here the writer's
// connection only reports the WAL size (sqlite3_wal_hook) and a thread with its own
// connection copies the WAL into the database (PASSIVE: never blocks the writer), at most
// once a second.
//
// The thread waits for a quiet moment (no commit for `quiet`) before it copies. A checkpoint
// ends with an fsync of the database file, and one during a burst of commits delayed them:
// p99 at 64 connections rose from 8 ms to 13-26 ms. So a burst writes on into the WAL, and
// its pages are copied once it eases; past `cap_pages` the thread copies without waiting.
// A copy that finds every frame in the database lets the writer's next transaction start the
// WAL over, and journal_size_limit (database.cpp) trims the file. (Forcing that start-over
// from the writer during a burst raised p99 to 56-60 ms: README, Performance.)
//
// Until November 2026 the thread's connection never read the file, so it never learned that
// the file was in WAL mode and every checkpoint returned at once having copied nothing: the
// WAL grew until the process exited. tests/storage/checkpointer_test.cpp guards that.

#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

namespace opas::storage {

class checkpointer {
public:
    struct limits {
        int threshold_pages = 1000;  // WAL size that makes a checkpoint due
        // 4 GiB of 4 KiB pages: copy without waiting. With synchronous=NORMAL the WAL is not
        // synced until a checkpoint, which must first fsync all of it: past a 1 GiB cap (7.5 s
        // of the bench at 2 connections, about 8 frames a turn) p99 went from 0.9 to 20-117 ms.
        int cap_pages = 1024 * 1024;
        std::chrono::milliseconds quiet{250};  // no commit for this long: copy now
    };
    // Takes over checkpointing for `writer` (a connection to `path` in WAL mode).
    checkpointer(sqlite3* writer, std::string path, limits lim);
    checkpointer(sqlite3* writer, std::string path) : checkpointer(writer, path, limits{}) {}
    ~checkpointer();  // stops the thread after the checkpoint it is running
    checkpointer(const checkpointer&) = delete;
    checkpointer& operator=(const checkpointer&) = delete;

private:
    static int on_commit(void* self, sqlite3* db, const char* schema, int wal_pages);
    void run();
    bool wait_until_quiet();    // false when stopping
    sqlite3* open_own() const;  // nullptr when the file cannot be opened and read

    sqlite3* writer_;
    std::string path_;
    limits limits_;
    std::atomic<int> wal_pages_{0};                // at the last commit
    std::atomic<std::int64_t> last_commit_ns_{0};  // steady clock
    std::mutex mutex_;
    std::condition_variable wake_;
    bool due_ = false;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace opas::storage
