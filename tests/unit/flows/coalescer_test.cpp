// flows::Coalescer (src/flows/coalescer.hpp): natural batching of one kind of call across the
// jobs running at once. The batch function here is a fake that records its batches and completes
// when the test opens a gate, so the test decides what is in flight (no sleeps, no wall clock).
#include "common/coalescer.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace clarity::flows {
namespace {

namespace asio = boost::asio;
using namespace asio::experimental::awaitable_operators;

/// A batch function whose calls stay in flight until release() is called.
struct Backend {
    explicit Backend(asio::io_context& io) : gate(io) {
        gate.expires_at(asio::steady_timer::time_point::max());
    }
    asio::awaitable<std::vector<Result<int>>> run(std::vector<int> reqs) {
        batches.push_back(reqs);
        co_await gate.async_wait(asio::as_tuple(asio::use_awaitable));
        std::vector<Result<int>> out;
        for (int r : reqs) {
            if (r < 0) {
                out.emplace_back(Error{ErrorKind::permanent, "refused " + std::to_string(r)});
            } else {
                out.emplace_back(r * 10);
            }
        }
        co_return out;
    }
    void release() {
        gate.cancel();  // wakes every call in flight; later calls wait for the next release
        gate.expires_at(asio::steady_timer::time_point::max());
    }
    asio::steady_timer gate;
    std::vector<std::vector<int>> batches;
};

struct Batching : ::testing::Test {
    asio::io_context io;
    Backend backend{io};
    Coalescer<int, int> c{"test calls",
                          [this](std::vector<int> r) { return backend.run(std::move(r)); }, 3};
    std::map<int, Result<int>> results;

    void submit(int req) {
        asio::co_spawn(
            io,
            [](Batching* f, int r) -> asio::awaitable<void> {
                auto op = f->c.submit(r);
                auto res = co_await std::move(op);
                f->results.insert_or_assign(r, std::move(res));
            }(this, req),
            asio::detached);
    }
    void settle() {
        io.restart();
        io.poll();
    }
};

TEST_F(Batching, AloneARequestGoesOutAtOnceAsItsOwnCall) {
    submit(1);
    settle();
    ASSERT_EQ(backend.batches.size(), 1u);
    EXPECT_EQ(backend.batches[0], std::vector<int>{1});
    backend.release();
    settle();
    ASSERT_EQ(results.count(1), 1u);
    EXPECT_EQ(results.at(1).value(), 10);
    EXPECT_EQ(c.batches(), 1u);
}

// Jobs released together by a batch of another kind reach the next coalescer in the same turn of
// the io_context: the first of them waits that turn, so they go out as one call, not 1 + the rest.
TEST_F(Batching, RequestsOfTheSameTurnGoOutTogether) {
    submit(1);
    submit(2);
    submit(3);
    settle();
    ASSERT_EQ(backend.batches.size(), 1u);
    EXPECT_EQ(backend.batches[0], (std::vector<int>{1, 2, 3}));
    backend.release();
    settle();
    ASSERT_EQ(results.size(), 3u);
    EXPECT_EQ(results.at(3).value(), 30);
}

TEST_F(Batching, RequestsArrivingWhileOneIsInFlightGoOutTogetherUpToTheMaximum) {
    submit(1);
    settle();
    for (int r : {2, 3, 4, 5}) submit(r);
    settle();
    ASSERT_EQ(backend.batches.size(), 1u) << "the others wait for the call in flight";
    backend.release();
    settle();
    // The first waiting request leads the next call with as many as fit (max 3).
    ASSERT_EQ(backend.batches.size(), 2u);
    EXPECT_EQ(backend.batches[1], (std::vector<int>{2, 3, 4}));
    EXPECT_EQ(results.size(), 1u);
    backend.release();
    settle();
    ASSERT_EQ(backend.batches.size(), 3u);
    EXPECT_EQ(backend.batches[2], std::vector<int>{5});
    backend.release();
    settle();
    ASSERT_EQ(results.size(), 5u);
    for (int r = 1; r <= 5; ++r) EXPECT_EQ(results.at(r).value(), r * 10) << r;
    EXPECT_EQ(c.batches(), 3u);
    EXPECT_EQ(c.requests(), 5u);
    // Idle again: the next request goes out at once.
    submit(6);
    settle();
    EXPECT_EQ(backend.batches.size(), 4u);
}

TEST_F(Batching, EachRequestGetsItsOwnResult) {
    submit(1);
    settle();
    submit(-2);
    submit(3);
    settle();
    backend.release();
    settle();
    backend.release();
    settle();
    ASSERT_EQ(results.size(), 3u);
    ASSERT_FALSE(results.at(-2));
    EXPECT_EQ(results.at(-2).error().message, "refused -2");
    EXPECT_EQ(results.at(3).value(), 30);
}

TEST_F(Batching, AWaiterCancelledByItsDeadlineLeavesAndTheOthersAreServed) {
    submit(1);
    settle();
    submit(2);
    // Request 3 races a timer that has already expired (its job's deadline).
    asio::steady_timer deadline(io);
    deadline.expires_at(asio::steady_timer::time_point::min());
    std::optional<Result<int>> three;
    asio::co_spawn(
        io,
        [](Coalescer<int, int>* c, asio::steady_timer* t,
           std::optional<Result<int>>* out) -> asio::awaitable<void> {
            auto op = c->submit(3);
            auto waited = t->async_wait(asio::as_tuple(asio::use_awaitable));
            auto either = co_await (std::move(op) || std::move(waited));
            if (either.index() == 0) *out = std::move(std::get<0>(either));
        }(&c, &deadline, &three),
        asio::detached);
    settle();
    EXPECT_FALSE(three.has_value()) << "the deadline won";
    backend.release();
    settle();
    ASSERT_EQ(backend.batches.size(), 2u);
    EXPECT_EQ(backend.batches[1], std::vector<int>{2}) << "the cancelled request left the queue";
    backend.release();
    settle();
    EXPECT_EQ(results.at(2).value(), 20);
    submit(4);
    settle();
    EXPECT_EQ(backend.batches.size(), 3u) << "nobody is stuck leading";
}

}  // namespace
}  // namespace clarity::flows
