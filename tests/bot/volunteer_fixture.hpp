#pragma once
// The pieces `opas chat` builds (database, model, catalog, engine, dispatcher) on a temp SQLite
// file, with a clock the test sets, and helpers to talk as a person (text or button), to call
// the admin API and the shift reminders as the server and the scheduler do (as dispatcher
// jobs), and to read what the bot queued for a chat.

#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <filesystem>
#include <functional>
#include <future>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "bot/admin.hpp"
#include "bot/app.hpp"
#include "bot/dispatcher.hpp"
#include "bot/scheduler.hpp"
#include "tests/bot/text_helpers.hpp"

namespace opas::bot::volunteer_test {

// 2026-12-15 (a Tuesday) 12:00 in Helsinki (UTC+2).
inline constexpr std::int64_t volunteer_noon_ms = 1'797'328'800'000;

struct queued {
    std::string kind;     // message | template | callback_ack
    std::string payload;  // JSON text
    reply message;        // the reply (of a template: its fallback)
};

class volunteer_bench {
public:
    explicit volunteer_bench(const std::function<void(config&)>& tweak = {}) {
        char pattern[] = "/tmp/opas-volunteer-XXXXXX";
        dir_ = ::mkdtemp(pattern);
        cfg_.database = dir_ + "/opas.db";
        cfg_.database_sync_full = false;
        cfg_.locales_dir = std::string(OPAS_SOURCE_DIR) + "/locales";
        if (tweak) tweak(cfg_);
        app_ = make_app(cfg_);
        now_ms_ = volunteer_noon_ms;
        start();
    }
    ~volunteer_bench() {
        dispatcher_.reset();
        app_.reset();
        std::filesystem::remove_all(dir_);
    }

    const config& cfg() const { return cfg_; }
    void set_now(std::int64_t ms) { now_ms_ = ms; }
    void advance_minutes(double m) { now_ms_ += static_cast<std::int64_t>(m * 60'000); }
    std::int64_t now() const { return now_ms_; }
    std::string text(const std::string& lang, const std::string& key, const message_args& args = {}) {
        return app_->messages->text(lang, key, args);
    }
    const catalog& messages() const { return *app_->messages; }

    // Closes the database and opens it again (a restart of the process, model kept).
    void reopen() {
        dispatcher_.reset();
        app_->db.reset();
        app_->db = open_database(cfg_);
        start();
    }

    // A text message in `lang` (the channel knows the language, as `opas chat --lang`);
    // returns what the bot queued for this chat.
    std::vector<reply> says(const std::string& user, const std::string& text, const std::string& lang,
                            const std::string& ch = "telegram") {
        inbound ev = event(ch, user);
        ev.kind = inbound_kind::text;
        ev.text = text;
        ev.language_hint = lang;
        ev.language_forced = true;
        REQUIRE(submit(ev));
        return replies_to(user);
    }
    // A button press.
    std::vector<reply> presses(const std::string& user, const std::string& id,
                               const std::string& ch = "telegram") {
        inbound ev = event(ch, user);
        ev.kind = inbound_kind::choice;
        ev.text = id;
        return submit(ev) ? replies_to(user) : std::vector<reply>{};
    }
    // Submits a press without reading the outbox (for concurrent presses); true when stored.
    bool press_only(const std::string& user, const std::string& id) {
        inbound ev = event("telegram", user);
        ev.kind = inbound_kind::choice;
        ev.text = id;
        return submit(ev);
    }

    // Everything queued for `chat_id` since the last call (marks the rows sent).
    std::vector<queued> outbox(const std::string& chat_id) {
        std::vector<queued> out;
        run([&](storage::database& db) {
            for (const char* ch : {"telegram", "whatsapp", "console"}) {
                auto rows = db.pending(ch, 1000);
                if (!rows.ok()) return false;
                for (const auto& row : rows.value()) {
                    if (row.chat_id != chat_id) continue;
                    queued q{row.kind, row.payload, {}};
                    if (row.kind == "message") {
                        if (auto r = reply_from_json(row.payload)) q.message = *r;
                    } else if (row.kind == "template") {
                        const auto j = nlohmann::json::parse(row.payload, nullptr, false);
                        if (j.is_object() && j.contains("fallback"))
                            if (auto r = reply_from_json(j["fallback"].dump())) q.message = *r;
                    }
                    if (row.kind != "callback_ack") out.push_back(q);
                    if (!db.mark_sent(row.id, "", now_ms_).ok()) return false;
                }
            }
            return true;
        });
        return out;
    }
    std::vector<reply> replies_to(const std::string& chat_id) {
        std::vector<reply> out;
        for (auto& q : outbox(chat_id)) out.push_back(q.message);
        return out;
    }

    // An admin API call as the server makes it (one dispatcher job; 4xx rolls it back).
    admin_response admin(const std::string& method, const std::string& path,
                         const nlohmann::json& body = nullptr,
                         const std::map<std::string, std::string>& query = {}) {
        admin_response res;
        const admin_request req{method, path, query, body};
        std::promise<bool> done;
        dispatcher_->post(
            [&](storage::database& db) {
                admin_context ctx{db, *app_->messages, cfg_, now_ms_.load()};
                res = api_.handle(ctx, req);
                return res.status < 400;
            },
            [&done](bool) { done.set_value(true); });
        done.get_future().get();
        return res;
    }

    // The shift part of the scheduler tick.
    bool tick() {
        return run([this](storage::database& db) {
            scheduler_context ctx{db, *app_->messages, cfg_, now_ms_.load()};
            return shift_reminders_due(ctx);
        });
    }

    // Rows of a query (columns joined by '|'), on a connection of its own.
    std::vector<std::string> sql(const std::string& query) {
        std::vector<std::string> rows;
        sqlite3* raw = nullptr;
        sqlite3_open_v2(cfg_.database.c_str(), &raw, SQLITE_OPEN_READWRITE, nullptr);
        sqlite3_busy_timeout(raw, 5000);
        sqlite3_stmt* st = nullptr;
        if (sqlite3_prepare_v2(raw, query.c_str(), -1, &st, nullptr) == SQLITE_OK) {
            while (sqlite3_step(st) == SQLITE_ROW) {
                std::string row;
                for (int i = 0; i < sqlite3_column_count(st); ++i) {
                    const auto* t = sqlite3_column_text(st, i);
                    row += (i ? "|" : "") + std::string(t ? reinterpret_cast<const char*>(t) : "");
                }
                rows.push_back(row);
            }
        } else {
            FAIL("bad test query: " << sqlite3_errmsg(raw));
        }
        sqlite3_finalize(st);
        sqlite3_close(raw);
        return rows;
    }

private:
    void start() {
        dispatcher_ = std::make_unique<dispatcher>(*app_->db, *app_->eng,
                                                   [this] { return now_ms_.load(); });
    }
    inbound event(const std::string& ch, const std::string& user) {
        inbound ev;
        ev.source = ch == "whatsapp" ? channel::whatsapp : channel::telegram;
        ev.message_id = ch + ":" + user + ":" + std::to_string(++n_);
        ev.user_id = user;
        ev.chat_id = user;
        ev.time = now_ms_ / 1000;
        return ev;
    }
    bool submit(const inbound& ev) {
        std::promise<bool> done;
        dispatcher_->submit({ev}, [&done](bool ok) { done.set_value(ok); });
        return done.get_future().get();
    }
    bool run(dispatcher::work_fn work) {
        std::promise<bool> done;
        dispatcher_->post(std::move(work), [&done](bool ok) { done.set_value(ok); });
        return done.get_future().get();
    }

    std::string dir_;
    config cfg_;
    std::unique_ptr<app> app_;
    admin_api api_;
    std::atomic<std::int64_t> now_ms_{0};
    std::unique_ptr<dispatcher> dispatcher_;
    std::atomic<int> n_{0};
};

inline std::string all_text(const std::vector<reply>& replies) {
    std::string all;
    for (const auto& r : replies) all += r.text + "\n";
    return all;
}

// The ids of the choices of the last reply.
inline std::vector<std::string> choice_ids(const std::vector<reply>& replies) {
    std::vector<std::string> ids;
    if (!replies.empty())
        for (const auto& c : replies.back().choices) ids.push_back(c.id);
    return ids;
}

inline bool offers(const std::vector<reply>& replies, const std::string& id) {
    for (const auto& r : replies)
        for (const auto& c : r.choices)
            if (c.id == id) return true;
    return false;
}

}  // namespace opas::bot::volunteer_test

namespace opas::bot::volunteer_test {

// Enrols `user` through the conversation (buttons where there are buttons) and approves them
// through the admin API; returns the volunteer id (0 on failure).
inline std::int64_t approved_volunteer(volunteer_bench& b, const std::string& user,
                                       const std::string& name, const std::string& lang,
                                       const std::string& languages,
                                       const std::string& ch = "telegram") {
    b.presses(user, "lang:" + lang, ch);
    b.presses(user, "menu:volunteer", ch);
    b.says(user, name, lang, ch);
    b.says(user, languages, lang, ch);
    b.presses(user, "vol:int:events", ch);
    b.presses(user, "vol:int:done", ch);
    b.says(user, "10:00", lang, ch);
    b.presses(user, "vol:yes", ch);
    const auto list = b.admin("GET", "/admin/volunteers");
    std::int64_t id = 0;
    for (const auto& v : list.body["volunteers"])
        if (v["name"] == name) id = v["id"].get<std::int64_t>();
    if (id == 0) return 0;
    const auto approved = b.admin("POST", "/admin/volunteers/" + std::to_string(id) + "/approve");
    b.outbox(user);  // the approval note and offers of earlier shifts
    return approved.status == 200 ? id : 0;
}

// Creates a shift through the admin API; returns its id (0 on failure).
inline std::int64_t new_shift(volunteer_bench& b, const std::string& starts_at,
                              const std::string& ends_at, int capacity,
                              const std::vector<std::string>& languages = {},
                              const std::string& title = "Kielikahvila") {
    nlohmann::json body = {{"title", title}, {"starts_at", starts_at}, {"ends_at", ends_at},
                           {"place", "Esimerkkikatu 1"}, {"capacity", capacity},
                           {"languages", languages}};
    const auto res = b.admin("POST", "/admin/shifts", body);
    return res.status == 201 ? res.body["shift"]["id"].get<std::int64_t>() : 0;
}

}  // namespace opas::bot::volunteer_test
