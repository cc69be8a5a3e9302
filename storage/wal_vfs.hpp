// A thin SQLite VFS over the platform's default one that hands a transaction's WAL frames to
// the kernel in one write instead of two writes per page.
//
// SQLite appends each frame of a commit as two pwrite calls (24-byte header, then the page).
// A group commit of twenty turns dirties about twenty pages, so it made about forty system
// calls, and on a virtual machine each costs microseconds. This VFS keeps consecutive writes
// to a `-wal` file in a buffer and writes it out:
// - when the commit frame is complete (its header carries the database size, other frames'
//   headers carry 0), inside the same xWrite, so a failure (disk full) fails the commit the
//   way SQLite expects, and every committed frame is in the file before SQLite publishes the
//   commit to readers in the WAL index;
// - before anything else touches the file (read, sync, truncate, size, lock, close), or a
//   write lands anywhere but at the buffer's end, or the buffer would pass 124 KiB.
// Durability is unchanged: uncommitted frames were never promised, and with
// synchronous=FULL the sync comes after the buffer is written. The database file, the
// journal and the shared-memory index pass through untouched.
#pragma once

#include <cstdint>

namespace opas::storage::wal_vfs {

// Registers the VFS on first use (not as the default) and returns its name for
// sqlite3_open_v2. Thread-safe.
const char* name();

// Calls made to the underlying VFS's xWrite on WAL files, and the writes SQLite asked for,
// over the process so far: a test sees the coalescing, an operator can compare.
struct counts {
    std::uint64_t asked = 0;
    std::uint64_t made = 0;
};
counts write_counts();

}  // namespace opas::storage::wal_vfs
