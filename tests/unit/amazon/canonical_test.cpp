// The connector's Orders decoders + canonical converters on the models' x-amzn-api-sandbox
// examples: one decoder per payload, from SP-API JSON text to model::Order with its raw tree.
#include "clarity/amazon/canonical.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/test_env.hpp"

namespace clarity::amazon {
namespace {

using model::Decimal;
using model::Money;
using nlohmann::json;

const json& orders_model(const std::string& file) {
    static std::map<std::string, json> cache;
    auto it = cache.find(file);
    if (it == cache.end()) {
        it = cache
                 .emplace(file, json::parse(test::read_file(
                                    test::data_dir() /
                                    "sp-api/models/orders-api-model" / file)))
                 .first;
    }
    return it->second;
}

/// The `index`-th static sandbox response of GET `path` (HTTP 200).
json sandbox(const std::string& file, const std::string& path, int index) {
    return orders_model(file)
        .at("paths")
        .at(path)
        .at("get")
        .at("responses")
        .at("200")
        .at("x-amzn-api-sandbox")
        .at("static")
        .at(index)
        .at("response");
}

Result<model::Order> v2026(int index) {
    auto order = decode_get_order(
        sandbox("orders_2026-01-01.json", "/orders/2026-01-01/orders/{orderId}", index).dump());
    if (!order) return order.error();
    return to_canonical(*order);
}

json v0(const std::string& path) { return sandbox("ordersV0.json", path, 0); }

TEST(Canonical, V2026GetOrderSandboxBrazilGiftOrder) {
    auto order = v2026(0);
    ASSERT_TRUE(order) << order.error().message;
    EXPECT_EQ(order->source, "orders-2026-01-01");
    EXPECT_EQ(order->amazon_order_id, "171-9876543-2109876");
    EXPECT_EQ(order->seller_order_id, "BR-CONSUMER-ORDER-2024-003");
    EXPECT_EQ(order->marketplace_id, "A2Q3Y263D00KWC");
    EXPECT_EQ(order->sales_channel, "Amazon.com.br");
    EXPECT_EQ(order->status, model::OrderStatus::unshipped);
    EXPECT_EQ(order->fulfillment_channel, model::FulfillmentChannel::mfn);
    EXPECT_TRUE(order->is_prime);
    EXPECT_EQ(order->order_type, "StandardOrder");
    EXPECT_EQ(model::format_iso8601(order->purchase_date), "2024-12-24T20:30:00Z");
    ASSERT_TRUE(order->latest_ship_date);
    EXPECT_EQ(model::format_iso8601(*order->latest_ship_date), "2024-12-27T23:59:59Z");
    EXPECT_EQ(order->buyer.name, "Maria Silva Santos");
    ASSERT_TRUE(order->ship_to);
    EXPECT_EQ(order->ship_to->state_or_region, "SP");
    EXPECT_EQ(order->ship_to->postal_code, "01234-567");
    EXPECT_EQ(order->ship_to->phone, "+55 11 98765-4321");
    ASSERT_TRUE(order->order_total);
    EXPECT_EQ(*order->order_total, (Money{Decimal(29990, 2), "BRL"}));
    ASSERT_EQ(order->lines.size(), 1u);
    const auto& line = order->lines[0];
    EXPECT_EQ(line.sku, "ECHO-DOT-4-BR-PRETO");
    EXPECT_EQ(line.asin, "B08N5WRWNW");
    EXPECT_EQ(line.quantity_ordered, 1);
    EXPECT_EQ(line.quantity_shipped, 0);
    EXPECT_EQ(line.unit_price->amount, Decimal(29990, 2));
    EXPECT_EQ(line.item_price->amount, Decimal(29990, 2));
    EXPECT_TRUE(line.is_gift);
    EXPECT_EQ(line.gift_wrap_level, "STANDARD");
    EXPECT_NE(line.gift_message.find("Feliz Natal"), std::string::npos);
    ASSERT_EQ(line.promotion_ids.size(), 1u);
    EXPECT_EQ(line.promotion_ids[0], "BR-NATAL-2024");
    // The raw tree is the order object (templates write order.raw.<path>), lines point into it.
    ASSERT_TRUE(line.raw);
    EXPECT_EQ(line.raw->find_path("product.sellerSku")->as_string(), "ECHO-DOT-4-BR-PRETO");
    ASSERT_TRUE(order->raw);
    EXPECT_EQ(
        order->raw->find_path("recipient.deliveryAddress.extendedFields.neighborhood")->as_string(),
        "Vila Madalena");
    EXPECT_EQ(line.raw.get(), order->raw->find_path("orderItems[0]"));
}

TEST(Canonical, V2026BusinessOrderTaxRegistrationAndShippedStatus) {
    auto order = v2026(1);
    ASSERT_TRUE(order) << order.error().message;
    EXPECT_EQ(order->status, model::OrderStatus::shipped);
    EXPECT_EQ(order->buyer.tax_id, "TR1234567890");
    EXPECT_EQ(order->ship_to->county, "Beyoglu");
    ASSERT_EQ(order->lines.size(), 1u);
    EXPECT_EQ(order->lines[0].quantity_shipped, 2);
    EXPECT_EQ(order->lines[0].item_price->amount, Decimal(12500, 2));
    EXPECT_EQ(order->lines[0].unit_price->amount, Decimal(6250, 2));
}

TEST(Canonical, V2026TaxBreakdownBecomesItemTaxAndLinesSumToTheTotal) {
    auto order = v2026(2);
    ASSERT_TRUE(order) << order.error().message;
    ASSERT_EQ(order->lines.size(), 1u);
    EXPECT_EQ(order->lines[0].item_tax->amount, Decimal(1000, 2));
    EXPECT_EQ(order->lines[0].item_price->amount, Decimal(3999, 2));
    EXPECT_EQ(order->ship_to->company, "Test Store");
    EXPECT_EQ(order->lines[0].item_price->amount + order->lines[0].item_tax->amount,
              order->order_total->amount);
}

TEST(Canonical, V2026SearchOrdersElementsConvertAndLinesSumToTotal) {
    for (int i = 0; i < 3; ++i) {
        auto page = decode_search_orders(
            sandbox("orders_2026-01-01.json", "/orders/2026-01-01/orders", i).dump());
        ASSERT_TRUE(page) << page.error().message;
        for (const auto& o : page->orders) {
            auto order = to_canonical(o);
            ASSERT_TRUE(order) << order.error().message;
            EXPECT_FALSE(order->lines.empty());
            if (order->amazon_order_id == "250-1234567-8901234") {
                Decimal sum;
                for (const auto& l : order->lines) sum += l.item_price->amount;
                EXPECT_EQ(sum, order->order_total->amount);
                EXPECT_EQ(order->fulfillment_channel, model::FulfillmentChannel::afn);
                EXPECT_EQ(order->lines[1].serial_numbers.size(), 2u);
            }
        }
    }
}

TEST(Canonical, V2026MissingFieldsArePermanentErrorsNamingTheField) {
    Order empty;
    auto order = to_canonical(empty);
    ASSERT_FALSE(order);
    EXPECT_EQ(order.error().kind, ErrorKind::permanent);
    EXPECT_EQ(order.error().message,
              "Amazon order (Orders 2026-01-01): missing required field 'orderId'");
    auto bad_time =
        decode_order_document(R"({"orderId":"1","createdTime":"soon","lastUpdatedTime":"x"})");
    ASSERT_FALSE(bad_time);
    EXPECT_EQ(bad_time.error().message,
              "Amazon order (Orders 2026-01-01): missing or invalid 'createdTime' of order 1");
}

/// The v0 pieces as the RDT-enabled calls return them, joined the way getOrders with PII and
/// getOrderItems deliver them (address and buyer info inline, item buyer info per item).
json combined_v0() {
    json order = v0("/orders/v0/orders/{orderId}").at("payload");
    order["ShippingAddress"] =
        v0("/orders/v0/orders/{orderId}/address").at("payload").at("ShippingAddress");
    json buyer = v0("/orders/v0/orders/{orderId}/buyerInfo").at("payload");
    buyer.erase("AmazonOrderId");
    order["BuyerInfo"] = buyer;
    order["OrderItems"] =
        v0("/orders/v0/orders/{orderId}/orderItems").at("payload").at("OrderItems");
    return order;
}

TEST(Canonical, V0OrderAndItemsConvertToOneOrder) {
    json doc = combined_v0();
    auto page = decode_get_order_items_v0(v0("/orders/v0/orders/{orderId}/orderItems").dump());
    ASSERT_TRUE(page) << page.error().message;
    auto head = decode_get_order_v0(json{{"payload", doc}}.dump());
    ASSERT_TRUE(head) << head.error().message;
    auto order = to_canonical(*head, page->items);
    ASSERT_TRUE(order) << order.error().message;
    EXPECT_EQ(order->source, "orders-v0");
    EXPECT_EQ(order->amazon_order_id, "902-1845936-5435065");
    EXPECT_EQ(order->status, model::OrderStatus::unshipped);
    EXPECT_EQ(order->fulfillment_channel, model::FulfillmentChannel::mfn);
    EXPECT_EQ(order->order_type, "StandardOrder");
    EXPECT_EQ(order->sales_channel, "Amazon.com");
    EXPECT_EQ(*order->order_total, (Money{Decimal(1101, 2), "USD"}));
    EXPECT_EQ(order->buyer.email, "fzyrv6gwkhbb15c@example.com");
    ASSERT_TRUE(order->ship_to);
    EXPECT_EQ(order->ship_to->city, "SEATTLE");
    EXPECT_EQ(order->ship_to->postal_code, "98121-2778");
    ASSERT_EQ(order->lines.size(), 1u);
    const auto& line = order->lines[0];
    EXPECT_EQ(line.sku, "NABetaASINB00551Q3CS");
    EXPECT_EQ(line.item_price->amount, Decimal(1000, 2));
    EXPECT_EQ(line.unit_price->amount, Decimal(1000, 2));
    EXPECT_EQ(line.item_tax->amount, Decimal(101, 2));
    EXPECT_FALSE(line.is_gift);  // IsGift is the string "false"
    EXPECT_EQ(line.item_price->amount + line.item_tax->amount, order->order_total->amount);
    EXPECT_EQ(order->raw->find_path("ShippingAddress.AddressType")->as_string(), "Commercial");
    EXPECT_EQ(line.raw->find_path("SellerSKU")->as_string(), "NABetaASINB00551Q3CS");
}

TEST(Canonical, V0ItemBuyerInfoGivesGiftAndCustomization) {
    json info =
        v0("/orders/v0/orders/{orderId}/orderItems/buyerInfo").at("payload").at("OrderItems").at(0);
    json item{{"ASIN", "B0"},
              {"OrderItemId", "68828574383266"},
              {"SellerSKU", "S"},
              {"QuantityOrdered", 3},
              {"ItemPrice", {{"CurrencyCode", "JPY"}, {"Amount", "10"}}},
              {"IsGift", "true"},
              {"BuyerInfo", info}};
    json doc{{"payload",
              {{"AmazonOrderId", "902-1845936-5435065"},
               {"PurchaseDate", "2026-01-02T03:04:05Z"},
               {"LastUpdateDate", "2026-01-02T03:04:06Z"},
               {"OrderStatus", "Canceled"},
               {"OrderItems", json::array({item})}}}};
    auto order = decode_order_document(doc.dump());
    ASSERT_TRUE(order) << order.error().message;
    EXPECT_EQ(order->status, model::OrderStatus::canceled);
    const auto& line = order->lines.at(0);
    EXPECT_TRUE(line.is_gift);
    EXPECT_EQ(line.gift_message, "Et toi!");
    EXPECT_EQ(line.gift_wrap_level, "Classic");
    EXPECT_EQ(line.gift_wrap_price->amount, Decimal(199, 2));
    EXPECT_NE(line.customization.customized_url.find("zme-caps.amazon.com"), std::string::npos);
    // 10 / 3 is not exact: the unit price keeps 6 extra digits.
    EXPECT_EQ(line.unit_price->amount.to_string(), "3.333333");
}

TEST(Canonical, V0IbaOrderFlags) {
    auto order =
        decode_order_document(sandbox("ordersV0.json", "/orders/v0/orders/{orderId}", 1).dump());
    ASSERT_TRUE(order) << order.error().message;
    EXPECT_TRUE(order->is_business_order);
    EXPECT_TRUE(order->is_invoice_by_amazon);
    EXPECT_EQ(order->fulfillment_channel, model::FulfillmentChannel::afn);
    EXPECT_EQ(model::format_iso8601(order->purchase_date), "2019-05-07T15:42:57Z");
}

TEST(Canonical, V0UnknownStatusIsReported) {
    auto order =
        decode_order_document(R"({"AmazonOrderId":"1","PurchaseDate":"2026-01-02T03:04:05Z",
        "LastUpdateDate":"2026-01-02T03:04:05Z","OrderStatus":"Lost"})");
    ASSERT_FALSE(order);
    EXPECT_EQ(order.error().message,
              "Amazon order (Orders v0): missing or unknown 'OrderStatus' 'Lost' of order 1");
}

TEST(Canonical, DocumentOfNeitherVersionIsRejected) {
    auto order = decode_order_document(R"({"x":1})");
    ASSERT_FALSE(order);
    EXPECT_EQ(order.error().kind, ErrorKind::permanent);
    EXPECT_NE(order.error().message.find("neither"), std::string::npos);
    EXPECT_FALSE(decode_order_document("not json"));
}

TEST(Canonical, V2026PackagesBecomeShipments) {
    auto order = decode_get_order(R"({"order":{"orderId":"1","salesChannel":{"marketplaceId":"M"},
        "createdTime":"2026-01-05T09:00:00Z","lastUpdatedTime":"2026-01-05T10:00:00Z",
        "orderItems":[],
        "packages":[{"packageReferenceId":"P1","carrier":"UPS","trackingNumber":"1Z9",
        "shipTime":"2026-01-05T10:00:00Z","packageStatus":{"status":"SHIPPED"}}]}})");
    ASSERT_TRUE(order) << order.error().message;
    auto shipments = to_shipments(*order);
    ASSERT_EQ(shipments.size(), 1u);
    EXPECT_EQ(shipments[0].carrier_code, "UPS");
    EXPECT_EQ(shipments[0].tracking_numbers.at(0), "1Z9");
    EXPECT_EQ(shipments[0].status, "SHIPPED");
    EXPECT_EQ(model::format_iso8601(*shipments[0].ship_date), "2026-01-05T10:00:00Z");
    // The canonical order carries them: flows read packages there, never in the raw payload.
    auto canonical = to_canonical(*order);
    ASSERT_TRUE(canonical) << canonical.error().message;
    ASSERT_EQ(canonical->shipments.size(), 1u);
    EXPECT_EQ(canonical->shipments[0].package_reference_id, "P1");
    EXPECT_EQ(canonical->shipments[0].tracking_numbers, std::vector<std::string>{"1Z9"});
}

TEST(Canonical, RawKeepsExactDecimalsOfNumbers) {
    auto order = decode_get_order(R"({"order":{"orderId":"1","createdTime":"2026-01-05T09:00:00Z",
        "lastUpdatedTime":"2026-01-05T10:00:00Z","orderItems":[],"x":{"n":19.99,"i":3}}})");
    ASSERT_TRUE(order) << order.error().message;
    EXPECT_EQ(order->raw->find_path("x.n")->as_decimal(), Decimal(1999, 2));
    EXPECT_EQ(order->raw->find_path("x.i")->as_int(), 3);
}

}  // namespace
}  // namespace clarity::amazon
