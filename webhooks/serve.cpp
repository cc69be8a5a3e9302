#include "webhooks/serve.hpp"

#include <spdlog/spdlog.h>

#include <atomic>
#include <iostream>
#include <thread>

#include "bot/admin.hpp"
#include "bot/app.hpp"
#include "bot/dispatcher.hpp"
#include "bot/scheduler.hpp"
#include "webhooks/async_dispatch.hpp"
#include "webhooks/metrics.hpp"
#include "webhooks/sender.hpp"
#include "webhooks/server.hpp"

namespace opas::webhooks {
namespace {

constexpr auto scheduler_period = std::chrono::seconds(5);

// Every few seconds: reminders, handover timeouts, retention (bot/scheduler.hpp).
net::awaitable<void> scheduler_loop(net::steady_timer& timer, bot::dispatcher& dispatcher,
                                    const bot::app& app) {
    for (;;) {
        bot::dispatcher::work_fn tick = [&dispatcher, &app](storage::database& db) {
            bot::scheduler_context ctx{db, *app.messages, app.cfg, bot::system_now_ms()};
            const bool ok = bot::run_scheduler(ctx);
            if (ok && ctx.added_outbox) dispatcher.note_outbox_added();
            if (ok && ctx.erased) dispatcher.note_erased();
            return ok;
        };
        co_await async_post(dispatcher, std::move(tick));
        timer.expires_after(scheduler_period);
        auto [ec] = co_await timer.async_wait(net::as_tuple(net::use_awaitable));
        if (ec) co_return;
    }
}

constexpr auto drain_deadline = std::chrono::seconds(10);

server_config server_config_of(const bot::config& cfg) {
    server_config s;
    s.address = cfg.listen_address;
    s.port = static_cast<unsigned short>(cfg.listen_port);
    s.max_body_bytes = cfg.max_body_bytes;
    s.header_timeout = std::chrono::milliseconds(cfg.header_timeout_ms);
    s.body_timeout = std::chrono::milliseconds(cfg.body_timeout_ms);
    s.max_connections = cfg.max_connections;
    s.telegram_enabled = cfg.telegram.enabled();
    s.telegram_secret = cfg.telegram.secret_token;
    s.whatsapp_enabled = cfg.whatsapp.enabled();
    s.whatsapp_app_secret = cfg.whatsapp.app_secret;
    s.whatsapp_verify_token = cfg.whatsapp.verify_token;
    s.admin_token = cfg.admin_token;
    return s;
}

}  // namespace

int run_serve(const bot::config& cfg) {
    auto app = bot::make_app(cfg);
    const int threads = cfg.listen_threads > 0
                            ? cfg.listen_threads
                            : std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
    net::io_context ioc(threads);
    metrics m;
    bot::dispatcher dispatcher(*app->db, *app->eng, bot::system_now_ms);
    auto tls = make_client_tls_context();

    std::vector<std::unique_ptr<sender>> senders;
    if (cfg.telegram.enabled())
        senders.push_back(std::make_unique<sender>(ioc, *tls, make_telegram_api(cfg.telegram),
                                                   cfg.telegram.limits, dispatcher, m,
                                                   bot::system_now_ms));
    if (cfg.whatsapp.enabled())
        senders.push_back(std::make_unique<sender>(ioc, *tls, make_whatsapp_api(cfg.whatsapp),
                                                   cfg.whatsapp.limits, dispatcher, m,
                                                   bot::system_now_ms));
    dispatcher.on_outbox([&senders] {
        for (auto& s : senders) s->wake();
    });

    const bot::admin_api admin_routes;
    admin_fn admin = [&admin_routes, &app](storage::database& db, const bot::admin_request& req) {
        bot::admin_context ctx{db, *app->messages, app->cfg, bot::system_now_ms()};
        return admin_routes.handle(ctx, req);
    };
    server srv(ioc, server_config_of(cfg), dispatcher, m, std::move(admin));
    unsigned short port = 0;
    try {
        port = srv.start();
    } catch (const std::exception& e) {
        throw bot::startup_error("cannot listen on " + cfg.listen_address + ":" +
                                 std::to_string(cfg.listen_port) + ": " + e.what());
    }
    for (auto& s : senders) s->start();
    auto scheduler_strand = net::make_strand(ioc);
    net::steady_timer scheduler_timer(scheduler_strand);
    net::co_spawn(scheduler_strand, scheduler_loop(scheduler_timer, dispatcher, *app), net::detached);

    const std::string base = "http://" + cfg.listen_address + ":" + std::to_string(port);
    std::cout << "opas listening on " << base << "\n"
              << "  health:   " << base << "/healthz, " << base << "/readyz, " << base << "/metrics\n"
              << "  telegram: " << (cfg.telegram.enabled() ? base + "/webhooks/telegram" : "off (set telegram.bot_token and telegram.secret_token)") << "\n"
              << "  whatsapp: " << (cfg.whatsapp.enabled() ? base + "/webhooks/whatsapp" : "off (set whatsapp.phone_number_id, access_token, app_secret, verify_token)") << "\n"
              << "  database: " << cfg.database << "\n"
              << "Talk to the bot without any platform account: opas chat\n"
              << std::flush;
    spdlog::info("serving port={} threads={} telegram={} whatsapp={}", port, threads,
                 cfg.telegram.enabled(), cfg.whatsapp.enabled());

    // Shutdown: stop accepting, let requests in flight and the senders' current calls finish,
    // then stop the io_context (or at the deadline).
    net::signal_set signals(ioc, SIGINT, SIGTERM);
    net::steady_timer deadline(ioc);
    auto pending = std::make_shared<std::atomic<int>>(static_cast<int>(senders.size()) + 1);
    auto one_done = [&ioc, pending] {
        if (--*pending == 0) ioc.stop();
    };
    signals.async_wait([&](const beast::error_code& ec, int sig) {
        if (ec) return;
        spdlog::info("signal={} draining", sig);
        net::post(scheduler_timer.get_executor(), [&scheduler_timer] { scheduler_timer.cancel(); });
        srv.on_drained(one_done);
        srv.stop();
        for (auto& s : senders) s->stop(one_done);
        deadline.expires_after(drain_deadline);
        deadline.async_wait([&ioc](const beast::error_code& e) {
            if (!e) {
                spdlog::warn("drain deadline reached");
                ioc.stop();
            }
        });
    });

    std::vector<std::thread> pool;
    for (int i = 1; i < threads; ++i) pool.emplace_back([&ioc] { ioc.run(); });
    ioc.run();
    for (auto& t : pool) t.join();
    dispatcher.stop();
    spdlog::info("stopped");
    return 0;
}

}  // namespace opas::webhooks
