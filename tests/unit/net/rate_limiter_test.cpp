#include "clarity/net/rate_limiter.hpp"

#include <gtest/gtest.h>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <cmath>
#include <random>

using namespace std::chrono_literals;
namespace asio = boost::asio;
using clarity::ErrorKind;
using clarity::ManualClock;
using clarity::Result;
using clarity::net::RateLimit;
using clarity::net::RateLimiter;

namespace {

struct Params {
    double rate;
    double burst;
};

}  // namespace

class RateLimiterProperty : public ::testing::TestWithParam<Params> {};

TEST_P(RateLimiterProperty, GrantsAtMostBurstPlusRateTimesWindowAndNearlyAllOfItWhenSaturated) {
    const auto [rate, burst] = GetParam();
    ManualClock clock;
    RateLimiter limiter(clock, {rate, burst});
    // A saturated caller: it takes every free token, then (like a waiter woken by its timer)
    // comes back either exactly when the next token exists or earlier, at a random time.
    std::mt19937_64 rng(42);
    std::uniform_int_distribution<std::int64_t> early_ns(0, 400'000'000);
    std::bernoulli_distribution come_early(0.5);
    std::vector<double> grants;  // seconds since start
    double now = 0;
    const double total = 600;
    while (now < total) {
        while (limiter.try_acquire("k")) grants.push_back(now);
        const double missing = 1.0 - limiter.available("k");
        auto until_token = static_cast<std::int64_t>(std::ceil(missing / rate * 1e9));
        auto step = come_early(rng) ? std::min(until_token, early_ns(rng)) : until_token;
        step = std::max<std::int64_t>(step, 1);
        clock.advance(std::chrono::nanoseconds(step));
        now += static_cast<double>(step) / 1e9;
    }
    // Saturated from a full bucket: burst + rate * T grants minus less than one token, and what
    // accrued after the last poll.
    const double ideal = burst + rate * total;
    EXPECT_GE(static_cast<double>(grants.size()), 0.99 * ideal);
    EXPECT_LE(static_cast<double>(grants.size()), ideal + 1e-9);
    for (double window : {0.0, 0.25, 1.0, 3.0, 10.0, 60.0}) {
        std::size_t j = 0;
        for (std::size_t i = 0; i < grants.size(); ++i) {
            if (j < i) j = i;
            while (j < grants.size() && grants[j] <= grants[i] + window + 1e-9) ++j;
            const double count = static_cast<double>(j - i);
            ASSERT_LE(count, burst + rate * window + 1e-6)
                << "window " << window << " starting at " << grants[i];
        }
    }
}

INSTANTIATE_TEST_SUITE_P(Rates,
                         RateLimiterProperty,
                         ::testing::Values(Params{1.0, 1.0},
                                           Params{0.0167, 1.0},
                                           Params{2.0, 30.0},
                                           Params{20.0, 5.0},
                                           Params{0.5, 15.0}));

namespace {

asio::awaitable<void> take(RateLimiter& limiter,
                           std::vector<int>* order,
                           int id,
                           std::optional<Result<void>>* out,
                           std::optional<std::chrono::milliseconds> max_wait) {
    auto r = co_await limiter.acquire("k", max_wait);
    if (r) order->push_back(id);
    *out = r;
}

void spawn(asio::io_context& ioc,
           RateLimiter& limiter,
           std::vector<int>& order,
           int id,
           std::optional<Result<void>>& out,
           std::optional<std::chrono::milliseconds> max_wait = std::nullopt) {
    asio::co_spawn(ioc, take(limiter, &order, id, &out, max_wait), [](std::exception_ptr e) {
        if (e) std::rethrow_exception(e);
    });
}

/// Runs every handler that is ready now (the io_context stops whenever it runs out of work).
void drain(asio::io_context& ioc) {
    ioc.restart();
    ioc.poll();
}

}  // namespace

TEST(RateLimiter, ServesWaitersInOrderAndAppliesRateChanges) {
    ManualClock clock;
    RateLimiter limiter(clock, {1.0, 1.0});
    asio::io_context ioc;
    std::vector<int> order;
    std::optional<Result<void>> r0, r1, r2, r3;
    spawn(ioc, limiter, order, 0, r0);
    drain(ioc);
    ASSERT_TRUE(r0 && *r0);  // the burst token
    spawn(ioc, limiter, order, 1, r1);
    spawn(ioc, limiter, order, 2, r2);
    spawn(ioc, limiter, order, 3, r3);
    drain(ioc);
    EXPECT_EQ(limiter.waiting("k"), 3u);
    EXPECT_FALSE(limiter.try_acquire("k"));  // waiters come first

    clock.advance(1s);
    limiter.poke();
    drain(ioc);
    EXPECT_EQ(order, (std::vector<int>{0, 1}));

    limiter.configure("k", {10.0, 1.0});  // e.g. from x-amzn-RateLimit-Limit
    clock.advance(100ms);
    limiter.poke();
    drain(ioc);
    EXPECT_EQ(order, (std::vector<int>{0, 1, 2}));
    clock.advance(100ms);
    limiter.poke();
    drain(ioc);
    EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3}));
    EXPECT_EQ(limiter.waiting("k"), 0u);
}

TEST(RateLimiter, CancellationFreesTheWaiterAndTheNextOneGetsTheToken) {
    ManualClock clock;
    RateLimiter limiter(clock, {1.0, 1.0});
    ASSERT_TRUE(limiter.try_acquire("k"));
    asio::io_context ioc;
    std::vector<int> order;
    std::optional<Result<void>> first, second;
    asio::cancellation_signal cancel;
    asio::co_spawn(ioc, take(limiter, &order, 1, &first, std::nullopt),
                   asio::bind_cancellation_slot(cancel.slot(), [](std::exception_ptr) {}));
    spawn(ioc, limiter, order, 2, second);
    drain(ioc);
    ASSERT_EQ(limiter.waiting("k"), 2u);
    cancel.emit(asio::cancellation_type::terminal);
    drain(ioc);
    ASSERT_TRUE(first.has_value());
    ASSERT_FALSE(*first);
    EXPECT_EQ(first->error().kind, ErrorKind::transient);
    EXPECT_EQ(limiter.waiting("k"), 1u);
    clock.advance(1s);
    limiter.poke();
    drain(ioc);
    ASSERT_TRUE(second && *second);
    EXPECT_EQ(order, (std::vector<int>{2}));
}

TEST(RateLimiter, GivesUpAtTheDeadlineWithRateLimited) {
    ManualClock clock;
    RateLimiter limiter(clock, {1.0, 1.0});
    ASSERT_TRUE(limiter.try_acquire("k"));
    asio::io_context ioc;
    std::vector<int> order;
    std::optional<Result<void>> r;
    spawn(ioc, limiter, order, 1, r, 500ms);
    drain(ioc);
    EXPECT_FALSE(r.has_value());
    clock.advance(600ms);
    limiter.poke();
    drain(ioc);
    ASSERT_TRUE(r.has_value());
    ASSERT_FALSE(*r);
    EXPECT_EQ(r->error().kind, ErrorKind::rate_limited);
    EXPECT_EQ(limiter.waiting("k"), 0u);
}

TEST(RateLimiter, A429DrainsTheBucketAndPausesTheKey) {
    ManualClock clock;
    RateLimiter limiter(clock, {1.0, 5.0});
    EXPECT_DOUBLE_EQ(limiter.available("k"), 5.0);
    limiter.on_429("k", 10s);
    EXPECT_FALSE(limiter.try_acquire("k"));
    clock.advance(9s);
    EXPECT_FALSE(limiter.try_acquire("k"));
    clock.advance(1500ms);  // 0.5 s after the pause: half a token
    EXPECT_FALSE(limiter.try_acquire("k"));
    clock.advance(500ms);
    EXPECT_TRUE(limiter.try_acquire("k"));
    EXPECT_FALSE(limiter.try_acquire("k"));
    EXPECT_TRUE(limiter.try_acquire("other"));  // keys are independent
}

TEST(RateLimiter, RestoredStateCannotBurstAfterARestart) {
    ManualClock clock;
    std::vector<clarity::net::BucketState> saved;
    {
        RateLimiter before(clock, {1.0, 10.0});
        before.configure("seller/searchOrders", {0.5, 10.0});
        for (int i = 0; i < 10; ++i) ASSERT_TRUE(before.try_acquire("seller/searchOrders"));
        before.on_429("seller/getOrder", 30s);
        saved = before.save();
    }
    clock.advance(2s);  // the restart took two seconds
    RateLimiter after(clock, {1.0, 10.0});
    after.restore(saved);
    EXPECT_TRUE(after.try_acquire("seller/searchOrders"));  // 2 s * 0.5/s = one token
    EXPECT_FALSE(after.try_acquire("seller/searchOrders"));
    EXPECT_FALSE(after.try_acquire("seller/getOrder"));  // still paused
    clock.advance(29s);
    EXPECT_TRUE(after.try_acquire("seller/getOrder"));
}

TEST(RateLimiter, RejectsInvalidLimits) {
    ManualClock clock;
    RateLimiter limiter(clock, {1.0, 1.0});
    EXPECT_THROW(limiter.configure("k", {0.0, 1.0}), std::invalid_argument);
    EXPECT_THROW(limiter.configure("k", {1.0, 0.5}), std::invalid_argument);
}

TEST(RateLimiter, PublishesTokenMetrics) {
    ManualClock clock;
    clarity::core::MetricsRegistry registry;
    RateLimiter limiter(clock, {1.0, 3.0}, &registry);
    ASSERT_TRUE(limiter.try_acquire("k"));
    const auto text = registry.render();
    EXPECT_NE(text.find("clarity_ratelimit_tokens_available{key=\"k\"} 2"), std::string::npos)
        << text;
}
