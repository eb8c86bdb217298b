// The circuit breaker's state machine on a manual clock.
#include "clarity/net/circuit_breaker.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace clarity::net {
namespace {

using namespace std::chrono_literals;
using Outcome = CircuitBreaker::Outcome;

struct Fixture {
    ManualClock clock;
    core::MetricsRegistry metrics;
    CircuitBreaker breaker{
        clock, {.failure_threshold = 3, .open_for = 30s}, "us", "odoo", &metrics};

    void call(Outcome outcome) {
        auto p = breaker.admit();
        ASSERT_TRUE(p) << p.error().describe();
        p->settle(outcome, "HTTP 503");
    }
    bool rendered(const std::string& line) const {
        return metrics.render().find(line) != std::string::npos;
    }
};

TEST(CircuitBreaker, OpensAfterThresholdConsecutiveFailuresOnly) {
    Fixture f;
    f.call(Outcome::failure);
    f.call(Outcome::failure);
    f.call(Outcome::success);  // not consecutive: starts again
    f.call(Outcome::failure);
    f.call(Outcome::neutral);  // says nothing about the service
    f.call(Outcome::failure);
    EXPECT_EQ(f.breaker.state(), BreakerState::closed);
    EXPECT_TRUE(f.rendered("clarity_circuit_breaker_state{connection=\"us\",service=\"odoo\"} 0"));
    f.call(Outcome::failure);
    EXPECT_EQ(f.breaker.state(), BreakerState::open);
    EXPECT_TRUE(f.rendered("clarity_circuit_breaker_state{connection=\"us\",service=\"odoo\"} 2"));
    EXPECT_TRUE(
        f.rendered("clarity_circuit_breaker_opened_total{connection=\"us\",service=\"odoo\"} 1"));
}

TEST(CircuitBreaker, OpenRefusesWithUnavailableAndTheTimeLeft) {
    Fixture f;
    for (int i = 0; i < 3; ++i) f.call(Outcome::failure);
    f.clock.advance(12s + 300ms);
    auto refused = f.breaker.admit();
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().kind, ErrorKind::unavailable);
    EXPECT_TRUE(is_retryable(refused.error().kind));
    EXPECT_EQ(refused.error().retry_after, std::optional<std::chrono::seconds>(18s));
    EXPECT_EQ(refused.error().context, "odoo[us]");
    EXPECT_NE(refused.error().message.find("circuit open: odoo of connection us"),
              std::string::npos)
        << refused.error().message;
    EXPECT_NE(refused.error().message.find("3 calls in a row failed, the last: HTTP 503"),
              std::string::npos)
        << refused.error().message;
    EXPECT_NE(f.breaker.describe().find("open (next probe in 18 s"), std::string::npos)
        << f.breaker.describe();
}

TEST(CircuitBreaker, HalfOpenLetsExactlyOneProbeThroughAndItsSuccessCloses) {
    Fixture f;
    for (int i = 0; i < 3; ++i) f.call(Outcome::failure);
    f.clock.advance(30s);
    auto probe = f.breaker.admit();
    ASSERT_TRUE(probe);
    EXPECT_TRUE(probe->is_probe());
    EXPECT_EQ(f.breaker.state(), BreakerState::half_open);
    EXPECT_TRUE(f.rendered("clarity_circuit_breaker_state{connection=\"us\",service=\"odoo\"} 1"));
    auto second = f.breaker.admit();
    ASSERT_FALSE(second);
    EXPECT_EQ(second.error().kind, ErrorKind::unavailable);
    EXPECT_EQ(second.error().retry_after, std::optional<std::chrono::seconds>(1s));
    EXPECT_EQ(f.breaker.describe(), "half-open (one probe call in flight)");
    probe->settle(Outcome::success);
    EXPECT_EQ(f.breaker.state(), BreakerState::closed);
    EXPECT_EQ(f.breaker.describe(), "closed");
    auto next = f.breaker.admit();
    ASSERT_TRUE(next);
    EXPECT_FALSE(next->is_probe());
    // Closed again: it takes the whole threshold to open it once more.
    next->settle(Outcome::failure);
    f.call(Outcome::failure);
    EXPECT_EQ(f.breaker.state(), BreakerState::closed);
}

TEST(CircuitBreaker, AFailedProbeOpensItAgainForAnotherPeriod) {
    Fixture f;
    for (int i = 0; i < 3; ++i) f.call(Outcome::failure);
    f.clock.advance(31s);
    f.call(Outcome::failure);  // the probe
    EXPECT_EQ(f.breaker.state(), BreakerState::open);
    auto refused = f.breaker.admit();
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().retry_after, std::optional<std::chrono::seconds>(30s));
    EXPECT_NE(refused.error().message.find("the probe call failed"), std::string::npos);
    // Re-opening after a probe is not a new outage.
    EXPECT_TRUE(
        f.rendered("clarity_circuit_breaker_opened_total{connection=\"us\",service=\"odoo\"} 1"));
    f.clock.advance(30s);
    f.call(Outcome::success);
    EXPECT_EQ(f.breaker.state(), BreakerState::closed);
}

TEST(CircuitBreaker, ACancelledProbeCountsAsAFailureAndANeutralOneReleasesTheSlot) {
    Fixture f;
    for (int i = 0; i < 3; ++i) f.call(Outcome::failure);
    f.clock.advance(30s);
    {
        auto probe = f.breaker.admit();
        ASSERT_TRUE(probe);
    }  // destroyed unsettled: the call was cancelled
    EXPECT_EQ(f.breaker.state(), BreakerState::open);
    f.clock.advance(30s);
    f.call(Outcome::neutral);  // the probe says nothing: the next call probes
    EXPECT_EQ(f.breaker.state(), BreakerState::half_open);
    auto probe = f.breaker.admit();
    ASSERT_TRUE(probe);
    EXPECT_TRUE(probe->is_probe());
    probe->settle(Outcome::success);
    EXPECT_EQ(f.breaker.state(), BreakerState::closed);
}

TEST(CircuitBreaker, OutcomesOfCallsAdmittedBeforeItOpenedAreIgnored) {
    Fixture f;
    auto slow = f.breaker.admit();  // in flight while the circuit opens
    ASSERT_TRUE(slow);
    for (int i = 0; i < 3; ++i) f.call(Outcome::failure);
    slow->settle(Outcome::success);  // stale: does not close the circuit
    EXPECT_EQ(f.breaker.state(), BreakerState::open);
    f.clock.advance(30s);
    auto probe = f.breaker.admit();
    ASSERT_TRUE(probe);
    auto stale = f.breaker.admit();
    EXPECT_FALSE(stale);
    probe->settle(Outcome::success);
    EXPECT_EQ(f.breaker.state(), BreakerState::closed);
}

TEST(CircuitBreaker, ManyThreadsAdmitOneProbeAtATime) {
    Fixture f;
    for (int i = 0; i < 3; ++i) f.call(Outcome::failure);
    f.clock.advance(30s);
    std::atomic<int> probes{0};
    std::vector<std::thread> threads;
    std::mutex m;
    std::vector<CircuitBreaker::Permit> permits;
    for (int t = 0; t < 8; ++t) {
        threads.emplace_back([&] {
            for (int i = 0; i < 100; ++i) {
                auto p = f.breaker.admit();
                if (!p) continue;
                ++probes;
                std::lock_guard lock(m);
                permits.push_back(std::move(*p));
            }
        });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(probes.load(), 1);
    permits.front().settle(Outcome::success);
    EXPECT_EQ(f.breaker.state(), BreakerState::closed);
}

TEST(CircuitBreakerConfig, DefaultsAndLimits) {
    const CircuitBreakerOptions defaults;
    EXPECT_EQ(defaults.failure_threshold, 5);
    EXPECT_EQ(defaults.open_for, 30s);
    const auto spec = circuit_breaker_config_spec();
    ASSERT_EQ(spec.keys().size(), 2u);
    EXPECT_EQ(spec.keys()[0].default_value, std::optional<std::string>("5"));
    EXPECT_EQ(spec.keys()[1].default_value, std::optional<std::string>("30s"));
}

TEST(CircuitBreakerConfig, ReadsTheSectionAndRefusesValuesOutOfRange) {
    core::ConfigNode node("circuit_breaker");
    node.set("failure_threshold", "3");
    node.set("open_for", "10s");
    const auto o = circuit_breaker_options_from_config(node);
    EXPECT_EQ(o.failure_threshold, 3);
    EXPECT_EQ(o.open_for, 10s);
    core::ConfigNode zero("circuit_breaker");
    zero.set("failure_threshold", "0");
    zero.set("open_for", "10s");
    EXPECT_THROW(circuit_breaker_options_from_config(zero), core::ConfigError);
    core::ConfigNode instant("circuit_breaker");
    instant.set("failure_threshold", "5");
    instant.set("open_for", "0s");
    EXPECT_THROW(circuit_breaker_options_from_config(instant), core::ConfigError);
}

}  // namespace
}  // namespace clarity::net
