// bench_bare_server: the ceiling for the webhook benchmark. The same shape as opas's server
// (one coroutine per connection on its own strand, beast::tcp_stream with a header timeout,
// a request_parser with a body limit, keep-alive) but no work at all: every request gets 200.
//
// With --api it answers like the Telegram Bot API and WhatsApp Cloud API do on success, so the
// same binary is the fast fake platform API that opas's senders talk to during a benchmark.
//
//   bench_bare_server [--port N] [--threads N] [--api]
// Prints "listening on 127.0.0.1:<port>" once it accepts connections.

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

namespace {

struct options {
    unsigned short port = 0;
    int threads = 1;
    bool api = false;
};

std::atomic<long long> next_message_id{1000};

std::string api_body(std::string_view target) {
    const long long id = ++next_message_id;
    if (target.find("/messages") != std::string_view::npos)
        return R"({"messaging_product":"whatsapp","contacts":[{"input":"x","wa_id":"x"}],"messages":[{"id":"wamid.out)" +
               std::to_string(id) + "\"}]}";
    if (target.find("answerCallbackQuery") != std::string_view::npos)
        return R"({"ok":true,"result":true})";
    return R"({"ok":true,"result":{"message_id":)" + std::to_string(id) +
           R"(,"date":1700000000,"chat":{"id":1,"type":"private"},"text":"x"}})";
}

net::awaitable<void> session(tcp::socket socket, bool api) {
    beast::tcp_stream stream(std::move(socket));
    beast::flat_buffer buffer;
    for (;;) {
        http::request_parser<http::string_body> parser;
        parser.header_limit(16 * 1024);
        parser.body_limit(1 << 20);
        stream.expires_after(std::chrono::seconds(10));
        auto [ec, n] = co_await http::async_read(stream, buffer, parser,
                                                 net::as_tuple(net::use_awaitable));
        if (ec) break;
        auto req = parser.release();
        http::response<http::string_body> res{http::status::ok, req.version()};
        res.set(http::field::server, "bare");
        if (api) {
            res.set(http::field::content_type, "application/json");
            res.body() = api_body(req.target());
        } else {
            res.set(http::field::content_type, "text/plain; charset=utf-8");
            res.body() = "ok\n";
        }
        res.keep_alive(req.keep_alive());
        res.prepare_payload();
        const bool keep_alive = req.keep_alive();
        auto [wec, w] = co_await http::async_write(stream, res, net::as_tuple(net::use_awaitable));
        if (wec || !keep_alive) break;
    }
    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
}

net::awaitable<void> accept_loop(tcp::acceptor& acceptor, net::io_context& ioc, bool api) {
    for (;;) {
        auto [ec, socket] = co_await acceptor.async_accept(net::make_strand(ioc),
                                                           net::as_tuple(net::use_awaitable));
        if (ec) co_return;
        auto ex = socket.get_executor();
        net::co_spawn(ex, session(std::move(socket), api), net::detached);
    }
}

options parse(int argc, char** argv) {
    options o;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--api") {
            o.api = true;
        } else if ((a == "--port" || a == "--threads") && i + 1 < argc) {
            const int v = std::atoi(argv[++i]);
            if (a == "--port") o.port = static_cast<unsigned short>(v);
            else o.threads = v > 0 ? v : 1;
        } else {
            std::cerr << "usage: bench_bare_server [--port N] [--threads N] [--api]\n";
            std::exit(2);
        }
    }
    return o;
}

}  // namespace

int main(int argc, char** argv) {
    const options opt = parse(argc, argv);
    net::io_context ioc(opt.threads);
    tcp::acceptor acceptor(ioc);
    const tcp::endpoint ep{net::ip::make_address("127.0.0.1"), opt.port};
    acceptor.open(ep.protocol());
    acceptor.set_option(net::socket_base::reuse_address(true));
    acceptor.bind(ep);
    acceptor.listen(net::socket_base::max_listen_connections);
    net::co_spawn(ioc, accept_loop(acceptor, ioc, opt.api), net::detached);
    net::signal_set signals(ioc, SIGINT, SIGTERM);
    signals.async_wait([&ioc](const beast::error_code&, int) { ioc.stop(); });
    std::cout << "listening on 127.0.0.1:" << acceptor.local_endpoint().port() << std::endl;
    std::vector<std::thread> pool;
    for (int i = 1; i < opt.threads; ++i) pool.emplace_back([&ioc] { ioc.run(); });
    ioc.run();
    for (auto& t : pool) t.join();
    return 0;
}
