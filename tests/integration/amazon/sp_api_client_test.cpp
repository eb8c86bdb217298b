// The real connector against the fake SP-API over loopback sockets.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "clarity/net/circuit_breaker.hpp"
#include "harness.hpp"
#include "support/temp_dir.hpp"
#include "support/test_env.hpp"

using namespace clarity;
using namespace clarity::amazon;
using clarity::test::Harness;
using clarity::test::run;
using clarity::test::seed_order;
using fakes::sp_api::Fault;
namespace asio = boost::asio;

TEST(SpApiOrders, SearchAndGetOrderWithIncludedData) {
    Harness h;
    h.fake.add_order(seed_order("111-0000001-0000001", "2026-11-02T10:00:00Z"));
    SearchOrdersRequest req;
    req.last_updated_after = "2026-11-01T00:00:00Z";
    req.included_data = default_order_included_data();
    auto page = run(h.io, h.client->search_orders(req));
    ASSERT_TRUE(page) << page.error().describe();
    ASSERT_EQ(page->orders.size(), 1u);
    const auto& o = page->orders[0];
    EXPECT_EQ(o.order_id, "111-0000001-0000001");
    EXPECT_EQ(o.buyer_email, "jane@marketplace.amazon.com");
    ASSERT_TRUE(o.delivery_address);
    EXPECT_EQ(o.delivery_address->postal_code, "98101");
    ASSERT_EQ(o.items.size(), 2u);
    EXPECT_EQ(o.items[0].gift_message, "Happy birthday!");
    EXPECT_EQ(o.items[0].customized_url, "https://zme-caps.amazon.com/t/abc");
    EXPECT_EQ(o.items[0].promotion_ids, std::vector<std::string>{"PROMO-1"});
    EXPECT_TRUE(o.items[1].cancelled);
    // 2 × 12.50 + tax 2.10 + 5.00 − promotion 1.00 (the fake subtracts promotion discounts).
    EXPECT_EQ(o.grand_total->amount, *model::Decimal::parse("31.10"));
    EXPECT_TRUE(h.fake.last_user_agent().starts_with("clarity-connect/"));
    EXPECT_NE(h.fake.last_user_agent().find("Language=C++/20"), std::string::npos);

    auto got = run(h.io, h.client->get_order("111-0000001-0000001", {"FULFILLMENT"}));
    ASSERT_TRUE(got);
    EXPECT_EQ(got->fulfillment_status, "UNSHIPPED");
    EXPECT_TRUE(got->buyer_email.empty());  // BUYER not requested
    EXPECT_FALSE(got->delivery_address);

    auto missing = run(h.io, h.client->get_order("999-9999999-9999999", {}));
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().kind, ErrorKind::permanent);
    EXPECT_EQ(missing.error().http_status, 404);
    EXPECT_FALSE(missing.error().request_id.empty());
    EXPECT_EQ(h.lwa->exchanges(), 1u);  // token cached across calls
}

TEST(SpApiOrders, ThrottleBetweenPagesLosesAndRepeatsNothing) {
    Harness h;
    for (int i = 0; i < 5; ++i) {
        h.fake.add_order(seed_order("111-000000" + std::to_string(i) + "-0000001",
                                    "2026-11-02T10:0" + std::to_string(i) + ":00Z"));
    }
    h.fake.fail_nth("searchOrders", 2, Fault{Fault::Kind::status, 429});
    SearchOrdersRequest req;
    req.last_updated_after = "2026-11-01T00:00:00Z";
    req.max_results_per_page = 2;
    auto sweep = run(h.io, h.client->search_all_orders(req));
    ASSERT_FALSE(sweep.error) << sweep.error->describe();
    EXPECT_EQ(sweep.pages, 3);
    ASSERT_EQ(sweep.items.size(), 5u);
    std::set<std::string> ids;
    for (const auto& o : sweep.items) ids.insert(o.order_id);
    EXPECT_EQ(ids.size(), 5u);
    EXPECT_EQ(h.fake.calls("searchOrders"), 4);
    EXPECT_EQ(h.fake.throttled("searchOrders"), 1);
    EXPECT_EQ(
        h.metrics.counter("clarity_amazon_throttled_total", "", {{"operation", "searchOrders"}})
            .value(),
        1.0);
}

TEST(SpApiOrders, TokenExpiryMidSweepRefreshesOnceAndContinues) {
    Harness h;
    for (int i = 0; i < 4; ++i) {
        h.fake.add_order(seed_order("222-000000" + std::to_string(i) + "-0000001",
                                    "2026-11-02T10:0" + std::to_string(i) + ":00Z"));
    }
    h.fake.fail_nth("searchOrders", 2, Fault{Fault::Kind::expire_tokens});
    SearchOrdersRequest req;
    req.last_updated_after = "2026-11-01T00:00:00Z";
    req.max_results_per_page = 2;
    auto sweep = run(h.io, h.client->search_all_orders(req));
    ASSERT_FALSE(sweep.error) << sweep.error->describe();
    EXPECT_EQ(sweep.items.size(), 4u);
    EXPECT_EQ(h.lwa->exchanges(), 2u);  // initial + one refresh
    EXPECT_EQ(h.fake.calls("searchOrders"), 3);
}

TEST(SpApiOrders, ErrorMidSweepReportsTheResumeToken) {
    Harness h(clarity::test::fast(), 2);
    for (int i = 0; i < 4; ++i) {
        h.fake.add_order(seed_order("333-000000" + std::to_string(i) + "-0000001",
                                    "2026-11-02T10:0" + std::to_string(i) + ":00Z"));
    }
    h.fake.fail_nth("searchOrders", 2, Fault{Fault::Kind::status, 500});
    h.fake.fail_nth("searchOrders", 3, Fault{Fault::Kind::status, 503});
    SearchOrdersRequest req;
    req.last_updated_after = "2026-11-01T00:00:00Z";
    req.max_results_per_page = 2;
    auto sweep = run(h.io, h.client->search_all_orders(req));
    ASSERT_TRUE(sweep.error);
    EXPECT_EQ(sweep.error->kind, ErrorKind::transient);
    EXPECT_EQ(sweep.items.size(), 2u);
    ASSERT_TRUE(sweep.resume_token);
    req.pagination_token = sweep.resume_token;
    auto rest = run(h.io, h.client->search_all_orders(req));
    ASSERT_FALSE(rest.error);
    EXPECT_EQ(rest.items.size(), 2u);
}

TEST(SpApiCallPath, TransientErrorsAndDroppedConnectionsAreRetried) {
    Harness h;
    h.fake.add_order(seed_order("444-0000001-0000001", "2026-11-02T10:00:00Z"));
    h.fake.fail_nth("getOrder", 1, Fault{Fault::Kind::status, 503});
    h.fake.fail_nth("getOrder", 2, Fault{Fault::Kind::drop_connection});
    auto got = run(h.io, h.client->get_order("444-0000001-0000001", {}));
    ASSERT_TRUE(got) << got.error().describe();
    EXPECT_EQ(h.fake.calls("getOrder"), 3);
}

// Issue #17 point 3: behind its circuit breaker a call counts once, after its own retries, and
// while the circuit is open a call answers `unavailable` at once: nothing sent, no retries, its
// rate-limit token given back.
TEST(SpApiCallPath, AnOpenCircuitAnswersAtOnceWithoutRetriesAndKeepsTheQuota) {
    using namespace std::chrono_literals;
    Harness h(clarity::test::fast(), 2);
    net::CircuitBreaker breaker(h.clock, {.failure_threshold = 2, .open_for = 30s}, "us", "amazon",
                                &h.metrics);
    auto guarded = net::make_guarded_client(h.http_ptr, breaker);
    SpApiClient client(*guarded, *h.lwa, h.quota, h.clock, h.random, h.metrics, h.options);
    h.fake.add_order(seed_order("444-0000009-0000001", "2026-11-02T10:00:00Z"));
    for (int n = 1; n <= 4; ++n) h.fake.fail_nth("getOrder", n, Fault{Fault::Kind::status, 503});

    auto first = run(h.io, client.get_order("444-0000009-0000001", {}));
    ASSERT_FALSE(first);
    EXPECT_EQ(first.error().kind, ErrorKind::transient);
    EXPECT_EQ(breaker.state(), net::BreakerState::closed) << "two failed tries, one failed call";
    auto second = run(h.io, client.get_order("444-0000009-0000001", {}));
    ASSERT_FALSE(second);
    EXPECT_EQ(breaker.state(), net::BreakerState::open);
    EXPECT_EQ(h.fake.calls("getOrder"), 4);

    const auto before = h.quota.tokens(h.options.seller_id, Operation::get_order);
    auto refused = run(h.io, client.get_order("444-0000009-0000001", {}));
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().kind, ErrorKind::unavailable);
    EXPECT_EQ(refused.error().retry_after, std::optional<std::chrono::seconds>(30s));
    EXPECT_NE(refused.error().context.find("getOrder"), std::string::npos)
        << refused.error().context;
    EXPECT_EQ(h.fake.calls("getOrder"), 4) << "nothing sent while open";
    EXPECT_GE(h.quota.tokens(h.options.seller_id, Operation::get_order), before)
        << "the token reserved for the refused call was given back";
    EXPECT_NE(
        h.metrics.render().find(
            "clarity_amazon_requests_total{operation=\"getOrder\",outcome=\"circuit_open\"} 1"),
        std::string::npos);

    h.clock.advance(30s);
    auto probe = run(h.io, client.get_order("444-0000009-0000001", {}));
    ASSERT_TRUE(probe) << probe.error().describe();
    EXPECT_EQ(breaker.state(), net::BreakerState::closed);
}

// Issue #18 item 3: a 2xx answer cut short is not Amazon saying the request is wrong. Every way
// of cutting it (invalid JSON with a matching length, a Content-Length not reached before the
// close, a reset mid-body) is transient and retried by the call itself.
TEST(SpApiCallPath, AnswersCutShortAreTransientAndRetried) {
    Harness h;
    h.fake.add_order(seed_order("444-0000002-0000001", "2026-11-02T10:00:00Z"));
    int calls = 0;
    for (auto kind : {Fault::Kind::truncated_body, Fault::Kind::cut_mid_body,
                      Fault::Kind::reset_mid_body, Fault::Kind::malformed_body}) {
        h.fake.fail_nth("getOrder", 1, Fault{kind});
        auto got = run(h.io, h.client->get_order("444-0000002-0000001", {}));
        ASSERT_TRUE(got) << static_cast<int>(kind) << ": " << got.error().describe();
        EXPECT_EQ(got->order_id, "444-0000002-0000001");
        calls += 2;
        EXPECT_EQ(h.fake.calls("getOrder"), calls) << "one retry after the damaged answer";
    }
    EXPECT_EQ(h.metrics
                  .counter("clarity_amazon_requests_total", "",
                           {{"operation", "getOrder"}, {"outcome", "incomplete_body"}})
                  .value(),
              2.0);  // the two whose length matched; the others are transport errors

    // Cut on every attempt (two here, to keep the backoff short): still transient (the job is
    // retried later), never permanent.
    Harness h2(clarity::test::fast(), 2);
    for (int n = 1; n <= 2; ++n)
        h2.fake.fail_nth("searchOrders", n, Fault{Fault::Kind::truncated_body});
    SearchOrdersRequest req;
    req.created_after = "2026-11-01T00:00:00Z";
    auto page = run(h2.io, h2.client->search_orders(req));
    ASSERT_FALSE(page);
    EXPECT_EQ(page.error().kind, ErrorKind::transient) << page.error().describe();
    EXPECT_NE(page.error().message.find("not complete JSON"), std::string::npos)
        << page.error().message;
    EXPECT_NE(page.error().message.find("gave up after 2 attempts"), std::string::npos);
}

TEST(SpApiDecoders, A2xxBodyThatIsNotCompleteJsonIsTransient) {
    const std::string whole = R"({"order":{"orderId":"444-0000002-0000001"}})";
    for (std::size_t cut : {std::size_t{0}, std::size_t{1}, whole.size() / 2, whole.size() - 1}) {
        auto o = decode_get_order(whole.substr(0, cut));
        ASSERT_FALSE(o) << cut;
        EXPECT_EQ(o.error().kind, ErrorKind::transient) << cut << ": " << o.error().describe();
    }
    // Complete and well-formed but lacking what the model requires: permanent.
    auto incomplete = decode_get_order(R"({"errors":[]})");
    ASSERT_FALSE(incomplete);
    EXPECT_EQ(incomplete.error().kind, ErrorKind::permanent);
}

TEST(SpApiCallPath, RateLimitHeaderUpdatesTheBucket) {
    fakes::sp_api::FakeOptions fo;
    fo.speed_up = 10;
    Harness h(fo);
    h.fake.add_order(seed_order("555-0000001-0000001", "2026-11-02T10:00:00Z"));
    ASSERT_TRUE(run(h.io, h.client->get_order("555-0000001-0000001", {})));
    EXPECT_DOUBLE_EQ(h.quota.rate(h.options.seller_id, Operation::get_order), 5.0);  // 0.5 x 10
}

TEST(Lwa, InvalidGrantIsAnAuthErrorReportedOnceNotLooped) {
    Harness h;
    h.options.refresh_token = Secret("Atzr|revoked");
    SpApiClient client(h.http, *h.lwa, h.quota, h.clock, h.random, h.metrics, h.options);
    std::vector<Error> alerts;
    h.lwa->on_auth_failure([&](const Error& e) { alerts.push_back(e); });
    auto got = run(h.io, client.get_order("x", {}));
    ASSERT_FALSE(got);
    EXPECT_EQ(got.error().kind, ErrorKind::auth);
    EXPECT_NE(got.error().message.find("invalid_grant"), std::string::npos);
    EXPECT_EQ(got.error().message.find("Atzr|revoked"), std::string::npos);  // no secret
    EXPECT_EQ(h.lwa->exchanges(), 1u);
    EXPECT_FALSE(h.lwa->is_healthy());
    ASSERT_EQ(alerts.size(), 1u);
    EXPECT_EQ(h.fake.calls("getOrder"), 0);
}

asio::awaitable<Result<Order>> fetch(SpApiClient& c, std::string id) {
    std::vector<std::string> none;
    co_return co_await c.get_order(std::move(id), std::move(none));
}

TEST(Lwa, ConcurrentCallersShareOneRefresh) {
    Harness h;
    h.fake.add_order(seed_order("666-0000001-0000001", "2026-11-02T10:00:00Z"));
    int ok = 0;
    for (int i = 0; i < 5; ++i) {
        asio::co_spawn(h.io, fetch(*h.client, "666-0000001-0000001"),
                       [&](std::exception_ptr e, Result<Order> r) { ok += (!e && r) ? 1 : 0; });
    }
    h.io.run();
    EXPECT_EQ(ok, 5);
    EXPECT_EQ(h.lwa->exchanges(), 1u);
}

TEST(Lwa, TokenRenewedAfterItsLifetimeOnTheClock) {
    Harness h;
    h.fake.add_order(seed_order("777-0000001-0000001", "2026-11-02T10:00:00Z"));
    ASSERT_TRUE(run(h.io, h.client->get_order("777-0000001-0000001", {})));
    h.clock.advance(std::chrono::seconds(3600 - 30));  // within the 60 s margin
    ASSERT_TRUE(run(h.io, h.client->get_order("777-0000001-0000001", {})));
    EXPECT_EQ(h.lwa->exchanges(), 2u);
}

TEST(SpApiOrdersV0, RestrictedDataTokenGivesPiiAndMissingRoleIsPermanent) {
    Harness h;
    auto seeded = seed_order("888-0000001-0000001", "2026-11-02T10:00:00Z");
    seeded.items[0].shipping_price = "4.99";
    seeded.items[0].shipping_tax = "0.75";
    h.fake.add_order(seeded);
    GetOrdersRequestV0 req;
    req.last_updated_after = "2026-11-01T00:00:00Z";
    auto plain = run(h.io, h.client->get_orders_v0(req, false));
    ASSERT_TRUE(plain) << plain.error().describe();
    ASSERT_EQ(plain->orders.size(), 1u);
    EXPECT_TRUE(plain->orders[0].buyer_email.empty());
    EXPECT_FALSE(plain->orders[0].shipping_address);
    auto pii = run(h.io, h.client->get_orders_v0(req, true));
    ASSERT_TRUE(pii) << pii.error().describe();
    EXPECT_EQ(pii->orders[0].buyer_email, "jane@marketplace.amazon.com");
    ASSERT_TRUE(pii->orders[0].shipping_address);
    auto items = run(h.io, h.client->get_order_items_v0("888-0000001-0000001", true));
    ASSERT_TRUE(items);
    EXPECT_EQ(items->items[0].gift_message_text, "Happy birthday!");
    EXPECT_TRUE(items->items[0].is_gift);
    ASSERT_TRUE(items->items[0].shipping_price && items->items[0].shipping_tax);
    EXPECT_EQ(items->items[0].shipping_price->amount.to_string(), "4.99");
    EXPECT_EQ(items->items[0].shipping_tax->amount.to_string(), "0.75");

    auto no_roles = clarity::test::fast();
    no_roles.roles.clear();
    Harness h2(no_roles);
    auto denied = run(h2.io, h2.client->get_orders_v0(req, true));
    ASSERT_FALSE(denied);
    EXPECT_EQ(denied.error().kind, ErrorKind::permanent);
    EXPECT_EQ(denied.error().http_status, 403);
}

TEST(SpApiOrdersV0, GetOrderWithItemsCostsOneRestrictedDataTokenPerOrder) {
    Harness h;
    h.fake.add_order(seed_order("888-0000002-0000001", "2026-11-02T10:00:00Z"));
    auto got = run(h.io, h.client->get_order_with_items_v0("888-0000002-0000001", true));
    ASSERT_TRUE(got) << got.error().describe();
    EXPECT_EQ(got->order.amazon_order_id, "888-0000002-0000001");
    EXPECT_EQ(got->order.buyer_email, "jane@marketplace.amazon.com");
    ASSERT_TRUE(got->order.shipping_address);
    ASSERT_EQ(got->items.size(), 2u);
    EXPECT_EQ(got->items[0].gift_message_text, "Happy birthday!");
    EXPECT_EQ(h.fake.calls("createRestrictedDataToken"), 1);
    EXPECT_EQ(h.fake.calls("getOrderV0"), 1);
    EXPECT_EQ(h.fake.calls("getOrderItems"), 1);
    EXPECT_EQ(h.fake.calls("getOrders"), 0);  // the scarce plan is left alone

    auto plain = run(h.io, h.client->get_order_with_items_v0("888-0000002-0000001", false));
    ASSERT_TRUE(plain);
    EXPECT_TRUE(plain->order.buyer_email.empty());
    EXPECT_EQ(h.fake.calls("createRestrictedDataToken"), 1);

    auto missing = run(h.io, h.client->get_order_with_items_v0("999-0000000-0000000", false));
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().kind, ErrorKind::permanent);
    EXPECT_EQ(missing.error().http_status, 404);
}

TEST(SpApiOrdersV0, ConfirmShipmentSendsTheModelBody) {
    Harness h;
    h.fake.add_order(seed_order("999-0000001-0000001", "2026-11-02T10:00:00Z"));
    ConfirmShipmentRequest req;
    req.package_reference_id = "1";
    req.carrier_code = "UPS";
    req.tracking_number = "1Z123";
    req.ship_date = "2026-11-03T10:00:00Z";
    req.items = {{"999-0000001-0000001-1", 2, {}}};
    auto r = run(h.io, h.client->confirm_shipment("999-0000001-0000001", req));
    ASSERT_TRUE(r) << r.error().describe();
    auto bodies = h.fake.shipment_confirmations();
    ASSERT_EQ(bodies.size(), 1u);
    auto j = nlohmann::json::parse(bodies[0]);
    EXPECT_EQ(j["marketplaceId"], "ATVPDKIKX0DER");
    EXPECT_EQ(j["packageDetail"]["trackingNumber"], "1Z123");
    auto got = run(h.io, h.client->get_order("999-0000001-0000001", {"FULFILLMENT"}));
    EXPECT_EQ(got->fulfillment_status, "SHIPPED");

    h.fake.add_order(seed_order("999-0000002-0000001", "2026-11-02T10:00:00Z", "AMAZON"));
    auto afn = run(h.io, h.client->confirm_shipment("999-0000002-0000001", req));
    ASSERT_FALSE(afn);
    EXPECT_EQ(afn.error().kind, ErrorKind::permanent);
}

TEST(SpApiInventory, PaginatesAndAnExpiredNextTokenIsPermanent) {
    Harness h;
    for (int i = 0; i < 5; ++i) {
        h.fake.add_inventory({"SKU-" + std::to_string(i), "B00" + std::to_string(i),
                              "X00" + std::to_string(i), 10 + i, 1, 2});
    }
    InventorySummariesRequest req;
    std::vector<InventorySummary> all;
    for (;;) {
        auto page = run(h.io, h.client->get_inventory_summaries(req));
        ASSERT_TRUE(page) << page.error().describe();
        all.insert(all.end(), page->summaries.begin(), page->summaries.end());
        if (!page->next_token) break;
        req.next_token = page->next_token;
    }
    ASSERT_EQ(all.size(), 5u);
    EXPECT_EQ(all[4].fulfillable, 14);

    InventorySummariesRequest again;
    auto first = run(h.io, h.client->get_inventory_summaries(again));
    ASSERT_TRUE(first && first->next_token);
    h.clock.advance(std::chrono::seconds(31));
    again.next_token = first->next_token;
    auto late = run(h.io, h.client->get_inventory_summaries(again));
    ASSERT_FALSE(late);
    EXPECT_EQ(late.error().kind, ErrorKind::permanent);
}

TEST(SpApiListings, QuantityPatchNeedsProductTypeAndUpdatesTheListing) {
    Harness h;
    auto missing = run(
        h.io, h.client->patch_listings_item("SKU-A", ListingsPatchRequest::quantity("", {}, 3)));
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().kind, ErrorKind::permanent);
    auto r = run(h.io, h.client->patch_listings_item(
                           "SKU-A", ListingsPatchRequest::quantity("PRODUCT", {}, 7)));
    ASSERT_TRUE(r) << r.error().describe();
    EXPECT_EQ(r->status, "ACCEPTED");
    EXPECT_EQ(h.fake.listing_quantity("SKU-A"), 7);
    auto item = run(h.io, h.client->get_listings_item("SKU-A", {"summaries", "attributes"}));
    ASSERT_TRUE(item);
    EXPECT_EQ(item->fulfillment_quantity, 7);
    EXPECT_EQ(item->summaries.at(0).product_type, "PRODUCT");
}

TEST(SpApiFeeds, JsonListingsFeedRoundTrip) {
    Harness h;
    const std::string ctype = "application/json; charset=UTF-8";
    auto doc = run(h.io, h.client->create_feed_document(ctype));
    ASSERT_TRUE(doc) << doc.error().describe();
    auto feed_body = test::read_file(test::data_dir() /
                                     "sp-api/schemas/feeds/listings-feed-schema-v2.example.json");
    ASSERT_TRUE(run(h.io, h.client->upload_feed_document(*doc, feed_body)));
    EXPECT_EQ(h.fake.uploaded_feed_content(doc->feed_document_id), feed_body);
    auto wrong = *doc;
    wrong.content_type = "text/plain";
    EXPECT_FALSE(run(h.io, h.client->upload_feed_document(wrong, feed_body)));

    auto feed_id = run(h.io, h.client->create_feed("JSON_LISTINGS_FEED", doc->feed_document_id));
    ASSERT_TRUE(feed_id);
    auto status = run(h.io, h.client->get_feed(*feed_id));
    ASSERT_TRUE(status);
    EXPECT_EQ(status->processing_status, "IN_QUEUE");
    h.clock.advance(std::chrono::seconds(61));
    status = run(h.io, h.client->get_feed(*feed_id));
    ASSERT_TRUE(status);
    ASSERT_EQ(status->processing_status, "DONE");
    auto loc = run(h.io, h.client->get_feed_document(status->result_feed_document_id));
    ASSERT_TRUE(loc);
    EXPECT_EQ(loc->compression_algorithm, "GZIP");
    auto report = run(h.io, h.client->download_processing_report(*loc));
    ASSERT_TRUE(report) << report.error().describe();
    EXPECT_GT(report->messages_processed, 0);
    EXPECT_EQ(report->messages_accepted + report->messages_invalid, report->messages_processed);
}

TEST(SpApiReports, SettlementReportListedAndDownloadedGunzipped) {
    Harness h;
    const std::string tsv =
        "settlement-id\tsettlement-start-date\ttotal-amount\tcurrency\n"
        "1234567\t2026-10-01T00:00:00+00:00\t95,00\tEUR\n";
    h.fake.add_report("R1", "GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2", tsv, true);
    h.fake.add_report("R2", "GET_FLAT_FILE_OPEN_LISTINGS_DATA", "x", false);
    ReportsRequest req;
    req.report_types = {"GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2"};
    req.processing_statuses = {"DONE"};
    auto page = run(h.io, h.client->get_reports(req));
    ASSERT_TRUE(page) << page.error().describe();
    ASSERT_EQ(page->reports.size(), 1u);
    auto report = run(h.io, h.client->get_report(page->reports[0].report_id));
    ASSERT_TRUE(report);
    auto loc = run(h.io, h.client->get_report_document(report->report_document_id));
    ASSERT_TRUE(loc);
    EXPECT_EQ(loc->compression_algorithm, "GZIP");
    test::TempDir dir;
    auto path = dir.path() / "settlement.tsv";
    auto downloaded = run(h.io, h.client->download_document(*loc, path));
    ASSERT_TRUE(downloaded) << downloaded.error().describe();
    EXPECT_TRUE(downloaded->gzip);
    EXPECT_NE(downloaded->file, path);  // Amazon's gzip bytes, inflated by finish_document
    auto size = finish_document(*downloaded, path);
    ASSERT_TRUE(size) << size.error().describe();
    EXPECT_EQ(*size, tsv.size());
    EXPECT_EQ(test::read_file(path), tsv);
    EXPECT_FALSE(std::filesystem::exists(downloaded->file));
}

TEST(SpApiReports, AFinishedDocumentIsItsTextAndDamagedGzipIsPermanent) {
    test::TempDir dir;
    const auto plain = dir.path() / "plain.tsv";
    std::ofstream(plain) << "a\tb\n";
    auto same = finish_document(DownloadedDocument{plain, false}, plain);
    ASSERT_TRUE(same) << same.error().describe();
    EXPECT_EQ(*same, 4u);

    const auto damaged = dir.path() / "report.tsv.gz";
    std::ofstream(damaged, std::ios::binary) << std::string("\x1f\x8b\x08\x00garbage", 12);
    auto r = finish_document(DownloadedDocument{damaged, true}, dir.path() / "report.tsv");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, ErrorKind::permanent);
    EXPECT_NE(r.error().message.find("request the report again"), std::string::npos)
        << r.error().message;
    EXPECT_FALSE(std::filesystem::exists(damaged));  // nothing left behind
}

TEST(SpApiFinances, GroupsAndEventsPages) {
    Harness h;
    auto model = nlohmann::json::parse(
        test::read_file(test::data_dir() / "sp-api/models/finances-api-model/financesV0.json"));
    auto example = model["paths"]["/finances/v0/financialEvents"]["get"]["responses"]["200"]
                        ["x-amzn-api-sandbox"]["static"][0]["response"];
    h.fake.add_financial_events_page(example.dump());
    auto groups = run(h.io, h.client->list_financial_event_groups({}));
    ASSERT_TRUE(groups);
    EXPECT_EQ(groups->groups.at(0).original_total->amount, *model::Decimal::parse("123.45"));
    auto events = run(h.io, h.client->list_financial_events({}));
    ASSERT_TRUE(events) << events.error().describe();
    EXPECT_TRUE(events->next_token);
    EXPECT_FALSE(events->other_lists.empty());
    TransactionsRequest tr;
    tr.posted_after = "2026-10-01T00:00:00Z";
    EXPECT_TRUE(run(h.io, h.client->list_transactions(tr)));
}

TEST(SpApiFulfillmentOutbound, PreviewCreateGetTrackCancel) {
    Harness h;
    FulfillmentPreviewRequest preview;
    preview.address = {"Jane", "1 Main St", "", "", "Seattle", "", "WA", "98101", "US", ""};
    preview.items = {{"SKU-A", "1", 1, "", "", std::nullopt}};
    auto p = run(h.io, h.client->get_fulfillment_preview(preview));
    ASSERT_TRUE(p) << p.error().describe();
    ASSERT_EQ(p->size(), 2u);
    EXPECT_TRUE(p->at(0).is_fulfillable);
    CreateFulfillmentOrderRequest create;
    create.seller_fulfillment_order_id = "ODOO-SO-42";
    create.displayable_order_id = "SO42";
    create.displayable_order_date = "2026-11-01T10:00:00Z";
    create.displayable_order_comment = "Thank you";
    create.destination_address = preview.address;
    create.items = preview.items;
    ASSERT_TRUE(run(h.io, h.client->create_fulfillment_order(create)));
    ASSERT_TRUE(run(h.io, h.client->create_fulfillment_order(create)));  // idempotent retry
    auto got = run(h.io, h.client->get_fulfillment_order("ODOO-SO-42"));
    ASSERT_TRUE(got) << got.error().describe();
    EXPECT_EQ(got->status, "Received");
    EXPECT_EQ(got->items.size(), 1u);
    auto track = run(h.io, h.client->get_package_tracking_details(1));
    ASSERT_TRUE(track);
    EXPECT_EQ(track->current_status, "IN_TRANSIT");
    ASSERT_TRUE(run(h.io, h.client->cancel_fulfillment_order("ODOO-SO-42")));
    EXPECT_EQ(run(h.io, h.client->get_fulfillment_order("ODOO-SO-42"))->status, "Cancelled");
}

TEST(SpApiNotifications, GrantlessDestinationAndSellerSubscription) {
    Harness h;
    auto dest = run(h.io, h.client->create_destination(
                              "clarity-na", "arn:aws:sqs:us-east-1:123456789012:sp-notif"));
    ASSERT_TRUE(dest) << dest.error().describe();
    auto all = run(h.io, h.client->get_destinations());
    ASSERT_TRUE(all);
    EXPECT_EQ(all->size(), 1u);
    CreateSubscriptionRequest sub;
    sub.notification_type = "ORDER_CHANGE";
    sub.destination_id = dest->destination_id;
    sub.order_change_types = {"OrderStatusChange"};
    auto created = run(h.io, h.client->create_subscription(sub));
    ASSERT_TRUE(created) << created.error().describe();
    auto got = run(h.io, h.client->get_subscription("ORDER_CHANGE"));
    ASSERT_TRUE(got);
    EXPECT_EQ(got->destination_id, dest->destination_id);
    ASSERT_TRUE(
        run(h.io, h.client->delete_subscription_by_id("ORDER_CHANGE", got->subscription_id)));
    EXPECT_EQ(h.lwa->exchanges(), 2u);  // one grantless, one seller token
}
