#pragma once
// The objects every command that converses needs, built once from the config.
// `main` owns them; everything else takes references.

#include <chrono>
#include <cstdint>
#include <memory>

#include "bot/catalog.hpp"
#include "bot/config.hpp"
#include "bot/engine.hpp"
#include "intents/model.hpp"
#include "storage/database.hpp"

namespace opas::bot {

// Thrown when a service cannot start (database, locales); `main` prints it and exits 1.
struct startup_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

inline std::int64_t system_now_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

storage::config storage_config_of(const config& cfg);
std::unique_ptr<storage::database> open_database(const config& cfg);
std::unique_ptr<intents::model> load_model(const config& cfg);

struct app {
    config cfg;
    std::unique_ptr<storage::database> db;
    std::unique_ptr<intents::model> model;
    std::unique_ptr<catalog> messages;
    std::unique_ptr<engine> eng;
};

std::unique_ptr<app> make_app(const config& cfg);

}  // namespace opas::bot
