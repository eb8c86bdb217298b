#include "clarity/amazon/settlement_finances.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "clarity/mapping/settlement_journal.hpp"
#include "clarity/mapping/settlement_reconciliation.hpp"
#include "support/test_env.hpp"

namespace clarity::amazon {
namespace {

using model::Decimal;

// The sandbox response of an operation, read from the model (never invented).
std::string sandbox_response(const std::string& model_file, const std::string& operation_id) {
    const auto text = test::read_file(test::data_dir() / "sp-api" / "models" /
                                      "finances-api-model" / model_file);
    const auto model = nlohmann::json::parse(text);
    for (const auto& [path, ops] : model["paths"].items()) {
        for (const auto& [method, op] : ops.items()) {
            if (op.value("operationId", "") != operation_id) continue;
            return op["responses"]["200"]["x-amzn-api-sandbox"]["static"][0]["response"].dump();
        }
    }
    throw std::runtime_error("no sandbox response for " + operation_id);
}

// A v0 response with the field names of financesV0.json (ShipmentEvent, ShipmentItem,
// ChargeComponent, FeeComponent, Promotion, ServiceFeeEvent, AdjustmentEvent).
constexpr std::string_view kV0 = R"({"payload": {"NextToken": "tok2", "FinancialEvents": {
  "ShipmentEventList": [{"AmazonOrderId": "111-0000001-0000001", "SellerOrderId": "S1",
    "MarketplaceName": "Amazon.com", "PostedDate": "2025-06-09T05:23:19Z",
    "ShipmentItemList": [{"SellerSKU": "SKU-0", "OrderItemId": "OI1", "QuantityShipped": 2,
      "ItemChargeList": [
        {"ChargeType": "Principal", "ChargeAmount": {"CurrencyCode": "USD", "CurrencyAmount": 19.99}},
        {"ChargeType": "Tax", "ChargeAmount": {"CurrencyCode": "USD", "CurrencyAmount": 0.1}},
        {"ChargeType": "Tax", "ChargeAmount": {"CurrencyCode": "USD", "CurrencyAmount": 0.2}},
        {"ChargeType": "ShippingCharge", "ChargeAmount": {"CurrencyCode": "USD", "CurrencyAmount": 3.99}}],
      "ItemFeeList": [
        {"FeeType": "Commission", "FeeAmount": {"CurrencyCode": "USD", "CurrencyAmount": -3.00}},
        {"FeeType": "FBAPerUnitFulfillmentFee", "FeeAmount": {"CurrencyCode": "USD", "CurrencyAmount": -2.5}}],
      "PromotionList": [{"PromotionType": "Shipping", "PromotionId": "P1",
        "PromotionAmount": {"CurrencyCode": "USD", "CurrencyAmount": -3.99}}]}]}],
  "RefundEventList": [{"AmazonOrderId": "111-0000001-0000001", "PostedDate": "2025-06-10T08:00:00Z",
    "ShipmentItemAdjustmentList": [{"SellerSKU": "SKU-0", "OrderAdjustmentItemId": "OA1",
      "ItemChargeAdjustmentList": [
        {"ChargeType": "Principal", "ChargeAmount": {"CurrencyCode": "USD", "CurrencyAmount": -19.99}}],
      "ItemFeeAdjustmentList": [
        {"FeeType": "Commission", "FeeAmount": {"CurrencyCode": "USD", "CurrencyAmount": 2.40}}]}]}],
  "ServiceFeeEventList": [{"FeeReason": "Subscription", "FeeList": [
        {"FeeType": "Subscription", "FeeAmount": {"CurrencyCode": "USD", "CurrencyAmount": -39.99}}]}],
  "AdjustmentEventList": [{"AdjustmentType": "FBAInventoryReimbursement", "PostedDate": "2025-06-11T00:00:00Z",
    "AdjustmentAmount": {"CurrencyCode": "USD", "CurrencyAmount": 12345678.91}}],
  "LoanServicingEventList": [{"LoanAmount": {"CurrencyCode": "USD", "CurrencyAmount": 5}}]
}}})";

TEST(SettlementFinances, V0EventsDecodeIntoSettlementVocabularyExactly) {
    const auto r = decode_financial_events_v0(kV0, "GROUP-1");
    ASSERT_TRUE(r.has_value()) << r.error().message;
    EXPECT_EQ(r->next_token, "tok2");
    ASSERT_EQ(r->events.size(), 11u);
    const auto& principal = r->events[0];
    EXPECT_EQ(principal.source, model::FinancialSource::finances_v0);
    EXPECT_EQ(principal.group_id, "GROUP-1");
    EXPECT_EQ(principal.transaction_type, "Order");
    EXPECT_EQ(principal.order_id, "111-0000001-0000001");
    EXPECT_EQ(principal.merchant_order_id, "S1");
    EXPECT_EQ(principal.sku, "SKU-0");
    EXPECT_EQ(principal.order_item_code, "OI1");
    EXPECT_EQ(principal.quantity, 2);
    EXPECT_EQ(principal.amount_type, "ItemPrice");
    EXPECT_EQ(principal.amount_description, "Principal");
    EXPECT_EQ(principal.amount.amount, Decimal(1999, 2));
    EXPECT_EQ(principal.amount.currency, "USD");
    EXPECT_EQ(principal.posted_at, "2025-06-09T05:23:19Z");
    // 0.1 + 0.2 is exactly 0.3: amounts never pass through a double.
    EXPECT_EQ(r->events[1].amount.amount + r->events[2].amount.amount, Decimal(3, 1));
    EXPECT_EQ(r->events[4].amount_type, "ItemFees");
    EXPECT_EQ(r->events[4].amount_description, "Commission");
    EXPECT_EQ(r->events[6].amount_type, "Promotion");
    EXPECT_EQ(r->events[7].transaction_type, "Refund");
    EXPECT_EQ(r->events[7].amount.amount, Decimal(-1999, 2));
    EXPECT_EQ(r->events[7].adjustment_id, "OA1");
    EXPECT_EQ(r->events[9].transaction_type, "ServiceFee");
    EXPECT_EQ(r->events[10].transaction_type, "Adjustment");
    EXPECT_EQ(r->events[10].amount_description, "FBAInventoryReimbursement");
    EXPECT_EQ(r->events[10].amount.amount.to_string(), "12345678.91");
    ASSERT_EQ(r->warnings.size(), 1u);
    EXPECT_NE(r->warnings[0].find("LoanServicingEventList"), std::string::npos);
}

TEST(SettlementFinances, V0SandboxExamplesFromTheModelDecode) {
    for (const char* op :
         {"listFinancialEventsByGroupId", "listFinancialEventsByOrderId", "listFinancialEvents"}) {
        SCOPED_TRACE(op);
        const auto r = decode_financial_events_v0(sandbox_response("financesV0.json", op));
        ASSERT_TRUE(r.has_value()) << r.error().message;
        EXPECT_EQ(r->next_token, "Next token value");
        for (const auto& e : r->events) {
            EXPECT_EQ(e.amount.amount, Decimal(2537, 2));
            EXPECT_EQ(e.amount.currency, "USD");
        }
    }
    const auto by_group = decode_financial_events_v0(
        sandbox_response("financesV0.json", "listFinancialEventsByGroupId"));
    ASSERT_TRUE(by_group.has_value());
    bool chargeback = false;
    for (const auto& e : by_group->events) {
        chargeback = chargeback ||
                     (e.transaction_type == "Chargeback Refund" && e.order_id == "444-555-3343433");
    }
    EXPECT_TRUE(chargeback);
    const auto by_order = decode_financial_events_v0(
        sandbox_response("financesV0.json", "listFinancialEventsByOrderId"));
    ASSERT_TRUE(by_order.has_value());
    bool service_fee = false;
    for (const auto& e : by_order->events) {
        service_fee = service_fee || (e.transaction_type == "ServiceFee" &&
                                      e.amount_description == "FixedClosingFee");
    }
    EXPECT_TRUE(service_fee);
}

TEST(SettlementFinances, Transactions2024SandboxExampleDecodes) {
    const auto r =
        decode_transactions_2024(sandbox_response("finances_2024-06-19.json", "listTransactions"));
    ASSERT_TRUE(r.has_value()) << r.error().message;
    EXPECT_EQ(r->next_token, "Next token value");
    ASSERT_EQ(r->events.size(), 1u);
    const auto& e = r->events[0];
    EXPECT_EQ(e.source, model::FinancialSource::finances_2024);
    EXPECT_EQ(e.transaction_type, "Order");
    EXPECT_EQ(e.order_id, "8129762527551");
    EXPECT_EQ(e.group_id, "4MVaHcsAfaYAlwlaPWrXJxrfUiKfYZ2ooWtY7528FUA");
    EXPECT_EQ(e.amount.amount, Decimal::from_int(10));
    EXPECT_EQ(e.posted_at, "2020-07-14T03:35:13Z");
    EXPECT_TRUE(r->warnings.empty());
}

constexpr std::string_view k2024 = R"({"payload": {"transactions": [{
  "relatedIdentifiers": [{"relatedIdentifierName": "ORDER_ID", "relatedIdentifierValue": "111-0000001-0000001"},
                         {"relatedIdentifierName": "SETTLEMENT_ID", "relatedIdentifierValue": "GROUP-1"}],
  "transactionType": "Shipment", "transactionId": "T1", "postedDate": "2025-06-09T05:23:19Z",
  "marketplaceDetails": {"marketplaceId": "ATVPDKIKX0DER", "marketplaceName": "Amazon.com"},
  "totalAmount": {"currencyCode": "USD", "currencyAmount": 14.79},
  "items": [{"description": "item", "totalAmount": {"currencyCode": "USD", "currencyAmount": 14.79},
    "contexts": [{"contextType": "ProductContext", "sku": "SKU-0", "quantityShipped": 2, "fulfillmentNetwork": "AFN"}],
    "breakdowns": [
      {"breakdownType": "ItemPrice", "breakdownAmount": {"currencyCode": "USD", "currencyAmount": 20.29},
       "breakdowns": [
         {"breakdownType": "Principal", "breakdownAmount": {"currencyCode": "USD", "currencyAmount": 19.99}},
         {"breakdownType": "Tax", "breakdownAmount": {"currencyCode": "USD", "currencyAmount": 0.30}}]},
      {"breakdownType": "ItemFees", "breakdownAmount": {"currencyCode": "USD", "currencyAmount": -5.50},
       "breakdowns": [
         {"breakdownType": "Commission", "breakdownAmount": {"currencyCode": "USD", "currencyAmount": -3.00}},
         {"breakdownType": "FBAPerUnitFulfillmentFee", "breakdownAmount": {"currencyCode": "USD", "currencyAmount": -2.50}}]}]}]},
 {"transactionType": "Refund", "transactionId": "T2",
  "relatedIdentifiers": [{"relatedIdentifierName": "ORDER_ID", "relatedIdentifierValue": "111-0000001-0000001"}],
  "totalAmount": {"currencyCode": "USD", "currencyAmount": -1.00},
  "breakdowns": [{"breakdownType": "Principal", "breakdownAmount": {"currencyCode": "USD", "currencyAmount": -2.00}}]}
]}})";

TEST(SettlementFinances, Transactions2024BreakdownLeavesBecomeEvents) {
    const auto r = decode_transactions_2024(k2024);
    ASSERT_TRUE(r.has_value()) << r.error().message;
    ASSERT_EQ(r->events.size(), 5u);
    EXPECT_EQ(r->events[0].amount_type, "ItemPrice");
    EXPECT_EQ(r->events[0].amount_description, "Principal");
    EXPECT_EQ(r->events[0].amount.amount, Decimal(1999, 2));
    EXPECT_EQ(r->events[0].sku, "SKU-0");
    EXPECT_EQ(r->events[0].quantity, 2);
    EXPECT_EQ(r->events[0].group_id, "GROUP-1");
    EXPECT_EQ(r->events[0].marketplace_name, "Amazon.com");
    EXPECT_EQ(r->events[3].amount_description, "FBAPerUnitFulfillmentFee");
    EXPECT_EQ(r->events[4].transaction_type, "Refund");
    ASSERT_EQ(r->warnings.size(), 1u);  // T2's breakdown does not add up to its total
    EXPECT_EQ(r->warnings[0], "transaction T2: breakdowns sum to -2.00 but totalAmount is -1.00");
}

TEST(SettlementFinances, BothVersionsFeedTheSameAggregation) {
    const auto v0 = decode_financial_events_v0(kV0);
    const auto v24 = decode_transactions_2024(k2024);
    ASSERT_TRUE(v0.has_value());
    ASSERT_TRUE(v24.has_value());
    const auto map = mapping::SettlementAccountMap::builtin_default();
    mapping::SettlementAggregator a(map);
    mapping::SettlementAggregator b(map);
    a.set_summary({"GROUP-1", "", "", "", {Decimal{}, "USD"}});
    b.set_summary({"GROUP-1", "", "", "", {Decimal{}, "USD"}});
    for (const auto& e : v0->events) {
        if (e.transaction_type == "Order" && e.amount_type != "Promotion" &&
            e.amount_description != "ShippingCharge") {
            a.add(e);
        }
    }
    for (const auto& e : v24->events) {
        if (e.transaction_type == "Order") b.add(e);
    }
    const auto ja = a.finish();
    const auto jb = b.finish();
    ASSERT_EQ(ja.lines.size(), jb.lines.size());
    for (std::size_t i = 1; i < ja.lines.size(); ++i) {
        EXPECT_EQ(ja.lines[i].target.account, jb.lines[i].target.account);
        EXPECT_EQ(ja.lines[i].debit - ja.lines[i].credit, jb.lines[i].debit - jb.lines[i].credit);
    }
}

TEST(SettlementFinances, BadBodiesAreErrors) {
    const auto bad = decode_financial_events_v0("{\"payload\": {");
    ASSERT_FALSE(bad.has_value());
    EXPECT_EQ(bad.error().kind, ErrorKind::permanent);
    EXPECT_NE(bad.error().message.find("not valid JSON"), std::string::npos);
    const auto empty = decode_financial_events_v0("{\"payload\": {}}");
    ASSERT_FALSE(empty.has_value());
    EXPECT_NE(empty.error().message.find("no payload.FinancialEvents"), std::string::npos);
    EXPECT_FALSE(decode_transactions_2024("[]").has_value());
    const auto exponent = decode_financial_events_v0(
        R"({"FinancialEvents": {"AdjustmentEventList": [{"AdjustmentType": "X",
            "AdjustmentAmount": {"CurrencyCode": "USD", "CurrencyAmount": 1e3}}]}})");
    ASSERT_TRUE(exponent.has_value());
    EXPECT_TRUE(exponent->events.empty());
    ASSERT_EQ(exponent->warnings.size(), 1u);
    EXPECT_NE(exponent->warnings[0].find("not an exact decimal"), std::string::npos);
    const auto auto_v0 = decode_finances(kV0);
    const auto auto_24 = decode_finances(k2024);
    ASSERT_TRUE(auto_v0.has_value());
    ASSERT_TRUE(auto_24.has_value());
    EXPECT_EQ(auto_v0->events.front().source, model::FinancialSource::finances_v0);
    EXPECT_EQ(auto_24->events.front().source, model::FinancialSource::finances_2024);
}

}  // namespace
}  // namespace clarity::amazon
