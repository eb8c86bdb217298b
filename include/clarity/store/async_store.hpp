#pragma once
/// \file
/// Awaitable facade over a `Store`: every call runs on one dedicated store thread, so coroutines
/// on the I/O threads never block on disk. Resumes the caller on its own executor.
///
/// Usage (named coroutine, by-value parameters, STYLE.md):
/// \code
///   std::function<Result<std::vector<store::ClaimedJob>>(store::Store&)> call =
///       [](store::Store& s) { return s.claim(32); };
///   auto jobs = co_await async_store.call(std::move(call));
/// \endcode

#include <boost/asio/awaitable.hpp>
#include <functional>
#include <memory>
#include <optional>

#include "clarity/store/store.hpp"

namespace clarity::store {

class AsyncStore {
  public:
    /// Starts the store thread. `store` must outlive this object.
    explicit AsyncStore(Store& store);
    /// Finishes queued calls, then joins the store thread.
    ~AsyncStore();
    AsyncStore(const AsyncStore&) = delete;
    AsyncStore& operator=(const AsyncStore&) = delete;

    /// Runs `fn(store)` on the store thread; an exception thrown by `fn` is rethrown here.
    boost::asio::awaitable<void> run(std::function<void(Store&)> fn);

    /// Runs `fn(store)` on the store thread and returns its value.
    template <class T>
    boost::asio::awaitable<T> call(std::function<T(Store&)> fn) {
        auto out = std::make_shared<std::optional<T>>();
        std::function<void(Store&)> wrapped = [fn = std::move(fn), out](Store& s) {
            out->emplace(fn(s));
        };
        co_await run(std::move(wrapped));
        co_return std::move(**out);
    }

    Store& store() noexcept { return store_; }

  private:
    struct Worker;
    Store& store_;
    std::unique_ptr<Worker> worker_;
};

}  // namespace clarity::store
