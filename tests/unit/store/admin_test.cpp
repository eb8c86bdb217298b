#include <gtest/gtest.h>

#include "store_fixture.hpp"

namespace clarity::store {
namespace {

using namespace std::chrono_literals;
using test::job;

class DeadLetters : public ::testing::Test, public test::StoreFixture {
  protected:
    void SetUp() override {
        open();
        // Three dead letters: two order_import (permanent, auth), one settlement (permanent).
        ASSERT_TRUE(store->enqueue(job("o1", "order-1")));
        ASSERT_TRUE(store->enqueue(job("o2")));
        ASSERT_TRUE(store->enqueue(job("s1", "", "settlement")));
        auto c = store->claim(3).value();
        ASSERT_EQ(c.size(), 3u);
        ASSERT_TRUE(store->fail(c[0].id, 1, make_error(ErrorKind::permanent, "unknown SKU")));
        ASSERT_TRUE(store->fail(c[1].id, 1, make_error(ErrorKind::auth, "invalid_grant")));
        ASSERT_TRUE(store->fail(c[2].id, 1, make_error(ErrorKind::permanent, "bad column")));
        ids = {c[0].id, c[1].id, c[2].id};
    }
    std::size_t dead_count() { return store->list_jobs({.state = JobState::dead})->size(); }
    std::vector<JobId> ids;
};

TEST_F(DeadLetters, ListFiltersByFlowAndErrorKind) {
    EXPECT_EQ(dead_count(), 3u);
    EXPECT_EQ(store->list_jobs({.state = JobState::dead, .flow = "settlement"})->size(), 1u);
    auto perm = store->list_jobs({.state = JobState::dead, .error_kind = "permanent"}).value();
    ASSERT_EQ(perm.size(), 2u);
    EXPECT_EQ(perm[0].last_error, "unknown SKU");
}

TEST_F(DeadLetters, ReplayOneRunsItAgainWithFreshAttempts) {
    EXPECT_EQ(*store->replay_dead(ids[0]), 1);
    EXPECT_EQ(*store->replay_dead(ids[0]), 0) << "no longer a dead letter";
    auto c = store->claim(10).value();
    ASSERT_EQ(c.size(), 1u);
    EXPECT_EQ(c[0].id, ids[0]);
    EXPECT_EQ(c[0].attempt, 1);
    EXPECT_EQ(dead_count(), 2u);
    EXPECT_EQ(store->audit(1)->at(0).action, "replay");
}

TEST_F(DeadLetters, ReplayedJobWaitsBehindItsEntity) {
    ASSERT_TRUE(store->enqueue(job("o1-v2", "order-1")));
    auto running = store->claim(1).value();
    ASSERT_EQ(running[0].idempotency_key, "o1-v2");
    ASSERT_EQ(*store->replay_dead(ids[0]), 1);
    EXPECT_TRUE(store->claim(1)->empty());
    ASSERT_TRUE(store->ack(running[0].id, 1));
    EXPECT_EQ(store->claim(1)->at(0).id, ids[0]);
}

TEST_F(DeadLetters, ReplayAllOfAFlowOrAnErrorKind) {
    EXPECT_EQ(*store->replay_dead_matching({.error_kind = "auth"}), 1);
    EXPECT_EQ(*store->replay_dead_matching({.flow = "settlement"}), 1);
    EXPECT_EQ(dead_count(), 1u);
    EXPECT_EQ(*store->replay_dead_matching({}), 1);
    EXPECT_EQ(dead_count(), 0u);
}

TEST_F(DeadLetters, PurgeDeletesButKeepsTheKeyKnown) {
    EXPECT_EQ(*store->purge_dead(ids[0]), 1);
    EXPECT_FALSE(store->show_job(ids[0]).value());
    EXPECT_EQ(raw_int("SELECT count(*) FROM attempts WHERE job_id = " + std::to_string(ids[0])), 0)
        << "history cascades";
    EXPECT_EQ(store->enqueue(job("o1", "order-1"))->outcome, EnqueueOutcome::duplicate);
    EXPECT_EQ(*store->purge_dead_matching({.flow = "order_import"}), 1);
    EXPECT_EQ(*store->purge_dead_matching({}), 1);
    EXPECT_EQ(dead_count(), 0u);
    EXPECT_EQ(*store->purge_dead(ids[1]), 0);
}

TEST_F(DeadLetters, StatsCountByFlowAndState) {
    ASSERT_TRUE(store->enqueue(job("new")));
    auto st = store->stats().value();
    std::int64_t ready = 0, dead = 0;
    for (const auto& r : st.by_flow_state) {
        if (r.state == JobState::ready) ready += r.count;
        if (r.state == JobState::dead) dead += r.count;
    }
    EXPECT_EQ(ready, 1);
    EXPECT_EQ(dead, 3);
    EXPECT_EQ(st.ledger_keys, 4);
    EXPECT_EQ(st.oldest_ready_age, std::chrono::milliseconds{0});
}

}  // namespace
}  // namespace clarity::store
