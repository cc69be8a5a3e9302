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

int wal_read(sqlite3_file* f, void* out, int amount, sqlite3_int64 offset) {
    if (const int rc = flush(as_wal(f)); rc != SQLITE_OK) return rc;
    return base_io(f).xRead(as_wal(f)->base, out, amount, offset);
}

int wal_truncate(sqlite3_file* f, sqlite3_int64 size) {
    if (const int rc = flush(as_wal(f)); rc != SQLITE_OK) return rc;
    return base_io(f).xTruncate(as_wal(f)->base, size);
}

int wal_sync(sqlite3_file* f, int flags) {
    if (const int rc = flush(as_wal(f)); rc != SQLITE_OK) return rc;
    return base_io(f).xSync(as_wal(f)->base, flags);
}

int wal_file_size(sqlite3_file* f, sqlite3_int64* size) {
    if (const int rc = flush(as_wal(f)); rc != SQLITE_OK) return rc;
    return base_io(f).xFileSize(as_wal(f)->base, size);
}

int wal_lock(sqlite3_file* f, int level) {
    if (const int rc = flush(as_wal(f)); rc != SQLITE_OK) return rc;
    return base_io(f).xLock(as_wal(f)->base, level);
}

int wal_unlock(sqlite3_file* f, int level) {
    if (const int rc = flush(as_wal(f)); rc != SQLITE_OK) return rc;
    return base_io(f).xUnlock(as_wal(f)->base, level);
}

int wal_check_reserved(sqlite3_file* f, int* out) {
    return base_io(f).xCheckReservedLock(as_wal(f)->base, out);
}

int wal_file_control(sqlite3_file* f, int op, void* arg) {
    if (const int rc = flush(as_wal(f)); rc != SQLITE_OK) return rc;
    return base_io(f).xFileControl(as_wal(f)->base, op, arg);
}

int wal_sector_size(sqlite3_file* f) { return base_io(f).xSectorSize(as_wal(f)->base); }

int wal_device(sqlite3_file* f) { return base_io(f).xDeviceCharacteristics(as_wal(f)->base); }

int wal_shm_map(sqlite3_file* f, int page, int size, int extend, void volatile** out) {
    return base_io(f).xShmMap(as_wal(f)->base, page, size, extend, out);
}

int wal_shm_lock(sqlite3_file* f, int offset, int n, int flags) {
    return base_io(f).xShmLock(as_wal(f)->base, offset, n, flags);
}

void wal_shm_barrier(sqlite3_file* f) { base_io(f).xShmBarrier(as_wal(f)->base); }

int wal_shm_unmap(sqlite3_file* f, int delete_flag) {
    return base_io(f).xShmUnmap(as_wal(f)->base, delete_flag);
}

int wal_fetch(sqlite3_file* f, sqlite3_int64 offset, int amount, void** out) {
    if (const int rc = flush(as_wal(f)); rc != SQLITE_OK) return rc;
    return base_io(f).xFetch(as_wal(f)->base, offset, amount, out);
}

int wal_unfetch(sqlite3_file* f, sqlite3_int64 offset, void* p) {
    return base_io(f).xUnfetch(as_wal(f)->base, offset, p);
}

constexpr sqlite3_io_methods wal_methods = {
    3,           wal_close,          wal_read,        wal_write,      wal_truncate,
    wal_sync,    wal_file_size,      wal_lock,        wal_unlock,     wal_check_reserved,
    wal_file_control, wal_sector_size, wal_device,    wal_shm_map,    wal_shm_lock,
    wal_shm_barrier, wal_shm_unmap,  wal_fetch,       wal_unfetch,
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
