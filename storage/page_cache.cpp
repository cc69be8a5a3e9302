#include "storage/page_cache.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <new>

namespace opas::storage::page_cache {
namespace {

sqlite3_pcache_methods2 base{};  // pcache1's methods, copied once before initialization
std::atomic<std::uint64_t> truncations{0};
std::atomic<std::uint64_t> skipped{0};

constexpr int max_rekeyed = 4;

struct cache {
    sqlite3_pcache* inner = nullptr;
    unsigned fetched_max = 0;         // largest key placed by xFetch since the last truncation
    unsigned rekeyed[max_rekeyed]{};  // keys above fetched_max placed by xRekey, still held
    int n_rekeyed = 0;
    bool lost_track = false;  // more rekeyed keys than fit: pass every truncation on

    unsigned upper_bound() const {
        unsigned m = fetched_max;
        for (int i = 0; i < n_rekeyed; ++i) m = std::max(m, rekeyed[i]);
        return m;
    }
    void forget(unsigned key) {
        for (int i = 0; i < n_rekeyed; ++i) {
            if (rekeyed[i] == key) {
                rekeyed[i] = rekeyed[--n_rekeyed];
                return;
            }
        }
    }
};

cache* of(sqlite3_pcache* p) { return reinterpret_cast<cache*>(p); }

int init(void*) { return base.xInit ? base.xInit(base.pArg) : SQLITE_OK; }
void shutdown(void*) {
    if (base.xShutdown) base.xShutdown(base.pArg);
}

sqlite3_pcache* create(int page_size, int extra_size, int purgeable) {
    auto* c = new (std::nothrow) cache;
    if (!c) return nullptr;
    c->inner = base.xCreate(page_size, extra_size, purgeable);
    if (!c->inner) {
        delete c;
        return nullptr;
    }
    return reinterpret_cast<sqlite3_pcache*>(c);
}

void cachesize(sqlite3_pcache* p, int n) { base.xCachesize(of(p)->inner, n); }
int pagecount(sqlite3_pcache* p) { return base.xPagecount(of(p)->inner); }

sqlite3_pcache_page* fetch(sqlite3_pcache* p, unsigned key, int create_flag) {
    cache* c = of(p);
    sqlite3_pcache_page* page = base.xFetch(c->inner, key, create_flag);
    if (page && key > c->fetched_max) c->fetched_max = key;
    return page;
}

void unpin(sqlite3_pcache* p, sqlite3_pcache_page* page, int discard) {
    base.xUnpin(of(p)->inner, page, discard);
}

void rekey(sqlite3_pcache* p, sqlite3_pcache_page* page, unsigned old_key, unsigned new_key) {
    cache* c = of(p);
    base.xRekey(c->inner, page, old_key, new_key);
    c->forget(old_key);  // no page has that key any more
    if (new_key <= c->fetched_max) return;
    if (c->n_rekeyed < max_rekeyed) {
        c->rekeyed[c->n_rekeyed++] = new_key;
    } else {
        c->lost_track = true;
    }
}

void truncate(sqlite3_pcache* p, unsigned limit) {
    cache* c = of(p);
    truncations.fetch_add(1, std::memory_order_relaxed);
    const unsigned upper = c->upper_bound();
    if (!c->lost_track && upper < limit) {
        skipped.fetch_add(1, std::memory_order_relaxed);
        return;  // no page has a key at or past the limit
    }
    base.xTruncate(c->inner, limit);
    c->fetched_max = limit == 0 ? 0 : std::min(upper, limit - 1);
    c->n_rekeyed = 0;
    c->lost_track = false;
}

void destroy(sqlite3_pcache* p) {
    cache* c = of(p);
    base.xDestroy(c->inner);
    delete c;
}

void shrink(sqlite3_pcache* p) {
    if (base.xShrink) base.xShrink(of(p)->inner);
}

const sqlite3_pcache_methods2 layer{1,     nullptr, init,  shutdown, create,  cachesize, pagecount,
                                    fetch, unpin,   rekey, truncate, destroy, shrink};

bool install_once() {
    if (sqlite3_config(SQLITE_CONFIG_GETPCACHE2, &base) != SQLITE_OK || !base.xCreate) {
        return false;
    }
    return sqlite3_config(SQLITE_CONFIG_PCACHE2, &layer) == SQLITE_OK;
}

// Before main, so that no connection opened earlier keeps the default (tests open raw ones).
[[maybe_unused]] const bool installed_at_start = install();

}  // namespace

bool install() {
    static const bool ok = install_once();
    return ok;
}

const sqlite3_pcache_methods2& methods() { return layer; }

counts truncation_counts() {
    return {truncations.load(std::memory_order_relaxed), skipped.load(std::memory_order_relaxed)};
}

}  // namespace opas::storage::page_cache
