// Decoders against the models' x-amzn-api-sandbox static examples (the models are the contract).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "clarity/amazon/api_error.hpp"
#include "clarity/amazon/fba_inventory_api.hpp"
#include "clarity/amazon/feeds_api.hpp"
#include "clarity/amazon/finances_api.hpp"
#include "clarity/amazon/fulfillment_outbound_api.hpp"
#include "clarity/amazon/listings_items_api.hpp"
#include "clarity/amazon/notifications_api.hpp"
#include "clarity/amazon/orders.hpp"
#include "clarity/amazon/reports_api.hpp"
#include "support/test_env.hpp"

using namespace clarity;
using namespace clarity::amazon;
using nlohmann::json;

namespace {

json load_model(const std::string& rel) {
    return json::parse(test::read_file(test::data_dir() / "sp-api/models" / rel));
}

// Every static example response body of (path, method, status).
std::vector<std::string> examples(const json& model,
                                  const std::string& path,
                                  const std::string& method,
                                  const std::string& status) {
    std::vector<std::string> out;
    const auto& resp = model.at("paths").at(path).at(method).at("responses").at(status);
    if (!resp.contains("x-amzn-api-sandbox")) return out;
    for (const auto& s : resp["x-amzn-api-sandbox"].value("static", json::array())) {
        out.push_back(s.at("response").dump());
    }
    return out;
}

}  // namespace

TEST(SandboxExamples, Orders2026SearchOrdersAndGetOrderDecode) {
    auto m = load_model("orders-api-model/orders_2026-01-01.json");
    auto search = examples(m, "/orders/2026-01-01/orders", "get", "200");
    ASSERT_EQ(search.size(), 3u);
    int with_token = 0;
    for (const auto& body : search) {
        auto page = decode_search_orders(body);
        ASSERT_TRUE(page) << page.error().describe();
        ASSERT_FALSE(page->orders.empty());
        for (const auto& o : page->orders) {
            EXPECT_FALSE(o.order_id.empty());
            EXPECT_FALSE(o.items.empty());
            for (const auto& i : o.items) EXPECT_GT(i.quantity_ordered, 0);
        }
        with_token += page->next_token.has_value();
    }
    EXPECT_GE(with_token, 1);

    auto get = examples(m, "/orders/2026-01-01/orders/{orderId}", "get", "200");
    ASSERT_EQ(get.size(), 3u);
    auto first = decode_get_order(get[0]);
    ASSERT_TRUE(first);
    EXPECT_EQ(first->order_id, "171-9876543-2109876");
    EXPECT_EQ(first->marketplace_id, "A2Q3Y263D00KWC");
    EXPECT_EQ(first->fulfillment_status, "UNSHIPPED");
    EXPECT_EQ(first->fulfilled_by, "MERCHANT");
    ASSERT_TRUE(first->grand_total);
    EXPECT_EQ(first->grand_total->amount, *model::Decimal::parse("299.90"));
    EXPECT_EQ(first->grand_total->currency, "BRL");
    ASSERT_TRUE(first->delivery_address);
    EXPECT_EQ(first->delivery_address->postal_code, "01234-567");
    ASSERT_EQ(first->items.size(), 1u);
    EXPECT_EQ(first->items[0].seller_sku, "ECHO-DOT-4-BR-PRETO");
    EXPECT_EQ(first->items[0].promotion_ids, std::vector<std::string>{"BR-NATAL-2024"});
    EXPECT_FALSE(first->items[0].gift_message.empty());
    ASSERT_TRUE(first->items[0].unit_price);
    for (const auto& body : get) EXPECT_TRUE(decode_get_order(body));

    for (const auto& body : examples(m, "/orders/2026-01-01/orders", "get", "400")) {
        net::HttpResponse r{400, {{"x-amzn-RequestId", "req-1"}}, body};
        auto c = classify_sp_api_response(r, "searchOrders");
        EXPECT_EQ(c.error.kind, ErrorKind::permanent);
        EXPECT_EQ(c.error.request_id, "req-1");
        EXPECT_NE(c.error.message.find("InvalidInput"), std::string::npos);
    }
}

TEST(SandboxExamples, OrdersV0GetOrdersItemsAndConfirmShipment) {
    auto m = load_model("orders-api-model/ordersV0.json");
    auto orders = examples(m, "/orders/v0/orders", "get", "200");
    ASSERT_FALSE(orders.empty());
    for (const auto& body : orders) {
        auto page = decode_get_orders_v0(body);
        ASSERT_TRUE(page) << page.error().describe();
        EXPECT_FALSE(page->orders.empty());
    }
    auto page = decode_get_orders_v0(orders[0]);
    EXPECT_EQ(page->orders[0].amazon_order_id, "902-1845936-5435065");
    EXPECT_EQ(page->orders[0].order_status, "Unshipped");
    EXPECT_EQ(page->orders[0].order_total->amount, *model::Decimal::parse("11.01"));

    auto items = examples(m, "/orders/v0/orders/{orderId}/orderItems", "get", "200");
    ASSERT_FALSE(items.empty());
    auto it = decode_get_order_items_v0(items[0]);
    ASSERT_TRUE(it);
    ASSERT_EQ(it->items.size(), 1u);
    EXPECT_EQ(it->items[0].seller_sku, "NABetaASINB00551Q3CS");
    EXPECT_FALSE(it->items[0].is_gift);  // the string "false"
    EXPECT_TRUE(it->items[0].buyer_requested_cancel);
    EXPECT_EQ(it->items[0].item_price->amount, *model::Decimal::parse("10.00"));

    // Our encoder reproduces the 204 example's request body exactly.
    const auto& ex = m["paths"]["/orders/v0/orders/{orderId}/shipmentConfirmation"]["post"]
                      ["responses"]["204"]["x-amzn-api-sandbox"]["static"][0];
    ConfirmShipmentRequest req{"ATVPDKIKX0DER",
                               "1",
                               "FedEx",
                               "FedEx",
                               "FedEx Ground",
                               "112345678",
                               "2022-02-11T01:00:00.000Z",
                               "057d3fcc-b750-419f-bbcd-4d340c60c430",
                               {{"79039765272157", 1, {"09876543211234567890"}}}};
    EXPECT_EQ(json::parse(encode_confirm_shipment(req)),
              ex["request"]["parameters"]["body"]["value"]);
}

TEST(SandboxExamples, RestrictedDataTokenDecodes) {
    auto m = load_model("tokens-api-model/tokens_2021-03-01.json");
    for (const auto& body : examples(m, "/tokens/2021-03-01/restrictedDataToken", "post", "200")) {
        auto t = decode_rdt_response(body);
        ASSERT_TRUE(t);
        EXPECT_TRUE(t->token.starts_with("Atz.sprdt|"));
        EXPECT_EQ(t->expires_in, 3600);
    }
}

TEST(SandboxExamples, ReportsFeedsListingsFinancesNotificationsDecode) {
    auto reports = load_model("reports-api-model/reports_2021-06-30.json");
    for (const auto& b : examples(reports, "/reports/2021-06-30/reports", "get", "200")) {
        auto p = decode_reports(b);
        ASSERT_TRUE(p);
        EXPECT_TRUE(p->next_token);
    }
    for (const auto& b :
         examples(reports, "/reports/2021-06-30/reports/{reportId}", "get", "200")) {
        EXPECT_TRUE(decode_report(b));
    }
    for (const auto& b :
         examples(reports, "/reports/2021-06-30/documents/{reportDocumentId}", "get", "200")) {
        auto d = decode_document_location(b, "reportDocumentId");
        ASSERT_TRUE(d);
        EXPECT_FALSE(d->url.empty());
    }
    auto feeds = load_model("feeds-api-model/feeds_2021-06-30.json");
    for (const auto& b : examples(feeds, "/feeds/2021-06-30/feeds/{feedId}", "get", "200")) {
        EXPECT_TRUE(decode_feed(b));
    }
    for (const auto& b : examples(feeds, "/feeds/2021-06-30/feeds", "post", "202")) {
        EXPECT_TRUE(decode_create_feed(b));
    }
    for (const auto& b : examples(feeds, "/feeds/2021-06-30/documents", "post", "201")) {
        EXPECT_TRUE(decode_feed_document_upload(b, "text/tab-separated-values; charset=UTF-8"));
    }
    auto listings = load_model("listings-items-api-model/listingsItems_2021-08-01.json");
    const std::string lp = "/listings/2021-08-01/items/{sellerId}/{sku}";
    for (const auto& b : examples(listings, lp, "get", "200")) {
        auto item = decode_listings_item(b);
        ASSERT_TRUE(item);
        EXPECT_FALSE(item->summaries.empty());
    }
    for (const auto& b : examples(listings, lp, "patch", "200")) {
        EXPECT_TRUE(decode_listings_submission(b));
    }
    auto fin = load_model("finances-api-model/financesV0.json");
    for (const auto& b : examples(fin, "/finances/v0/financialEventGroups", "get", "200")) {
        auto g = decode_financial_event_groups(b);
        ASSERT_TRUE(g);
        ASSERT_FALSE(g->groups.empty());
        EXPECT_EQ(g->groups[0].original_total->amount, *model::Decimal::parse("10.34"));
    }
    for (const auto& b : examples(fin, "/finances/v0/financialEvents", "get", "200")) {
        EXPECT_TRUE(decode_financial_events(b));
    }
    auto fin24 = load_model("finances-api-model/finances_2024-06-19.json");
    for (const auto& b : examples(fin24, "/finances/2024-06-19/transactions", "get", "200")) {
        auto t = decode_transactions(b);
        ASSERT_TRUE(t);
        EXPECT_FALSE(t->transactions.empty());
    }
    auto notif = load_model("notifications-api-model/notifications.json");
    for (const auto& b : examples(notif, "/notifications/v1/destinations", "get", "200")) {
        auto d = decode_destinations(b);
        ASSERT_TRUE(d);
        EXPECT_EQ(d->at(0).sqs_arn, "arn:aws:sqs:us-east-2:444455556666:queue1");
    }
    for (const auto& b : examples(notif, "/notifications/v1/destinations", "post", "200")) {
        EXPECT_TRUE(decode_destination(b));
    }
    for (const auto& b :
         examples(notif, "/notifications/v1/subscriptions/{notificationType}", "post", "200")) {
        auto s = decode_subscription(b);
        ASSERT_TRUE(s);
        EXPECT_EQ(s->destination_id, "TEST_CASE_200_DESTINATION_ID");
    }
}

TEST(SandboxExamples, ListingsFeedProcessingReportExampleDecodes) {
    auto body = test::read_file(test::data_dir() /
                                "sp-api/schemas/feeds/"
                                "listings-feed-processing-report-schema-v2.example.json");
    auto r = decode_listings_feed_report(body);
    ASSERT_TRUE(r);
    EXPECT_GT(r->messages_processed, 0);
    EXPECT_FALSE(r->issues.empty());
}

// Bodies cut short or damaged ("", "{", "[1,2") are transient (issue #18 item 3: retried);
// complete JSON of the wrong shape is permanent. Neither crashes.
TEST(Codecs, MalformedBodiesAreErrorsOfTheirKindNotCrashes) {
    for (std::string_view bad : {"", "{", "[1,2", "null", "{\"orders\": 5}"}) {
        auto r = decode_search_orders(bad);
        ASSERT_FALSE(r);
        const bool complete = bad == "null" || bad.starts_with("{\"");
        EXPECT_EQ(r.error().kind, complete ? ErrorKind::permanent : ErrorKind::transient) << bad;
        EXPECT_FALSE(decode_get_order(bad));
        EXPECT_FALSE(decode_get_orders_v0(bad));
        EXPECT_FALSE(decode_inventory_summaries(bad));
    }
}

TEST(Codecs, QuantityPatchCarriesProductTypeAndMerge) {
    auto r = ListingsPatchRequest::quantity("LUGGAGE", {"ATVPDKIKX0DER"}, 7);
    auto j = json::parse(encode_listings_patch(r));
    EXPECT_EQ(j["productType"], "LUGGAGE");
    EXPECT_EQ(j["patches"][0]["op"], "merge");
    EXPECT_EQ(j["patches"][0]["path"], "/attributes/fulfillment_availability");
    EXPECT_EQ(j["patches"][0]["value"][0]["quantity"], 7);
    EXPECT_EQ(j["patches"][0]["value"][0]["fulfillment_channel_code"], "DEFAULT");
}

TEST(Codecs, SearchOrdersQueryUsesCsvAndEncoding) {
    SearchOrdersRequest r;
    r.last_updated_after = "2026-01-01T00:00:00Z";
    r.marketplace_ids = {"ATVPDKIKX0DER", "A2EUQ1WTGCTBG2"};
    r.included_data = {"BUYER", "RECIPIENT"};
    r.pagination_token = "a+b/c=";
    EXPECT_EQ(
        encode_search_orders_query(r),
        "lastUpdatedAfter=2026-01-01T00%3A00%3A00Z&marketplaceIds=ATVPDKIKX0DER%2CA2EUQ1WTGCTBG2"
        "&paginationToken=a%2Bb%2Fc%3D&includedData=BUYER%2CRECIPIENT");
    ReportsRequest rr;
    rr.report_types = {"GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2"};
    rr.next_token = "tok";
    EXPECT_EQ(encode_reports_query(rr), "nextToken=tok");  // nextToken goes alone
}
