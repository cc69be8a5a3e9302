#pragma once
// Command-line parsing (CONTRACTS §2): `opas <command> [options]`.

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace opas::bot {

struct command_line {
    std::string command;                        // serve, chat, classify, report, locales check, migrate
    std::map<std::string, std::string> options; // "--config" -> "file"
    bool help = false;

    std::optional<std::string> get(const std::string& name) const {
        auto it = options.find(name);
        return it == options.end() ? std::nullopt : std::optional<std::string>(it->second);
    }
};

// Throws std::invalid_argument with a one-line message on a bad command line.
command_line parse_command_line(const std::vector<std::string>& args);

std::string usage();                               // all commands
std::string command_help(const std::string& command);

}  // namespace opas::bot
