#include "clarity/mapping/settlement_reconciliation.hpp"

#include <gtest/gtest.h>

namespace clarity::mapping {
namespace {

using model::Decimal;

model::FinancialEvent ev(std::string order,
                         std::string tt,
                         std::string at,
                         std::string ad,
                         std::int64_t cents,
                         std::string posted = "2025-06-09T00:00:00Z") {
    model::FinancialEvent e;
    e.order_id = std::move(order);
    e.transaction_type = std::move(tt);
    e.amount_type = std::move(at);
    e.amount_description = std::move(ad);
    e.amount = {Decimal(cents, 2), "USD"};
    e.posted_at = std::move(posted);
    return e;
}

TEST(SettlementReconciliation, OrdersPaidBySettlement) {
    SettlementOrderIndex index;
    index.add(ev("B", "Order", "ItemPrice", "Principal", 1000));
    index.add(ev("A", "Order", "ItemPrice", "Principal", 500));
    index.add(ev("A", "Order", "ItemFees", "Commission", -75));
    index.add(ev("A", "Refund", "ItemPrice", "Principal", -500));
    index.add(ev("", "ServiceFee", "Cost of Advertising", "Total", -2500));
    const auto orders = index.orders();
    ASSERT_EQ(orders.size(), 2u);
    EXPECT_EQ(orders[0].order_id, "A");
    EXPECT_EQ(orders[0].net, Decimal(-75, 2));
    EXPECT_EQ(orders[0].rows, 3u);
    EXPECT_EQ(orders[0].components.at("Order/ItemPrice/Principal"), Decimal(500, 2));
    EXPECT_EQ(orders[0].components.at("Refund/ItemPrice/Principal"), Decimal(-500, 2));
    EXPECT_EQ(orders[1].net, Decimal(1000, 2));
}

TEST(SettlementReconciliation, OrderIndexFromViewsEqualsFromEvents) {
    const std::vector<model::FinancialEvent> events = {
        ev("B", "Order", "ItemPrice", "Principal", 1000),
        ev("A", "Order", "ItemPrice", "Principal", 500),
        ev("A", "Order", "ItemPrice", "Principal", 125),
        ev("A", "Order", "ItemFees", "Commission", -75),
        ev("", "ServiceFee", "Cost of Advertising", "Total", -2500),
        ev("B", "Refund", "ItemPrice", "Principal", -1000),
    };
    SettlementOrderIndex from_events;
    SettlementOrderIndex from_views;
    for (const auto& e : events) {
        from_events.add(e);
        from_views.add(std::string_view(e.order_id), e.transaction_type, e.amount_type,
                       e.amount_description, e.amount.amount);
    }
    const auto a = from_events.orders();
    const auto b = from_views.orders();
    ASSERT_EQ(a.size(), 2u);
    ASSERT_EQ(b.size(), a.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        EXPECT_EQ(b[i].order_id, a[i].order_id);
        EXPECT_EQ(b[i].net, a[i].net);
        EXPECT_EQ(b[i].rows, a[i].rows);
        EXPECT_EQ(b[i].components, a[i].components);
    }
    EXPECT_EQ(b[0].components.at("Order/ItemPrice/Principal"), Decimal(625, 2));
    EXPECT_EQ(b[1].net, Decimal(0, 2));
}

TEST(SettlementReconciliation, ListsLateMissingAndDifferentEvents) {
    const model::SettlementSummary summary{
        "S1", "2025-06-01T00:00:00Z", "2025-06-15T00:00:00Z", "", {Decimal(0, 2), "USD"}};
    const std::vector<model::FinancialEvent> rows{
        ev("A", "Order", "ItemPrice", "Principal", 1000),
        ev("A", "Order", "ItemFees", "Commission", -150),
        ev("B", "Order", "ItemPrice", "Principal", 2000),  // its event has not arrived yet
        ev("C", "Refund", "ItemPrice", "Principal", -500),
    };
    std::vector<model::FinancialEvent> events{
        ev("A", "order", "ItemPrice", "principal", 1000),  // names compared ignoring case
        ev("A", "Order", "ItemFees", "Commission", -100),
        ev("C", "Refund", "ItemPrice", "Principal", -500),
        ev("D", "Order", "ItemPrice", "Principal", 700),                          // not settled
        ev("E", "Order", "ItemPrice", "Principal", 900, "2025-07-01T00:00:00Z"),  // other period
    };
    auto late = ev("F", "Order", "ItemPrice", "Principal", 300, "2025-07-02T00:00:00Z");
    late.group_id = "S1";  // posted later but in this settlement's group
    events.push_back(late);
    const auto diffs = compare_settlement_with_events(summary, rows, events);
    ASSERT_EQ(diffs.size(), 4u);
    EXPECT_EQ(diffs[0].order_id, "A");
    EXPECT_EQ(diffs[0].kind, DifferenceKind::amount_differs);
    EXPECT_EQ(diffs[0].amount_description, "Commission");
    EXPECT_EQ(diffs[0].settlement_amount, Decimal(-150, 2));
    EXPECT_EQ(diffs[0].events_amount, Decimal(-100, 2));
    EXPECT_EQ(diffs[1].order_id, "B");
    EXPECT_EQ(diffs[1].kind, DifferenceKind::missing_in_events);
    EXPECT_EQ(diffs[2].order_id, "D");
    EXPECT_EQ(diffs[2].kind, DifferenceKind::missing_in_settlement);
    EXPECT_EQ(diffs[3].order_id, "F");
    EXPECT_EQ(diffs[3].kind, DifferenceKind::missing_in_settlement);
    EXPECT_EQ(to_string(DifferenceKind::missing_in_events), "missing_in_events");
}

TEST(SettlementReconciliation, IdenticalSourcesHaveNoDifferences) {
    const model::SettlementSummary summary{"S1", "", "", "", {Decimal(0, 2), "USD"}};
    const std::vector<model::FinancialEvent> rows{ev("A", "Order", "ItemPrice", "Principal", 1),
                                                  ev("A", "Order", "ItemPrice", "Principal", 2)};
    const std::vector<model::FinancialEvent> events{ev("A", "Order", "ItemPrice", "Principal", 3)};
    EXPECT_TRUE(compare_settlement_with_events(summary, rows, events).empty());
}

}  // namespace
}  // namespace clarity::mapping
