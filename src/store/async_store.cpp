#include "clarity/store/async_store.hpp"

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <exception>

namespace clarity::store {

namespace asio = boost::asio;

struct AsyncStore::Worker {
    asio::thread_pool pool{1};
};

namespace {

// A named initiation (not a capturing lambda in a co_await expression: g++ 12 double-destroys
// such captures, see ../shared/docs/STYLE.md). Runs fn on the store thread, then completes the
// handler on the caller's executor with the exception, if any.
struct RunOnStoreThread {
    template <class Handler>
    void operator()(Handler handler,
                    asio::thread_pool* pool,
                    Store* store,
                    std::function<void(Store&)> fn) const {
        auto ex = asio::get_associated_executor(handler);
        asio::post(*pool, [handler = std::move(handler), ex, store, fn = std::move(fn)]() mutable {
            std::exception_ptr error;
            try {
                fn(*store);
            } catch (...) {
                error = std::current_exception();
            }
            asio::post(
                ex, [handler = std::move(handler), error]() mutable { std::move(handler)(error); });
        });
    }
};

}  // namespace

AsyncStore::AsyncStore(Store& store) : store_(store), worker_(std::make_unique<Worker>()) {}

AsyncStore::~AsyncStore() { worker_->pool.join(); }

asio::awaitable<void> AsyncStore::run(std::function<void(Store&)> fn) {
    // use_awaitable with a void(std::exception_ptr) signature rethrows a non-null exception.
    co_await asio::async_initiate<const asio::use_awaitable_t<>&, void(std::exception_ptr)>(
        RunOnStoreThread{}, asio::use_awaitable, &worker_->pool, &store_, std::move(fn));
}

}  // namespace clarity::store
