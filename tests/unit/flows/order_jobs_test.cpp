#include "clarity/flows/order_jobs.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "clarity/amazon/orders.hpp"

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
    OrderJob first{.amazon_order_id = "123-1234567-1234567", .change_time = "2026-11-01T10:05:00Z"};
    OrderJob later{.amazon_order_id = "123-1234567-1234567", .change_time = "2026-11-01T10:06:00Z"};
    EXPECT_NE(order_job_key(first).value(), order_job_key(later).value());
}

TEST(OrderJobs, WithoutChangeTimeTheReferenceIsTheKey) {
    OrderJob sync{.amazon_order_id = "123-1234567-1234567", .source = "sync", .reference = "run-7"};
    EXPECT_EQ(order_job_key(sync).value(), "123-1234567-1234567#sync:run-7");
}

TEST(OrderJobs, PayloadRoundTrips) {
    OrderJob job{.amazon_order_id = "123-1234567-1234567",
                 .marketplace_id = "A1PA6795UKMFR9",
                 .change_time = "2026-11-01T10:05:00Z",
                 .source = "notification",
                 .reference = "n-1",
                 .status_hint = "Shipped"};
    auto queued = make_order_job("eu", job);
    ASSERT_TRUE(queued);
    auto back = parse_order_job(queued->payload);
    ASSERT_TRUE(back);
    EXPECT_EQ(back->amazon_order_id, "123-1234567-1234567");
    EXPECT_EQ(back->marketplace_id, "A1PA6795UKMFR9");
    EXPECT_EQ(back->change_time, "2026-11-01T10:05:00Z");
    EXPECT_EQ(back->source, "notification");
    EXPECT_EQ(back->reference, "n-1");
    EXPECT_EQ(back->status_hint, "Shipped");
}

TEST(OrderJobs, BadInputIsAPermanentErrorNotACrash) {
    EXPECT_EQ(make_order_job("eu", OrderJob{}).error().kind, ErrorKind::permanent);
    auto bad_time = make_order_job(
        "eu", {.amazon_order_id = "123-1234567-1234567", .change_time = "yesterday"});
    ASSERT_FALSE(bad_time);
    EXPECT_NE(bad_time.error().message.find("yesterday"), std::string::npos);
    for (std::string_view payload : {"", "[]", "{\"amazon_order_id\": 5}", "{not json"}) {
        auto parsed = parse_order_job(payload);
        ASSERT_FALSE(parsed) << payload;
        EXPECT_EQ(parsed.error().kind, ErrorKind::permanent);
    }
}

// Issue #18 item 5: an order id of another shape never becomes a job (and so never a getOrder
// call), from whichever trigger; a job already queued with one is refused when it runs.
TEST(OrderJobs, OrderIdsNotOfAmazonsShapeAreRefused) {
    const std::string ten_kb(10 * 1024, '7');
    for (const std::string& id :
         {std::string("1234567"), std::string("../../x"), std::string("123-1234567-123456"),
          std::string("123-1234567-12345678"), std::string("123_1234567_1234567"),
          std::string("abc-defghij-klmnopq"), std::string("123-1234567-1234567\n"),
          std::string("123-1234567-12345\x1b"
                      "7"),
          std::string("\x00\x01", 2), ten_kb, std::string("１２３-1234567-1234567")}) {
        auto made = make_order_job("eu", {.amazon_order_id = id, .source = "sweep"});
        ASSERT_FALSE(made) << amazon::order_id_excerpt(id);
        EXPECT_EQ(made.error().kind, ErrorKind::permanent);
        EXPECT_NE(made.error().message.find("is not an Amazon order id (3-7-7 digits"),
                  std::string::npos)
            << made.error().message;
        EXPECT_LT(made.error().message.size(), 200u) << "the id is cut, not copied whole";
        for (char c : made.error().message) {
            EXPECT_FALSE(static_cast<unsigned char>(c) < 0x20) << "control byte in the message";
        }
        const auto payload = nlohmann::json{{"amazon_order_id", id}}.dump(
            -1, ' ', false, nlohmann::json::error_handler_t::replace);
        auto parsed = parse_order_job(payload);
        ASSERT_FALSE(parsed);
        EXPECT_EQ(parsed.error().kind, ErrorKind::permanent);
    }
    EXPECT_TRUE(amazon::is_order_id("123-1234567-1234567"));
    EXPECT_TRUE(make_order_job("eu", {.amazon_order_id = "903-8868176-2219830", .source = "x"}));
}

}  // namespace
}  // namespace clarity::flows
