#include "clarity/flows/order_jobs.hpp"

#include <gtest/gtest.h>

namespace clarity::flows {
namespace {

TEST(OrderJobs, SameChangeFromAnyTriggerHasOneKey) {
    OrderJob from_sweep{.amazon_order_id = "902-1845936-5435065",
                        .change_time = "2026-11-01T10:05:00Z",
                        .source = "sweep"};
    OrderJob from_sqs{.amazon_order_id = "902-1845936-5435065",
                      .change_time = "2026-11-01T10:05:00.000Z",
                      .source = "notification",
                      .reference = "d0e9e693-c3ad-4373-979f-ed4ec98dd746"};
    auto a = make_order_job("eu", from_sweep);
    auto b = make_order_job("eu", from_sqs);
    ASSERT_TRUE(a && b);
    EXPECT_EQ(a->idempotency_key, b->idempotency_key);
    EXPECT_EQ(a->idempotency_key, "902-1845936-5435065@1793527500");
    EXPECT_EQ(a->entity_key, "902-1845936-5435065");
    EXPECT_EQ(a->flow, "order_import");
    EXPECT_EQ(a->connection, "eu");
}

TEST(OrderJobs, LaterChangeIsANewJob) {
    OrderJob first{.amazon_order_id = "A", .change_time = "2026-11-01T10:05:00Z"};
    OrderJob later{.amazon_order_id = "A", .change_time = "2026-11-01T10:06:00Z"};
    EXPECT_NE(order_job_key(first).value(), order_job_key(later).value());
}

TEST(OrderJobs, WithoutChangeTimeTheReferenceIsTheKey) {
    OrderJob sync{.amazon_order_id = "A", .source = "sync", .reference = "run-7"};
    EXPECT_EQ(order_job_key(sync).value(), "A#sync:run-7");
}

TEST(OrderJobs, PayloadRoundTrips) {
    OrderJob job{.amazon_order_id = "A",
                 .marketplace_id = "A1PA6795UKMFR9",
                 .change_time = "2026-11-01T10:05:00Z",
                 .source = "notification",
                 .reference = "n-1",
                 .status_hint = "Shipped"};
    auto queued = make_order_job("eu", job);
    ASSERT_TRUE(queued);
    auto back = parse_order_job(queued->payload);
    ASSERT_TRUE(back);
    EXPECT_EQ(back->amazon_order_id, "A");
    EXPECT_EQ(back->marketplace_id, "A1PA6795UKMFR9");
    EXPECT_EQ(back->change_time, "2026-11-01T10:05:00Z");
    EXPECT_EQ(back->source, "notification");
    EXPECT_EQ(back->reference, "n-1");
    EXPECT_EQ(back->status_hint, "Shipped");
}

TEST(OrderJobs, BadInputIsAPermanentErrorNotACrash) {
    EXPECT_EQ(make_order_job("eu", OrderJob{}).error().kind, ErrorKind::permanent);
    auto bad_time = make_order_job("eu", {.amazon_order_id = "A", .change_time = "yesterday"});
    ASSERT_FALSE(bad_time);
    EXPECT_NE(bad_time.error().message.find("yesterday"), std::string::npos);
    for (std::string_view payload : {"", "[]", "{\"amazon_order_id\": 5}", "{not json"}) {
        auto parsed = parse_order_job(payload);
        ASSERT_FALSE(parsed) << payload;
        EXPECT_EQ(parsed.error().kind, ErrorKind::permanent);
    }
}

}  // namespace
}  // namespace clarity::flows
