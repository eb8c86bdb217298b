// The models' x-amzn-api-sandbox static examples replayed over a real loopback socket: the fake
// SP-API in sandbox mode serves them (matched on the example's request parameters, as Amazon's
// static sandbox does), and the connector's typed operations send the example's request and decode
// the example's response, or classify its error. The decoders alone are checked against the same
// examples in tests/unit/amazon/sandbox_examples_test.cpp; this adds the request side (paths,
// query encoding, bodies) and the whole call path.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

#include "clarity/amazon/api_error.hpp"
#include "harness.hpp"
#include "sp_api/fake_sp_api_sandbox.hpp"
#include "support/test_env.hpp"

using namespace clarity;
using namespace clarity::amazon;
using clarity::test::Harness;
using clarity::test::run;
using nlohmann::json;

namespace {

std::filesystem::path reference() { return test::data_dir() / "sp-api"; }

fakes::sp_api::FakeOptions sandbox_options() {
    auto fo = test::fast();
    fo.sandbox_reference = reference();
    return fo;
}

struct Example {
    int status = 0;
    json params;
    json response;

    bool has(const std::string& name) const {
        return params.contains(name) && params[name].contains("value");
    }
    std::string str(const std::string& name) const {
        if (!has(name)) return {};
        const auto& v = params[name]["value"];
        return v.is_string() ? v.get<std::string>() : v.dump();
    }
    std::optional<std::string> opt(const std::string& name) const {
        if (!has(name)) return std::nullopt;
        return str(name);
    }
    std::optional<int> integer(const std::string& name) const {
        if (!has(name)) return std::nullopt;
        return std::stoi(str(name));
    }
    std::vector<std::string> list(const std::string& name) const {
        std::vector<std::string> out;
        if (!has(name)) return out;
        for (const auto& v : params[name]["value"]) out.push_back(v.get<std::string>());
        return out;
    }
    json body() const { return has("body") ? params["body"]["value"] : json(); }
    bool is_success() const { return status >= 200 && status < 300; }
};

// Every static example of one operation, all status codes, in the model's order.
std::vector<Example> examples(const std::string& model,
                              const std::string& path,
                              const std::string& method) {
    auto m = json::parse(test::read_file(reference() / "models" / model));
    std::vector<Example> out;
    for (const auto& [code, resp] : m.at("paths").at(path).at(method).at("responses").items()) {
        if (!resp.contains("x-amzn-api-sandbox")) continue;
        for (const auto& ex : resp["x-amzn-api-sandbox"].value("static", json::array())) {
            out.push_back({std::stoi(code),
                           ex.value("request", json::object()).value("parameters", json::object()),
                           ex.value("response", json())});
        }
    }
    return out;
}

// A 4xx example: the connector returns a classified error carrying the request id and the code.
template <class T>
void expect_classified(const Result<T>& r, const Example& ex, const std::string& what) {
    ASSERT_FALSE(r) << what << ": expected the " << ex.status << " example";
    EXPECT_EQ(r.error().kind, ErrorKind::permanent) << what << ": " << r.error().describe();
    EXPECT_EQ(r.error().http_status, ex.status) << what;
    EXPECT_FALSE(r.error().request_id.empty()) << what;
    const auto code = ex.response.at("errors").at(0).at("code").get<std::string>();
    EXPECT_NE(r.error().message.find(code), std::string::npos)
        << what << ": " << r.error().describe();
}

template <class T>
void expect_success(const Result<T>& r, const Example& ex, const std::string& what) {
    ASSERT_TRUE(r) << what << " (" << ex.params.dump() << "): " << r.error().describe();
}

// The raw call path for an example request the typed operation cannot express (a delegated
// Restricted Data Token, a body without a required field): sent exactly as the example lists it.
Result<net::HttpResponse> send_raw(Harness& h, Operation op, const json& body) {
    SpApiCall c{op, std::string(operation_info(op).path), {}, body.dump(), {}, {}};
    return run(h.io, h.client->call(std::move(c)));
}

void use_marketplaces(Harness& h, std::vector<std::string> ids) {
    auto o = h.options;
    o.marketplace_ids = std::move(ids);
    h.client.emplace(h.http, *h.lwa, h.quota, h.clock, h.random, h.metrics, o);
}

ConfirmShipmentRequest confirm_from(const json& b) {
    const auto& p = b.at("packageDetail");
    auto text = [&](const char* key) { return p.value(key, std::string()); };
    ConfirmShipmentRequest r;
    r.marketplace_id = b.at("marketplaceId").get<std::string>();
    r.package_reference_id = text("packageReferenceId");
    r.carrier_code = text("carrierCode");
    r.carrier_name = text("carrierName");
    r.shipping_method = text("shippingMethod");
    r.tracking_number = text("trackingNumber");
    r.ship_date = text("shipDate");
    if (p.contains("shipFromSupplySourceId"))
        r.ship_from_supply_source_id = text("shipFromSupplySourceId");
    for (const auto& i : p.at("orderItems")) {
        ConfirmShipmentItem item;
        item.order_item_id = i.at("orderItemId").get<std::string>();
        item.quantity = i.at("quantity").get<std::int64_t>();
        item.transparency_codes = i.value("transparencyCodes", std::vector<std::string>{});
        r.items.push_back(std::move(item));
    }
    return r;
}

}  // namespace

TEST(SandboxReplay, EveryOperationWithStaticExamplesIsReplayedHere) {
    // The operations this file replays; inventory and MCF 2020-07-01 declare only a dynamic
    // sandbox, and getOrder v0 is not called by the connector. A model refresh that adds static
    // examples elsewhere fails here, so the replay grows with the models.
    const std::set<std::string> replayed = {"searchOrders",
                                            "getOrder",
                                            "getOrders",
                                            "getOrderItems",
                                            "confirmShipment",
                                            "createRestrictedDataToken",
                                            "getListingsItem",
                                            "patchListingsItem",
                                            "createFeedDocument",
                                            "createFeed",
                                            "getFeed",
                                            "getFeedDocument",
                                            "getReports",
                                            "getReport",
                                            "getReportDocument",
                                            "listFinancialEventGroups",
                                            "listFinancialEvents",
                                            "listFinancialEventsByGroupId",
                                            "listTransactions",
                                            "getDestinations",
                                            "createDestination",
                                            "getSubscription",
                                            "createSubscription",
                                            "deleteSubscriptionById"};
    fakes::sp_api::SandboxExamples sandbox(reference());
    std::set<std::string> with_examples;
    for (const auto& info : all_operations()) {
        if (sandbox.count(info.op) > 0 && info.op != Operation::get_order_v0)
            with_examples.insert(std::string(info.name));
    }
    EXPECT_EQ(with_examples, replayed);
    EXPECT_EQ(sandbox.count(Operation::get_inventory_summaries), 0u);
    EXPECT_EQ(sandbox.count(Operation::get_fulfillment_order), 0u);
    EXPECT_EQ(sandbox.count(Operation::search_orders), 4u);
}

TEST(SandboxReplay, Orders2026SearchAndGetOrder) {
    Harness h(sandbox_options());
    int n = 0;
    for (const auto& ex :
         examples("orders-api-model/orders_2026-01-01.json", "/orders/2026-01-01/orders", "get")) {
        SearchOrdersRequest r;
        r.created_after = ex.opt("createdAfter");
        r.marketplace_ids = ex.list("marketplaceIds");
        r.included_data = ex.list("includedData");
        r.pagination_token = ex.opt("paginationToken");
        auto page = run(h.io, h.client->search_orders(r));
        ++n;
        if (!ex.is_success()) {
            expect_classified(page, ex, "searchOrders");
            continue;
        }
        expect_success(page, ex, "searchOrders");
        const auto& want = ex.response.at("orders");
        ASSERT_EQ(page->orders.size(), want.size());
        for (std::size_t i = 0; i < want.size(); ++i) {
            EXPECT_EQ(page->orders[i].order_id, want[i].at("orderId"));
            EXPECT_EQ(page->orders[i].items.size(), want[i].at("orderItems").size());
        }
        EXPECT_EQ(
            page->next_token.has_value(),
            ex.response.contains("pagination") && ex.response["pagination"].contains("nextToken"));
    }
    EXPECT_EQ(n, 4);

    n = 0;
    for (const auto& ex : examples("orders-api-model/orders_2026-01-01.json",
                                   "/orders/2026-01-01/orders/{orderId}", "get")) {
        auto order = run(h.io, h.client->get_order(ex.str("orderId"), ex.list("includedData")));
        ++n;
        if (!ex.is_success()) {
            expect_classified(order, ex, "getOrder");
            continue;
        }
        expect_success(order, ex, "getOrder");
        EXPECT_EQ(order->order_id, ex.response.at("order").at("orderId"));
        EXPECT_EQ(order->items.size(), ex.response["order"].at("orderItems").size());
    }
    EXPECT_EQ(n, 4);
    EXPECT_EQ(h.fake.throttled("getOrder"), 0);
}

TEST(SandboxReplay, OrdersV0OrdersItemsAndConfirmShipment) {
    Harness h(sandbox_options());
    int n = 0;
    for (const auto& ex : examples("orders-api-model/ordersV0.json", "/orders/v0/orders", "get")) {
        GetOrdersRequestV0 r;
        r.created_after = ex.opt("CreatedAfter");
        r.marketplace_ids = ex.list("MarketplaceIds");
        r.next_token = ex.opt("NextToken");
        auto page = run(h.io, h.client->get_orders_v0(r, false));
        ++n;
        if (!ex.is_success()) {
            expect_classified(page, ex, "getOrders");
            continue;
        }
        expect_success(page, ex, "getOrders");
        const auto& want = ex.response.at("payload").at("Orders");
        ASSERT_EQ(page->orders.size(), want.size());
        EXPECT_EQ(page->orders.at(0).amazon_order_id, want[0].at("AmazonOrderId"));
        EXPECT_EQ(page->next_token.has_value(), ex.response["payload"].contains("NextToken"));
    }
    EXPECT_EQ(n, 4);

    n = 0;
    for (const auto& ex : examples("orders-api-model/ordersV0.json",
                                   "/orders/v0/orders/{orderId}/orderItems", "get")) {
        auto items = run(h.io, h.client->get_order_items_v0(ex.str("orderId"), false));
        ++n;
        if (!ex.is_success()) {
            expect_classified(items, ex, "getOrderItems");
            continue;
        }
        expect_success(items, ex, "getOrderItems");
        const auto& want = ex.response.at("payload").at("OrderItems");
        ASSERT_EQ(items->items.size(), want.size());
        EXPECT_EQ(items->items[0].seller_sku, want[0].at("SellerSKU"));
    }
    EXPECT_EQ(n, 2);

    n = 0;
    for (const auto& ex : examples("orders-api-model/ordersV0.json",
                                   "/orders/v0/orders/{orderId}/shipmentConfirmation", "post")) {
        auto r = run(h.io, h.client->confirm_shipment(ex.str("orderId"), confirm_from(ex.body())));
        ++n;
        if (ex.is_success()) {
            expect_success(r, ex, "confirmShipment");
        } else {
            expect_classified(r, ex, "confirmShipment");  // the US-style shipDate is refused
        }
    }
    EXPECT_EQ(n, 2);
}

TEST(SandboxReplay, RestrictedDataTokens) {
    Harness h(sandbox_options());
    int n = 0;
    for (const auto& ex : examples("tokens-api-model/tokens_2021-03-01.json",
                                   "/tokens/2021-03-01/restrictedDataToken", "post")) {
        ++n;
        const auto body = ex.body();
        if (!body.contains("targetApplication")) {
            // The connector's own form: restricted resources for this application.
            std::vector<RestrictedResource> resources;
            for (const auto& r : body.at("restrictedResources")) {
                RestrictedResource res;
                res.method = r.at("method").get<std::string>();
                res.path = r.at("path").get<std::string>();
                res.data_elements = r.value("dataElements", std::vector<std::string>{});
                resources.push_back(std::move(res));
            }
            auto t = run(h.io, h.client->create_restricted_data_token(resources));
            expect_success(t, ex, "createRestrictedDataToken");
            EXPECT_EQ(t->token, ex.response.at("restrictedDataToken"));
            EXPECT_EQ(t->expires_in, ex.response.at("expiresIn"));
            continue;
        }
        // Delegation to another application (targetApplication): not a typed request of ours;
        // sent through the same call path, decoded by the same decoder.
        auto raw = send_raw(h, Operation::create_restricted_data_token, body);
        if (ex.is_success()) {
            ASSERT_TRUE(raw) << raw.error().describe();
            auto t = decode_rdt_response(raw->body);
            ASSERT_TRUE(t);
            EXPECT_EQ(t->token, ex.response.at("restrictedDataToken"));
        } else {
            expect_classified(raw, ex, "createRestrictedDataToken (delegated)");
        }
    }
    EXPECT_EQ(n, 3);
}

TEST(SandboxReplay, ListingsGetAndPatch) {
    Harness h(sandbox_options());
    const std::string path = "/listings/2021-08-01/items/{sellerId}/{sku}";
    const std::string model = "listings-items-api-model/listingsItems_2021-08-01.json";
    int n = 0;
    for (const auto& ex : examples(model, path, "get")) {
        const std::string sku =
            ex.has("sku") ? ex.str("sku") : ex.response.value("sku", std::string("GM-ZDPI-9B4E"));
        auto item = run(h.io, h.client->get_listings_item(sku, {"summaries", "issues"}));
        ++n;
        if (!ex.is_success()) {
            expect_classified(item, ex, "getListingsItem");
            continue;
        }
        expect_success(item, ex, "getListingsItem");
        EXPECT_EQ(item->sku, ex.response.at("sku"));
        EXPECT_EQ(item->summaries.size(), ex.response.at("summaries").size());
    }
    EXPECT_EQ(n, 2);

    n = 0;
    for (const auto& ex : examples(model, path, "patch")) {
        auto r = ListingsPatchRequest::quantity("PRODUCT", ex.list("marketplaceIds"), 5);
        r.included_data = ex.list("includedData");
        r.validation_preview = ex.str("mode") == "VALIDATION_PREVIEW";
        const std::string sku =
            ex.has("sku") ? ex.str("sku") : ex.response.value("sku", std::string("GM-ZDPI-9B4E"));
        auto sub = run(h.io, h.client->patch_listings_item(sku, r));
        ++n;
        if (!ex.is_success()) {
            expect_classified(sub, ex, "patchListingsItem");
            continue;
        }
        expect_success(sub, ex, "patchListingsItem");
        EXPECT_EQ(sub->status, ex.response.at("status"));
        EXPECT_EQ(sub->submission_id, ex.response.at("submissionId"));
        EXPECT_EQ(sub->issues.size(), ex.response.value("issues", json::array()).size());
    }
    EXPECT_EQ(n, 4);
}

TEST(SandboxReplay, FeedsDocumentsFeedsAndResults) {
    Harness h(sandbox_options());
    const std::string model = "feeds-api-model/feeds_2021-06-30.json";
    int n = 0;
    for (const auto& ex : examples(model, "/feeds/2021-06-30/documents", "post")) {
        ++n;
        const auto body = ex.body();
        if (body.contains("contentType")) {
            auto doc = run(
                h.io, h.client->create_feed_document(body.at("contentType").get<std::string>()));
            expect_success(doc, ex, "createFeedDocument");
            EXPECT_EQ(doc->feed_document_id, ex.response.at("feedDocumentId"));
            EXPECT_EQ(doc->url, ex.response.at("url"));
        } else {
            // An empty body: the typed operation always names a content type.
            expect_classified(send_raw(h, Operation::create_feed_document, body), ex,
                              "createFeedDocument {}");
        }
    }
    EXPECT_EQ(n, 2);

    n = 0;
    for (const auto& ex : examples(model, "/feeds/2021-06-30/feeds", "post")) {
        ++n;
        const auto body = ex.body();
        use_marketplaces(h, body.at("marketplaceIds").get<std::vector<std::string>>());
        if (body.contains("feedType")) {
            auto id =
                run(h.io, h.client->create_feed(body.at("feedType").get<std::string>(),
                                                body.at("inputFeedDocumentId").get<std::string>()));
            expect_success(id, ex, "createFeed");
            EXPECT_EQ(*id, ex.response.at("feedId"));
        } else {
            // Without feedType: the typed operation cannot omit it.
            expect_classified(send_raw(h, Operation::create_feed, body), ex, "createFeed");
        }
    }
    EXPECT_EQ(n, 2);

    n = 0;
    for (const auto& ex : examples(model, "/feeds/2021-06-30/feeds/{feedId}", "get")) {
        auto feed = run(h.io, h.client->get_feed(ex.str("feedId")));
        ++n;
        if (!ex.is_success()) {
            expect_classified(feed, ex, "getFeed");
            continue;
        }
        expect_success(feed, ex, "getFeed");
        EXPECT_EQ(feed->feed_id, ex.response.at("feedId"));
        EXPECT_EQ(feed->processing_status, ex.response.at("processingStatus"));
    }
    EXPECT_EQ(n, 2);

    n = 0;
    for (const auto& ex : examples(model, "/feeds/2021-06-30/documents/{feedDocumentId}", "get")) {
        auto loc = run(h.io, h.client->get_feed_document(ex.str("feedDocumentId")));
        ++n;
        if (!ex.is_success()) {
            expect_classified(loc, ex, "getFeedDocument");
            continue;
        }
        expect_success(loc, ex, "getFeedDocument");
        EXPECT_EQ(loc->document_id, ex.response.at("feedDocumentId"));
        EXPECT_EQ(loc->url, ex.response.at("url"));
        EXPECT_EQ(loc->compression_algorithm, ex.response.value("compressionAlgorithm", ""));
    }
    EXPECT_EQ(n, 2);
}

TEST(SandboxReplay, ReportsListGetAndDocument) {
    Harness h(sandbox_options());
    const std::string model = "reports-api-model/reports_2021-06-30.json";
    int n = 0;
    for (const auto& ex : examples(model, "/reports/2021-06-30/reports", "get")) {
        ReportsRequest r;
        r.report_types = ex.list("reportTypes");
        r.processing_statuses = ex.list("processingStatuses");
        auto page = run(h.io, h.client->get_reports(r));
        ++n;
        if (!ex.is_success()) {
            expect_classified(page, ex, "getReports");
            continue;
        }
        expect_success(page, ex, "getReports");
        const auto& want = ex.response.at("reports");
        ASSERT_EQ(page->reports.size(), want.size());
        EXPECT_EQ(page->reports[0].report_id, want[0].at("reportId"));
        EXPECT_EQ(page->next_token.value_or(""), ex.response.value("nextToken", ""));
    }
    EXPECT_EQ(n, 2);

    n = 0;
    for (const auto& ex : examples(model, "/reports/2021-06-30/reports/{reportId}", "get")) {
        auto report = run(h.io, h.client->get_report(ex.str("reportId")));
        ++n;
        if (!ex.is_success()) {
            expect_classified(report, ex, "getReport");
            continue;
        }
        expect_success(report, ex, "getReport");
        EXPECT_EQ(report->report_id, ex.response.at("reportId"));
        EXPECT_EQ(report->report_type, ex.response.at("reportType"));
    }
    EXPECT_EQ(n, 2);

    n = 0;
    for (const auto& ex :
         examples(model, "/reports/2021-06-30/documents/{reportDocumentId}", "get")) {
        auto loc = run(h.io, h.client->get_report_document(ex.str("reportDocumentId")));
        ++n;
        if (!ex.is_success()) {
            expect_classified(loc, ex, "getReportDocument");
            continue;
        }
        expect_success(loc, ex, "getReportDocument");
        EXPECT_EQ(loc->document_id, ex.response.at("reportDocumentId"));
        EXPECT_EQ(loc->url, ex.response.at("url"));
    }
    EXPECT_EQ(n, 2);
}

TEST(SandboxReplay, FinancesGroupsEventsAndTransactions) {
    Harness h(sandbox_options());
    const std::string v0 = "finances-api-model/financesV0.json";
    int n = 0;
    for (const auto& ex : examples(v0, "/finances/v0/financialEventGroups", "get")) {
        FinancialEventGroupsRequest r;
        r.max_results_per_page = ex.integer("MaxResultsPerPage");
        r.started_before = ex.opt("FinancialEventGroupStartedBefore");
        r.started_after = ex.opt("FinancialEventGroupStartedAfter");
        auto page = run(h.io, h.client->list_financial_event_groups(r));
        ++n;
        if (!ex.is_success()) {
            expect_classified(page, ex, "listFinancialEventGroups");
            continue;
        }
        expect_success(page, ex, "listFinancialEventGroups");
        const auto& want = ex.response.at("payload").at("FinancialEventGroupList");
        ASSERT_EQ(page->groups.size(), want.size());
        EXPECT_EQ(page->groups[0].group_id, want[0].at("FinancialEventGroupId"));
    }
    EXPECT_EQ(n, 2);

    n = 0;
    auto events = examples(v0, "/finances/v0/financialEvents", "get");
    for (const auto& ex :
         examples(v0, "/finances/v0/financialEventGroups/{eventGroupId}/financialEvents", "get"))
        events.push_back(ex);
    for (const auto& ex : events) {
        FinancialEventsRequest r;
        r.max_results_per_page = ex.integer("MaxResultsPerPage");
        r.next_token = ex.opt("NextToken");
        r.event_group_id = ex.opt("eventGroupId");
        auto page = run(h.io, h.client->list_financial_events(r));
        ++n;
        if (!ex.is_success()) {
            expect_classified(page, ex, "listFinancialEvents");
            continue;
        }
        expect_success(page, ex, "listFinancialEvents");
        EXPECT_EQ(page->next_token.value_or(""), ex.response.at("payload").value("NextToken", ""));
        EXPECT_FALSE(page->shipment_events.empty() && page->other_lists.empty());
    }
    EXPECT_EQ(n, 4);

    n = 0;
    for (const auto& ex : examples("finances-api-model/finances_2024-06-19.json",
                                   "/finances/2024-06-19/transactions", "get")) {
        TransactionsRequest r;
        r.posted_after = ex.str("postedAfter");
        r.posted_before = ex.opt("postedBefore");
        r.next_token = ex.opt("nextToken");
        auto page = run(h.io, h.client->list_transactions(r));
        ++n;
        if (!ex.is_success()) {
            expect_classified(page, ex, "listTransactions");
            continue;
        }
        expect_success(page, ex, "listTransactions");
        const auto& want = ex.response.at("payload").at("transactions");
        ASSERT_EQ(page->transactions.size(), want.size());
        EXPECT_EQ(page->transactions[0].transaction_id, want[0].value("transactionId", ""));
    }
    EXPECT_EQ(n, 2);
}

TEST(SandboxReplay, NotificationsDestinationsAndSubscriptions) {
    Harness h(sandbox_options());
    const std::string model = "notifications-api-model/notifications.json";
    for (const auto& ex : examples(model, "/notifications/v1/destinations", "get")) {
        auto d = run(h.io, h.client->get_destinations());
        expect_success(d, ex, "getDestinations");
        ASSERT_EQ(d->size(), ex.response.at("payload").size());
        EXPECT_EQ(d->at(0).destination_id, ex.response["payload"][0].at("destinationId"));
    }
    for (const auto& ex : examples(model, "/notifications/v1/destinations", "post")) {
        auto d = run(h.io, h.client->create_destination(
                               "clarity-na", "arn:aws:sqs:us-east-2:444455556666:queue1"));
        expect_success(d, ex, "createDestination");
        EXPECT_EQ(d->destination_id, ex.response.at("payload").at("destinationId"));
    }
    const std::string sub_path = "/notifications/v1/subscriptions/{notificationType}";
    for (const auto& ex : examples(model, sub_path, "get")) {
        auto s = run(h.io, h.client->get_subscription("ANY_OFFER_CHANGED"));
        expect_success(s, ex, "getSubscription");
        EXPECT_EQ(s->subscription_id, ex.response.at("payload").at("subscriptionId"));
    }
    for (const auto& ex : examples(model, sub_path, "post")) {
        CreateSubscriptionRequest r;
        r.notification_type = "ORDER_CHANGE";
        r.destination_id = "TEST_CASE_200_DESTINATION_ID";
        auto s = run(h.io, h.client->create_subscription(r));
        expect_success(s, ex, "createSubscription");
        EXPECT_EQ(s->subscription_id, ex.response.at("payload").at("subscriptionId"));
    }
    int n = 0;
    for (const auto& ex : examples(model, sub_path + "/{subscriptionId}", "delete")) {
        auto r = run(h.io, h.client->delete_subscription_by_id("ORDER_CHANGE", "sub-1"));
        expect_success(r, ex, "deleteSubscriptionById");
        ++n;
    }
    EXPECT_EQ(n, 1);
}

TEST(SandboxReplay, DynamicOnlyOperationsKeepTheFakesBehaviour) {
    // FBA Inventory and Fulfillment Outbound 2020-07-01 have no static examples: sandbox mode
    // answers them from the fake's seeded state, like Amazon's dynamic sandbox.
    Harness h(sandbox_options());
    h.fake.add_inventory({"SKU-A", "B000000001", "X000000001", 7, 0, 0});
    InventorySummariesRequest r;
    r.details = true;
    auto page = run(h.io, h.client->get_inventory_summaries(r));
    ASSERT_TRUE(page) << page.error().describe();
    ASSERT_EQ(page->summaries.size(), 1u);
    EXPECT_EQ(page->summaries[0].seller_sku, "SKU-A");
    auto missing = run(h.io, h.client->get_fulfillment_order("NOPE"));
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().kind, ErrorKind::permanent);
}

TEST(SandboxReplay, UnmatchedRequestGetsInvalidInputNamingTheOperation) {
    Harness h(sandbox_options());
    auto r = run(h.io, h.client->get_report("no-such-example"));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, ErrorKind::permanent);
    EXPECT_EQ(r.error().http_status, 400);
    EXPECT_NE(r.error().describe().find("getReport"), std::string::npos) << r.error().describe();
}
