#include "storage/wal_vfs.hpp"

#include <sqlite3.h>

#include <atomic>
#include <cstddef>
#include <cstring>
#include <mutex>
#include <new>
#include <vector>

namespace opas::storage::wal_vfs {
namespace {

// The unix VFS writes at most 128 KiB - 1 bytes per call (seekAndWriteFd masks the length
// with 0x1ffff, as SQLite itself never writes more than one 64 KiB page at once); a longer
// write would come back short and read as "disk full". 124 KiB holds a commit of 30 pages.
constexpr std::size_t buffer_limit = 124 * 1024;
constexpr int frame_header_bytes = 24;  // a WAL frame: 24-byte header, then one page

std::atomic<std::uint64_t> writes_asked{0};
std::atomic<std::uint64_t> writes_made{0};

sqlite3_vfs* base_vfs = nullptr;  // the platform's default, set once by name()

// An open -wal file: our methods in front, the base VFS's file object behind.
struct wal_file {
    sqlite3_file head;  // must be first: SQLite hands us this pointer
    sqlite3_file* base;
    std::vector<unsigned char>* pending;  // bytes not yet written, starting at `start`
    sqlite3_int64 start;
    bool commit_header_seen;  // the last write was the header of a commit frame
};

constexpr std::size_t base_offset = (sizeof(wal_file) + 15) / 16 * 16;

wal_file* as_wal(sqlite3_file* f) { return reinterpret_cast<wal_file*>(f); }
const sqlite3_io_methods& base_io(sqlite3_file* f) { return *as_wal(f)->base->pMethods; }

// Writes out what is pending. The buffer is emptied either way: frames of a failed write
// belong to a transaction SQLite will roll back and write again.
int flush(wal_file* w) {
    if (w->pending->empty()) return SQLITE_OK;
    writes_made.fetch_add(1, std::memory_order_relaxed);
    const int rc = w->base->pMethods->xWrite(w->base, w->pending->data(),
                                             static_cast<int>(w->pending->size()), w->start);
    w->pending->clear();
    return rc;
}

// The frame header's bytes 4-7 hold the database size in pages after a commit, else 0.
bool is_commit_header(const void* data) {
    const auto* p = static_cast<const unsigned char*>(data);
    return (p[4] | p[5] | p[6] | p[7]) != 0;
}

int wal_write(sqlite3_file* f, const void* data, int amount, sqlite3_int64 offset) {
    wal_file* w = as_wal(f);
    writes_asked.fetch_add(1, std::memory_order_relaxed);
    const auto n = static_cast<std::size_t>(amount);
    const bool contiguous =
        w->start + static_cast<sqlite3_int64>(w->pending->size()) == offset;
    if (!w->pending->empty() && (!contiguous || w->pending->size() + n > buffer_limit)) {
        if (const int rc = flush(w); rc != SQLITE_OK) return rc;
    }
    if (n >= buffer_limit) {
        writes_made.fetch_add(1, std::memory_order_relaxed);
        return base_io(f).xWrite(w->base, data, amount, offset);
    }
    if (w->pending->empty()) w->start = offset;
    const bool completes_commit = w->commit_header_seen && amount != frame_header_bytes;
    w->commit_header_seen = amount == frame_header_bytes && is_commit_header(data);
    try {
        const auto* bytes = static_cast<const unsigned char*>(data);
        w->pending->insert(w->pending->end(), bytes, bytes + n);
    } catch (const std::bad_alloc&) {
        if (const int rc = flush(w); rc != SQLITE_OK) return rc;
        writes_made.fetch_add(1, std::memory_order_relaxed);
        return base_io(f).xWrite(w->base, data, amount, offset);
    }
    return completes_commit ? flush(w) : SQLITE_OK;
}

int wal_close(sqlite3_file* f) {
    wal_file* w = as_wal(f);
    const int flushed = flush(w);
    const int rc = base_io(f).xClose(w->base);
    delete w->pending;
    w->pending = nullptr;
    return flushed != SQLITE_OK ? flushed : rc;
}

// The base file's method M, on the base file; with `flush_first`, after writing out what is
// pending (everything that reads, sizes, syncs or locks the file must see all writes).
template <auto M, bool flush_first>
struct forward;
template <typename R, typename... A, R (*sqlite3_io_methods::*M)(sqlite3_file*, A...),
          bool flush_first>
struct forward<M, flush_first> {
    static R call(sqlite3_file* f, A... args) {
        if constexpr (flush_first) {
            if (const int rc = flush(as_wal(f)); rc != SQLITE_OK) return rc;
        }
        return (base_io(f).*M)(as_wal(f)->base, args...);
    }
};
template <auto M>
constexpr auto flushed = forward<M, true>::call;
template <auto M>
constexpr auto passed = forward<M, false>::call;

using io = sqlite3_io_methods;
constexpr io wal_methods = {
    3,
    wal_close,
    flushed<&io::xRead>,
    wal_write,
    flushed<&io::xTruncate>,
    flushed<&io::xSync>,
    flushed<&io::xFileSize>,
    flushed<&io::xLock>,
    flushed<&io::xUnlock>,
    passed<&io::xCheckReservedLock>,
    flushed<&io::xFileControl>,
    passed<&io::xSectorSize>,
    passed<&io::xDeviceCharacteristics>,
    passed<&io::xShmMap>,
    passed<&io::xShmLock>,
    passed<&io::xShmBarrier>,
    passed<&io::xShmUnmap>,
    flushed<&io::xFetch>,
    passed<&io::xUnfetch>,
};

int open_file(sqlite3_vfs*, const char* name, sqlite3_file* f, int flags, int* out_flags) {
    // Everything but a WAL file is the base VFS's own object, in our (larger) slot.
    if ((flags & SQLITE_OPEN_WAL) == 0) return base_vfs->xOpen(base_vfs, name, f, flags, out_flags);
    wal_file* w = as_wal(f);
    w->head.pMethods = nullptr;  // SQLite calls no method of a file that failed to open
    w->base = reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(f) + base_offset);
    w->pending = new (std::nothrow) std::vector<unsigned char>();
    if (w->pending == nullptr) return SQLITE_NOMEM;
    w->start = 0;
    w->commit_header_seen = false;
    const int rc = base_vfs->xOpen(base_vfs, name, w->base, flags, out_flags);
    // Files of a base VFS older than version 3 of the methods are not wrapped.
    if (rc != SQLITE_OK || w->base->pMethods == nullptr || w->base->pMethods->iVersion < 3) {
        if (rc == SQLITE_OK && w->base->pMethods != nullptr) w->base->pMethods->xClose(w->base);
        delete w->pending;
        w->pending = nullptr;
        return rc != SQLITE_OK ? rc : SQLITE_CANTOPEN;
    }
    w->head.pMethods = &wal_methods;
    return SQLITE_OK;
}

}  // namespace

const char* name() {
    static sqlite3_vfs vfs{};
    static std::once_flag once;
    std::call_once(once, [] {
        base_vfs = sqlite3_vfs_find(nullptr);
        vfs = *base_vfs;  // the base's other entry points and data, unchanged
        vfs.pNext = nullptr;
        vfs.zName = "opas-wal";
        vfs.szOsFile = static_cast<int>(base_offset) + base_vfs->szOsFile;
        vfs.xOpen = open_file;
        sqlite3_vfs_register(&vfs, 0);
    });
    return vfs.zName;
}

counts write_counts() {
    return {writes_asked.load(std::memory_order_relaxed),
            writes_made.load(std::memory_order_relaxed)};
}

}  // namespace opas::storage::wal_vfs
