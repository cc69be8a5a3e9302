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

}  // namespace opas::bot
