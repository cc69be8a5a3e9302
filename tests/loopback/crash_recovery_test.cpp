// Crash recovery: `opas serve` under a load of distinct Telegram updates is killed with SIGKILL
// at random moments several times and restarted on the same database. Clients behave like
// Telegram: an update is posted again until it gets a 200. At the end every update must have
// been answered, and no reply may be lost.
//
// The one window in which a reply can be sent twice: a sender got the platform's 200 for an
// outbox row, but the process died before the row's mark_sent committed (the next group commit
// of the writer thread, usually well under a millisecond later). After the restart the row is
// still pending and goes out again. Such duplicates are counted and printed, not failed.
#include <catch2/catch.hpp>

#include <atomic>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <thread>

#include "tests/loopback/harness.hpp"

using namespace opas::testing;

namespace {

constexpr long long user_base = 7000000;

// The running server; replaced after each kill. Clients read the port under the mutex.
class restartable {
public:
    restartable(std::string dir, std::string config) : dir_(std::move(dir)), config_(std::move(config)) {
        start();
    }
    unsigned short port() const {
        std::lock_guard lock(mutex_);
        return proc_ ? proc_->port() : 0;
    }
    void kill_and_restart() {
        std::unique_ptr<opas_process> old;
        {
            std::lock_guard lock(mutex_);
            old = std::move(proc_);
        }
        old->kill_now();
        old.reset();
        start();
    }
    int terminate() {
        std::lock_guard lock(mutex_);
        return proc_->terminate();
    }

private:
    void start() {
        auto p = std::make_unique<opas_process>(dir_, config_);
        std::lock_guard lock(mutex_);
        proc_ = std::move(p);
    }
    std::string dir_, config_;
    mutable std::mutex mutex_;  // guards proc_
    std::unique_ptr<opas_process> proc_;
};

// Posts the update until it gets a 200 (as Telegram redelivers); false if `give_up` is set first.
bool deliver(const restartable& server, long long update_id, const std::atomic<bool>& give_up) {
    const auto body = telegram_text_update(update_id, user_base + update_id, "hello", "en");
    for (;;) {
        const auto port = server.port();
        if (port != 0) {
            const auto res = http_request(port, "POST", "/webhooks/telegram", body,
                                          {{"X-Telegram-Bot-Api-Secret-Token", telegram_secret}});
            if (res.status == 200) return true;
        }
        if (give_up) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
}

}  // namespace

TEST_CASE("after repeated SIGKILLs every accepted update is answered and no reply is lost") {
    temp_dir dir;
    fake_api api;
    restartable server(dir.path(), test_config(dir.path(), api));
    const std::string db = dir.path() + "/opas.db";

    std::atomic<long long> next_update{1};
    std::atomic<bool> stop{false}, give_up{false};
    std::atomic<int> finished{0};
    std::mutex accepted_mutex;  // guards accepted
    std::set<long long> accepted;
    std::vector<std::thread> clients;
    for (int c = 0; c < 3; ++c)
        clients.emplace_back([&] {
            while (!stop) {
                const long long id = next_update++;
                if (!deliver(server, id, give_up)) break;
                std::lock_guard lock(accepted_mutex);
                accepted.insert(id);
            }
            ++finished;
        });

    std::random_device seed_source;
    const unsigned seed = seed_source();
    std::mt19937 rng(seed);
    std::uniform_int_distribution<int> pause_ms(200, 1500);
    constexpr int kills = 6;
    for (int k = 0; k < kills; ++k) {
        const auto before = next_update.load();
        std::this_thread::sleep_for(std::chrono::milliseconds(pause_ms(rng)));
        // Kill only under load: wait until some updates went in since the last restart.
        wait_until([&] { return next_update.load() > before + 20; }, std::chrono::seconds(20));
        server.kill_and_restart();
    }
    stop = true;
    // Each client finishes the update it holds (until a 200), then stops.
    const bool all_in = wait_until([&] { return finished == 3; }, std::chrono::seconds(60));
    give_up = true;
    for (auto& t : clients) t.join();
    REQUIRE(all_in);
    REQUIRE(static_cast<long long>(accepted.size()) == next_update.load() - 1);

    // Every outbox row reaches the platform (none pending, none failed).
    REQUIRE(wait_until([&] {
        const auto rows = sql_rows(db, "SELECT count(*) FROM outbox WHERE state = 'pending'");
        return !rows.empty() && rows[0] == "0";
    }, std::chrono::seconds(90)));
    CHECK(sql_rows(db, "SELECT count(*) FROM outbox WHERE state = 'failed'").at(0) == "0");

    // Replies per chat as the platform saw them: total calls and distinct bodies.
    std::map<long long, std::multiset<std::string>> seen_by_platform;
    for (const auto& c : api.calls()) {
        if (c.target.find("/sendMessage") == std::string::npos) continue;
        const auto body = nlohmann::json::parse(c.body, nullptr, false);
        if (body.is_discarded() || !body["chat_id"].is_number_integer()) continue;
        seen_by_platform[body["chat_id"].get<long long>()].insert(c.body);
    }
    // Outbox rows per chat as the database holds them.
    std::map<long long, long long> rows_per_chat;
    for (const auto& r : sql_rows(db, "SELECT p.chat_id, count(o.id) FROM people p JOIN outbox o "
                                      "ON o.person_id = p.id AND o.kind = 'message' GROUP BY p.id")) {
        const auto bar = r.find('|');
        rows_per_chat[std::stoll(r.substr(0, bar))] = std::stoll(r.substr(bar + 1));
    }

    std::size_t unanswered = 0, short_of_rows = 0, duplicate_sends = 0, chats_with_duplicates = 0;
    for (const long long id : accepted) {
        const long long chat = user_base + id;
        const auto& calls = seen_by_platform[chat];
        const std::set<std::string> distinct(calls.begin(), calls.end());
        if (calls.empty()) ++unanswered;
        if (static_cast<long long>(distinct.size()) < rows_per_chat[chat]) ++short_of_rows;
        if (calls.size() > distinct.size()) {
            duplicate_sends += calls.size() - distinct.size();
            ++chats_with_duplicates;
        }
    }
    const auto seen_rows = sql_rows(db, "SELECT count(*) FROM seen").at(0);
    WARN("crash recovery: seed " << seed << ", " << kills << " SIGKILLs, " << accepted.size()
         << " updates accepted (seen rows " << seen_rows << "), " << api.count("/sendMessage")
         << " sendMessage calls, " << duplicate_sends << " duplicate sends in "
         << chats_with_duplicates << " chats (sent, then killed before mark_sent committed)");
    CHECK(unanswered == 0);
    CHECK(short_of_rows == 0);
    CHECK(std::stoll(seen_rows) >= static_cast<long long>(accepted.size()));
    CHECK(server.terminate() == 0);
}
