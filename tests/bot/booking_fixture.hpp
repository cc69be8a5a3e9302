#pragma once
// The pieces `opas chat` builds (app, dispatcher) on a temp SQLite file with a clock the test
// sets, and helpers to talk as a person, press buttons, read what the bot queued, run the
// reminder hook, and reopen everything on the same file (a restart).

#include <catch2/catch.hpp>
#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <functional>
#include <future>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "bot/app.hpp"
#include "bot/dispatcher.hpp"
#include "bot/scheduler.hpp"
#include "tests/bot/text_helpers.hpp"

namespace opas::bot::test {

// 2026-12-15 (a Tuesday) 12:00 in Helsinki (UTC+2).
inline constexpr std::int64_t booking_tuesday_noon_ms = 1'797'328'800'000;

// Unix seconds of a local Helsinki time in December 2026 (UTC+2).
inline std::int64_t december_2026(int day, int hour, int minute = 0) {
    return 1'796'083'200 + (day - 1) * 86400 + (hour - 2) * 3600 + minute * 60;  // 1.12. 00:00Z
}

struct queued {
    std::string kind;  // message | template | callback_ack
    std::string payload;
    reply r;           // the reply (the fallback of a template)
};

class booking_bench {
public:
    explicit booking_bench(const std::function<void(config&)>& tweak = {}) {
        char pattern[] = "/tmp/opas-booking-XXXXXX";
        dir_ = ::mkdtemp(pattern);
        cfg_.database = dir_ + "/opas.db";
        cfg_.database_sync_full = false;
        cfg_.locales_dir = std::string(OPAS_SOURCE_DIR) + "/locales";
        if (tweak) tweak(cfg_);
        now_ms_ = booking_tuesday_noon_ms;
        open();
    }
    ~booking_bench() {
        close();
        std::filesystem::remove_all(dir_);
    }

    // A restart: everything closed and built again on the same database file.
    void reopen() {
        close();
        open();
    }

    const config& cfg() const { return cfg_; }
    const catalog& messages() const { return *app_->messages; }
    app& the_app() { return *app_; }
    void set_now(std::int64_t ms) { now_ms_ = ms; }
    std::int64_t now() const { return now_ms_; }

    bool says(const std::string& user, const std::string& text, const std::string& hint = "",
              const std::string& ch = "telegram") {
        inbound ev = event(ch, user);
        ev.kind = inbound_kind::text;
        ev.text = text;
        ev.language_hint = hint;
        return submit(ev);
    }
    bool presses(const std::string& user, const std::string& id, const std::string& ch = "telegram") {
        inbound ev = event(ch, user);
        ev.kind = inbound_kind::choice;
        ev.text = id;
        return submit(ev);
    }
    // Submits without waiting; the future tells whether the turn committed.
    std::future<bool> presses_async(const std::string& user, const std::string& id) {
        inbound ev = event("telegram", user);
        ev.kind = inbound_kind::choice;
        ev.text = id;
        auto done = std::make_shared<std::promise<bool>>();
        auto result = done->get_future();
        dispatcher_->submit({ev}, [done](bool ok) { done->set_value(ok); });
        return result;
    }

    // Everything queued for `user` since the last call (marks it sent).
    std::vector<queued> outbox(const std::string& user) {
        std::vector<queued> out;
        run([&](storage::database& db) {
            for (const char* ch : {"telegram", "whatsapp", "console"}) {
                auto rows = db.pending(ch, 1000);
                if (!rows.ok()) return false;
                for (const auto& row : rows.value()) {
                    if (row.chat_id != user) continue;
                    queued q{row.kind, row.payload, {}};
                    std::string reply_json = row.payload;
                    if (row.kind == "template") {
                        const auto j = nlohmann::json::parse(row.payload, nullptr, false);
                        if (!j.is_discarded() && j.contains("fallback")) reply_json = j["fallback"].dump();
                    }
                    if (auto r = reply_from_json(reply_json)) q.r = *r;
                    out.push_back(std::move(q));
                    if (!db.mark_sent(row.id, "", now_ms_).ok()) return false;
                }
            }
            return true;
        });
        return out;
    }
    // The replies (kind message) queued for `user` since the last call.
    std::vector<reply> replies(const std::string& user) {
        std::vector<reply> out;
        for (auto& q : outbox(user))
            if (q.kind == "message") out.push_back(std::move(q.r));
        return out;
    }
    // The last reply queued for `user` (empty when none).
    reply last(const std::string& user) {
        auto all = replies(user);
        return all.empty() ? reply{} : all.back();
    }

    // The reminder hook of the scheduler tick.
    bool tick() {
        return run([this](storage::database& db) {
            scheduler_context ctx{db, *app_->messages, cfg_, now_ms_.load()};
            return booking_reminders_due(ctx);
        });
    }
    bool run(dispatcher::work_fn work) { return run_async(std::move(work)).get(); }
    // Queues storage work without waiting; the future tells whether it committed.
    std::future<bool> run_async(dispatcher::work_fn work) {
        auto done = std::make_shared<std::promise<bool>>();
        auto result = done->get_future();
        dispatcher_->post(std::move(work), [done](bool ok) { done->set_value(ok); });
        return result;
    }
    dispatcher::counters counts() const { return dispatcher_->snapshot(); }

    // Rows of a query on its own connection (columns joined by '|').
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
        }
        sqlite3_finalize(st);
        sqlite3_close(raw);
        return rows;
    }
    std::string one(const std::string& query) {
        const auto rows = sql(query);
        return rows.empty() ? std::string() : rows.front();
    }

    std::string text(const std::string& lang, const std::string& key, const message_args& args = {}) {
        return app_->messages->text(lang, key, args);
    }
    std::string when(const std::string& lang, std::int64_t unix_s) {
        return app_->messages->format_datetime(lang, unix_s * 1000);
    }

private:
    void open() {
        app_ = make_app(cfg_);
        dispatcher_ = std::make_unique<dispatcher>(*app_->db, *app_->eng,
                                                   [this] { return now_ms_.load(); });
    }
    void close() {
        dispatcher_.reset();
        app_.reset();
    }
    inbound event(const std::string& ch, const std::string& user) {
        inbound ev;
        ev.source = ch == "whatsapp" ? channel::whatsapp : channel::telegram;
        ev.message_id = ch + ":" + std::to_string(++n_) + ":" + std::to_string(now_ms_.load());
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

    std::string dir_;
    config cfg_;
    std::unique_ptr<app> app_;
    std::atomic<std::int64_t> now_ms_{0};
    std::unique_ptr<dispatcher> dispatcher_;
    std::atomic<int> n_{0};
};

// One person of a test, on one channel with one language hint: says() and presses() go through
// the bench and return the bot's last reply to that person.
struct speaker {
    booking_bench& bench;
    std::string user;
    std::string hint;
    std::string channel = "telegram";
    reply says(const std::string& text) const {
        REQUIRE(bench.says(user, text, hint, channel));
        return bench.last(user);
    }
    reply presses(const std::string& id) const {
        REQUIRE(bench.presses(user, id, channel));
        return bench.last(user);
    }
};

// The ids of a reply's choices that start with `prefix`.
inline std::vector<std::string> ids_with(const reply& r, const std::string& prefix) {
    std::vector<std::string> out;
    for (const auto& c : r.choices)
        if (c.id.rfind(prefix, 0) == 0) out.push_back(c.id);
    return out;
}

inline bool offers(const reply& r, const std::string& id) {
    for (const auto& c : r.choices)
        if (c.id == id) return true;
    return false;
}

}  // namespace opas::bot::test
