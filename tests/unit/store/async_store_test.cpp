#include "clarity/store/async_store.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <stdexcept>
#include <thread>

#include "store_fixture.hpp"

namespace clarity::store {
namespace {

namespace asio = boost::asio;

struct Observed {
    std::thread::id io_thread;
    std::thread::id store_thread;
    std::thread::id resumed_on;
    std::size_t claimed = 0;
    bool rethrown = false;
};

asio::awaitable<void> drive(AsyncStore& async, Observed& seen) {
    seen.io_thread = std::this_thread::get_id();
    std::function<Result<EnqueueResult>(Store&)> enqueue = [&seen](Store& s) {
        seen.store_thread = std::this_thread::get_id();
        return s.enqueue(test::job("async-1"));
    };
    auto r = co_await async.call(std::move(enqueue));
    seen.resumed_on = std::this_thread::get_id();
    if (!r) co_return;
    std::function<Result<std::vector<ClaimedJob>>(Store&)> claim = [](Store& s) {
        return s.claim(8);
    };
    auto c = co_await async.call(std::move(claim));
    seen.claimed = c ? c->size() : 0;
    std::function<void(Store&)> boom = [](Store&) { throw std::runtime_error("boom"); };
    try {
        co_await async.run(std::move(boom));
    } catch (const std::runtime_error&) {
        seen.rethrown = true;
    }
}

TEST(AsyncStore, RunsCallsOnTheStoreThreadAndResumesOnTheCaller) {
    test::StoreFixture f;
    auto& store = f.open();
    AsyncStore async(store);
    asio::io_context io;
    Observed seen;
    std::exception_ptr failure;
    asio::co_spawn(io, drive(async, seen), [&](std::exception_ptr e) { failure = e; });
    io.run();
    ASSERT_FALSE(failure);
    EXPECT_NE(seen.store_thread, seen.io_thread);
    EXPECT_EQ(seen.resumed_on, seen.io_thread);
    EXPECT_EQ(seen.claimed, 1u);
    EXPECT_TRUE(seen.rethrown);
}

}  // namespace
}  // namespace clarity::store
