#pragma once
// The pieces `opas chat` builds (app, dispatcher) on a temp SQLite file, with a clock the test
// sets, a staff group on Telegram, and helpers to talk as a person or as staff and to read what
// the bot queued for a chat (bot/commands.cpp run_chat does the same for the console).

#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <functional>
#include <future>
#include <string>
#include <vector>

#include "bot/app.hpp"
#include "bot/dispatcher.hpp"
#include "bot/handover_data.hpp"
#include "bot/scheduler.hpp"
#include "tests/bot/text_helpers.hpp"

namespace opas::bot::test {

inline constexpr const char* staff_chat = "-1001234567890";

// 2026-12-15 (a Tuesday) 12:00 in Helsinki (UTC+2).
inline constexpr std::int64_t tuesday_noon_ms = 1'797'328'800'000;

class handover_bench {
public:
    explicit handover_bench(const std::function<void(config&)>& tweak = {}) {
        char pattern[] = "/tmp/opas-handover-XXXXXX";
        dir_ = ::mkdtemp(pattern);
        cfg_.database = dir_ + "/opas.db";
        cfg_.database_sync_full = false;
        cfg_.locales_dir = std::string(OPAS_SOURCE_DIR) + "/locales";
        cfg_.telegram.bot_token = "123:TEST";
        cfg_.telegram.secret_token = "secret";
        cfg_.staff.telegram_chat_id = staff_chat;
        if (tweak) tweak(cfg_);
        app_ = make_app(cfg_);
        now_ms_ = tuesday_noon_ms;
        dispatcher_ = std::make_unique<dispatcher>(*app_->db, *app_->eng,
                                                   [this] { return now_ms_.load(); });
    }
    ~handover_bench() {
        dispatcher_.reset();
        app_.reset();
        std::filesystem::remove_all(dir_);
    }

    const config& cfg() const { return cfg_; }
    const catalog& messages() const { return *app_->messages; }
    void set_now(std::int64_t ms) { now_ms_ = ms; }
    void advance_minutes(std::int64_t m) { now_ms_ += m * 60'000; }
    std::int64_t now() const { return now_ms_; }

    // A person's text message; `ch` "telegram" or "whatsapp"; the user id is the chat id.
    bool person_says(const std::string& ch, const std::string& user, const std::string& text,
                     const std::string& hint = "") {
        inbound ev = event(ch, user, user);
        ev.kind = inbound_kind::text;
        ev.text = text;
        ev.language_hint = hint;
        return submit(ev);
    }
    bool person_sends_media(const std::string& ch, const std::string& user) {
        inbound ev = event(ch, user, user);
        ev.kind = inbound_kind::media;
        return submit(ev);
    }
    bool person_presses(const std::string& ch, const std::string& user, const std::string& id) {
        inbound ev = event(ch, user, user);
        ev.kind = inbound_kind::choice;
        ev.text = id;
        return submit(ev);
    }
    // A message in the staff group, optionally a reply to a message with `reply_to_text`.
    bool staff_says(const std::string& text, const std::string& reply_to_text = "") {
        inbound ev = event("telegram", "4711", staff_chat);
        ev.kind = inbound_kind::text;
        ev.text = text;
        if (!reply_to_text.empty()) {
            ev.reply_to_id = "900";
            ev.reply_to_text = reply_to_text;
        }
        return submit(ev);
    }

    // Texts queued for `chat_id` since the last call (marks them sent).
    std::vector<std::string> sent_to(const std::string& chat_id) {
        std::vector<std::string> texts;
        run([&](storage::database& db) {
            for (const char* ch : {"telegram", "whatsapp", "console"}) {
                auto rows = db.pending(ch, 1000);
                if (!rows.ok()) return false;
                for (const auto& row : rows.value()) {
                    if (row.chat_id != chat_id) continue;
                    if (row.kind == "message")
                        if (auto r = reply_from_json(row.payload)) texts.push_back(r->text);
                    if (!db.mark_sent(row.id, "", now_ms_).ok()) return false;
                }
            }
            return true;
        });
        return texts;
    }
    std::vector<std::string> staff_inbox() { return sent_to(staff_chat); }

    // The handover part of the scheduler tick.
    bool tick() {
        return run([this](storage::database& db) {
            scheduler_context ctx{db, *app_->messages, cfg_, now_ms_.load()};
            return handover_timeouts_due(ctx);
        });
    }

    // Rows of a query on the database (columns joined by '|'), on a connection of its own.
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

    std::string text(const std::string& lang, const std::string& key, const message_args& args = {}) {
        return app_->messages->text(lang, key, args);
    }

private:
    inbound event(const std::string& ch, const std::string& user, const std::string& chat) {
        inbound ev;
        ev.source = ch == "whatsapp" ? channel::whatsapp : channel::telegram;
        ev.message_id = ch + ":" + std::to_string(++n_);
        ev.user_id = user;
        ev.chat_id = chat;
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
    std::atomic<std::int64_t> now_ms_{0};
    std::unique_ptr<dispatcher> dispatcher_;
    int n_ = 0;
};

inline std::string joined(const std::vector<std::string>& texts) {
    std::string all;
    for (const auto& t : texts) all += t + "\n";
    return all;
}

// The handover code in a staff note ("#" and 8 hex characters), "" when none.
inline std::string code_in(const std::string& text) {
    for (auto pos = text.find('#'); pos != std::string::npos; pos = text.find('#', pos + 1)) {
        if (pos + 9 > text.size()) break;
        bool hex = true;
        for (std::size_t i = pos + 1; i < pos + 9; ++i) hex = hex && std::isxdigit(static_cast<unsigned char>(text[i]));
        if (hex) return text.substr(pos, 9);
    }
    return {};
}

}  // namespace opas::bot::test
