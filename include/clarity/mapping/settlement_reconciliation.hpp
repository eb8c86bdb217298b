#pragma once
/// \file
/// Reconciliation view of a settlement: the orders it pays (order id → amounts), for matching
/// with Odoo invoices, and the differences between the settlement's amount rows and the financial
/// events (Finances API v0 or 2024-06-19) of the same period — events that arrived late, not at
/// all, or with another amount. Pure; exact decimals.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "clarity/model/financial.hpp"

namespace clarity::mapping {

/// What one settlement pays for one order.
struct OrderPayment {
    std::string order_id;
    model::Decimal net;  ///< sum of every amount of the order in the settlement
    /// "<transaction type>/<amount type>/<amount description>" → sum, sorted by key.
    std::map<std::string, model::Decimal> components;
    std::uint64_t rows = 0;
};

/// Collects OrderPayments from amount rows (memory grows with the number of distinct orders).
class SettlementOrderIndex {
  public:
    void add(const model::FinancialEvent& event);
    /// The same from the parts the index uses (for streaming sinks holding views): no allocation
    /// unless the order or its component is new.
    void add(std::string_view order_id,
             std::string_view transaction_type,
             std::string_view amount_type,
             std::string_view amount_description,
             const model::Decimal& amount);
    /// Orders sorted by order id. Rows without an order id are not orders and are skipped.
    std::vector<OrderPayment> orders() const;

  private:
    std::map<std::string, OrderPayment, std::less<>> orders_;
    std::string component_;  // the component key being looked up, reused
};

enum class DifferenceKind {
    missing_in_events,      ///< in the settlement, no matching financial event (late or lost)
    missing_in_settlement,  ///< a financial event of the period the settlement does not contain
    amount_differs,         ///< both have it, amounts differ
};

std::string_view to_string(DifferenceKind kind) noexcept;

struct ReconciliationDifference {
    DifferenceKind kind = DifferenceKind::amount_differs;
    std::string order_id;  ///< "" for account-level amounts
    std::string transaction_type;
    std::string amount_type;
    std::string amount_description;
    model::Decimal settlement_amount;
    model::Decimal events_amount;

    friend bool operator==(const ReconciliationDifference&,
                           const ReconciliationDifference&) = default;
};

/// Compares settlement rows with financial events, matched on (order id, transaction type,
/// amount type, amount description) with case-insensitive names and amounts summed per key. An
/// event takes part when its group_id is the settlement id, or when it is posted within
/// [summary.start_at, summary.end_at] (or has no date). Differences are sorted by order id, type,
/// description.
std::vector<ReconciliationDifference> compare_settlement_with_events(
    const model::SettlementSummary& summary,
    const std::vector<model::FinancialEvent>& settlement_rows,
    const std::vector<model::FinancialEvent>& events);

}  // namespace clarity::mapping
