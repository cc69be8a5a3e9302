// SQLite's own page cache behind a thin layer that skips needless truncations.
//
// At every commit SQLite asks its page cache to drop the pages past the end of the database
// (xTruncate). The default cache (pcache1) knows only the largest page number it has ever
// held since its last truncation, and when that is far past the end it scans its whole hash
// table. B-tree balancing parks a page at number 262145 for a moment while it swaps two
// pages (btree.c, balance_nonroot: PENDING_BYTE / page size + 1), so after most group
// commits that split a page, the next truncation scanned all 4096 buckets and their pages:
// 6-7 % of the writer thread's time under the webhook bench.
//
// This layer keeps a tighter upper bound: the largest number placed by a fetch, plus the few
// numbers a rekey placed above it (a rekey away from a number forgets it). A truncation that
// cannot drop anything is not passed on; every other call goes to pcache1 unchanged.
#pragma once

#include <sqlite3.h>

#include <cstdint>

namespace opas::storage::page_cache {

// Installs the layer once, before SQLite's initialization (a static initializer in the
// storage library calls it). Returns false when SQLite was already initialized, in which case
// its default cache stays in place.
bool install();

struct counts {
    std::uint64_t truncations = 0;  // asked for by SQLite
    std::uint64_t skipped = 0;      // not passed on: nothing past the limit
};
counts truncation_counts();  // over the process so far

// The layer's methods, for tests that drive a cache directly (after install()).
const sqlite3_pcache_methods2& methods();

}  // namespace opas::storage::page_cache
