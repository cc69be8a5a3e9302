#pragma once
// A small HTTP/1.1 client for the platform APIs: one keep-alive connection to one origin,
// TLS with peer verification and SNI for https://, plain TCP for http:// (local use, tests).
// Not thread-safe: one coroutine uses one client at a time.

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "webhooks/net.hpp"

namespace opas::webhooks {

struct url {
    bool tls = false;
    std::string host;
    std::string port;
    std::string base_path;  // without trailing slash, e.g. "/v21.0"
};
// Parses "http(s)://host[:port][/path]"; nullopt when malformed.
std::optional<url> parse_url(std::string_view text);

struct http_result {
    beast::error_code ec;  // network error or timeout; status is 0 then
    int status = 0;
    std::string body;
};

class http_client {
public:
    http_client(net::any_io_executor ex, ssl::context& tls, url origin);
    ~http_client();

    // POSTs JSON to base_path + path. Reconnects once when a kept-alive connection was closed.
    net::awaitable<http_result> post_json(std::string path, std::string body,
                                          std::vector<std::pair<std::string, std::string>> headers,
                                          std::chrono::milliseconds timeout);
    void close();

private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

// A TLS context that verifies peers against the system's CA store.
std::unique_ptr<ssl::context> make_client_tls_context();

}  // namespace opas::webhooks
