#pragma once
// Moves WAL checkpoints off the writer: SQLite's automatic checkpoint runs inside the COMMIT
// that crosses the threshold, stalling every turn of that group commit. Here the writer's
// connection only reports the WAL size (sqlite3_wal_hook) and a thread with its own
// connection copies the WAL into the database (PASSIVE: never blocks the writer).
//
// Under steady writes a passive checkpoint on another connection never catches up with the
// writer, so SQLite never starts the WAL over: it grew without bound (380 MB in 9 s of the
// webhook bench), every append landing on fresh blocks that the kernel must zero. So once the
// WAL has passed `restart_pages` the writer's own connection runs a passive checkpoint right
// after its commit (the way SQLite's automatic one does, but only then): the thread has copied
// nearly everything already, the writer copies the rest, and its next transaction writes from
// the start of the file again (journal_size_limit trims what a burst added).

#include <sqlite3.h>

#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

namespace opas::storage {

class checkpointer {
public:
    // Takes over checkpointing for `writer` (a connection to `path` in WAL mode).
    checkpointer(sqlite3* writer, std::string path, int threshold_pages = 1000,
                 int restart_pages = 4000);
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
    int restart_pages_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool due_ = false;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace opas::storage
