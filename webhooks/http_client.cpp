#include "webhooks/http_client.hpp"

#include <openssl/ssl.h>

namespace opas::webhooks {
namespace {

constexpr std::size_t max_response_bytes = 4 << 20;

template <class Stream>
net::awaitable<http_result> exchange(Stream& stream, beast::tcp_stream& lowest,
                                     beast::flat_buffer& buffer,
                                     http::request<http::string_body>& req,
                                     std::chrono::milliseconds timeout) {
    http_result out;
    lowest.expires_after(timeout);
    auto [wec, written] =
        co_await http::async_write(stream, req, net::as_tuple(net::use_awaitable));
    if (wec) {
        out.ec = wec;
        co_return out;
    }
    http::response_parser<http::string_body> parser;
    parser.body_limit(max_response_bytes);
    auto [rec, read] =
        co_await http::async_read(stream, buffer, parser, net::as_tuple(net::use_awaitable));
    if (rec) {
        out.ec = rec;
        co_return out;
    }
    auto res = parser.release();
    out.status = static_cast<int>(res.result_int());
    out.body = std::move(res.body());
    if (!res.keep_alive()) out.ec = {};  // caller closes below via `keep_alive`
    co_return out;
}

}  // namespace

std::optional<url> parse_url(std::string_view text) {
    url u;
    if (text.substr(0, 8) == "https://") {
        u.tls = true;
        text.remove_prefix(8);
    } else if (text.substr(0, 7) == "http://") {
        text.remove_prefix(7);
    } else {
        return std::nullopt;
    }
    const auto slash = text.find('/');
    std::string_view authority = text.substr(0, slash);
    u.base_path = slash == std::string_view::npos ? "" : std::string(text.substr(slash));
    while (!u.base_path.empty() && u.base_path.back() == '/') u.base_path.pop_back();
    const auto colon = authority.rfind(':');
    if (colon != std::string_view::npos && authority.find(']') == std::string_view::npos) {
        u.host = std::string(authority.substr(0, colon));
        u.port = std::string(authority.substr(colon + 1));
    } else {
        u.host = std::string(authority);
        u.port = u.tls ? "443" : "80";
    }
    if (u.host.empty() || u.port.empty()) return std::nullopt;
    for (char c : u.port)
        if (c < '0' || c > '9') return std::nullopt;
    return u;
}

std::unique_ptr<ssl::context> make_client_tls_context() {
    auto ctx = std::make_unique<ssl::context>(ssl::context::tls_client);
    ctx->set_default_verify_paths();
    ctx->set_verify_mode(ssl::verify_peer);
    return ctx;
}

struct http_client::impl {
    net::any_io_executor ex;
    ssl::context& tls;
    url origin;
    tcp::resolver resolver;
    std::optional<beast::tcp_stream> plain;
    std::optional<beast::ssl_stream<beast::tcp_stream>> secure;
    beast::flat_buffer buffer;
    bool connected = false;

    impl(net::any_io_executor e, ssl::context& t, url u)
        : ex(e), tls(t), origin(std::move(u)), resolver(e) {}

    beast::tcp_stream& lowest() {
        return secure ? beast::get_lowest_layer(*secure) : *plain;
    }

    void reset() {
        beast::error_code ignored;
        if (secure) beast::get_lowest_layer(*secure).socket().close(ignored);
        if (plain) plain->socket().close(ignored);
        secure.reset();
        plain.reset();
        buffer.clear();
        connected = false;
    }

    net::awaitable<beast::error_code> connect(std::chrono::milliseconds timeout) {
        reset();
        auto [ec, results] = co_await resolver.async_resolve(origin.host, origin.port,
                                                             net::as_tuple(net::use_awaitable));
        if (ec) co_return ec;
        if (origin.tls) {
            secure.emplace(ex, tls);
            if (!SSL_set_tlsext_host_name(secure->native_handle(), origin.host.c_str()))
                co_return beast::error_code(static_cast<int>(::ERR_get_error()),
                                            net::error::get_ssl_category());
            secure->set_verify_callback(ssl::host_name_verification(origin.host));
        } else {
            plain.emplace(ex);
        }
        lowest().expires_after(timeout);
        auto [cec, ep] = co_await lowest().async_connect(results, net::as_tuple(net::use_awaitable));
        if (cec) co_return cec;
        if (secure) {
            auto [hec] = co_await secure->async_handshake(ssl::stream_base::client,
                                                          net::as_tuple(net::use_awaitable));
            if (hec) co_return hec;
        }
        connected = true;
        co_return beast::error_code{};
    }

    net::awaitable<http_result> once(http::request<http::string_body>& req,
                                     std::chrono::milliseconds timeout) {
        if (secure) co_return co_await exchange(*secure, lowest(), buffer, req, timeout);
        co_return co_await exchange(*plain, lowest(), buffer, req, timeout);
    }
};

http_client::http_client(net::any_io_executor ex, ssl::context& tls, url origin)
    : impl_(std::make_unique<impl>(ex, tls, std::move(origin))) {}

http_client::~http_client() = default;

void http_client::close() { impl_->reset(); }

net::awaitable<http_result> http_client::post_json(
    std::string path, std::string body, std::vector<std::pair<std::string, std::string>> headers,
    std::chrono::milliseconds timeout) {
    auto& p = *impl_;
    http::request<http::string_body> req{http::verb::post, p.origin.base_path + path, 11};
    req.set(http::field::host, p.origin.host);
    req.set(http::field::user_agent, "opas");
    req.set(http::field::content_type, "application/json");
    for (const auto& [name, value] : headers) req.set(name, value);
    req.keep_alive(true);
    req.body() = std::move(body);
    req.prepare_payload();

    for (int attempt = 0; attempt < 2; ++attempt) {
        const bool reused = p.connected;
        if (!p.connected) {
            const auto ec = co_await p.connect(timeout);
            if (ec) {
                p.reset();
                co_return http_result{ec, 0, {}};
            }
        }
        auto result = co_await p.once(req, timeout);
        if (!result.ec) {
            if (result.status == 0) p.reset();
            co_return result;
        }
        p.reset();
        // A kept-alive connection the server had closed: try once on a fresh one.
        const bool stale = reused && (result.ec == http::error::end_of_stream ||
                                      result.ec == net::error::connection_reset ||
                                      result.ec == net::error::broken_pipe ||
                                      result.ec == net::error::eof);
        if (!stale) co_return result;
    }
    co_return http_result{net::error::connection_aborted, 0, {}};
}

}  // namespace opas::webhooks
