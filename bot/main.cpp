// opas: the composition root. Parses the command line, loads the config, runs a command.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <iostream>

#include "bot/app.hpp"
#include "bot/cli.hpp"
#include "bot/commands.hpp"
#include "bot/config.hpp"
#include "storage/backup.hpp"
#include "webhooks/serve.hpp"
#include "webhooks/telegram_setup.hpp"

namespace {

void setup_logging(const std::string& level) {
    auto logger = spdlog::stderr_color_mt("opas");
    logger->set_level(spdlog::level::from_str(level));
    logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");
    spdlog::set_default_logger(logger);
}

int run_backup(const opas::bot::config& cfg, const std::string& file) {
    const auto done = opas::storage::backup_to(cfg.database, file);
    if (!done) {
        std::cerr << "opas: " << done.error().message() << "\n";
        return 1;
    }
    std::cout << "backed up " << cfg.database << " to " << file << " (schema version "
              << done->schema_version << ", " << done->bytes << " bytes)\n";
    return 0;
}

int run_restore(const opas::bot::config& cfg, const std::string& file) {
    const auto done = opas::storage::restore_from(file, cfg.database);
    if (!done) {
        std::cerr << "opas: " << done.error().message() << "\n";
        return 1;
    }
    if (done->previous_was_unreadable)
        std::cout << "moved the unreadable database aside to " << done->previous_copy << "\n";
    else if (!done->previous_copy.empty())
        std::cout << "kept the previous database as " << done->previous_copy << "\n";
    std::cout << "restored " << file << " (schema version " << done->restored.schema_version
              << ") into " << cfg.database << "\n";
    const auto db = opas::bot::open_database(cfg);  // migrates an older backup
    std::cout << "database is at schema version " << db->schema_version() << "\n";
    return 0;
}

int run(const opas::bot::command_line& cl) {
    using namespace opas::bot;
    if (cl.command == "locales check") return run_locales_check(cl.get("--locales").value_or("locales"), std::cout);
    const config cfg = load_config(cl.get("--config").value_or(""), opas_environment());
    setup_logging(cl.command == "serve" ? cfg.log_level : "warn");
    if (cl.command == "serve") return opas::webhooks::run_serve(cfg);
    if (cl.command == "chat") return run_chat(cfg, cl, std::cin, std::cout);
    if (cl.command == "classify") return run_classify(cfg, cl, std::cin, std::cout);
    if (cl.command == "migrate") return run_migrate(cfg, std::cout);
    if (cl.command == "backup") return run_backup(cfg, cl.get("FILE").value_or(""));
    if (cl.command == "restore") return run_restore(cfg, cl.get("FILE").value_or(""));
    if (cl.command.rfind("telegram ", 0) == 0)
        return opas::webhooks::run_telegram_command(cfg, cl, std::cout, std::cerr);
    if (cl.command == "report") return run_report(cfg, cl, std::cout);
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    using namespace opas::bot;
    command_line cl;
    try {
        cl = parse_command_line(std::vector<std::string>(argv + 1, argv + argc));
    } catch (const std::invalid_argument& e) {
        std::cerr << "opas: " << e.what() << "\n";
        return 2;
    }
    if (cl.help) {
        std::cout << (cl.command.empty() ? usage() : command_help(cl.command));
        return 0;
    }
    try {
        return run(cl);
    } catch (const config_error& e) {
        std::cerr << "opas: " << e.what() << "\n";
        return 2;
    } catch (const std::invalid_argument& e) {
        std::cerr << "opas: " << e.what() << "\n";
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "opas: " << e.what() << "\n";
        return 1;
    }
}
