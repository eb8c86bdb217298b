#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>

#include "clarity/amazon/api_error.hpp"
#include "clarity/amazon/config.hpp"
#include "clarity/amazon/endpoints.hpp"
#include "clarity/amazon/feeds_api.hpp"
#include "clarity/amazon/fulfilled_shipments.hpp"
#include "clarity/amazon/lwa.hpp"
#include "clarity/amazon/notifications.hpp"
#include "clarity/amazon/operations.hpp"
#include "clarity/amazon/quota.hpp"
#include "support/test_env.hpp"

using namespace clarity;
using namespace clarity::amazon;
using nlohmann::json;
using namespace std::chrono_literals;

// ---- operation table --------------------------------------------------------------------------

TEST(OperationTable, EveryRateAndBurstMatchesTheModelUsagePlan) {
    const std::regex plan(
        R"(\| Rate \(requests per second\) \| Burst \|\s*\n\| -+ \| -+ \|\s*\n\| ([0-9.]+) \| ([0-9]+) \|)");
    for (const auto& info : all_operations()) {
        SCOPED_TRACE(std::string(info.name));
        auto model =
            json::parse(test::read_file(test::data_dir() / "sp-api" / std::string(info.model)));
        std::string method(info.method);
        for (auto& c : method) c = static_cast<char>(std::tolower(c));
        ASSERT_TRUE(model["paths"].contains(std::string(info.path)));
        const auto& op = model["paths"][std::string(info.path)][method];
        std::smatch m;
        std::string desc = op.at("description");
        ASSERT_TRUE(std::regex_search(desc, m, plan));
        EXPECT_DOUBLE_EQ(info.rate, std::stod(m[1]));
        EXPECT_EQ(info.burst, std::stoi(m[2]));
    }
    EXPECT_EQ(&operation_info(Operation::get_order), find_operation("getOrder"));
}

// ---- endpoints and config ---------------------------------------------------------------------

TEST(Endpoints, RegionsAndMarketplaces) {
    EXPECT_EQ(region_endpoints(Region::eu).production, "https://sellingpartnerapi-eu.amazon.com");
    EXPECT_EQ(region_endpoints(Region::fe).sandbox,
              "https://sandbox.sellingpartnerapi-fe.amazon.com");
    EXPECT_EQ(region_endpoints(Region::na).aws_region, "us-east-1");
    EXPECT_EQ(find_marketplace("DE")->id, "A1PA6795UKMFR9");
    EXPECT_EQ(find_marketplace("GB")->id, "A1F83G8C2ARO7P");
    EXPECT_EQ(find_marketplace("A1VC38T7YXB528")->region, Region::fe);
    EXPECT_EQ(find_marketplace("XX"), nullptr);
    EXPECT_EQ(parse_region("EU"), Region::eu);
}

namespace {
core::ConfigNode amazon_node() {
    core::ConfigNode n("amazon");
    n.set("region", "eu").set("seller_id", "A1SELLER").set("lwa_client_id", "amzn1.app");
    n.set_list("marketplaces", {"DE", "A13V1IB3VIYZZH"});
    n.set_secret("lwa_client_secret", Secret("cs")).set_secret("refresh_token", Secret("Atzr|x"));
    return n;
}
}  // namespace

TEST(AmazonConfig, SpecDeclaresKeysAndSecrets) {
    auto spec = amazon_config_spec();
    ASSERT_NE(spec.find("refresh_token"), nullptr);
    EXPECT_EQ(spec.find("refresh_token")->type, core::ConfigType::secret);
    EXPECT_EQ(spec.find("lwa_client_secret")->type, core::ConfigType::secret);
    ASSERT_NE(spec.find("sqs"), nullptr);
    EXPECT_NE(spec.find("orders_api"), nullptr);
    EXPECT_NE(spec.find("endpoint"), nullptr);
}

TEST(AmazonConfig, FromConfigResolvesMarketplacesAndDefaultEndpoints) {
    auto o = from_config(amazon_node());
    EXPECT_EQ(o.region, Region::eu);
    EXPECT_EQ(o.marketplace_ids, (std::vector<std::string>{"A1PA6795UKMFR9", "A13V1IB3VIYZZH"}));
    EXPECT_EQ(o.sp_api_base_url(), "https://sellingpartnerapi-eu.amazon.com");
    EXPECT_EQ(o.lwa_token_url(), "https://api.amazon.com/auth/o2/token");
    EXPECT_EQ(o.orders_api, OrdersApiVersion::v2026_01_01);

    auto sandbox = amazon_node();
    sandbox.set("sandbox", "true").set("orders_api", "v0").set("endpoint", "http://127.0.0.1:9");
    auto s = from_config(sandbox);
    EXPECT_EQ(s.sp_api_base_url(), "http://127.0.0.1:9");
    EXPECT_EQ(s.orders_api, OrdersApiVersion::v0);

    auto wrong = amazon_node();
    wrong.set_list("marketplaces", {"US"});
    EXPECT_THROW(from_config(wrong), core::ConfigError);

    auto sqs_node = amazon_node();
    core::ConfigNode sqs("amazon.sqs");
    sqs.set("queue_url", "https://sqs.eu-west-1.amazonaws.com/1/q").set("access_key_id", "AK");
    sqs.set_secret("secret_access_key", Secret("SK"));
    sqs_node.set_section("sqs", sqs);
    auto q = from_config(sqs_node);
    EXPECT_EQ(q.sqs_base_url(), "https://sqs.eu-west-1.amazonaws.com");
    EXPECT_EQ(q.sqs_region(), "eu-west-1");
}

// ---- error classification ---------------------------------------------------------------------

namespace {
net::HttpResponse resp(int status, std::string body) {
    return {status, {{"x-amzn-RequestId", "rid-42"}}, std::move(body)};
}
}  // namespace

TEST(ErrorClassification, QuotaExceededIsRateLimited) {
    auto c = classify_sp_api_response(
        resp(
            429,
            R"({"errors":[{"code":"QuotaExceeded","message":"You exceeded your quota for the requested resource.","details":""}]})"),
        "getOrder");
    EXPECT_EQ(c.error.kind, ErrorKind::rate_limited);
    EXPECT_EQ(c.error.request_id, "rid-42");
    EXPECT_EQ(c.action, ResponseAction::fail);
}

TEST(ErrorClassification, ExpiredTokenAskForOneRefresh) {
    auto c = classify_sp_api_response(
        resp(
            403,
            R"({"errors":[{"code":"Unauthorized","message":"Access to requested resource is denied.","details":"The access token you provided has expired."}]})"),
        "searchOrders");
    EXPECT_EQ(c.error.kind, ErrorKind::auth);
    EXPECT_EQ(c.action, ResponseAction::refresh_token);
}

TEST(ErrorClassification, MissingRoleIsPermanentAndNamesTheRole) {
    auto c = classify_sp_api_response(
        resp(
            403,
            R"({"errors":[{"code":"Unauthorized","message":"Access to requested resource is denied.","details":""}]})"),
        "getOrderItems", "Tax Invoicing (Restricted)");
    EXPECT_EQ(c.error.kind, ErrorKind::permanent);
    EXPECT_EQ(c.action, ResponseAction::fail);
    EXPECT_NE(c.error.message.find("Tax Invoicing (Restricted)"), std::string::npos);
    EXPECT_EQ(c.error.request_id, "rid-42");
}

TEST(ErrorClassification, InvalidInputPermanentServerErrorsTransient) {
    EXPECT_EQ(classify_sp_api_response(
                  resp(400, R"({"errors":[{"code":"InvalidInput","message":"Invalid Input"}]})"),
                  "getOrder")
                  .error.kind,
              ErrorKind::permanent);
    EXPECT_EQ(classify_sp_api_response(resp(503, "oops"), "getOrder").error.kind,
              ErrorKind::transient);
    EXPECT_EQ(classify_sp_api_response(resp(500, R"({"errors":[]})"), "getOrder").error.kind,
              ErrorKind::transient);
    EXPECT_EQ(classify_sp_api_response(resp(404, "{}"), "getOrder").error.kind,
              ErrorKind::permanent);
    // v0 wraps errors in {payload, errors}: still found.
    auto v0 = parse_api_errors(R"({"payload":null,"errors":[{"code":"NotFound","message":"x"}]})");
    ASSERT_EQ(v0.size(), 1u);
    EXPECT_EQ(v0[0].code, "NotFound");
}

// ---- LWA cache ----------------------------------------------------------------------------------

TEST(AccessTokenCache, ValidUntilTheMarginBeforeExpiry) {
    ManualClock clock;
    AccessTokenCache cache(clock, 60s);
    EXPECT_FALSE(cache.get());
    cache.store(Secret("Atza|1"), 3600s);
    ASSERT_TRUE(cache.get());
    EXPECT_EQ(cache.get()->reveal(), "Atza|1");
    clock.advance(3600s - 61s);
    EXPECT_TRUE(cache.get());
    clock.advance(2s);
    EXPECT_FALSE(cache.get());
}

TEST(AccessTokenCache, InvalidateOnlyDropsTheRejectedToken) {
    ManualClock clock;
    AccessTokenCache cache(clock, 60s);
    cache.store(Secret("new"), 3600s);
    cache.invalidate(Secret("old"));
    EXPECT_TRUE(cache.get());
    cache.invalidate(Secret("new"));
    EXPECT_FALSE(cache.get());
}

// ---- quota --------------------------------------------------------------------------------------

TEST(QuotaLimiter, BurstThenOneTokenPerRefillPeriod) {
    ManualClock clock;
    QuotaLimiter q(clock);
    for (int i = 0; i < 30; ++i) EXPECT_EQ(q.reserve("S", Operation::get_order).count(), 0);
    q.on_response("S", Operation::get_order);  // the refill clock runs from the first answer
    auto wait = q.reserve("S", Operation::get_order);
    EXPECT_EQ(std::chrono::duration_cast<std::chrono::milliseconds>(wait).count(), 2000);
    clock.advance(2s);
    EXPECT_NEAR(q.tokens("S", Operation::get_order), 0.0, 1e-9);
    // another seller has its own bucket
    EXPECT_EQ(q.reserve("T", Operation::get_order).count(), 0);
}

TEST(QuotaLimiter, HeaderRateAndDrain) {
    ManualClock clock;
    QuotaLimiter q(clock);
    q.set_rate("S", Operation::search_orders, 0.5);
    EXPECT_DOUBLE_EQ(q.rate("S", Operation::search_orders), 0.5);
    q.drain("S", Operation::search_orders);
    auto wait = q.reserve("S", Operation::search_orders);
    EXPECT_EQ(std::chrono::duration_cast<std::chrono::milliseconds>(wait).count(), 2000);
    q.set_rate("S", Operation::search_orders, 0);  // ignored
    EXPECT_DOUBLE_EQ(q.rate("S", Operation::search_orders), 0.5);
}

TEST(QuotaLimiter, FirstResponseAnchorsTheRefillClock) {
    ManualClock clock;
    QuotaLimiter q(clock);
    for (int i = 0; i < 30; ++i) q.reserve("S", Operation::get_order);
    // The first request needed 400 ms to reach Amazon, whose bucket starts only then: that time
    // earns no refill, or the client would run 0.2 tokens ahead of the server for good.
    clock.advance(400ms);
    q.on_response("S", Operation::get_order);
    EXPECT_NEAR(q.tokens("S", Operation::get_order), 0.0, 1e-9);
    clock.advance(2s);
    EXPECT_NEAR(q.tokens("S", Operation::get_order), 1.0, 1e-9);
    q.on_response("S", Operation::get_order);  // later responses do not move the anchor
    clock.advance(1s);
    EXPECT_NEAR(q.tokens("S", Operation::get_order), 1.5, 1e-9);
}

TEST(QuotaLimiter, ReservationsBeforeTheFirstResponseEarnNoRefill) {
    ManualClock clock;
    QuotaLimiter q(clock);
    for (int i = 0; i < 29; ++i) q.reserve("S", Operation::get_order);
    clock.advance(300ms);  // a second job reserves before the first request was answered
    EXPECT_EQ(q.reserve("S", Operation::get_order).count(), 0);
    clock.advance(300ms);
    // 600 ms at 0.5/s would have earned 0.3 tokens; before any response nothing counts, and a
    // waiter reserved before it waits one interval more (the burst may reach Amazon late):
    // 2 s for the token, 2 s of margin.
    EXPECT_EQ(
        std::chrono::duration_cast<std::chrono::milliseconds>(q.reserve("S", Operation::get_order))
            .count(),
        4000);
    q.on_response("S", Operation::get_order);
    clock.advance(1s);
    EXPECT_NEAR(q.tokens("S", Operation::get_order), -0.5, 1e-9);
}

TEST(QuotaLimiter, ABurstFromAFullBucketWaitsOneIntervalMoreUntilItsFirstResponse) {
    ManualClock clock;
    QuotaLimiter q(clock);  // getOrder: 0.5/s, burst 30
    q.reserve("S", Operation::get_order);
    q.on_response("S", Operation::get_order);
    clock.advance(10s);  // full again
    EXPECT_NEAR(q.tokens("S", Operation::get_order), 30.0, 1e-9);
    // A cohort at once: 30 go now; the next waits 2 s for its token and 2 s more, because
    // Amazon's bucket earns again only when the first of the burst reaches it.
    for (int i = 0; i < 30; ++i) EXPECT_EQ(q.reserve("S", Operation::get_order).count(), 0);
    EXPECT_EQ(
        std::chrono::duration_cast<std::chrono::milliseconds>(q.reserve("S", Operation::get_order))
            .count(),
        4000);
    // Once answered, the refill counts from the answer and waits carry no margin.
    clock.advance(100ms);
    q.on_response("S", Operation::get_order);
    EXPECT_EQ(
        std::chrono::duration_cast<std::chrono::milliseconds>(q.reserve("S", Operation::get_order))
            .count(),
        4000);  // two tokens owed at 0.5/s
}

TEST(QuotaLimiter, RateScaleSpeedsUpSeededRates) {
    ManualClock clock;
    QuotaLimiter q(clock, 100.0);
    EXPECT_DOUBLE_EQ(q.rate("S", Operation::get_order), 50.0);
}

TEST(QuotaLimiter, ResumesSavedLevelsPlusTheRefillEarnedWhileAway) {
    ManualClock clock;
    QuotaLimiter first(clock, 10.0);
    for (int i = 0; i < 30; ++i) first.reserve("S", Operation::get_order_v0);
    for (int i = 0; i < 3; ++i) first.reserve("S", Operation::get_order_items_v0);
    const auto before = first.changes();
    auto levels = first.levels();
    EXPECT_EQ(first.changes(), before);  // reading levels is no change
    ASSERT_EQ(levels.size(), 2u);
    EXPECT_EQ(levels[0].op, Operation::get_order_v0);
    EXPECT_NEAR(levels[0].tokens, 0.0, 1e-9);
    EXPECT_DOUBLE_EQ(levels[0].rate, 0.5);  // unscaled
    EXPECT_EQ(levels[0].at, clock.now());

    // Restarted 1.4 s later at the same scale: the first second earns nothing (a margin for the
    // millisecond-rounded save time), 0.4 s × 5/s = 2 tokens, not a fresh burst of 30; a saved
    // level comes back one token lower (a sliver above Amazon's would be spent at once).
    clock.advance(1400ms);
    QuotaLimiter second(clock, 10.0);
    second.restore(levels);
    EXPECT_NEAR(second.tokens("S", Operation::get_order_v0), 2.0, 1e-9);
    EXPECT_NEAR(second.tokens("S", Operation::get_order_items_v0), 28.0, 1e-9);  // 27 - 1 + 2
    EXPECT_EQ(second.reserve("S", Operation::get_order_v0).count(), 0);
    EXPECT_EQ(second.reserve("S", Operation::get_order_v0).count(), 0);
    EXPECT_EQ(std::chrono::duration_cast<std::chrono::milliseconds>(
                  second.reserve("S", Operation::get_order_v0))
                  .count(),
              400);  // 200 ms for the token, 200 ms of margin before the first response
    // Buckets nobody saved start full.
    EXPECT_NEAR(second.tokens("S", Operation::get_order), 30.0, 1e-9);
}

TEST(QuotaLimiter, LevelsCarryTheRegionAndAnotherRegionsLevelsAreNotRestored) {
    ManualClock clock;
    QuotaLimiter eu(clock, 1.0, amazon::Region::eu);
    for (int i = 0; i < 30; ++i) eu.reserve("S", Operation::get_order_v0);
    auto levels = eu.levels();
    ASSERT_EQ(levels.size(), 1u);
    EXPECT_EQ(levels[0].region, amazon::Region::eu);
    QuotaLimiter na(clock, 1.0, amazon::Region::na);
    na.restore(levels);
    EXPECT_NEAR(na.tokens("S", Operation::get_order_v0), 30.0, 1e-9) << "the NA bucket is its own";
    QuotaLimiter eu_again(clock, 1.0, amazon::Region::eu);
    eu_again.restore(levels);
    EXPECT_NEAR(eu_again.tokens("S", Operation::get_order_v0), 0.0, 1e-9);
}

TEST(QuotaLimiter, ReservedTokensOfADeadProcessAreNotADebtAndAClockSetBackEarnsNothing) {
    ManualClock clock;
    QuotaLimiter first(clock);
    for (int i = 0; i < 33; ++i) first.reserve("S", Operation::get_order_v0);  // 3 waiting
    auto levels = first.levels();
    EXPECT_NEAR(levels[0].tokens, -3.0, 1e-9);
    QuotaLimiter second(clock);
    second.restore(levels);
    EXPECT_NEAR(second.tokens("S", Operation::get_order_v0), 0.0, 1e-9);
    levels[0].at = clock.now() + std::chrono::hours(1);  // saved "in the future"
    QuotaLimiter third(clock);
    third.restore(levels);
    EXPECT_NEAR(third.tokens("S", Operation::get_order_v0), 0.0, 1e-9);
    // A saved header rate is kept (scaled like the seeded ones).
    levels[0].rate = 0.25;
    QuotaLimiter fourth(clock, 2.0);
    fourth.restore(levels);
    EXPECT_DOUBLE_EQ(fourth.rate("S", Operation::get_order_v0), 0.5);
}

TEST(QuotaLimiter, ChangesCountReservationsDrainsAndRateChanges) {
    ManualClock clock;
    QuotaLimiter q(clock);
    const auto c0 = q.changes();
    q.reserve("S", Operation::get_order);
    EXPECT_GT(q.changes(), c0);
    const auto c1 = q.changes();
    q.set_rate("S", Operation::get_order, 0.5);  // the same rate: no change
    EXPECT_EQ(q.changes(), c1);
    q.set_rate("S", Operation::get_order, 0.25);
    EXPECT_GT(q.changes(), c1);
    const auto c2 = q.changes();
    q.drain("S", Operation::get_order);
    EXPECT_GT(q.changes(), c2);
}

// ---- notifications ------------------------------------------------------------------------------

namespace {

json build_from_schema(const json& s) {
    if (s.contains("properties")) {
        json o = json::object();
        for (auto it = s["properties"].begin(); it != s["properties"].end(); ++it) {
            o[it.key()] = build_from_schema(*it);
        }
        return o;
    }
    if (s.value("type", "") == "array")
        return json::array({build_from_schema(s.value("items", json::object()))});
    if (s.contains("examples") && !s["examples"].empty()) return s["examples"][0];
    if (s.contains("enum")) return s["enum"][0];
    return nullptr;
}

// The schema's own examples, or (FBA inventory has none at the top) one built from the examples
// of its properties.
std::vector<std::string> schema_examples(const std::string& file) {
    auto s = json::parse(test::read_file(test::data_dir() / "sp-api/schemas/notifications" / file));
    std::vector<std::string> out;
    if (s.contains("examples")) {
        for (const auto& e : s["examples"]) out.push_back(e.dump());
    }
    if (out.empty()) out.push_back(build_from_schema(s).dump());
    return out;
}

}  // namespace

TEST(Notifications, OrderChangeSchemaExampleDecodes) {
    for (const auto& body : schema_examples("OrderChangeNotification.json")) {
        auto d = decode_notification(body);
        ASSERT_EQ(d.status, DecodeStatus::decoded) << d.reason;
        const auto& e = std::get<OrderChangeEvent>(d.notification->event);
        EXPECT_EQ(e.amazon_order_id, "903-8868176-2219830");
        EXPECT_EQ(e.order_change_type, "BuyerRequestedChange");
        EXPECT_EQ(e.fulfillment_type, "MFN");
        ASSERT_FALSE(e.items.empty());
        EXPECT_TRUE(e.items[0].is_buyer_requested_cancel);
        EXPECT_EQ(d.notification->metadata.notification_id, d.notification_id);
        EXPECT_FALSE(d.notification_id.empty());
    }
}

TEST(Notifications, FbaInventorySchemaDecodes) {
    for (const auto& body : schema_examples("FBAInventoryAvailabilityChangeNotification.json")) {
        auto d = decode_notification(body);
        ASSERT_EQ(d.status, DecodeStatus::decoded) << d.reason;
        const auto& e = std::get<FbaInventoryChangeEvent>(d.notification->event);
        EXPECT_EQ(e.sku, "SELLERSKU-1");
        ASSERT_EQ(e.marketplaces.size(), 1u);
        EXPECT_EQ(e.marketplaces[0].marketplace_id, "ATVPDKIKX0DER");
    }
}

TEST(Notifications, FulfillmentOrderStatusSchemaExampleDecodes) {
    for (const auto& body : schema_examples("FulfillmentOrderStatusNotification.json")) {
        auto d = decode_notification(body);
        ASSERT_EQ(d.status, DecodeStatus::decoded) << d.reason;
        const auto& e = std::get<FulfillmentOrderStatusEvent>(d.notification->event);
        EXPECT_EQ(e.seller_fulfillment_order_id, "SFOID2345");
        EXPECT_EQ(e.packages.size(), 3u);
        EXPECT_EQ(e.packages[1].package_number, 2);
        EXPECT_EQ(e.returned_quantity, 12);
    }
}

TEST(Notifications, CamelCaseReportAndFeedExamplesDecode) {
    auto reports = schema_examples("ReportProcessingFinishedNotification.json");
    ASSERT_EQ(reports.size(), 2u);
    for (const auto& body : reports) {
        auto d = decode_notification(body);
        ASSERT_EQ(d.status, DecodeStatus::decoded) << d.reason;
        const auto& e = std::get<ReportProcessingFinishedEvent>(d.notification->event);
        EXPECT_EQ(e.report_id, "54517018502");
        EXPECT_EQ(e.processing_status, "CANCELLED");
    }
    auto feeds = schema_examples("FeedProcessingFinishedNotification.json");
    ASSERT_EQ(feeds.size(), 2u);
    for (const auto& body : feeds) {
        auto d = decode_notification(body);
        ASSERT_EQ(d.status, DecodeStatus::decoded) << d.reason;
        const auto& e = std::get<FeedProcessingFinishedEvent>(d.notification->event);
        EXPECT_EQ(e.feed_id, "53347018456");
        EXPECT_EQ(e.processing_status, "DONE");
        EXPECT_FALSE(e.result_feed_document_id.empty());
    }
}

TEST(Notifications, EitherCasingDecodes) {
    auto body = schema_examples("OrderChangeNotification.json")[0];
    // Rewrite the PascalCase envelope in camelCase: still decoded.
    auto j = json::parse(body);
    json camel{{"notificationType", j["NotificationType"]},
               {"payload", {{"orderChangeNotification", j["Payload"]["OrderChangeNotification"]}}},
               {"notificationMetadata", {{"notificationId", "n-1"}}}};
    auto d = decode_notification(camel.dump());
    ASSERT_EQ(d.status, DecodeStatus::decoded);
    EXPECT_EQ(d.notification_id, "n-1");
}

TEST(Notifications, UnknownTypeAndMalformedBodiesNeverThrow) {
    auto unknown = decode_notification(
        R"({"NotificationType":"ANY_OFFER_CHANGED","Payload":{},"NotificationMetadata":{"NotificationId":"x"}})");
    EXPECT_EQ(unknown.status, DecodeStatus::unknown_type);
    EXPECT_EQ(unknown.notification_type, "ANY_OFFER_CHANGED");
    for (std::string_view bad :
         {"", "not json", "[]", "{}", R"({"NotificationType":"ORDER_CHANGE"})",
          R"({"NotificationType":"ORDER_CHANGE","Payload":{"OrderChangeNotification":7}})",
          R"({"NotificationType":5})", "{\"a\":\xff}"}) {
        auto d = decode_notification(bad);
        EXPECT_EQ(d.status, DecodeStatus::malformed) << bad;
        EXPECT_FALSE(d.reason.empty());
    }
    EXPECT_EQ(notification_key(unknown, ""), "sp-notification:x");
}

TEST(FulfilledShipmentsReport, ParsesColumnsByName) {
    auto t = parse_fulfilled_shipments(
        "tracking-number\tamazon-order-id\tcarrier\r\n1Z1\tA\tUPS\r\n\tB\tUPS\r\n1Z1\tA\tUPS\r\n"
        "T2\tA\t\r\n");
    ASSERT_EQ(t.size(), 1u);
    EXPECT_EQ(t.at("A"), "UPS 1Z1, T2");
    EXPECT_TRUE(parse_fulfilled_shipments("no header here\n").empty());
}

TEST(FulfilledShipmentsReport, ShortRowsAndMissingCarrierColumn) {
    auto t = parse_fulfilled_shipments("amazon-order-id\ttracking-number\nA\nB\tT9\n\nC\t\n");
    ASSERT_EQ(t.size(), 1u);
    EXPECT_EQ(t.at("B"), "T9");
}

namespace clarity::amazon {
namespace {

TEST(OrderAcknowledgementFeed, CancellationsAreATabSeparatedDocumentAndTheReportNamesRefusedRows) {
    EXPECT_EQ(encode_order_cancellations({{"113-1234567-1234567", "NoInventory"},
                                          {"113-7654321-7654321", "BuyerCanceled"}}),
              "order-id\tcancellation-reason-code\tamazon-order-item-code\n"
              "113-1234567-1234567\tNoInventory\t\n"
              "113-7654321-7654321\tBuyerCanceled\t\n");
    // The processing report: a summary, then the table of refused rows (any column order, CRLF).
    const std::string report =
        "Feed Processing Summary:\r\n\tNumber of records processed\t\t2\r\n"
        "\tNumber of records successful\t\t1\r\n\r\n"
        "original-record-number\torder-id\terror-code\terror-type\terror-message\r\n"
        "2\t113-7654321-7654321\t18091\tError\tThe order has shipped and cannot be cancelled.\r\n";
    auto problems = decode_flat_file_processing_report(report);
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_EQ(problems[0].record, "2");
    EXPECT_EQ(problems[0].order_id, "113-7654321-7654321");
    EXPECT_EQ(problems[0].code, "18091");
    EXPECT_EQ(problems[0].type, "Error");
    EXPECT_EQ(problems[0].message, "The order has shipped and cannot be cancelled.");
    EXPECT_TRUE(decode_flat_file_processing_report("Feed Processing Summary:\n\tNumber of records "
                                                   "processed\t\t1\n")
                    .empty());
    EXPECT_TRUE(decode_flat_file_processing_report("").empty());
    EXPECT_EQ(cancellation_reason_codes().front(), "NoInventory");
}

}  // namespace
}  // namespace clarity::amazon
