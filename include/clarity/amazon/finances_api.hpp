#pragma once
/// \file
/// Finances API v0 (financial event groups, financial events) and 2024-06-19 (transactions):
/// structs and codecs, from the models in tests/data/sp-api/models.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "clarity/core/result.hpp"
#include "clarity/model/money.hpp"

namespace clarity::amazon {

struct FinancialEventGroupsRequest {
    std::optional<std::string> started_after, started_before;
    std::optional<int> max_results_per_page;
    std::optional<std::string> next_token;
};

struct FinancialEventGroup {
    std::string group_id, processing_status, fund_transfer_status, fund_transfer_date, trace_id,
        group_start, group_end;
    std::optional<model::Money> original_total, converted_total, beginning_balance;
};

struct FinancialEventGroupsPage {
    std::vector<FinancialEventGroup> groups;
    std::optional<std::string> next_token;
};

struct FinancialEventsRequest {
    std::optional<std::string> posted_after, posted_before;
    std::optional<std::string> event_group_id;  ///< use listFinancialEventsByGroupId
    std::optional<int> max_results_per_page;
    std::optional<std::string> next_token;
};

struct ChargeOrFee {
    std::string type;  ///< ChargeType / FeeType (fee types are not enumerated: keep any)
    model::Money amount;
};

struct ShipmentItemEvent {
    std::string seller_sku, order_item_id, order_adjustment_item_id;
    std::int64_t quantity_shipped = 0;
    std::vector<ChargeOrFee> charges, fees, promotions, taxes_withheld;
};

/// ShipmentEventList and RefundEventList entries (same shape; refunds use the adjustment lists).
struct ShipmentEvent {
    std::string amazon_order_id, seller_order_id, marketplace_name, posted_date;
    bool is_refund = false;
    std::vector<ShipmentItemEvent> items;
};

struct FinancialEventsPage {
    std::vector<ShipmentEvent> shipment_events;  ///< shipments then refunds
    std::vector<std::string> other_lists;        ///< names of other non-empty lists (not decoded)
    std::optional<std::string> next_token;
};

struct TransactionsRequest {
    std::string posted_after;
    std::optional<std::string> posted_before, marketplace_id, transaction_status;
    std::optional<std::string> next_token;
};

struct Transaction {
    std::string transaction_id, transaction_type, transaction_status, description, posted_date;
    std::optional<model::Money> total_amount;
    std::vector<std::pair<std::string, std::string>> related_identifiers;
};

struct TransactionsPage {
    std::vector<Transaction> transactions;
    std::optional<std::string> next_token;
};

Result<FinancialEventGroupsPage> decode_financial_event_groups(std::string_view body);
Result<FinancialEventsPage> decode_financial_events(std::string_view body);
Result<TransactionsPage> decode_transactions(std::string_view body);

}  // namespace clarity::amazon
