#include "clarity/model/value.hpp"

#include <gtest/gtest.h>

#include "clarity/model/order.hpp"
#include "clarity/model/timestamp.hpp"

namespace clarity::model {
namespace {

Value sample() {
    Value root = Value::object();
    root.set("AmazonOrderId", "902-3159896-1390916");
    Value& items = root.set("orderItems", Value::array());
    Value item = Value::object();
    item.set("sellerSku", "SKU-1");
    item.set("qty", 2);
    items.push_back(item);
    root.set("total", Decimal(1999, 2));
    return root;
}

TEST(Value, FindsMembersByDottedAndIndexedPath) {
    const Value root = sample();
    ASSERT_NE(root.find_path("orderItems[0].sellerSku"), nullptr);
    EXPECT_EQ(root.find_path("orderItems[0].sellerSku")->as_string(), "SKU-1");
    EXPECT_EQ(root.find_path("orderItems[0].qty")->as_int(), 2);
    EXPECT_EQ(root.find_path("orderItems[1].qty"), nullptr);
    EXPECT_EQ(root.find_path("missing.x"), nullptr);
    EXPECT_EQ(root.find_path("total")->as_decimal(), Decimal(1999, 2));
}

TEST(Value, RejectsMalformedPaths) {
    std::vector<PathStep> steps;
    EXPECT_FALSE(parse_path("", steps));
    EXPECT_FALSE(parse_path("a..b", steps));
    EXPECT_FALSE(parse_path("a[x]", steps));
    EXPECT_FALSE(parse_path("a[", steps));
    EXPECT_FALSE(parse_path("a.", steps));
    EXPECT_FALSE(parse_path("a[]", steps));
    ASSERT_TRUE(parse_path("a[2].b[0][1]", steps));
    ASSERT_EQ(steps.size(), 5u);
    EXPECT_EQ(steps[1].index, 2);
    EXPECT_EQ(steps[4].index, 1);
}

TEST(Value, SetKeepsInsertionOrderAndReplaces) {
    Value v;
    v.set("b", 1);
    v.set("a", 2);
    v.set("b", 3);
    ASSERT_EQ(v.keys().size(), 2u);
    EXPECT_EQ(v.keys()[0], "b");
    EXPECT_EQ(v.find("b")->as_int(), 3);
    EXPECT_EQ(v.to_text(), R"({"b":3,"a":2})");
}

TEST(Value, WrongAccessorThrowsLogicError) {
    const Value v("text");
    EXPECT_THROW((void)v.as_int(), std::logic_error);
    EXPECT_EQ(Value(std::int64_t{3}), Value(Decimal(300, 2)));
}

TEST(Timestamp, ParsesAmazonAndOdooForms) {
    const auto a = parse_timestamp("2026-01-20T19:49:35Z");
    const auto b = parse_timestamp("2026-01-20T21:49:35.120+02:00");
    const auto c = parse_timestamp("2026-01-20 19:49:35");
    ASSERT_TRUE(a && b && c);
    EXPECT_EQ(*a, *b);
    EXPECT_EQ(*a, *c);
    EXPECT_EQ(format_iso8601(*a), "2026-01-20T19:49:35Z");
    EXPECT_EQ(format_odoo_datetime(*a), "2026-01-20 19:49:35");
    EXPECT_EQ(format_odoo_date(*a, std::chrono::minutes{9 * 60}), "2026-01-21");
    EXPECT_FALSE(parse_timestamp("2026-02-30T00:00:00Z"));
    EXPECT_FALSE(parse_timestamp("yesterday"));
    EXPECT_FALSE(parse_timestamp("2026-01-20T19:49:35Zjunk"));
}

TEST(OrderStatus, ParsesBothApiSpellings) {
    EXPECT_EQ(parse_order_status("Canceled"), OrderStatus::canceled);
    EXPECT_EQ(parse_order_status("CANCELLED"), OrderStatus::canceled);
    EXPECT_EQ(parse_order_status("PARTIALLY_SHIPPED"), OrderStatus::partially_shipped);
    EXPECT_EQ(parse_order_status("PendingAvailability"), OrderStatus::pending_availability);
    EXPECT_FALSE(parse_order_status("Lost"));
    EXPECT_EQ(to_string(OrderStatus::invoice_unconfirmed), "InvoiceUnconfirmed");
    EXPECT_EQ(parse_fulfillment_channel("AMAZON"), FulfillmentChannel::afn);
    EXPECT_EQ(to_string(FulfillmentChannel::mfn), "MFN");
}

// Issue #18: a 50,000-level order crashed `mapping preview` in ~Value (recursing ~244,000 frames).
// Trees six times deeper are built and destroyed here with the default stack, and one of a
// million levels is freed by assignment; the parsers refuse anything deeper than
// kMaxNestingDepth, so trees this deep are only ever built by code.
Value deep_tree(bool objects) {
    Value root = objects ? Value::object() : Value::array();
    Value* cur = &root;
    for (int i = 0; i < 300'000; ++i) {
        // Now and then a scalar beside the nested child.
        if (objects) {
            if (i % 1000 == 0) cur->set("n", i);
            cur = &cur->set("next", Value::object());
        } else {
            if (i % 1000 == 0) cur->push_back(i);
            cur = &cur->push_back(Value::array());
        }
    }
    return root;
}

TEST(Value, DestroysDeeplyNestedArraysWithoutRecursion) {
    Value root = deep_tree(false);
    EXPECT_EQ(root.size(), 2u);
    EXPECT_EQ(root.items()[1].size(), 1u);
}

TEST(Value, DestroysDeeplyNestedObjectsWithoutRecursion) {
    Value root = deep_tree(true);
    EXPECT_EQ(root.size(), 2u);
    EXPECT_EQ(root.find("next")->size(), 1u);
}

TEST(Value, AssigningOverADeepTreeFreesItIteratively) {
    Value root = Value::array();
    Value* cur = &root;
    for (int i = 0; i < 1'000'000; ++i) cur = &cur->push_back(Value::array());
    root = Value("replaced");
    EXPECT_EQ(root.as_string(), "replaced");
}

TEST(Value, DestroyingKeepsWideTreesIntact) {
    // The iterative destructor moves nested children aside: a copy must not be affected.
    Value root = Value::array();
    for (int i = 0; i < 100; ++i) {
        Value row = Value::object();
        row.set("id", i);
        row.set("tags", Value::array()).push_back("t");
        root.push_back(std::move(row));
    }
    Value copy = root;
    { Value doomed = root; }
    EXPECT_EQ(copy, root);
    EXPECT_EQ(copy.items()[99].find("tags")->items()[0].as_string(), "t");
}

}  // namespace
}  // namespace clarity::model
