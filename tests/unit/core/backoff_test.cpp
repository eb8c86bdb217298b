#include "clarity/core/backoff.hpp"

#include <gtest/gtest.h>

namespace clarity::core {
namespace {

using namespace std::chrono_literals;

// Answers lo + (hi - lo) * fraction and remembers the range it was asked for.
class ScriptedJitter final : public Random {
  public:
    std::uint64_t uniform(std::uint64_t lo, std::uint64_t hi) override {
        last_hi = hi;
        return lo + static_cast<std::uint64_t>(static_cast<double>(hi - lo) * fraction);
    }
    double fraction = 1.0;
    std::uint64_t last_hi = 0;
};

TEST(BackoffPolicy, FullJitterBetweenZeroAndTheCappedExponential) {
    ScriptedJitter r;
    const BackoffPolicy p{.base = 500ms, .cap = 5s, .max_attempts = 20};
    EXPECT_EQ(p.delay(1, r), 500ms);
    EXPECT_EQ(p.delay(2, r), 1000ms);
    EXPECT_EQ(p.delay(4, r), 4000ms);
    EXPECT_EQ(p.delay(5, r), 5000ms);
    EXPECT_EQ(p.delay(60, r), 5000ms) << "no overflow for large attempts";
    EXPECT_EQ(p.delay(std::numeric_limits<int>::max(), r), 5000ms);
    r.fraction = 0.0;
    EXPECT_EQ(p.delay(3, r), 0ms);
    EXPECT_EQ(r.last_hi, 2000u) << "the range is [0, ceiling]: full jitter";
    EXPECT_EQ(p.delay(3, r, 30s), 30000ms) << "retry_after wins when larger";
    r.fraction = 1.0;
    EXPECT_EQ(p.delay(3, r, 1s), 2000ms) << "jitter wins when larger";
}

TEST(BackoffPolicy, SpreadsDelaysWithARealSource) {
    DefaultRandom random(7);
    const BackoffPolicy p{.base = 100ms, .cap = 5s, .max_attempts = 20};
    for (int attempt = 1; attempt < 20; ++attempt) {
        const auto ceiling =
            std::min<std::chrono::milliseconds>(5s, 100ms * (1LL << (attempt - 1)));
        std::chrono::milliseconds lo = ceiling, hi = 0ms;
        for (int i = 0; i < 300; ++i) {
            const auto d = p.delay(attempt, random);
            ASSERT_GE(d, 0ms);
            ASSERT_LE(d, ceiling);
            lo = std::min(lo, d);
            hi = std::max(hi, d);
        }
        if (attempt >= 4) {
            EXPECT_LT(lo, ceiling / 2) << "attempt " << attempt;
            EXPECT_GT(hi, ceiling / 2) << "attempt " << attempt;
        }
    }
}

TEST(BackoffPolicy, CountsTriesIncludingTheFirst) {
    const BackoffPolicy p{.base = 1s, .cap = 1s, .max_attempts = 3};
    EXPECT_TRUE(p.may_retry(0));
    EXPECT_TRUE(p.may_retry(2));
    EXPECT_FALSE(p.may_retry(3));
}

TEST(BackoffPolicy, ConfigKeysDefaultsAndChecks) {
    const BackoffPolicy defaults{.base = 1s, .cap = 15min, .max_attempts = 10};
    const auto spec = backoff_config_spec(defaults, "Attempts before giving up");
    EXPECT_EQ(spec.find("base")->default_value, "1s");
    EXPECT_EQ(spec.find("cap")->default_value, "15m");
    EXPECT_EQ(spec.find("max_attempts")->default_value, "10");
    EXPECT_EQ(spec.find("max_attempts")->description, "Attempts before giving up");

    ConfigNode node("store.retry");
    node.set("base", "250ms").set("max_attempts", "4");
    const auto p = backoff_from_config(node, defaults);
    EXPECT_EQ(p.base, 250ms);
    EXPECT_EQ(p.cap, 15min) << "absent keys keep the defaults";
    EXPECT_EQ(p.max_attempts, 4);

    ConfigNode bad("flows.order_import.retry");
    bad.set("base", "10s").set("cap", "1s");
    try {
        backoff_from_config(bad);
        FAIL() << "cap below base accepted";
    } catch (const ConfigError& e) {
        EXPECT_STREQ(e.what(), "flows.order_import.retry.cap: must not be less than base");
    }
    ConfigNode zero("r");
    zero.set("max_attempts", "0");
    EXPECT_THROW(backoff_from_config(zero), ConfigError);
    EXPECT_EQ(format_duration(1500ms), "1500ms");
    EXPECT_EQ(format_duration(2h), "2h");
}

}  // namespace
}  // namespace clarity::core
