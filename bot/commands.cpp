#include "bot/commands.hpp"

#include <filesystem>
#include <fstream>
#include <future>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "bot/app.hpp"
#include "bot/dispatcher.hpp"
#include "bot/report.hpp"
#include "bot/report_render.hpp"
#include "bot/taxonomy.hpp"

namespace opas::bot {
namespace {

using json = nlohmann::json;

bool known_language(const config& cfg, const std::string& code) {
    return std::find(cfg.languages.begin(), cfg.languages.end(), code) != cfg.languages.end();
}

// Runs work on the dispatcher and waits for its commit.
bool run_and_wait(dispatcher& d, dispatcher::work_fn work) {
    std::promise<bool> done;
    d.post(std::move(work), [&done](bool ok) { done.set_value(ok); });
    return done.get_future().get();
}

bool submit_and_wait(dispatcher& d, inbound ev) {
    std::promise<bool> done;
    d.submit({std::move(ev)}, [&done](bool ok) { done.set_value(ok); });
    return done.get_future().get();
}

void print_reply(const reply& r, std::ostream& out) {
    out << r.text << "\n";
    int n = 0;
    for (const auto& c : r.choices) out << "  " << ++n << ". " << c.title << "\n";
    out << std::flush;
}

}  // namespace

int run_chat(const config& cfg, const command_line& cl, std::istream& in, std::ostream& out) {
    const std::string user = cl.get("--user").value_or("console");
    const std::string lang = cl.get("--lang").value_or("");
    if (!lang.empty() && !known_language(cfg, lang))
        throw std::invalid_argument("--lang '" + lang + "' is not one of the configured languages");
    auto a = make_app(cfg);
    dispatcher d(*a->db, *a->eng, system_now_ms);
    std::string line;
    std::int64_t n = 0;
    while (std::getline(in, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.find_first_not_of(" \t") == std::string::npos) continue;
        inbound ev;
        ev.source = channel::console;
        ev.kind = inbound_kind::text;
        ev.message_id = "console:" + user + ":" + std::to_string(system_now_ms()) + ":" +
                        std::to_string(++n);
        ev.user_id = user;
        ev.chat_id = user;
        ev.text = line;
        ev.language_hint = lang;
        ev.language_forced = !lang.empty();
        ev.time = system_now_ms() / 1000;
        if (!submit_and_wait(d, std::move(ev))) {
            std::cerr << "opas: the message could not be stored\n";
            return 1;
        }
        std::vector<reply> replies;
        run_and_wait(d, [&replies](storage::database& db) {
            auto rows = db.pending("console", 1000);
            if (!rows.ok()) return false;
            for (const auto& row : rows.value()) {
                if (row.kind == "message")
                    if (auto r = reply_from_json(row.payload)) replies.push_back(*r);
                if (!db.mark_sent(row.id, "", system_now_ms()).ok()) return false;
            }
            return true;
        });
        for (const auto& r : replies) print_reply(r, out);
        out << "\n" << std::flush;
    }
    return 0;
}

int run_classify(const config& cfg, const command_line& cl, std::istream& in, std::ostream& out) {
    const std::string forced = cl.get("--lang").value_or("");
    if (!forced.empty() && !known_language(cfg, forced))
        throw std::invalid_argument("--lang '" + forced + "' is not one of the configured languages");
    const auto model = load_model(cfg);
    std::string line;
    while (std::getline(in, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        const std::string lang = forced.empty() ? model->detect_language(line).code : forced;
        const auto guess = model->classify(line, lang);
        nlohmann::ordered_json j;
        j["text"] = line;
        j["lang"] = lang;
        j["intent"] = guess.intent;
        j["confidence"] = std::round(guess.confidence * 1000) / 1000;
        out << j.dump(-1, ' ', false, json::error_handler_t::replace) << "\n";
    }
    out << std::flush;
    return 0;
}

int run_locales_check(const std::string& dir, std::ostream& out) {
    if (!std::filesystem::is_directory(dir))
        throw std::invalid_argument("--locales '" + dir + "' is not a directory");
    std::vector<std::string> codes = required_languages();
    for (const auto& entry : std::filesystem::directory_iterator(dir))
        if (entry.is_directory() &&
            std::find(codes.begin(), codes.end(), entry.path().filename().string()) == codes.end())
            codes.push_back(entry.path().filename().string());
    const auto cat = catalog::load(dir, codes);
    bool incomplete = false;
    for (const auto& code : codes) {
        const bool required = std::find(required_languages().begin(), required_languages().end(),
                                        code) != required_languages().end();
        std::vector<std::string> problems;
        if (!cat->has_language(code)) {
            problems.push_back("language folder missing");
        } else {
            problems = cat->problems(code);
            const auto intent_problems = check_intent_examples(dir, code);
            problems.insert(problems.end(), intent_problems.begin(), intent_problems.end());
            if (!std::filesystem::exists(std::filesystem::path(dir) / code / "entities.json"))
                problems.push_back("entities.json missing");
        }
        if (problems.empty()) {
            out << code << ": complete\n";
            continue;
        }
        if (required) incomplete = true;
        out << code << ": " << problems.size() << " problem" << (problems.size() == 1 ? "" : "s")
            << (required ? "" : " (optional language)") << "\n";
        for (const auto& p : problems) out << "  " << p << "\n";
    }
    out << (incomplete ? "incomplete: a required language has gaps\n"
                       : "all required languages are complete\n");
    return incomplete ? 1 : 0;
}

int run_report(const config& cfg, const command_line& cl, std::ostream& out) {
    report_request req;
    req.from = cl.get("--from").value_or("");
    req.to = cl.get("--to").value_or("");
    req.lang = cl.get("--lang").value_or(cfg.default_language);
    req.timezone = cfg.timezone;
    if (req.from.empty()) throw std::invalid_argument("report needs --from YYYY-MM-DD");
    if (req.to.empty()) throw std::invalid_argument("report needs --to YYYY-MM-DD");
    const std::string format_name = cl.get("--format").value_or("json");
    const auto format = parse_report_format(format_name);
    if (!format)
        throw std::invalid_argument("--format '" + format_name + "' must be json, csv or html");
    std::unique_ptr<catalog> messages;
    try {
        messages = catalog::load(cfg.locales_dir, cfg.languages, cfg.timezone);
    } catch (const std::exception& e) {
        throw startup_error(std::string("locales: ") + e.what());
    }
    if (auto problem = check_report_request(req, *messages))
        throw std::invalid_argument(problem->message);
    const auto storage_cfg = storage_config_of(cfg);  // read_only is honoured by open()
    auto db = storage::database::open(storage_cfg);
    if (!db.ok()) throw startup_error("database " + cfg.database + ": " + db.error().message());
    auto built = build_report(*db.value(), *messages, req);
    if (!built.ok()) throw startup_error("report: " + built.error().message());
    const std::string text = render_report(built.value(), *format);
    const auto path = cl.get("--out");
    if (!path) {
        out << text << std::flush;
        return 0;
    }
    std::ofstream file(*path, std::ios::binary | std::ios::trunc);
    if (!file || !(file << text) || !file.flush())
        throw std::invalid_argument("--out '" + *path + "' cannot be written");
    out << "report written to " << *path << "\n";
    return 0;
}

int run_migrate(const config& cfg, std::ostream& out) {
    const auto db = open_database(cfg);
    out << "database " << cfg.database << " is at schema version " << db->schema_version() << "\n";
    return 0;
}

}  // namespace opas::bot
