#pragma once
// Runs one awaitable to completion on an io_context (tests only). A client keeps using the
// io_context of its first call (its limiter lives there), so reuse one context per client.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

namespace clarity::test {

template <class T>
T run_awaitable(boost::asio::io_context& ctx, boost::asio::awaitable<T> aw) {
    auto fut = boost::asio::co_spawn(ctx, std::move(aw), boost::asio::use_future);
    ctx.restart();
    ctx.run();
    return fut.get();
}

}  // namespace clarity::test
