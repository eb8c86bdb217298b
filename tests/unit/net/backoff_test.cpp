#include "clarity/net/backoff.hpp"

#include <gtest/gtest.h>

using namespace std::chrono_literals;
using clarity::ErrorKind;
using clarity::ManualClock;
using clarity::net::BreakerState;
using clarity::net::CircuitBreakerOptions;
using clarity::net::CircuitBreakers;

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
