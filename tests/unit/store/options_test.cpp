#include <gtest/gtest.h>

#include "store_fixture.hpp"

namespace clarity::store {
namespace {

using namespace std::chrono_literals;

TEST(StoreOptions, SpecDeclaresEveryKeyWithDefaults) {
    const auto spec = store_config_spec();
    for (auto key : {"path", "durability", "busy_timeout", "retention", "done_retention", "lease",
                     "max_size_mb", "retry"}) {
        EXPECT_NE(spec.find(key), nullptr) << key;
    }
    EXPECT_EQ(spec.find("durability")->default_value, "full");
    EXPECT_EQ(spec.find("retention")->default_value, "30d");
    EXPECT_EQ(spec.find("retry")->children.size(), retry_policy_spec().keys().size());
}

TEST(StoreOptions, FromConfigReadsEveryKey) {
    core::ConfigNode retry("store.retry");
    retry.set("base", "2s").set("cap", "1m").set("max_attempts", "4");
    core::ConfigNode node("store");
    node.set("path", "/var/lib/clarity/q.db")
        .set("durability", "normal")
        .set("busy_timeout", "250ms")
        .set("retention", "7d")
        .set("done_retention", "10m")
        .set("lease", "30s")
        .set("max_size_mb", "512")
        .set_section("retry", retry);
    const auto o = store_options_from_config(node);
    EXPECT_EQ(o.path, "/var/lib/clarity/q.db");
    EXPECT_EQ(o.durability, Durability::normal);
    EXPECT_EQ(o.busy_timeout, 250ms);
    EXPECT_EQ(o.retention, std::chrono::hours{24 * 7});
    EXPECT_EQ(o.done_retention, 10min);
    EXPECT_EQ(o.lease, 30s);
    EXPECT_EQ(o.max_size_mb, 512);
    EXPECT_EQ(o.default_retry.base, 2s);
    EXPECT_EQ(o.default_retry.cap, 1min);
    EXPECT_EQ(o.default_retry.max_attempts, 4);
}

TEST(StoreOptions, DefaultsWhenKeysAreAbsent) {
    const auto o = store_options_from_config(core::ConfigNode("store"));
    EXPECT_EQ(o.durability, Durability::full);
    EXPECT_EQ(o.retention, std::chrono::hours{24 * 30});
}

TEST(StoreOptions, RejectsInconsistentValues) {
    core::ConfigNode bad("flows.order_import.retry");
    bad.set("base", "10s").set("cap", "1s");
    EXPECT_THROW(core::backoff_from_config(bad), core::ConfigError);
    core::ConfigNode zero("r");
    zero.set("max_attempts", "0");
    EXPECT_THROW(core::backoff_from_config(zero), core::ConfigError);
    core::ConfigNode dur("store");
    dur.set("durability", "sometimes");
    EXPECT_THROW(store_options_from_config(dur), core::ConfigError);
}

TEST(JobStates, RoundTripNames) {
    for (auto s :
         {JobState::ready, JobState::leased, JobState::waiting, JobState::done, JobState::dead}) {
        EXPECT_EQ(parse_job_state(to_string(s)), s);
    }
    EXPECT_FALSE(parse_job_state("finished"));
}

}  // namespace
}  // namespace clarity::store
