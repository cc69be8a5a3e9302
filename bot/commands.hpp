#pragma once
// The commands that need no network: chat, classify, locales check, migrate.
// Each returns the process exit code.

#include <iosfwd>
#include <string>

#include "bot/cli.hpp"
#include "bot/config.hpp"

namespace opas::bot {

int run_chat(const config& cfg, const command_line& cl, std::istream& in, std::ostream& out);
int run_classify(const config& cfg, const command_line& cl, std::istream& in, std::ostream& out);
int run_locales_check(const std::string& dir, std::ostream& out);
int run_migrate(const config& cfg, std::ostream& out);
// The anonymized activity report (bot/report.hpp): --from, --to, --format, --out, --lang.
// A bad argument throws std::invalid_argument (one line, exit 2).
int run_report(const config& cfg, const command_line& cl, std::ostream& out);

}  // namespace opas::bot
