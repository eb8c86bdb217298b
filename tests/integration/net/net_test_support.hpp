#pragma once
// Helpers shared by the net integration tests: run a coroutine to completion, gzip a string.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <exception>
#include <optional>
#include <string>
#include <utility>

namespace clarity::net::test {

/// Runs `aw` on `ioc` (in this thread) until it and everything it started finished.
template <class T>
T run(boost::asio::io_context& ioc, boost::asio::awaitable<T> aw) {
    std::optional<T> out;
    std::exception_ptr error;
    boost::asio::co_spawn(ioc, std::move(aw), [&](std::exception_ptr e, T value) {
        error = e;
        if (!e) out.emplace(std::move(value));
    });
    ioc.restart();
    ioc.run();
    if (error) std::rethrow_exception(error);
    return std::move(*out);
}

/// gzip (RFC 1952) of `text`.
std::string gzip(const std::string& text);

}  // namespace clarity::net::test
