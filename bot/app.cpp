#include "bot/app.hpp"

namespace opas::bot {

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
