// libFuzzer target: the whole HTTP edge in-process. One webhooks::server (both channels and
// the admin API on, database in a temp dir, no senders) runs on a thread for the whole fuzz
// run; each input is written raw to a fresh loopback connection, the write side is closed, and
// the answer is read until the server closes. A server that crashes, leaks, or does not close
// within 5 s of the client's EOF is a finding. Seeds carry the right secret and signature
// headers, so mutations reach the parsers, the dispatcher and the admin routes.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>

#include "bot/admin.hpp"
#include "bot/app.hpp"
#include "bot/dispatcher.hpp"
#include "webhooks/metrics.hpp"
#include "webhooks/server.hpp"

namespace {

using namespace opas;

struct in_process {
    bot::config cfg;
    std::unique_ptr<bot::app> app;
    webhooks::net::io_context ioc{1};
    webhooks::metrics m;
    std::unique_ptr<bot::dispatcher> dispatcher;
    bot::admin_api admin_routes;
    std::unique_ptr<webhooks::server> srv;
    unsigned short port = 0;
    std::thread thread;

    in_process() {
        std::string dir = "/tmp/opas-fuzz-server-XXXXXX";
        if (!mkdtemp(dir.data())) std::abort();
        cfg.database = dir + "/opas.db";
        cfg.database_sync_full = false;
        cfg.locales_dir = OPAS_SOURCE_DIR "/locales";
        cfg.log_level = "off";
        app = bot::make_app(cfg);
        dispatcher = std::make_unique<bot::dispatcher>(*app->db, *app->eng, bot::system_now_ms);
        webhooks::server_config s;
        s.address = "127.0.0.1";
        s.port = 0;
        s.header_timeout = std::chrono::milliseconds(3000);
        s.body_timeout = std::chrono::milliseconds(3000);
        s.telegram_enabled = true;
        s.telegram_secret = "test-secret_123";
        s.whatsapp_enabled = true;
        s.whatsapp_app_secret = "app-secret";
        s.whatsapp_verify_token = "verify-me";
        s.admin_token = "admin-token";
        webhooks::admin_fn admin = [this](storage::database& db, const bot::admin_request& req) {
            bot::admin_context ctx{db, *app->messages, app->cfg, bot::system_now_ms()};
            return admin_routes.handle(ctx, req);
        };
        srv = std::make_unique<webhooks::server>(ioc, s, *dispatcher, m, std::move(admin));
        port = srv->start();
        thread = std::thread([this] { ioc.run(); });
        thread.detach();  // lives for the whole fuzz run
    }
};

in_process& server() {
    static in_process* p = new in_process();  // never destroyed: the io thread keeps running
    return *p;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    signal(SIGPIPE, SIG_IGN);
    (void)server();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) std::abort();
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(server().port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) std::abort();
    timeval tv{5, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    std::size_t sent = 0;
    while (sent < size) {
        const auto n = write(fd, data + sent, size - sent);
        if (n <= 0) break;  // the server may answer (413, 400) and close before reading it all
        sent += static_cast<std::size_t>(n);
    }
    shutdown(fd, SHUT_WR);
    char buf[4096];
    for (;;) {
        const auto n = read(fd, buf, sizeof buf);
        if (n > 0) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) __builtin_trap();  // hung
        break;  // EOF or reset
    }
    close(fd);
    return 0;
}
