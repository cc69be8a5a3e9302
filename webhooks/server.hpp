#pragma once
// The inbound HTTP server: webhooks of both platforms, health, readiness and metrics.
// One coroutine per connection on its own strand; hard limits on body size, header and body
// time and the number of connections. A webhook gets 200 only after its turn committed.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "bot/admin.hpp"
#include "bot/dispatcher.hpp"
#include "webhooks/metrics.hpp"
#include "webhooks/net.hpp"

namespace opas::webhooks {

struct server_config {
    std::string address = "127.0.0.1";
    unsigned short port = 8080;                 // 0: any free port (tests)
    std::size_t max_body_bytes = 1 << 20;       // larger bodies get 413
    std::chrono::milliseconds header_timeout{10000};
    std::chrono::milliseconds body_timeout{30000};
    int max_connections = 20000;                // further connections are closed at once
    std::string telegram_secret;                // empty: Telegram webhook off (404)
    bool telegram_enabled = false;
    std::string whatsapp_app_secret;            // empty: WhatsApp webhook off (404)
    std::string whatsapp_verify_token;
    bool whatsapp_enabled = false;
    std::string admin_token;                    // empty: admin API off
};

// Runs one admin request on the writer thread (see bot/admin.hpp).
using admin_fn = std::function<bot::admin_response(storage::database&, const bot::admin_request&)>;

class server {
public:
    server(net::io_context& ioc, server_config cfg, bot::dispatcher& dispatcher, metrics& m,
           admin_fn admin = {});
    ~server();

    // Binds and starts accepting; returns the bound port. Throws on bind failure.
    unsigned short start();
    // Stops accepting and closes idle keep-alive connections; requests in flight finish.
    void stop();
    // Number of open connections (sessions).
    std::int64_t open_connections() const { return open_; }
    // Calls `done` (on an io thread) once every session has ended after stop().
    void on_drained(std::function<void()> done);

    struct session_state;  // one per connection, owned by its coroutine

private:
    friend struct server_access;
    net::awaitable<void> accept_loop();
    net::awaitable<void> session(tcp::socket socket);
    net::awaitable<http::message_generator> handle(http::request<http::string_body> req);
    net::awaitable<void> reject_too_large(beast::tcp_stream& stream, std::string route,
                                          unsigned version);
    net::awaitable<http::message_generator> telegram(http::request<http::string_body>& req);
    net::awaitable<http::message_generator> whatsapp(http::request<http::string_body>& req);
    net::awaitable<http::message_generator> readiness(unsigned version);
    net::awaitable<http::message_generator> admin(http::request<http::string_body>& req);
    net::awaitable<http::message_generator> metrics_page(unsigned version);
    net::awaitable<http::message_generator> commit(std::vector<bot::inbound> events,
                                                   unsigned version, const char* route);
    void session_ended();

    net::io_context& ioc_;
    server_config cfg_;
    bot::dispatcher& dispatcher_;
    metrics& metrics_;
    admin_fn admin_;
    tcp::acceptor acceptor_;
    std::atomic<std::int64_t> open_{0};
    std::atomic<bool> stopping_{false};
    std::mutex sessions_mutex_;  // guards sessions_ and drained_
    std::set<session_state*> sessions_;
    std::function<void()> drained_;
};

}  // namespace opas::webhooks
