#include "bot/cli.hpp"

#include <set>
#include <stdexcept>

namespace opas::bot {
namespace {

struct command_spec {
    const char* name;
    std::set<std::string> options;  // each takes one value
    const char* help;
};

const std::vector<command_spec>& specs() {
    static const std::vector<command_spec> all = {
        {"serve", {"--config"},
         "opas serve [--config FILE]\n"
         "  Runs the webhook server, the outbound senders and the scheduler until SIGINT or\n"
         "  SIGTERM, then drains and exits 0.\n"},
        {"chat", {"--config", "--lang", "--user"},
         "opas chat [--config FILE] [--lang CODE] [--user ID]\n"
         "  A console channel: each stdin line is a message from one person (default user id\n"
         "  'console'); the bot's replies go to stdout. Choices are numbered; answer with the\n"
         "  number to pick one. Works piped.\n"},
        {"classify", {"--config", "--lang"},
         "opas classify [--config FILE] [--lang CODE]\n"
         "  Each stdin line is one message; prints one JSON object per line:\n"
         "  {\"text\":...,\"lang\":...,\"intent\":...,\"confidence\":...}\n"},
        {"report", {"--config", "--from", "--to", "--format", "--out", "--lang"},
         "opas report [--config FILE] --from YYYY-MM-DD --to YYYY-MM-DD [--format json|csv|html]\n"
         "            [--out FILE] [--lang CODE]\n"
         "  The anonymized activity report for the period (inclusive, configured time zone).\n"},
        {"locales check", {"--locales"},
         "opas locales check [--locales DIR]\n"
         "  Lists, per language, missing or extra message keys, intents without examples and\n"
         "  guidance topics without text; exits 1 when a required language is incomplete.\n"},
        {"migrate", {"--config"},
         "opas migrate [--config FILE]\n"
         "  Creates or upgrades the database schema and exits.\n"},
    };
    return all;
}

const command_spec* find_spec(const std::string& name) {
    for (const auto& s : specs())
        if (name == s.name) return &s;
    return nullptr;
}

}  // namespace

std::string usage() {
    std::string out = "usage: opas <command> [options]\n\ncommands:\n";
    for (const auto& s : specs()) out += std::string("  ") + s.name + "\n";
    out += "\n'opas <command> --help' describes one command.\n";
    return out;
}

std::string command_help(const std::string& command) {
    const auto* s = find_spec(command);
    return s ? s->help : usage();
}

command_line parse_command_line(const std::vector<std::string>& args) {
    command_line cl;
    std::size_t i = 0;
    if (args.empty()) throw std::invalid_argument("missing command (try 'opas --help')");
    if (args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
        cl.help = true;
        return cl;
    }
    cl.command = args[i++];
    if (cl.command == "locales") {
        if (i < args.size() && args[i] == "check") {
            cl.command = "locales check";
            ++i;
        } else if (i < args.size() && (args[i] == "--help" || args[i] == "-h")) {
            cl.command = "locales check";
        } else {
            throw std::invalid_argument("unknown command 'locales' (did you mean 'locales check'?)");
        }
    }
    const auto* spec = find_spec(cl.command);
    if (!spec) throw std::invalid_argument("unknown command '" + cl.command + "' (try 'opas --help')");
    for (; i < args.size(); ++i) {
        std::string name = args[i];
        if (name == "--help" || name == "-h") {
            cl.help = true;
            continue;
        }
        std::string value;
        bool has_value = false;
        if (const auto eq = name.find('='); name.rfind("--", 0) == 0 && eq != std::string::npos) {
            value = name.substr(eq + 1);
            name = name.substr(0, eq);
            has_value = true;
        }
        if (!spec->options.count(name))
            throw std::invalid_argument("'" + cl.command + "' has no option '" + name + "'");
        if (!has_value) {
            if (i + 1 >= args.size()) throw std::invalid_argument("option '" + name + "' needs a value");
            value = args[++i];
        }
        if (value.empty()) throw std::invalid_argument("option '" + name + "' needs a value");
        cl.options[name] = value;
    }
    return cl;
}

}  // namespace opas::bot
