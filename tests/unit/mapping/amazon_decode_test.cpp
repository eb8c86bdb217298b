#include "clarity/mapping/amazon_decode.hpp"

#include <gtest/gtest.h>

#include <map>

#include "sandbox.hpp"

namespace clarity::mapping {
namespace {

using model::Decimal;
using model::Money;

TEST(AmazonDecode, V2026GetOrderSandboxBrazilGiftOrder) {
    auto order = decode_order_v2026(test::v2026_get_order(0));
    ASSERT_TRUE(order) << order.error().message;
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
    ASSERT_TRUE(line.raw);
    EXPECT_EQ(line.raw->find_path("product.sellerSku")->as_string(), "ECHO-DOT-4-BR-PRETO");
    EXPECT_EQ(order->raw->find_path("order.recipient.deliveryAddress.extendedFields.neighborhood")
                  ->as_string(),
              "Vila Madalena");
}

TEST(AmazonDecode, V2026BusinessOrderTaxRegistrationAndShippedStatus) {
    auto order = decode_order_v2026(test::v2026_get_order(1));
    ASSERT_TRUE(order) << order.error().message;
    EXPECT_EQ(order->status, model::OrderStatus::shipped);
    EXPECT_EQ(order->buyer.tax_id, "TR1234567890");
    EXPECT_EQ(order->buyer.company, "Test company name");
    EXPECT_EQ(order->ship_to->county, "Beyoglu");
    ASSERT_EQ(order->lines.size(), 1u);
    EXPECT_EQ(order->lines[0].quantity_shipped, 2);
    EXPECT_EQ(order->lines[0].item_price->amount, Decimal(12500, 2));
    EXPECT_EQ(order->lines[0].unit_price->amount, Decimal(6250, 2));
}

TEST(AmazonDecode, V2026TaxBreakdownBecomesItemTax) {
    auto order = decode_order_v2026(test::v2026_get_order(2));
    ASSERT_TRUE(order) << order.error().message;
    ASSERT_EQ(order->lines.size(), 1u);
    EXPECT_EQ(order->lines[0].item_tax->amount, Decimal(1000, 2));
    EXPECT_EQ(order->lines[0].item_price->amount, Decimal(3999, 2));
    EXPECT_EQ(order->ship_to->company, "Test Store");
    // Sum of line price + tax equals the order's grand total exactly.
    EXPECT_EQ(order->lines[0].item_price->amount + order->lines[0].item_tax->amount,
              order->order_total->amount);
}

TEST(AmazonDecode, V2026SearchOrdersElementsDecodeAndLinesSumToTotal) {
    for (int i = 0; i < 3; ++i) {
        auto resp = test::sandbox_response("orders_2026-01-01.json", "/orders/2026-01-01/orders",
                                           "get", "200", i);
        for (const auto& o : resp->find("orders")->items()) {
            auto order = decode_order_v2026(std::make_shared<const model::Value>(o));
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

TEST(AmazonDecode, V2026MissingOrderIdIsPermanentErrorNamingTheField) {
    auto doc = std::make_shared<const model::Value>(mapping::parse_json(R"({"order":{}})").value());
    auto order = decode_order_v2026(doc);
    ASSERT_FALSE(order);
    EXPECT_EQ(order.error().kind, ErrorKind::permanent);
    EXPECT_EQ(order.error().message,
              "Amazon order (Orders 2026-01-01): missing required field 'orderId'");
    auto bad_time = decode_order_v2026(std::make_shared<const model::Value>(
        mapping::parse_json(R"({"orderId":"1","createdTime":"soon","lastUpdatedTime":"x"})")
            .value()));
    ASSERT_FALSE(bad_time);
    EXPECT_EQ(bad_time.error().message,
              "Amazon order (Orders 2026-01-01): missing or invalid 'createdTime' of order 1");
}

TEST(AmazonDecode, V0PartsMergeIntoOneOrder) {
    auto order_resp = test::v0("/orders/v0/orders/{orderId}");
    auto items = test::v0("/orders/v0/orders/{orderId}/orderItems");
    auto address = test::v0("/orders/v0/orders/{orderId}/address");
    auto buyer = test::v0("/orders/v0/orders/{orderId}/buyerInfo");
    auto items_buyer = test::v0("/orders/v0/orders/{orderId}/orderItems/buyerInfo");
    OrderV0Parts parts{order_resp.get(), items.get(), address.get(), buyer.get(),
                       items_buyer.get()};
    auto order = decode_order_v0(parts);
    ASSERT_TRUE(order) << order.error().message;
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
    // Line price + tax = order total, exactly.
    EXPECT_EQ(line.item_price->amount + line.item_tax->amount, order->order_total->amount);
    EXPECT_EQ(order->raw->find_path("ShippingAddress.AddressType")->as_string(), "Commercial");
}

TEST(AmazonDecode, V0ItemBuyerInfoGivesGiftAndCustomization) {
    // The sandbox's item buyer info names another item id; join it to a matching item.
    auto combined = mapping::parse_json(R"({"payload":{
        "AmazonOrderId":"902-1845936-5435065","PurchaseDate":"2026-01-02T03:04:05Z",
        "LastUpdateDate":"2026-01-02T03:04:06Z","OrderStatus":"Canceled",
        "OrderItems":[{"ASIN":"B0","OrderItemId":"68828574383266","SellerSKU":"S","QuantityOrdered":3,
                       "ItemPrice":{"CurrencyCode":"JPY","Amount":"10"},"IsGift":"true"}]}})")
                        .value();
    auto ibi = test::v0("/orders/v0/orders/{orderId}/orderItems/buyerInfo");
    OrderV0Parts parts;
    parts.order = &combined;
    parts.items_buyer_info = ibi.get();
    auto order = decode_order_v0(parts);
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

TEST(AmazonDecode, V0IbaOrderFlags) {
    auto resp =
        test::sandbox_response("ordersV0.json", "/orders/v0/orders/{orderId}", "get", "200", 1);
    auto order = decode_amazon_order(resp);
    ASSERT_TRUE(order) << order.error().message;
    EXPECT_TRUE(order->is_business_order);
    EXPECT_TRUE(order->is_invoice_by_amazon);
    EXPECT_EQ(order->fulfillment_channel, model::FulfillmentChannel::afn);
    EXPECT_EQ(model::format_iso8601(order->purchase_date), "2019-05-07T15:42:57Z");
}

TEST(AmazonDecode, V0UnknownStatusIsReported) {
    auto doc = mapping::parse_json(R"({"AmazonOrderId":"1","PurchaseDate":"2026-01-02T03:04:05Z",
        "LastUpdateDate":"2026-01-02T03:04:05Z","OrderStatus":"Lost"})")
                   .value();
    OrderV0Parts parts;
    parts.order = &doc;
    auto order = decode_order_v0(parts);
    ASSERT_FALSE(order);
    EXPECT_EQ(order.error().message,
              "Amazon order (Orders v0): missing or unknown 'OrderStatus' 'Lost' of order 1");
}

TEST(AmazonDecode, DetectsNeitherVersion) {
    auto order = decode_amazon_order(
        std::make_shared<const model::Value>(mapping::parse_json(R"({"x":1})").value()));
    ASSERT_FALSE(order);
    EXPECT_NE(order.error().message.find("neither"), std::string::npos);
}

TEST(AmazonDecode, V2026PackagesBecomeShipments) {
    auto doc = mapping::parse_json(R"({"orderId":"1","salesChannel":{"marketplaceId":"M"},
        "packages":[{"packageReferenceId":"P1","carrier":"UPS","trackingNumber":"1Z9",
        "shipTime":"2026-01-05T10:00:00Z","packageStatus":{"status":"SHIPPED"},
        "packageItems":[{"orderItemId":"I1","quantity":2}]}]})")
                   .value();
    auto shipments = decode_packages_v2026(doc);
    ASSERT_EQ(shipments.size(), 1u);
    EXPECT_EQ(shipments[0].carrier_code, "UPS");
    EXPECT_EQ(shipments[0].tracking_numbers.at(0), "1Z9");
    EXPECT_EQ(shipments[0].lines.at(0).quantity, 2);
    EXPECT_EQ(shipments[0].status, "SHIPPED");
}

}  // namespace
}  // namespace clarity::mapping
