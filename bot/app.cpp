#include "bot/app.hpp"

#include <cstdlib>
#include <filesystem>

namespace opas::bot {
namespace {

// What built this process: the executable's size and time change with every link, so a
// cached model never outlives the training code it came from.
std::string build_key() {
    std::error_code ec;
    const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (ec) return {};
    const auto size = std::filesystem::file_size(exe, ec);
    if (ec) return {};
    const auto time = std::filesystem::last_write_time(exe, ec);
    if (ec) return {};
    return exe.string() + ":" + std::to_string(size) + ":" +
           std::to_string(time.time_since_epoch().count());
}

}  // namespace

storage::config storage_config_of(const config& cfg) {
    storage::config s;
    s.path = cfg.database;
    s.synchronous_full = cfg.database_sync_full;
    s.pseudonym_key = cfg.pseudonym_key;
    return s;
}

std::unique_ptr<storage::database> open_database(const config& cfg) {
    auto db = storage::database::open(storage_config_of(cfg));
    if (!db.ok()) throw startup_error("database " + cfg.database + ": " + db.error().message());
    return std::move(db.value());
}

std::unique_ptr<intents::model> load_model(const config& cfg) {
    try {
        // OPAS_MODEL_CACHE=<dir>: keep the trained model there (tests; see README "Tests").
        const char* cache = std::getenv("OPAS_MODEL_CACHE");
        if (cache && *cache) {
            if (auto key = build_key(); !key.empty())
                return intents::model::load_cached(cfg.locales_dir, cfg.languages, cache, key);
        }
        return intents::model::load(cfg.locales_dir, cfg.languages);
    } catch (const std::exception& e) {
        throw startup_error(std::string("locales: ") + e.what());
    }
}

std::unique_ptr<app> make_app(const config& cfg) {
    auto a = std::make_unique<app>();
    a->cfg = cfg;
    a->db = open_database(cfg);
    a->model = load_model(cfg);
    try {
        a->messages = catalog::load(cfg.locales_dir, cfg.languages, cfg.timezone);
    } catch (const std::exception& e) {
        throw startup_error(std::string("locales: ") + e.what());
    }
    a->eng = std::make_unique<engine>(*a->model, *a->messages, cfg);
    return a;
}

}  // namespace opas::bot
