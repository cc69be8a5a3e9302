#pragma once
// Moves WAL checkpoints off the writer: SQLite's automatic checkpoint runs inside the COMMIT
// that crosses the threshold, stalling every turn of that group commit. Here the writer's
// connection only reports the WAL size (sqlite3_wal_hook) and a thread with its own
// connection copies the WAL into the database (PASSIVE: never blocks the writer), at most
// once a second.
//
// Under sustained overload (the webhook bench) a passive checkpoint never catches up with the
// writer, so the WAL is not started over and grows until the load eases; then the thread's
// next checkpoint completes, the following commit writes from the start of the file again,
// and journal_size_limit (database.cpp) trims it. Forcing a restart from the writer bounded
// the file at 16 MiB but raised p99 at 64 connections from 8 ms to 56 ms (README,
// Performance), so the writer is never made to wait for a checkpoint.

#include <sqlite3.h>

#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

namespace opas::storage {

class checkpointer {
public:
    // Takes over checkpointing for `writer` (a connection to `path` in WAL mode).
    checkpointer(sqlite3* writer, std::string path, int threshold_pages = 1000);
    ~checkpointer();  // stops the thread after the checkpoint it is running
    checkpointer(const checkpointer&) = delete;
    checkpointer& operator=(const checkpointer&) = delete;

private:
    static int on_commit(void* self, sqlite3* db, const char* schema, int wal_pages);
    void run();

    sqlite3* writer_;
    sqlite3* own_ = nullptr;  // this thread's connection
    std::string path_;
    int threshold_pages_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool due_ = false;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace opas::storage
