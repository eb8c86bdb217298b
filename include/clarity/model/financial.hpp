#pragma once
/// \file
/// Canonical money movements between Amazon and the seller: one FinancialEvent per amount
/// component (a settlement report amount row, a Finances v0 charge/fee/promotion component, or a
/// Finances 2024-06-19 breakdown leaf), and the Settlement summary that pays them. Standard library
/// only. Amounts are exact (model::Money); signs are the seller's view: positive = Amazon owes the
/// seller (sales, reimbursements), negative = the seller owes Amazon (fees, refunds, reserves).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "clarity/model/money.hpp"

namespace clarity::model {

/// Where a FinancialEvent came from.
enum class FinancialSource {
    settlement_report,  ///< GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2 amount row
    finances_v0,        ///< Finances v0 listFinancialEvents (…ByGroupId, …ByOrderId)
    finances_2024,      ///< Finances 2024-06-19 listTransactions
};

/// Stable lower-case name ("settlement_report", "finances_v0", "finances_2024").
std::string_view to_string(FinancialSource source) noexcept;

/// One amount component. Vocabulary follows the settlement report so that both Finances API
/// versions feed the same aggregation: transaction_type "Order", "Refund", "ServiceFee",
/// "Adjustment", "other-transaction", …; amount_type "ItemPrice", "ItemFees", "Promotion",
/// "ItemWithheldTax", …; amount_description "Principal", "Tax", "Commission", ….
struct FinancialEvent {
    FinancialSource source = FinancialSource::settlement_report;
    std::string group_id;  ///< settlement id / financial event group id when known
    std::string transaction_type;
    std::string order_id;           ///< Amazon order id, empty for account-level amounts
    std::string merchant_order_id;  ///< seller order id
    std::string adjustment_id;
    std::string shipment_id;
    std::string marketplace_name;  ///< "Amazon.com", "Amazon.de", …
    std::string fulfillment_id;    ///< "AFN" / "MFN"
    std::string order_item_code;
    std::string sku;
    std::string amount_type;
    std::string amount_description;
    Money amount;
    /// ISO 8601 UTC "YYYY-MM-DDTHH:MM:SSZ"; empty when the source had no date.
    std::string posted_at;
    std::optional<std::int64_t> quantity;

    friend bool operator==(const FinancialEvent&, const FinancialEvent&) = default;
};

/// Summary of one settlement (the first data row of a settlement report, or a v0 financial
/// event group). Dates are ISO 8601 UTC "YYYY-MM-DDTHH:MM:SSZ" (empty when absent).
struct SettlementSummary {
    std::string settlement_id;
    std::string start_at;
    std::string end_at;
    std::string deposit_at;
    Money total;  ///< what Amazon transfers to the seller's bank (negative: seller owes)

    friend bool operator==(const SettlementSummary&, const SettlementSummary&) = default;
};

/// A settlement held in memory: summary plus every amount row. Large reports are streamed instead
/// (amazon::SettlementReportParser); this is for small reports, tests and reconciliation.
struct Settlement {
    SettlementSummary summary;
    std::vector<FinancialEvent> rows;

    /// Sum of the amount rows' amounts (exact). Empty → 0 in the summary currency.
    Money rows_total() const;
};

/// True when a transaction type names a refund ("Refund", "refund", "Chargeback Refund",
/// "GuaranteeClaim Refund"…), compared case-insensitively.
bool is_refund_transaction(std::string_view transaction_type) noexcept;

/// ASCII case-insensitive equality.
bool iequals(std::string_view a, std::string_view b) noexcept;

}  // namespace clarity::model
