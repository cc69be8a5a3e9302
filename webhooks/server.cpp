#include "webhooks/server.hpp"

#include <openssl/crypto.h>
#include <spdlog/spdlog.h>

#include <array>
#include <map>
#include <nlohmann/json.hpp>

#include "bot/app.hpp"
#include "webhooks/async_dispatch.hpp"
#include "webhooks/telegram.hpp"
#include "webhooks/whatsapp.hpp"

namespace opas::webhooks {

struct server::session_state {
    beast::tcp_stream* stream = nullptr;
    bool idle = true;  // waiting for the next request; touched only on the session's strand
};

namespace {

using request = http::request<http::string_body>;

http::message_generator respond(http::status status, unsigned version, bool keep_alive,
                                std::string body,
                                std::string_view content_type = "text/plain; charset=utf-8") {
    http::response<http::string_body> res{status, version};
    res.set(http::field::server, "opas");
    res.set(http::field::content_type, content_type);
    res.keep_alive(keep_alive);
    res.body() = std::move(body);
    res.prepare_payload();
    return res;
}

std::string route_of(std::string_view path) {
    if (path == "/webhooks/telegram") return "telegram";
    if (path == "/webhooks/whatsapp") return "whatsapp";
    if (path == "/healthz") return "healthz";
    if (path == "/readyz") return "readyz";
    if (path == "/metrics") return "metrics";
    if (path.substr(0, 7) == "/admin/" || path == "/admin") return "admin";
    return "other";
}

std::string_view path_of(std::string_view target) {
    return target.substr(0, target.find('?'));
}

std::string percent_decode(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '+') {
            out += ' ';
        } else if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
                   std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
            out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
            i += 2;
        } else {
            out += s[i];
        }
    }
    return out;
}

std::map<std::string, std::string> query_params(std::string_view query) {
    std::map<std::string, std::string> out;
    while (!query.empty()) {
        const auto amp = query.find('&');
        const auto pair = query.substr(0, amp);
        const auto eq = pair.find('=');
        if (!pair.empty())
            out[percent_decode(pair.substr(0, eq))] =
                eq == std::string_view::npos ? std::string() : percent_decode(pair.substr(eq + 1));
        if (amp == std::string_view::npos) break;
        query.remove_prefix(amp + 1);
    }
    return out;
}

std::string_view query_of(std::string_view target) {
    const auto q = target.find('?');
    return q == std::string_view::npos ? std::string_view() : target.substr(q + 1);
}

}  // namespace

server::server(net::io_context& ioc, server_config cfg, bot::dispatcher& dispatcher, metrics& m,
               admin_fn admin)
    : ioc_(ioc),
      cfg_(std::move(cfg)),
      dispatcher_(dispatcher),
      metrics_(m),
      admin_(std::move(admin)),
      acceptor_(ioc) {}

server::~server() = default;

unsigned short server::start() {
    const tcp::endpoint ep{net::ip::make_address(cfg_.address), cfg_.port};
    acceptor_.open(ep.protocol());
    acceptor_.set_option(net::socket_base::reuse_address(true));
    acceptor_.bind(ep);
    acceptor_.listen(net::socket_base::max_listen_connections);
    net::co_spawn(acceptor_.get_executor(), accept_loop(), [](std::exception_ptr e) {
        if (e) try { std::rethrow_exception(e); } catch (const std::exception& ex) {
                spdlog::error("acceptor stopped: {}", ex.what());
            }
    });
    return acceptor_.local_endpoint().port();
}

void server::stop() {
    stopping_ = true;
    net::post(acceptor_.get_executor(), [this] {
        beast::error_code ec;
        acceptor_.close(ec);
    });
    std::lock_guard lock(sessions_mutex_);
    for (session_state* s : sessions_) {
        // Runs on the session's strand, so it sees `idle` consistently and the stream is alive
        // (the session removes itself from sessions_ before its state dies).
        net::post(s->stream->get_executor(), [this, s] {
            std::lock_guard inner(sessions_mutex_);
            if (sessions_.count(s) && s->idle) s->stream->socket().cancel();
        });
    }
    if (sessions_.empty() && drained_) net::post(ioc_, drained_);
}

void server::on_drained(std::function<void()> done) {
    std::lock_guard lock(sessions_mutex_);
    drained_ = std::move(done);
}

void server::session_ended() {
    std::function<void()> done;
    {
        std::lock_guard lock(sessions_mutex_);
        if (stopping_ && sessions_.empty()) done = drained_;
    }
    if (done) net::post(ioc_, done);
}

net::awaitable<void> server::accept_loop() {
    for (;;) {
        auto [ec, socket] = co_await acceptor_.async_accept(net::make_strand(ioc_),
                                                            net::as_tuple(net::use_awaitable));
        if (ec) {
            if (ec == net::error::operation_aborted || stopping_) co_return;
            spdlog::warn("accept failed: {}", ec.message());
            continue;
        }
        if (open_ >= cfg_.max_connections) {
            beast::error_code ignored;
            socket.close(ignored);
            continue;
        }
        ++open_;
        auto ex = socket.get_executor();
        net::co_spawn(ex, session(std::move(socket)), [this](std::exception_ptr e) {
            if (e) try { std::rethrow_exception(e); } catch (const std::exception& ex) {
                    spdlog::error("session ended by exception: {}", ex.what());
                }
            --open_;
            session_ended();
        });
    }
}

net::awaitable<void> server::session(tcp::socket socket) {
    beast::tcp_stream stream(std::move(socket));
    session_state state{&stream, true};
    {
        std::lock_guard lock(sessions_mutex_);
        sessions_.insert(&state);
    }
    struct deregister {
        server* self;
        session_state* s;
        ~deregister() {
            std::lock_guard lock(self->sessions_mutex_);
            self->sessions_.erase(s);
        }
    } guard{this, &state};

    beast::flat_buffer buffer;
    while (!stopping_) {
        http::request_parser<http::string_body> parser;
        parser.header_limit(16 * 1024);
        parser.body_limit(cfg_.max_body_bytes);
        state.idle = buffer.size() == 0;
        stream.expires_after(cfg_.header_timeout);
        auto [ec, n] = co_await http::async_read_header(stream, buffer, parser,
                                                        net::as_tuple(net::use_awaitable));
        state.idle = false;
        if (ec == http::error::body_limit) {  // Content-Length over the limit
            co_await reject_too_large(stream, route_of(path_of(parser.get().target())),
                                      parser.get().version());
            break;
        }
        if (ec) break;  // EOF, reset, timeout or shutdown: not errors
        const unsigned version = parser.get().version();
        if (parser.content_length() && *parser.content_length() > cfg_.max_body_bytes) {
            co_await reject_too_large(stream, route_of(path_of(parser.get().target())), version);
            break;
        }
        stream.expires_after(cfg_.body_timeout);
        std::tie(ec, n) = co_await http::async_read(stream, buffer, parser,
                                                    net::as_tuple(net::use_awaitable));
        if (ec == http::error::body_limit) {
            co_await reject_too_large(stream, route_of(path_of(parser.get().target())), version);
            break;
        }
        if (ec) break;
        auto req = parser.release();
        const bool keep_alive = req.keep_alive() && !stopping_;
        auto res = co_await handle(std::move(req));
        stream.expires_after(cfg_.header_timeout);
        auto [wec, written] = co_await beast::async_write(stream, std::move(res),
                                                          net::as_tuple(net::use_awaitable));
        if (wec || !keep_alive) break;
    }
    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
}

// 413, then a lingering close: the client is still sending its body, and closing with unread
// bytes would reset the connection before it reads the answer. Drain a bounded amount.
net::awaitable<void> server::reject_too_large(beast::tcp_stream& stream, std::string route,
                                              unsigned version) {
    metrics_.request(route, 413);
    stream.expires_after(cfg_.header_timeout);
    auto res = respond(http::status::payload_too_large, version, false, "body too large\n");
    auto [ec, n] = co_await beast::async_write(stream, std::move(res), net::as_tuple(net::use_awaitable));
    if (ec) co_return;
    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    std::array<char, 16384> sink;
    std::size_t drained = 0;
    stream.expires_after(std::chrono::seconds(2));
    while (drained < 4 * cfg_.max_body_bytes) {
        auto [rec, got] = co_await stream.async_read_some(net::buffer(sink), net::as_tuple(net::use_awaitable));
        if (rec) break;
        drained += got;
    }
}

net::awaitable<http::message_generator> server::handle(request req) {
    const std::string path(path_of(req.target()));
    const std::string route = route_of(path);
    const unsigned version = req.version();
    const bool keep_alive = req.keep_alive() && !stopping_;
    auto finish = [&](http::status st, std::string body) {
        metrics_.request(route, static_cast<int>(st));
        return respond(st, version, keep_alive, std::move(body));
    };

    if (route == "healthz") {
        if (req.method() != http::verb::get) co_return finish(http::status::method_not_allowed, "GET only\n");
        co_return finish(http::status::ok, "ok\n");
    }
    if (route == "readyz") {
        if (req.method() != http::verb::get) co_return finish(http::status::method_not_allowed, "GET only\n");
        co_return co_await readiness(version);
    }
    if (route == "metrics") {
        if (req.method() != http::verb::get) co_return finish(http::status::method_not_allowed, "GET only\n");
        co_return co_await metrics_page(version);
    }
    if (route == "telegram") {
        if (!cfg_.telegram_enabled) co_return finish(http::status::not_found, "telegram is not configured\n");
        if (req.method() != http::verb::post) co_return finish(http::status::method_not_allowed, "POST only\n");
        co_return co_await telegram(req);
    }
    if (route == "whatsapp") {
        if (!cfg_.whatsapp_enabled) co_return finish(http::status::not_found, "whatsapp is not configured\n");
        if (req.method() != http::verb::post && req.method() != http::verb::get)
            co_return finish(http::status::method_not_allowed, "GET or POST only\n");
        co_return co_await whatsapp(req);
    }
    if (route == "admin") {
        const std::string expected = "Bearer " + cfg_.admin_token;
        const auto auth = req[http::field::authorization];
        if (cfg_.admin_token.empty() || auth.size() != expected.size() ||
            CRYPTO_memcmp(auth.data(), expected.data(), expected.size()) != 0)
            co_return finish(http::status::unauthorized, "{\"error\":\"unauthorized\"}\n");
        co_return co_await admin(req);
    }
    co_return finish(http::status::not_found, "not found\n");
}

net::awaitable<http::message_generator> server::telegram(request& req) {
    const unsigned version = req.version();
    const bool keep_alive = req.keep_alive() && !stopping_;
    if (!telegram_secret_ok(req["X-Telegram-Bot-Api-Secret-Token"], cfg_.telegram_secret)) {
        metrics_.verification_failure("telegram");
        metrics_.request("telegram", 401);
        co_return respond(http::status::unauthorized, version, keep_alive, "bad secret token\n");
    }
    auto parsed = parse_telegram_update(req.body());
    if (!parsed.ok) {
        metrics_.request("telegram", 400);
        co_return respond(http::status::bad_request, version, keep_alive, "malformed update\n");
    }
    co_return co_await commit(std::move(parsed.events), version, "telegram");
}

net::awaitable<http::message_generator> server::whatsapp(request& req) {
    const unsigned version = req.version();
    const bool keep_alive = req.keep_alive() && !stopping_;
    if (req.method() == http::verb::get) {
        const auto challenge = whatsapp_verify(query_of(req.target()), cfg_.whatsapp_verify_token);
        if (!challenge) {
            metrics_.verification_failure("whatsapp");
            metrics_.request("whatsapp", 403);
            co_return respond(http::status::forbidden, version, keep_alive, "verification failed\n");
        }
        metrics_.request("whatsapp", 200);
        co_return respond(http::status::ok, version, keep_alive, *challenge);
    }
    if (!whatsapp_signature_ok(req["X-Hub-Signature-256"], req.body(), cfg_.whatsapp_app_secret)) {
        metrics_.verification_failure("whatsapp");
        metrics_.request("whatsapp", 401);
        co_return respond(http::status::unauthorized, version, keep_alive, "bad signature\n");
    }
    auto parsed = parse_whatsapp(req.body());
    if (!parsed.ok) {
        metrics_.request("whatsapp", 400);
        co_return respond(http::status::bad_request, version, keep_alive, "malformed payload\n");
    }
    co_return co_await commit(std::move(parsed.events), version, "whatsapp");
}

net::awaitable<http::message_generator> server::commit(std::vector<bot::inbound> events,
                                                       unsigned version, const char* route) {
    const bool keep_alive = !stopping_;
    bool ok = true;
    if (!events.empty()) ok = co_await async_submit(dispatcher_, std::move(events));
    const auto st = ok ? http::status::ok : http::status::service_unavailable;
    metrics_.request(route, static_cast<int>(st));
    if (!ok) spdlog::warn("webhook not stored route={} status=503", route);
    co_return respond(st, version, keep_alive, ok ? "ok\n" : "storage unavailable\n");
}

net::awaitable<http::message_generator> server::admin(request& req) {
    const unsigned version = req.version();
    const bool keep_alive = req.keep_alive() && !stopping_;
    auto answer = [&](int status, const nlohmann::json& body) {
        metrics_.request("admin", status);
        return respond(static_cast<http::status>(status), version, keep_alive, body.dump() + "\n",
                       "application/json");
    };
    bot::admin_request areq;
    areq.method = std::string(req.method_string());
    areq.path = std::string(path_of(req.target()));
    areq.query = query_params(query_of(req.target()));
    if (!req.body().empty()) {
        areq.body = nlohmann::json::parse(req.body(), nullptr, false);
        if (areq.body.is_discarded())
            co_return answer(400, {{"error", "the body is not valid JSON"}, {"field", "body"}});
    }
    if (!admin_) co_return answer(404, {{"error", "admin API not available"}});
    auto out = std::make_shared<bot::admin_response>();
    bot::dispatcher::work_fn job = [this, out, areq = std::move(areq)](storage::database& db) {
        *out = admin_(db, areq);
        return out->status < 400;  // a refused change leaves nothing behind
    };
    const bool committed = co_await async_post(dispatcher_, std::move(job));
    if (!committed && out->status < 400)
        co_return answer(503, {{"error", "storage unavailable"}});
    if (out->content_type != "application/json" && out->body.is_string()) {
        metrics_.request("admin", out->status);
        co_return respond(static_cast<http::status>(out->status), version, keep_alive,
                          out->body.get<std::string>(), out->content_type);
    }
    co_return answer(out->status, out->body);
}

net::awaitable<http::message_generator> server::readiness(unsigned version) {
    // Ready means a turn could commit now: a write that must reach the disk, not only a read.
    const std::int64_t now = bot::system_now_ms() / 1000;
    bot::dispatcher::work_fn ping = [now](storage::database& db) {
        return db.ping() && db.write_probe(now).ok();
    };
    const bool ok = co_await async_post(dispatcher_, std::move(ping));
    const auto st = ok ? http::status::ok : http::status::service_unavailable;
    metrics_.request("readyz", static_cast<int>(st));
    co_return respond(st, version, !stopping_, ok ? "ready\n" : "database unavailable\n");
}

net::awaitable<http::message_generator> server::metrics_page(unsigned version) {
    auto ext = std::make_shared<metrics::external>();
    bot::dispatcher::work_fn count = [ext](storage::database& db) {
        if (auto d = db.outbox_depth(); d.ok()) ext->outbox_depth = d.value();
        if (auto f = db.outbox_failed_count(); f.ok()) ext->outbox_failed = f.value();
        return true;
    };
    co_await async_post(dispatcher_, std::move(count));
    const auto c = dispatcher_.snapshot();
    ext->duplicates = c.duplicates;
    ext->turns = c.turns;
    ext->commit_failures = c.commit_failures;
    ext->commits = c.batches;
    ext->open_connections = open_;
    metrics_.request("metrics", 200);
    co_return respond(http::status::ok, version, !stopping_, metrics_.render(*ext),
                      "text/plain; version=0.0.4; charset=utf-8");
}

}  // namespace opas::webhooks
