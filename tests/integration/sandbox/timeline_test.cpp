// Orders that change over (fake) time on the fake SP-API, read through the real connector and
// the real SQS client over loopback.
#include <gtest/gtest.h>

#include "amazon/harness.hpp"
#include "clarity/amazon/notifications.hpp"

namespace clarity::test {
namespace {

using amazon::SqsClient;
using fakes::sp_api::SeedPackage;
using fakes::sp_api::TimelineStep;
using namespace std::chrono_literals;

std::vector<amazon::OrderChangeEvent> drain(Harness& h,
                                            SqsClient& sqs,
                                            std::set<std::string>* ids) {
    std::vector<amazon::OrderChangeEvent> out;
    for (;;) {
        auto got = run(h.io, sqs.receive());
        EXPECT_TRUE(got) << (got ? "" : got.error().message);
        if (!got || got->empty()) return out;
        for (const auto& m : *got) {
            auto d = amazon::decode_notification(m.body);
            EXPECT_EQ(d.status, amazon::DecodeStatus::decoded) << d.reason << m.body;
            if (!d.notification) continue;
            EXPECT_EQ(d.notification->notification_type, "ORDER_CHANGE");
            if (ids != nullptr) ids->insert(d.notification->metadata.notification_id);
            out.push_back(std::get<amazon::OrderChangeEvent>(d.notification->event));
            EXPECT_TRUE(run(h.io, sqs.delete_message(m.receipt_handle)));
        }
    }
}

TEST(FakeTimeline, OrderAppearsAtCreationThenMovesThroughItsStepsAsTheClockPasses) {
    Harness h;
    SqsClient sqs(h.http, h.clock, h.sqs_endpoint());
    const auto t0 = h.clock.now();
    auto order = seed_order("113-0000001-0000001", "");
    order.fulfilled_by = "AMAZON";
    order.status = "PENDING";
    order.items[1].cancelled = false;
    TimelineStep unshipped{t0 + 10min, "UNSHIPPED", {}, std::nullopt, 1};
    TimelineStep partial{
        t0 + 20min,
        "PARTIALLY_SHIPPED",
        {{order.items[0].order_item_id, 1}},
        SeedPackage{
            "1", "AMZN_US", "TBA000000001", "", "SHIPPED", {{order.items[0].order_item_id, 1}}},
        1};
    TimelineStep shipped{
        t0 + 30min,
        "SHIPPED",
        {{order.items[0].order_item_id, 2}, {order.items[1].order_item_id, 1}},
        SeedPackage{"2",
                    "AMZN_US",
                    "TBA000000002",
                    "",
                    "SHIPPED",
                    {{order.items[0].order_item_id, 1}, {order.items[1].order_item_id, 1}}},
        2};
    h.fake.schedule_order(order, t0 + 5min, {unshipped, partial, shipped});
    EXPECT_EQ(h.fake.pending_changes(), 4u);

    // Not created yet: unknown to every operation, nothing on the queue.
    auto missing = run(h.io, h.client->get_order(order.order_id, {}));
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().http_status, 404);
    EXPECT_TRUE(drain(h, sqs, nullptr).empty());

    h.clock.advance(5min);
    auto created = run(h.io, h.client->get_order(order.order_id, {"FULFILLMENT"}));
    ASSERT_TRUE(created) << created.error().message;
    EXPECT_EQ(created->fulfillment_status, "PENDING");
    EXPECT_EQ(created->created_time, created->last_updated_time);
    auto events = drain(h, sqs, nullptr);
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].amazon_order_id, order.order_id);
    EXPECT_EQ(events[0].order_status, "Pending");
    EXPECT_EQ(events[0].fulfillment_type, "AFN");
    EXPECT_EQ(events[0].time_of_order_change, created->last_updated_time);
    ASSERT_EQ(events[0].items.size(), 2u);
    EXPECT_EQ(events[0].items[0].seller_sku, "SKU-A");

    // Two steps pass at once: both apply in order, each with its own time and notification.
    h.clock.advance(15min);
    EXPECT_EQ(h.fake.advance(), 2u);
    auto partly = run(h.io, h.client->get_order(order.order_id, {"FULFILLMENT", "PACKAGES"}));
    ASSERT_TRUE(partly);
    EXPECT_EQ(partly->fulfillment_status, "PARTIALLY_SHIPPED");
    EXPECT_GT(partly->last_updated_time, created->last_updated_time);
    ASSERT_EQ(partly->packages.size(), 1u);
    EXPECT_EQ(partly->packages[0].tracking_number, "TBA000000001");
    EXPECT_EQ(partly->items[0].quantity_fulfilled, 1);
    EXPECT_EQ(partly->items[0].quantity_unfulfilled, 1);
    EXPECT_EQ(partly->items[1].quantity_fulfilled, 0);
    events = drain(h, sqs, nullptr);
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(events[0].order_status, "Unshipped");
    EXPECT_EQ(events[1].order_status, "PartiallyShipped");
    EXPECT_LT(events[0].time_of_order_change, events[1].time_of_order_change);
    EXPECT_EQ(events[1].items[0].quantity_shipped, 1);

    // The last step is notified twice (a duplicate delivery: same NotificationId).
    h.clock.advance(10min);
    auto done = run(h.io, h.client->get_order(order.order_id, {"FULFILLMENT", "PACKAGES"}));
    ASSERT_TRUE(done);
    EXPECT_EQ(done->fulfillment_status, "SHIPPED");
    EXPECT_EQ(done->packages.size(), 2u);
    EXPECT_EQ(done->items[0].quantity_fulfilled, 2);
    EXPECT_EQ(done->items[1].quantity_fulfilled, 1);
    std::set<std::string> ids;
    events = drain(h, sqs, &ids);
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(ids.size(), 1u);
    EXPECT_EQ(events[0].order_status, "Shipped");
    EXPECT_EQ(h.fake.pending_changes(), 0u);
}

TEST(FakeTimeline, ChangesInTheSameSecondGetStrictlyIncreasingTimes) {
    Harness h;
    const auto t0 = h.clock.now();
    auto order = seed_order("113-0000002-0000001", "");
    order.status = "PENDING";
    h.fake.schedule_order(
        order, t0, {{t0, "UNSHIPPED", {}, std::nullopt, 0}, {t0, "CANCELLED", {}, std::nullopt, 0}},
        0);
    EXPECT_EQ(h.fake.advance(), 3u);
    auto o = h.fake.order(order.order_id);
    ASSERT_TRUE(o);
    EXPECT_EQ(o->status, "CANCELLED");
    // created at t0, then t0+1s, then t0+2s: every change has its own idempotency time.
    EXPECT_GT(o->last_updated_time, o->created_time);
    EXPECT_EQ(h.fake.queue_total(), 0u);
    // A sweep by lastUpdatedAfter finds it once.
    amazon::SearchOrdersRequest req;
    req.last_updated_after = o->created_time;
    req.marketplace_ids = {"ATVPDKIKX0DER"};
    req.included_data = {"FULFILLMENT"};
    auto page = run(h.io, h.client->search_orders(req));
    ASSERT_TRUE(page) << page.error().message;
    ASSERT_EQ(page->orders.size(), 1u);
    EXPECT_EQ(page->orders[0].fulfillment_status, "CANCELLED");
}

}  // namespace
}  // namespace clarity::test
