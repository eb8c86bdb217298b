// The `triggers.orders` section: defaults, and values the sweep cannot work with.
#include <gtest/gtest.h>

#include "clarity/flows/order_triggers.hpp"

namespace clarity::flows {
namespace {

using namespace std::chrono_literals;

// A node as the loader builds it: every declared default applied, then `overrides`.
core::ConfigNode node(const std::map<std::string, std::string>& overrides = {}) {
    core::ConfigNode n("connections[0].triggers.orders");
    const auto spec = order_triggers_config_spec();
    for (const auto& key : spec.keys()) {
        if (key.default_value) n.set(key.name, *key.default_value);
    }
    for (const auto& [k, v] : overrides) n.set(k, v);
    return n;
}

TEST(OrderTriggerOptions, DefaultsFollowTheFlowSwitchAndSweepEveryTenMinutes) {
    const auto o = order_trigger_options_from_config(node());
    EXPECT_FALSE(o.enabled.has_value());
    EXPECT_TRUE(o.notifications);
    EXPECT_TRUE(o.sweep);
    EXPECT_EQ(o.sweep_interval, 10min);
    EXPECT_EQ(o.sweep_overlap, 5min);
    EXPECT_EQ(o.initial_lookback, 24h);
    EXPECT_EQ(o.page_size, 100);
}

TEST(OrderTriggerOptions, ExplicitSwitchIsKept) {
    EXPECT_EQ(order_trigger_options_from_config(node({{"enabled", "true"}})).enabled, true);
    EXPECT_EQ(order_trigger_options_from_config(node({{"enabled", "false"}})).enabled, false);
}

TEST(OrderTriggerOptions, RejectsValuesTheSweepCannotUse) {
    auto message = [](std::map<std::string, std::string> o) -> std::string {
        try {
            order_trigger_options_from_config(node(o));
        } catch (const core::ConfigError& e) {
            return e.what();
        }
        return "accepted";
    };
    EXPECT_EQ(message({{"page_size", "101"}}),
              "connections[0].triggers.orders.page_size: must be 1-100");
    EXPECT_EQ(message({{"max_pages", "0"}}),
              "connections[0].triggers.orders.max_pages: must be at least 1");
    EXPECT_EQ(message({{"sweep_retry_delay", "20m"}}),
              "connections[0].triggers.orders.sweep_retry_delay: must be > 0 and not above "
              "sweep_interval");
    EXPECT_EQ(message({{"sweep_interval", "0s"}, {"sweep_retry_delay", "0s"}}),
              "connections[0].triggers.orders.sweep_interval: must be > 0");
}

}  // namespace
}  // namespace clarity::flows
