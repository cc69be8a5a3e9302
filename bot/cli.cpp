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
        {"backup", {"--config"},
         "opas backup FILE [--config FILE]\n"
         "  Copies the database into FILE (SQLite online backup: consistent while opas serves).\n"
         "  FILE holds personal data and the pseudonym key: it is created with mode 0600.\n"},
        {"restore", {"--config"},
         "opas restore FILE [--config FILE]\n"
         "  Replaces the database with the backup FILE after checking it; refuses while opas\n"
         "  has the database open. The replaced database is kept as <database>.before-restore.\n"},
        {"telegram set-webhook", {"--config", "--max-connections", "--drop-pending-updates"},
         "opas telegram set-webhook URL [--config FILE] [--max-connections N]\n"
         "                          [--drop-pending-updates]\n"
         "  Registers URL (https://host/webhooks/telegram) with the Telegram Bot API, with the\n"
         "  configured secret token and the update kinds opas handles.\n"},
        {"telegram delete-webhook", {"--config", "--drop-pending-updates"},
         "opas telegram delete-webhook [--config FILE] [--drop-pending-updates]\n"
         "  Removes the bot's webhook at Telegram.\n"},
        {"telegram webhook-info", {"--config"},
         "opas telegram webhook-info [--config FILE]\n"
         "  Shows what Telegram knows of the webhook: URL, pending updates, the last error.\n"},
    };
    return all;
}

// Options that take no value (stored as "1"), and the one positional argument of a command
// (stored under its name, e.g. options["FILE"]).
bool is_flag(const std::string& option) { return option == "--drop-pending-updates"; }

std::string positional_of(const std::string& command) {
    if (command == "backup" || command == "restore") return "FILE";
    if (command == "telegram set-webhook") return "URL";
    return "";
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
    if (cl.command == "telegram") {
        if (i < args.size() && find_spec("telegram " + args[i])) {
            cl.command += " " + args[i++];
        } else if (i < args.size() && (args[i] == "--help" || args[i] == "-h")) {
            cl.help = true;
            return cl;
        } else {
            throw std::invalid_argument(
                "'telegram' needs set-webhook, delete-webhook or webhook-info");
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
        if (const auto slot = positional_of(cl.command); !slot.empty() && name.rfind("-", 0) != 0) {
            if (cl.options.count(slot))
                throw std::invalid_argument("'" + cl.command + "' takes one " + slot);
            cl.options[slot] = name;
            continue;
        }
        if (!spec->options.count(name))
            throw std::invalid_argument("'" + cl.command + "' has no option '" + name + "'");
        if (is_flag(name)) {
            if (has_value) throw std::invalid_argument("option '" + name + "' takes no value");
            cl.options[name] = "1";
            continue;
        }
        if (!has_value) {
            if (i + 1 >= args.size()) throw std::invalid_argument("option '" + name + "' needs a value");
            value = args[++i];
        }
        if (value.empty()) throw std::invalid_argument("option '" + name + "' needs a value");
        cl.options[name] = value;
    }
    if (const auto slot = positional_of(cl.command); !slot.empty() && !cl.help && !cl.options.count(slot))
        throw std::invalid_argument("'" + cl.command + "' needs " + slot);
    return cl;
}

}  // namespace opas::bot
