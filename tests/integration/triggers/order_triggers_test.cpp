// The order triggers against the fake SP-API (real loopback sockets, real SQS wire format with
// SigV4) and a real SQLite store file: notifications, the sweep with its cursor, the backfill.
#include "clarity/flows/order_triggers.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <nlohmann/json.hpp>
#include <optional>

#include "clarity/amazon/lwa.hpp"
#include "clarity/amazon/quota.hpp"
#include "clarity/core/log.hpp"
#include "clarity/flows/order_jobs.hpp"
#include "clarity/model/timestamp.hpp"
#include "clarity/net/http_client.hpp"
#include "clarity/store/options.hpp"
#include "sp_api/fake_sp_api.hpp"
#include "support/temp_dir.hpp"
#include "support/test_env.hpp"

namespace clarity::flows {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;

template <class T>
T run(asio::io_context& io, asio::awaitable<T> task) {
    std::optional<T> out;
    std::exception_ptr error;
    bool done = false;
    auto guard = asio::make_work_guard(io);  // the task waits on the store thread at times
    asio::co_spawn(io, std::move(task), [&](std::exception_ptr e, T v) {
        error = e;
        if (!e) out.emplace(std::move(v));
        done = true;
    });
    io.restart();
    while (!done) io.run_one();
    if (error) std::rethrow_exception(error);
    return std::move(*out);
}

Clock::time_point at(const std::string& iso) {
    return Clock::time_point(*model::parse_timestamp(iso));
}

fakes::sp_api::FakeOptions fast() {
    fakes::sp_api::FakeOptions fo;
    fo.speed_up = 1000;
    return fo;
}

fakes::sp_api::SeedOrder seed(std::string id, std::string updated) {
    fakes::sp_api::SeedOrder o;
    o.order_id = std::move(id);
    o.last_updated_time = std::move(updated);
    fakes::sp_api::SeedItem item;
    item.order_item_id = o.order_id + "-1";
    item.seller_sku = "SKU-A";
    item.asin = "B000000001";
    item.title = "Mug";
    o.items = {item};
    return o;
}

std::string order_change(const std::string& notification_id,
                         const std::string& order_id,
                         const std::string& time) {
    auto s = nlohmann::json::parse(test::read_file(
        test::data_dir() / "sp-api/schemas/notifications/OrderChangeNotification.json"));
    auto n = s["examples"][0];
    n["NotificationMetadata"]["NotificationId"] = notification_id;
    n["Payload"]["OrderChangeNotification"]["AmazonOrderId"] = order_id;
    n["Payload"]["OrderChangeNotification"]["OrderChangeTrigger"]["TimeOfOrderChange"] = time;
    return n.dump();
}

class TriggerTest : public ::testing::Test {
  protected:
    explicit TriggerTest(int max_attempts = 5)
        : http_ptr(net::make_http_client(io.get_executor(), http_options(), &metrics)),
          fake(clock, fast()),
          quota(SystemClock::instance(), 1000) {
        clock.set(at("2026-11-02T00:00:00Z"));
        options.region = amazon::Region::na;
        options.seller_id = fake.options().seller_id;
        options.marketplace_ids = {"ATVPDKIKX0DER"};
        options.lwa_client_id = fake.options().client_id;
        options.lwa_client_secret = Secret(fake.options().client_secret);
        options.refresh_token = Secret(fake.options().refresh_token);
        options.endpoint = fake.base_url();
        options.lwa_endpoint = fake.lwa_url();
        options.max_attempts = max_attempts;
        options.timeout = 5s;
        lwa.emplace(*http_ptr, clock,
                    amazon::LwaOptions{options.lwa_token_url(), options.lwa_client_id,
                                       options.lwa_client_secret, 60s, 5000ms},
                    &metrics);
        client.emplace(*http_ptr, *lwa, quota, clock, random, metrics, options);
        store_options.path = (dir / "store.db").string();
        store_options.busy_timeout = 200ms;
        store = store::open_store(store_options, {clock, random, &metrics});
        async_store = std::make_unique<store::AsyncStore>(*store);
    }

    static net::HttpClientOptions http_options() {
        net::HttpClientOptions o;
        o.request_timeout = 5s;
        return o;
    }

    amazon::SqsEndpoint sqs_endpoint() const {
        amazon::SqsEndpoint e;
        e.base_url = fake.sqs_url();
        e.region = "us-east-1";
        e.queue_url = fake.queue_url();
        e.credentials = {"AKIDFAKE", Secret("fake-aws-secret"), {}};
        e.wait_time = 0s;
        e.visibility_timeout = 60s;
        return e;
    }

    std::vector<store::JobInfo> jobs(const std::string& flow = std::string(kOrderImportFlow),
                                     std::optional<store::JobState> state = std::nullopt) {
        store::JobFilter f;
        f.flow = flow;
        f.state = state;
        f.limit = 1000;
        return store->list_jobs(f).value();
    }

    std::optional<std::string> cursor() {
        return store->cursor("eu", std::string(kOrderSweepCursor)).value();
    }

    OrderTriggerOptions sweep_options(int page_size = 100) {
        OrderTriggerOptions o;
        o.page_size = page_size;
        return o;
    }

    test::TempDir dir;
    asio::io_context io;
    core::MetricsRegistry metrics;
    ManualClock clock;
    std::shared_ptr<net::HttpClient> http_ptr;
    fakes::sp_api::FakeSpApi fake;
    DefaultRandom random{7};
    amazon::QuotaLimiter quota;
    amazon::AmazonOptions options;
    std::optional<amazon::LwaTokenSource> lwa;
    std::optional<amazon::SpApiClient> client;
    store::StoreOptions store_options;
    std::unique_ptr<store::Store> store;
    std::unique_ptr<store::AsyncStore> async_store;
};

TEST_F(TriggerTest, DuplicateNotificationsMakeOneJobAndAreAllDeleted) {
    int wakes = 0;
    OrderNotificationTrigger trigger("eu", *async_store, metrics, [&] { ++wakes; });
    amazon::SqsClient sqs(*http_ptr, clock, sqs_endpoint());
    amazon::SqsConsumer consumer(sqs, metrics, trigger.handler(), trigger.malformed_handler());
    const auto body = order_change("n-1", "111-0000001-0000001", "2026-11-01T10:05:00Z");
    fake.enqueue_message(body);
    fake.enqueue_message(body);  // SQS delivers at least once: the same notification twice
    // Another notification of the same change (e.g. a second subscription): same job.
    fake.enqueue_message(order_change("n-2", "111-0000001-0000001", "2026-11-01T10:05:00Z"));
    auto stats = run(io, consumer.poll_once());
    ASSERT_TRUE(stats) << stats.error().describe();
    EXPECT_EQ(stats->handled, 3);
    EXPECT_EQ(stats->deleted, 3);
    EXPECT_EQ(fake.queue_total(), 0u);
    EXPECT_EQ(wakes, 1);

    // Redelivery of a message whose job is already enqueued: a duplicate, deleted again.
    fake.enqueue_message(body);
    stats = run(io, consumer.poll_once());
    ASSERT_TRUE(stats);
    EXPECT_EQ(stats->deleted, 1);
    EXPECT_EQ(fake.queue_total(), 0u);

    auto all = jobs();
    ASSERT_EQ(all.size(), 1u);
    EXPECT_EQ(all[0].entity_key, "111-0000001-0000001");
    EXPECT_EQ(all[0].connection, "eu");
    auto job = parse_order_job(all[0].payload);
    ASSERT_TRUE(job);
    EXPECT_EQ(job->source, "notification");
    EXPECT_EQ(job->reference, "n-1");
    EXPECT_EQ(job->change_time, "2026-11-01T10:05:00Z");

    // A later change of the same order is a new job.
    fake.enqueue_message(order_change("n-3", "111-0000001-0000001", "2026-11-01T12:00:00Z"));
    ASSERT_TRUE(run(io, consumer.poll_once()));
    EXPECT_EQ(jobs().size(), 2u);
    EXPECT_EQ(wakes, 2);
}

TEST_F(TriggerTest, StoreFailureLeavesTheMessageForRedelivery) {
    OrderNotificationTrigger trigger("eu", *async_store, metrics);
    amazon::SqsClient sqs(*http_ptr, clock, sqs_endpoint());
    amazon::SqsConsumer consumer(sqs, metrics, trigger.handler(), trigger.malformed_handler());
    fake.enqueue_message(order_change("n-1", "111-0000001-0000001", "2026-11-01T10:05:00Z"));

    // Another process holds the write lock: the enqueue fails (busy), the message must stay.
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(store_options.path.c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
    auto stats = run(io, consumer.poll_once());
    ASSERT_TRUE(stats);
    EXPECT_EQ(stats->failed, 1);
    EXPECT_EQ(stats->deleted, 0);
    EXPECT_EQ(fake.queue_total(), 1u);
    sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
    sqlite3_close(db);
    EXPECT_TRUE(jobs().empty());

    // After the visibility timeout SQS redelivers it, and now it is enqueued and deleted.
    clock.advance(15min);
    stats = run(io, consumer.poll_once());
    ASSERT_TRUE(stats);
    EXPECT_EQ(stats->handled, 1);
    EXPECT_EQ(fake.queue_total(), 0u);
    EXPECT_EQ(jobs().size(), 1u);
}

TEST_F(TriggerTest, MalformedBodiesAreKeptAsDeadLettersAndOtherTypesSkipped) {
    OrderNotificationTrigger trigger("eu", *async_store, metrics);
    std::vector<Alert> alerts;
    trigger.on_alert([&](const Alert& a) { alerts.push_back(a); });
    amazon::SqsClient sqs(*http_ptr, clock, sqs_endpoint());
    amazon::SqsConsumer consumer(sqs, metrics, trigger.handler(), trigger.malformed_handler());
    fake.enqueue_message("this is not json {");
    fake.enqueue_message(
        R"({"NotificationType":"ANY_OFFER_CHANGED","Payload":{},"NotificationMetadata":{"NotificationId":"u1"}})");
    auto report = nlohmann::json::parse(test::read_file(
        test::data_dir() /
        "sp-api/schemas/notifications/ReportProcessingFinishedNotification.json"))["examples"][0];
    fake.enqueue_message(report.dump());
    auto stats = run(io, consumer.poll_once());
    ASSERT_TRUE(stats) << stats.error().describe();
    EXPECT_EQ(stats->malformed, 1);
    EXPECT_EQ(stats->unknown, 1);
    EXPECT_EQ(stats->handled, 1);  // the report notification: decoded, not an order: skipped
    EXPECT_EQ(fake.queue_total(), 0u);
    EXPECT_TRUE(jobs().empty());

    auto dead = jobs(std::string(kMalformedNotificationFlow), store::JobState::dead);
    ASSERT_EQ(dead.size(), 1u);
    auto payload = nlohmann::json::parse(dead[0].payload);
    EXPECT_EQ(payload["body"], "this is not json {");
    EXPECT_FALSE(payload["reason"].get<std::string>().empty());
    EXPECT_NE(dead[0].last_error.find("malformed SP-API notification"), std::string::npos)
        << dead[0].last_error;

    // Counted and raised like every other dead letter (issue #18 item 7).
    auto& counted = metrics.counter("clarity_alerts_total", "",
                                    {{"kind", "dead_letter"}, {"flow", "sqs_malformed"}});
    EXPECT_EQ(counted.value(), 1.0);
    ASSERT_EQ(alerts.size(), 1u);
    EXPECT_EQ(alerts[0].kind, "dead_letter");
    EXPECT_EQ(alerts[0].flow, "sqs_malformed");
    EXPECT_EQ(alerts[0].connection, "eu");
    EXPECT_EQ(alerts[0].job_id, dead[0].id);
    EXPECT_NE(alerts[0].message.find("malformed SP-API notification"), std::string::npos);
    EXPECT_NE(
        metrics.render().find(R"(clarity_alerts_total{kind="dead_letter",flow="sqs_malformed"} 1)"),
        std::string::npos)
        << metrics.render();

    // SQS redelivers the same message (its delete was lost): no second dead letter, no alert.
    ASSERT_TRUE(run(io, trigger.keep_malformed("this is not json {", "again",
                                               payload["message_id"].get<std::string>())));
    EXPECT_EQ(jobs(std::string(kMalformedNotificationFlow), store::JobState::dead).size(), 1u);
    EXPECT_EQ(counted.value(), 1.0);
    EXPECT_EQ(alerts.size(), 1u);
}

std::string with_door_fields(const std::string& body,
                             const std::string& seller,
                             const std::string& marketplace) {
    auto n = nlohmann::json::parse(body);
    n["Payload"]["OrderChangeNotification"]["SellerId"] = seller;
    n["Payload"]["OrderChangeNotification"]["Summary"]["MarketplaceId"] = marketplace;
    return n.dump();
}

// Issue #18 item 5: notifications for another seller or marketplace, or naming an order id not
// of Amazon's shape, are refused at the door: counted, one WARNING line per reason (not one per
// message, no ERROR alert), deleted from the queue, and neither a job nor a dead letter exists.
TEST_F(TriggerTest, NotificationsThatAreNotThisConnectionsAreRefusedAtTheDoor) {
    std::vector<std::string> lines;
    core::configure_logging(
        {.level = "info", .output = [&](std::string_view l) { lines.emplace_back(l); }});
    OrderNotificationTrigger trigger("eu", *async_store, metrics);
    std::vector<Alert> alerts;
    trigger.on_alert([&](const Alert& a) { alerts.push_back(a); });
    trigger.set_door({options.seller_id, {"ATVPDKIKX0DER"}, 60s}, clock);
    amazon::SqsClient sqs(*http_ptr, clock, sqs_endpoint());
    amazon::SqsConsumer consumer(sqs, metrics, trigger.handler(), trigger.malformed_handler());
    const auto ours = [&](const std::string& id, const std::string& order) {
        return with_door_fields(order_change(id, order, "2026-11-01T10:05:00Z"), options.seller_id,
                                "ATVPDKIKX0DER");
    };
    fake.enqueue_message(ours("good", "111-0000009-0000001"));
    for (int i = 0; i < 3; ++i) {
        fake.enqueue_message(with_door_fields(
            order_change("seller-" + std::to_string(i), "111-0000009-000000" + std::to_string(i),
                         "2026-11-01T10:05:00Z"),
            "A3OTHERSELLER", "ATVPDKIKX0DER"));
    }
    fake.enqueue_message(
        with_door_fields(order_change("market", "111-0000009-0000005", "2026-11-01T10:05:00Z"),
                         options.seller_id, "A1PA6795UKMFR9"));
    const std::vector<std::string> bad_ids = {"1234567", "../../x", std::string(10 * 1024, '9'),
                                              "123-1234567-1234567\r\n\x1b[31mALERT",
                                              "123-1234567-12345678"};
    for (std::size_t i = 0; i < bad_ids.size(); ++i)
        fake.enqueue_message(ours("bad-" + std::to_string(i), bad_ids[i]));
    std::size_t received = 0;
    while (fake.queue_visible() > 0) {
        auto stats = run(io, consumer.poll_once());
        ASSERT_TRUE(stats) << stats.error().describe();
        received += static_cast<std::size_t>(stats->received);
    }
    core::configure_logging(core::LogOptions{});
    EXPECT_EQ(received, 10u);
    EXPECT_EQ(fake.queue_total(), 0u) << "every refused message is deleted";

    auto all = jobs();
    ASSERT_EQ(all.size(), 1u);
    EXPECT_EQ(all[0].entity_key, "111-0000009-0000001");
    EXPECT_TRUE(jobs(std::string(kMalformedNotificationFlow)).empty()) << "no dead letter";
    EXPECT_TRUE(alerts.empty());
    const auto refused = [&](const char* reason) {
        return metrics
            .counter("clarity_notifications_refused_total", "",
                     {{"connection", "eu"}, {"reason", reason}})
            .value();
    };
    EXPECT_EQ(refused("other_seller"), 3.0);
    EXPECT_EQ(refused("other_marketplace"), 1.0);
    EXPECT_EQ(refused("malformed_order_id"), 5.0);

    std::size_t warnings = 0;
    for (const auto& l : lines) {
        if (l.find("refused ORDER_CHANGE notification") == std::string::npos) continue;
        ++warnings;
        EXPECT_NE(l.find("warn"), std::string::npos) << l;
        EXPECT_LT(l.size(), 600u) << "a 10 KB id is cut in the line";
        for (char c : l) EXPECT_FALSE(c == '\x1b' || c == '\r' || c == '\n') << l;
    }
    EXPECT_EQ(warnings, 3u) << "one line per reason within the interval";

    // After the interval, the next refusal logs again and counts those not logged.
    clock.advance(61s);
    lines.clear();
    core::configure_logging(
        {.level = "info", .output = [&](std::string_view l) { lines.emplace_back(l); }});
    fake.enqueue_message(ours("bad-later", "../../etc/passwd"));
    while (fake.queue_visible() > 0) ASSERT_TRUE(run(io, consumer.poll_once()));
    core::configure_logging(core::LogOptions{});
    std::size_t later = 0;
    for (const auto& l : lines) {
        if (l.find("refused ORDER_CHANGE notification bad-later") == std::string::npos) continue;
        ++later;
        EXPECT_NE(l.find("4 more refused as malformed_order_id"), std::string::npos) << l;
    }
    EXPECT_EQ(later, 1u);
    EXPECT_EQ(refused("malformed_order_id"), 6.0);
}

TEST_F(TriggerTest, SweptOrdersWithIdsNotOfAmazonsShapeAreRefused) {
    fake.add_order(seed("111-0000010-0000001", "2026-11-01T10:00:00Z"));
    fake.add_order(seed("../../x", "2026-11-01T10:01:00Z"));
    fake.add_order(seed("1234567", "2026-11-01T10:02:00Z"));
    OrderSweep sweep("eu", *client, *async_store, metrics, clock, sweep_options());
    auto report = run(io, sweep.sweep_once());
    ASSERT_FALSE(report.error) << report.error->describe();
    EXPECT_EQ(report.orders, 3u);
    EXPECT_EQ(report.counts.enqueued, 1u);
    EXPECT_EQ(report.counts.refused, 2u);
    ASSERT_EQ(jobs().size(), 1u);
    EXPECT_EQ(jobs()[0].entity_key, "111-0000010-0000001");
    EXPECT_EQ(metrics
                  .counter("clarity_order_trigger_jobs_total", "",
                           {{"connection", "eu"}, {"source", "sweep"}, {"outcome", "refused"}})
                  .value(),
              2.0);
    EXPECT_TRUE(report.cursor_advanced) << "refused orders do not hold the cursor back";
}

TEST_F(TriggerTest, SweepCommitsItsCursorWithTheJobs) {
    fake.add_order(seed("111-0000001-0000001", "2026-11-01T10:05:00Z"));
    fake.add_order(seed("111-0000001-0000002", "2026-11-01T20:00:00Z"));
    fake.add_order(seed("111-0000001-0000003", "2026-10-30T08:00:00Z"));  // before the lookback
    OrderSweep sweep("eu", *client, *async_store, metrics, clock, sweep_options());
    EXPECT_EQ(run(io, sweep.first_delay()), Clock::duration::zero());  // no cursor yet
    auto report = run(io, sweep.sweep_once());
    ASSERT_FALSE(report.error) << report.error->describe();
    EXPECT_EQ(report.from, "2026-11-01T00:00:00Z");  // now - initial_lookback (1 day)
    EXPECT_EQ(report.orders, 2u);
    EXPECT_EQ(report.counts.enqueued, 2u);
    EXPECT_TRUE(report.cursor_advanced);
    // The window's end as the API reported it (lastUpdatedBefore = now - 2 min).
    EXPECT_EQ(cursor(), "2026-11-01T23:58:00Z");
    auto all = jobs();
    ASSERT_EQ(all.size(), 2u);
    for (const auto& j : all) EXPECT_EQ(parse_order_job(j.payload)->source, "sweep");
    // A restart soon after waits out the rest of the interval since the window's end.
    clock.advance(3min);
    EXPECT_EQ(run(io, sweep.first_delay()), std::chrono::minutes(5));
    clock.advance(10min);
    EXPECT_EQ(run(io, sweep.first_delay()), Clock::duration::zero());
}

TEST_F(TriggerTest, OverlappingSweepsAddOnlyDuplicates) {
    fake.add_order(seed("111-0000001-0000001", "2026-11-01T23:55:00Z"));  // in the overlap
    OrderSweep sweep("eu", *client, *async_store, metrics, clock, sweep_options());
    ASSERT_FALSE(run(io, sweep.sweep_once()).error);
    clock.advance(10min);
    auto second = run(io, sweep.sweep_once());
    ASSERT_FALSE(second.error);
    EXPECT_EQ(second.from, "2026-11-01T23:53:00Z");  // cursor - 5 min overlap
    EXPECT_EQ(second.orders, 1u);
    EXPECT_EQ(second.counts.enqueued, 0u);
    EXPECT_EQ(second.counts.duplicates, 1u);
    EXPECT_EQ(cursor(), "2026-11-02T00:08:00Z");
    // A notification of the same change as the sweep saw: a duplicate too.
    OrderNotificationTrigger trigger("eu", *async_store, metrics);
    amazon::Notification n;
    n.notification_type = "ORDER_CHANGE";
    n.metadata.notification_id = "n-9";
    amazon::OrderChangeEvent e;
    e.amazon_order_id = "111-0000001-0000001";
    e.time_of_order_change = "2026-11-01T23:55:00Z";
    n.event = e;
    ASSERT_TRUE(run(io, trigger.handle(n)));
    EXPECT_EQ(jobs().size(), 1u);
    // The order changes again: the next sweep enqueues the new change.
    fake.set_order_status("111-0000001-0000001", "SHIPPED", "2026-11-02T00:09:00Z");
    clock.advance(10min);
    auto third = run(io, sweep.sweep_once());
    EXPECT_EQ(third.counts.enqueued, 1u);
    EXPECT_EQ(jobs().size(), 2u);
}

class PagedSweepTest : public TriggerTest {
  protected:
    PagedSweepTest() {
        for (int i = 1; i <= 5; ++i) {
            fake.add_order(seed("111-0000002-000000" + std::to_string(i),
                                "2026-11-01T1" + std::to_string(i) + ":00:00Z"));
        }
    }
    void expect_each_order_once() {
        auto all = jobs();
        ASSERT_EQ(all.size(), 5u);
        std::set<std::string> ids;
        for (const auto& j : all) ids.insert(j.entity_key);
        EXPECT_EQ(ids.size(), 5u);
    }
};

TEST_F(PagedSweepTest, ThrottledPageMidPaginationLosesAndDoublesNothing) {
    fake.fail_nth("searchOrders", 2, {.kind = fakes::sp_api::Fault::Kind::status, .status = 429});
    OrderSweep sweep("eu", *client, *async_store, metrics, clock, sweep_options(2));
    auto report = run(io, sweep.sweep_once());
    ASSERT_FALSE(report.error) << report.error->describe();
    EXPECT_EQ(report.pages, 3);
    EXPECT_EQ(report.orders, 5u);
    EXPECT_EQ(fake.throttled("searchOrders"), 1);
    EXPECT_TRUE(report.cursor_advanced);
    expect_each_order_once();
}

TEST_F(PagedSweepTest, TokenExpiryMidSweepLosesAndDoublesNothing) {
    fake.fail_nth("searchOrders", 3, {.kind = fakes::sp_api::Fault::Kind::expire_tokens});
    OrderSweep sweep("eu", *client, *async_store, metrics, clock, sweep_options(2));
    auto report = run(io, sweep.sweep_once());
    ASSERT_FALSE(report.error) << report.error->describe();
    EXPECT_EQ(report.orders, 5u);
    EXPECT_GE(lwa->exchanges(), 2u);  // refreshed once mid-sweep
    EXPECT_TRUE(report.cursor_advanced);
    expect_each_order_once();
}

class FailingPageTest : public PagedSweepTest {
  protected:
    FailingPageTest() {
        // One attempt per call: a failed page is not retried by the client.
        options.max_attempts = 1;
        client.emplace(*http_ptr, *lwa, quota, clock, random, metrics, options);
    }
};

TEST_F(FailingPageTest, CursorDoesNotMovePastAFailedPage) {
    ASSERT_TRUE(store->set_cursor("eu", std::string(kOrderSweepCursor), "2026-11-01T05:00:00Z"));
    fake.fail_nth("searchOrders", 2, {.kind = fakes::sp_api::Fault::Kind::status, .status = 503});
    OrderSweep sweep("eu", *client, *async_store, metrics, clock, sweep_options(2));
    auto failed = run(io, sweep.sweep_once());
    ASSERT_TRUE(failed.error);
    EXPECT_EQ(failed.pages, 1);
    EXPECT_FALSE(failed.cursor_advanced);
    EXPECT_EQ(cursor(), "2026-11-01T05:00:00Z");
    EXPECT_EQ(jobs().size(), 2u);  // the first page's orders are kept

    auto retried = run(io, sweep.sweep_once());
    ASSERT_FALSE(retried.error) << retried.error->describe();
    EXPECT_EQ(retried.from, "2026-11-01T04:55:00Z");  // the same window again
    EXPECT_EQ(retried.counts.enqueued, 3u);
    EXPECT_EQ(retried.counts.duplicates, 2u);
    EXPECT_EQ(cursor(), "2026-11-01T23:58:00Z");
    expect_each_order_once();
}

TEST_F(PagedSweepTest, BackfillEnqueuesTheWindowAndCountsDuplicates) {
    auto first = run(
        io, backfill_orders("eu", *client, *async_store, metrics, "2026-11-01T00:00:00Z", "", 2));
    ASSERT_FALSE(first.error) << first.error->describe();
    EXPECT_EQ(first.pages, 3);
    EXPECT_EQ(first.counts.enqueued, 5u);
    auto second = run(
        io, backfill_orders("eu", *client, *async_store, metrics, "2026-11-01T00:00:00Z", "", 2));
    EXPECT_EQ(second.counts.enqueued, 0u);
    EXPECT_EQ(second.counts.duplicates, 5u);
    EXPECT_FALSE(cursor());  // a backfill never moves the sweep's cursor
    expect_each_order_once();
    EXPECT_EQ(parse_order_job(jobs()[0].payload)->source, "sync");
}

}  // namespace
}  // namespace clarity::flows
