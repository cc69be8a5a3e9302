#pragma once
// Awaitable bridges from coroutines to the dispatcher's writer thread. The completion runs
// back on the awaiting coroutine's executor.

#include <memory>
#include <utility>
#include <vector>

#include "bot/dispatcher.hpp"
#include "webhooks/net.hpp"

namespace opas::webhooks {

namespace detail {
template <class Handler>
bot::dispatcher::done_fn resume_on_own_executor(Handler&& handler) {
    auto ex = net::get_associated_executor(handler);
    auto h = std::make_shared<std::decay_t<Handler>>(std::forward<Handler>(handler));
    return [h, ex](bool ok) { net::post(ex, [h, ok]() mutable { std::move (*h)(ok); }); };
}
}  // namespace detail

// Commits the events as one job; completes with true once durably stored.
inline net::awaitable<bool> async_submit(bot::dispatcher& d, std::vector<bot::inbound> events) {
    auto initiate = [&d](auto handler, std::vector<bot::inbound> evs) {
        d.submit(std::move(evs), detail::resume_on_own_executor(std::move(handler)));
    };
    return net::async_initiate<const net::use_awaitable_t<>, void(bool)>(
        std::move(initiate), net::use_awaitable, std::move(events));
}

// Runs storage work on the writer thread; completes with its result after the commit.
inline net::awaitable<bool> async_post(bot::dispatcher& d, bot::dispatcher::work_fn work) {
    auto initiate = [&d](auto handler, bot::dispatcher::work_fn w) {
        d.post(std::move(w), detail::resume_on_own_executor(std::move(handler)));
    };
    return net::async_initiate<const net::use_awaitable_t<>, void(bool)>(
        std::move(initiate), net::use_awaitable, std::move(work));
}

}  // namespace opas::webhooks
