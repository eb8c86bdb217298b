// Issue #18: every entry point that parses an SP-API, SQS or LWA body refuses nesting deeper than
// model::kMaxNestingDepth before building a tree, with the limit in the message. A million levels
// are fed to each; the order decoders' Value conversion (to_value) is recursive and relies on it.
#include <gtest/gtest.h>

#include <string>

#include "clarity/amazon/api_error.hpp"
#include "clarity/amazon/canonical.hpp"
#include "clarity/amazon/notifications.hpp"
#include "clarity/amazon/orders.hpp"
#include "clarity/amazon/settlement_finances.hpp"
#include "clarity/amazon/sqs_consumer.hpp"

namespace clarity::amazon {
namespace {

/// `prefix` then a million `{"a":` and nothing closed: deep and truncated at once, which must
/// still be refused for its depth, not parsed.
std::string million_deep(std::string prefix) {
    prefix.reserve(prefix.size() + 5'000'000);
    for (int i = 0; i < 1'000'000; ++i) prefix += R"({"a":)";
    return prefix;
}

std::string closed_million_deep(const std::string& prefix, const std::string& suffix) {
    std::string body = prefix + std::string(1'000'000, '[') + std::string(1'000'000, ']');
    return body + suffix;
}

void expect_refused_for_depth(const Error& e) {
    EXPECT_EQ(e.kind, ErrorKind::permanent) << e.message;
    EXPECT_NE(e.message.find("JSON nested deeper than 512 levels"), std::string::npos) << e.message;
}

TEST(DeepInput, OrderResponsesAreRefusedAsPermanentNamingTheLimit) {
    const auto search = closed_million_deep(R"({"orders":[{"orderId":"1","x":)", "}]}");
    auto s = decode_search_orders(search);
    ASSERT_FALSE(s);
    expect_refused_for_depth(s.error());
    EXPECT_NE(s.error().message.find("searchOrders response is refused"), std::string::npos);

    auto g = decode_get_order(million_deep(R"({"order":)"));
    ASSERT_FALSE(g);
    expect_refused_for_depth(g.error());

    auto v0 =
        decode_get_order_v0(closed_million_deep(R"({"payload":{"AmazonOrderId":"1","x":)", "}}"));
    ASSERT_FALSE(v0);
    expect_refused_for_depth(v0.error());

    auto items = decode_get_order_items_v0(million_deep(R"({"payload":{"OrderItems":[)"));
    ASSERT_FALSE(items);
    expect_refused_for_depth(items.error());

    auto doc = decode_order_document(closed_million_deep("", ""));
    ASSERT_FALSE(doc);
    expect_refused_for_depth(doc.error());
}

TEST(DeepInput, FinancesResponsesAreRefusedNamingTheLimit) {
    auto f = decode_finances(closed_million_deep(R"({"payload":{"x":)", "}}"));
    ASSERT_FALSE(f);
    expect_refused_for_depth(f.error());
}

TEST(DeepInput, NotificationsAndErrorBodiesAreRefusedWithoutATree) {
    auto n = decode_notification(million_deep(R"({"NotificationType":"ORDER_CHANGE","Payload":)"));
    EXPECT_NE(n.reason.find("JSON nested deeper than 512 levels"), std::string::npos) << n.reason;

    EXPECT_TRUE(parse_api_errors(million_deep(R"({"errors":)")).empty());
    EXPECT_FALSE(decode_receive_message(million_deep(R"({"Messages":)")));
}

TEST(DeepInput, NestingUpToTheLimitIsStillDecoded) {
    // An order with an extra member nested 500 levels deep: kept in the raw tree.
    std::string body = R"({"orderId":"902-1","createdTime":"2026-01-15T10:00:00Z","deep":)" +
                       std::string(500, '[') + std::string(500, ']') + "}";
    auto doc = decode_get_order(R"({"order":)" + body + "}");
    ASSERT_TRUE(doc) << doc.error().message;
}

}  // namespace
// Found by fuzz_spapi_json: a quantity beyond 64 bits (nlohmann keeps it as double, 1e21) was
// cast to int64, which is undefined. Such a number now reads as absent (0), like a non-number.
TEST(HugeNumbers, AQuantityBeyondSixtyFourBitsReadsAsAbsentNotAsAnUndefinedCast) {
    auto items = decode_get_order_items_v0(
        R"({"payload":{"AmazonOrderId":"113-1234567-1234567","OrderItems":[{"ASIN":"B000000001",)"
        R"("OrderItemId":"1","SellerSKU":"S","QuantityOrdered":999999999999999999992,)"
        R"("QuantityShipped":-1e300}]}})");
    ASSERT_TRUE(items) << items.error().message;
    ASSERT_EQ(items->items.size(), 1u);
    EXPECT_EQ(items->items[0].quantity_ordered, 0);
    EXPECT_EQ(items->items[0].quantity_shipped, 0);
}

}  // namespace clarity::amazon
