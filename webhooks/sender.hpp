#pragma once
// One sender per channel drains the outbox: in order per chat, within the platform's rate
// limits, with keep-alive connections, honouring retry_after, backing off exponentially with
// jitter on 5xx and network errors, and giving up after a bounded number of attempts.

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "bot/config.hpp"
#include "bot/dispatcher.hpp"
#include "storage/database.hpp"
#include "webhooks/http_client.hpp"
#include "webhooks/metrics.hpp"
#include "webhooks/net.hpp"
#include "webhooks/send_result.hpp"

namespace opas::webhooks {

struct outbound_call {
    std::string path;  // appended to the origin's base path
    std::string body;  // JSON
};

// What a sender needs to know of one platform.
struct channel_api {
    std::string name;  // "telegram" | "whatsapp": the outbox channel it drains
    url origin;
    std::vector<std::pair<std::string, std::string>> headers;  // e.g. Authorization
    // The API calls for one outbox row, in order; empty when the row cannot be rendered.
    std::function<std::vector<outbound_call>(const storage::outbox_row&)> render;
    std::function<send_result(int status, std::string_view body)> classify;
};

channel_api make_telegram_api(const bot::telegram_config& cfg);
channel_api make_whatsapp_api(const bot::whatsapp_config& cfg);

class sender {
public:
    using clock_fn = std::function<std::int64_t()>;  // unix milliseconds

    sender(net::io_context& ioc, ssl::context& tls, channel_api api, bot::channel_limits limits,
           bot::dispatcher& dispatcher, metrics& m, clock_fn clock, int workers = 4);
    ~sender();

    void start();
    void wake();  // thread-safe: new outbox rows were committed
    // Thread-safe: workers stop after their current call; `done` runs when all have stopped.
    void stop(std::function<void()> done);

private:
    struct pick {
        std::optional<storage::outbox_row> row;
        bool refresh = false;
        std::chrono::milliseconds wait{0};
    };
    net::awaitable<void> worker(std::size_t index);
    net::awaitable<void> refresh();
    net::awaitable<send_result> deliver(http_client& client, const storage::outbox_row& row);
    net::awaitable<void> record(const storage::outbox_row& row, const send_result& result);
    pick next_row();
    void worker_done();

    // Everything below is touched only on strand_.
    net::strand<net::io_context::executor_type> strand_;
    ssl::context& tls_;
    channel_api api_;
    bot::channel_limits limits_;
    bot::dispatcher& dispatcher_;
    metrics& metrics_;
    clock_fn clock_;
    std::size_t worker_count_;
    std::vector<std::unique_ptr<net::steady_timer>> timers_;
    std::deque<storage::outbox_row> candidates_;  // by id; sent rows leave from near the front
    std::set<std::int64_t> busy_ids_;
    std::set<std::string> busy_chats_;
    std::map<std::string, std::int64_t> last_sent_ms_;
    std::map<std::int64_t, std::size_t> parts_sent_;  // rows whose first parts went out
    std::int64_t next_global_ms_ = 0;
    std::int64_t last_refresh_ms_ = 0;
    bool refreshing_ = false;
    bool woken_ = true;
    bool stopping_ = false;
    std::size_t running_ = 0;
    std::function<void()> stopped_;
};

}  // namespace opas::webhooks
