// The SQS consumer against the fake SQS (JSON protocol, SigV4 verified by the fake).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

#include "harness.hpp"
#include "support/test_env.hpp"

using namespace clarity;
using namespace clarity::amazon;
using clarity::test::Harness;
using clarity::test::run;
namespace asio = boost::asio;

namespace {

std::string schema_example(const std::string& file, int i = 0) {
    auto s = nlohmann::json::parse(
        test::read_file(test::data_dir() / "sp-api/schemas/notifications" / file));
    return s["examples"][i].dump();
}

// Stands in for the daemon's durable enqueue: an idempotency ledger keyed by NotificationId.
// A failure flag simulates a store that is down.
struct Ledger {
    std::set<std::string> keys;
    std::vector<Notification> enqueued;
    int duplicates = 0;
    bool fail = false;
};

asio::awaitable<Result<void>> enqueue(Ledger* ledger, Notification n) {
    if (ledger->fail) co_return make_error(ErrorKind::transient, "store unavailable");
    if (!ledger->keys.insert(n.metadata.notification_id).second) {
        ++ledger->duplicates;  // already durably enqueued: success, so the message gets deleted
        co_return Result<void>{};
    }
    ledger->enqueued.push_back(std::move(n));
    co_return Result<void>{};
}

asio::awaitable<Result<void>> keep_malformed(std::vector<std::string>* kept,
                                             std::string body,
                                             std::string,
                                             std::string) {
    kept->push_back(std::move(body));
    co_return Result<void>{};
}

}  // namespace

TEST(SqsConsumer, HandlesDeletesSkipsUnknownAndKeepsMalformed) {
    Harness h;
    h.fake.enqueue_message(schema_example("OrderChangeNotification.json"));
    // The schema examples share one NotificationId; give the second its own (distinct events).
    auto report =
        nlohmann::json::parse(schema_example("ReportProcessingFinishedNotification.json"));
    report["notificationMetadata"]["notificationId"] = "report-notification-1";
    h.fake.enqueue_message(report.dump());
    h.fake.enqueue_message(
        R"({"NotificationType":"ANY_OFFER_CHANGED","Payload":{},"NotificationMetadata":{"NotificationId":"u1"}})");
    h.fake.enqueue_message("this is not json");
    SqsClient sqs(h.http, h.clock, h.sqs_endpoint());
    Ledger ledger;
    SqsConsumer consumer(sqs, h.metrics,
                         [&](Notification n) { return enqueue(&ledger, std::move(n)); });
    auto stats = run(h.io, consumer.poll_once());
    ASSERT_TRUE(stats) << stats.error().describe();
    EXPECT_EQ(stats->received, 4);
    EXPECT_EQ(stats->handled, 2);
    EXPECT_EQ(stats->unknown, 1);
    EXPECT_EQ(stats->malformed, 1);
    EXPECT_EQ(stats->deleted, 3);
    ASSERT_EQ(ledger.enqueued.size(), 2u);
    EXPECT_TRUE(std::holds_alternative<OrderChangeEvent>(ledger.enqueued[0].event));
    EXPECT_TRUE(std::holds_alternative<ReportProcessingFinishedEvent>(ledger.enqueued[1].event));
    // Without a malformed handler the body stays in the queue (for the redrive policy / DLQ).
    EXPECT_EQ(h.fake.queue_total(), 1u);
    EXPECT_EQ(h.metrics
                  .counter("clarity_amazon_notifications_total", "",
                           {{"outcome", "unknown_type"}, {"type", "ANY_OFFER_CHANGED"}})
                  .value(),
              1.0);

    // With a malformed handler the body is kept there and the message deleted.
    h.clock.advance(std::chrono::seconds(61));
    std::vector<std::string> kept;
    SqsConsumer keeper(
        sqs, h.metrics, [&](Notification n) { return enqueue(&ledger, std::move(n)); },
        [&](std::string b, std::string r, std::string id) {
            return keep_malformed(&kept, std::move(b), std::move(r), std::move(id));
        });
    auto again = run(h.io, keeper.poll_once());
    ASSERT_TRUE(again);
    EXPECT_EQ(again->malformed, 1);
    EXPECT_EQ(kept, std::vector<std::string>{"this is not json"});
    EXPECT_EQ(h.fake.queue_total(), 0u);
}

TEST(SqsConsumer, FailedHandlerLeavesTheMessageAndRedeliveryOfAnEnqueuedOneEndsDeleted) {
    Harness h;
    h.fake.enqueue_message(schema_example("FulfillmentOrderStatusNotification.json"));
    SqsClient sqs(h.http, h.clock, h.sqs_endpoint());
    Ledger ledger;
    SqsConsumer consumer(sqs, h.metrics,
                         [&](Notification n) { return enqueue(&ledger, std::move(n)); });

    ledger.fail = true;  // the store is down: not acked
    auto first = run(h.io, consumer.poll_once());
    ASSERT_TRUE(first);
    EXPECT_EQ(first->failed, 1);
    EXPECT_EQ(first->deleted, 0);
    EXPECT_EQ(h.fake.queue_total(), 1u);
    EXPECT_EQ(h.fake.queue_visible(), 0u);  // hidden by ChangeMessageVisibility (backoff)

    h.clock.advance(std::chrono::seconds(31));
    ledger.fail = false;
    auto second = run(h.io, consumer.poll_once());
    ASSERT_TRUE(second);
    EXPECT_EQ(second->handled, 1);
    EXPECT_EQ(h.fake.queue_total(), 0u);

    // SQS is at-least-once: the same notification delivered again (e.g. the delete was lost).
    h.fake.enqueue_message(schema_example("FulfillmentOrderStatusNotification.json"));
    auto third = run(h.io, consumer.poll_once());
    ASSERT_TRUE(third);
    EXPECT_EQ(third->handled, 1);
    EXPECT_EQ(third->deleted, 1);
    EXPECT_EQ(ledger.duplicates, 1);
    EXPECT_EQ(ledger.enqueued.size(), 1u);
    EXPECT_EQ(h.fake.queue_total(), 0u);
}

TEST(SqsConsumer, VisibilityTimeoutRedeliversAnUnackedMessage) {
    Harness h;
    h.fake.enqueue_message(schema_example("FeedProcessingFinishedNotification.json"));
    SqsClient sqs(h.http, h.clock, h.sqs_endpoint());
    auto got = run(h.io, sqs.receive());
    ASSERT_TRUE(got) << got.error().describe();
    ASSERT_EQ(got->size(), 1u);
    EXPECT_EQ(got->at(0).receive_count, 1);
    EXPECT_TRUE(run(h.io, sqs.receive())->empty());
    h.clock.advance(std::chrono::seconds(61));
    auto again = run(h.io, sqs.receive());
    ASSERT_EQ(again->size(), 1u);
    EXPECT_EQ(again->at(0).receive_count, 2);
    // the old receipt handle is no longer valid
    auto stale = run(h.io, sqs.delete_message(got->at(0).receipt_handle));
    ASSERT_FALSE(stale);
    EXPECT_EQ(stale.error().kind, ErrorKind::permanent);
    EXPECT_TRUE(run(h.io, sqs.delete_message(again->at(0).receipt_handle)));
}

TEST(SqsConsumer, WrongSecretIsAnAuthErrorFromTheSignatureCheck) {
    Harness h;
    SqsClient sqs(h.http, h.clock, h.sqs_endpoint("wrong-secret"));
    auto r = run(h.io, sqs.receive());
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, ErrorKind::auth);
    EXPECT_NE(r.error().message.find("InvalidSignatureException"), std::string::npos);
    EXPECT_EQ(r.error().message.find("wrong-secret"), std::string::npos);
}
