#include "clarity/net/backoff.hpp"

#include <gtest/gtest.h>

using namespace std::chrono_literals;
using clarity::DefaultRandom;
using clarity::ErrorKind;
using clarity::ManualClock;
using clarity::net::Backoff;
using clarity::net::BackoffOptions;
using clarity::net::BackoffPolicy;
using clarity::net::BreakerState;
using clarity::net::CircuitBreakerOptions;
using clarity::net::CircuitBreakers;

TEST(BackoffPolicy, DelaysStayWithinBaseAndTheGrowingCeiling) {
    DefaultRandom random(7);
    BackoffPolicy policy({.base = 100ms, .cap = 5s, .max_attempts = 20, .max_elapsed = 1000h},
                         random);
    for (int attempt = 1; attempt < 20; ++attempt) {
        const auto ceiling =
            std::min<std::chrono::milliseconds>(5s, 100ms * (1LL << (attempt - 1)));
        std::chrono::milliseconds lo = ceiling, hi = 0ms;
        for (int i = 0; i < 300; ++i) {
            auto d = policy.next_delay(attempt, 0ms);
            ASSERT_TRUE(d);
            ASSERT_GE(*d, 100ms);
            ASSERT_LE(*d, ceiling);
            lo = std::min(lo, *d);
            hi = std::max(hi, *d);
        }
        if (attempt >= 4) {
            EXPECT_LT(lo, ceiling / 2) << "full jitter spreads delays, attempt " << attempt;
            EXPECT_GT(hi, ceiling / 2);
        }
    }
}

TEST(BackoffPolicy, ALargerRetryAfterWins) {
    DefaultRandom random(1);
    BackoffPolicy policy({.base = 100ms, .cap = 1s, .max_attempts = 5, .max_elapsed = 1h}, random);
    EXPECT_EQ(policy.next_delay(1, 0ms, 30s), std::optional<std::chrono::milliseconds>(30s));
    auto small = policy.next_delay(3, 0ms, 0s);
    ASSERT_TRUE(small);
    EXPECT_LE(*small, 400ms);
}

TEST(BackoffPolicy, GivesUpAfterMaxAttemptsOrMaxElapsed) {
    DefaultRandom random(1);
    BackoffPolicy policy({.base = 100ms, .cap = 1s, .max_attempts = 3, .max_elapsed = 10s}, random);
    EXPECT_TRUE(policy.next_delay(1, 0ms));
    EXPECT_TRUE(policy.next_delay(2, 0ms));
    EXPECT_FALSE(policy.next_delay(3, 0ms));
    EXPECT_FALSE(policy.next_delay(1, 9950ms + 1s));
    EXPECT_FALSE(policy.next_delay(1, 0ms, 11s));  // Retry-After beyond the budget
}

TEST(Backoff, MeasuresElapsedTimeOnTheInjectedClock) {
    DefaultRandom random(3);
    ManualClock clock;
    BackoffPolicy policy({.base = 1s, .cap = 1s, .max_attempts = 100, .max_elapsed = 5s}, random);
    Backoff backoff(policy, clock);
    int retries = 0;
    while (auto d = backoff.next()) {
        ++retries;
        clock.advance(*d);
    }
    EXPECT_EQ(retries, 5);
    EXPECT_EQ(backoff.attempts(), 6);
    backoff.reset();
    EXPECT_TRUE(backoff.next());
}

TEST(CircuitBreaker, OpensAfterConsecutiveFailuresAndProbesOnceWhenHalfOpen) {
    ManualClock clock;
    clarity::core::MetricsRegistry registry;
    CircuitBreakers breakers(clock, {.failure_threshold = 3, .open_for = 30s}, &registry);
    EXPECT_TRUE(breakers.allow("sp-api"));
    breakers.on_failure("sp-api");
    breakers.on_failure("sp-api");
    breakers.on_success("sp-api");  // not consecutive
    breakers.on_failure("sp-api");
    breakers.on_failure("sp-api");
    EXPECT_EQ(breakers.state("sp-api"), BreakerState::closed);
    breakers.on_failure("sp-api");
    EXPECT_EQ(breakers.state("sp-api"), BreakerState::open);
    EXPECT_FALSE(breakers.allow("sp-api"));
    auto e = breakers.open_error("sp-api");
    EXPECT_EQ(e.kind, ErrorKind::transient);
    EXPECT_EQ(e.retry_after, std::optional<std::chrono::seconds>(30s));
    EXPECT_TRUE(breakers.allow("odoo"));  // per key

    clock.advance(30s);
    EXPECT_TRUE(breakers.allow("sp-api"));  // the probe
    EXPECT_EQ(breakers.state("sp-api"), BreakerState::half_open);
    EXPECT_FALSE(breakers.allow("sp-api"));  // only one probe
    breakers.on_failure("sp-api");
    EXPECT_EQ(breakers.state("sp-api"), BreakerState::open);
    EXPECT_FALSE(breakers.allow("sp-api"));

    clock.advance(30s);
    EXPECT_TRUE(breakers.allow("sp-api"));
    breakers.on_success("sp-api");
    EXPECT_EQ(breakers.state("sp-api"), BreakerState::closed);
    EXPECT_TRUE(breakers.allow("sp-api"));
    EXPECT_NE(registry.render().find("clarity_circuit_breaker_state{key=\"sp-api\"} 0"),
              std::string::npos);
}
