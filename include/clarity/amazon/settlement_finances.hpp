#pragma once
/// \file
/// Decoders of the Finances API into canonical model::FinancialEvent, so that financial events and
/// settlement report rows feed one aggregation and one reconciliation
/// (../shared/reference/sp-api/NOTES.md §9):
/// - v0 `listFinancialEvents` / `…ByGroupId` / `…ByOrderId`: `{"payload":{"FinancialEvents":{…}}}`
///   with ShipmentEventList, RefundEventList, ServiceFeeEventList, AdjustmentEventList and the
///   other lists (models/finances-api-model/financesV0.json);
/// - 2024-06-19 `listTransactions`: `{"payload":{"transactions":[…]}}`
///   (models/finances-api-model/finances_2024-06-19.json).
/// Amounts are read from the JSON number text, exactly (never through double). The HTTP
/// operations live elsewhere in the connector; these functions decode response bodies only.

#include <string>
#include <string_view>
#include <vector>

#include "clarity/core/result.hpp"
#include "clarity/model/financial.hpp"

namespace clarity::amazon {

struct FinancesDecodeResult {
    std::vector<model::FinancialEvent> events;
    /// Things decoded partially or skipped (an event list this decoder does not know, a
    /// breakdown that does not add up, an amount that is not a number); never silent.
    std::vector<std::string> warnings;
    std::string next_token;  ///< NextToken / nextToken, "" on the last page
};

/// Decodes a v0 financial events response (or a bare FinancialEvents object). `group_id` is
/// stamped on every event (use the eventGroupId of …ByGroupId). Error (permanent) on invalid JSON
/// or a body without FinancialEvents.
Result<FinancesDecodeResult> decode_financial_events_v0(std::string_view json,
                                                        std::string_view group_id = {});

/// Decodes a 2024-06-19 listTransactions response. Each breakdown leaf becomes one event
/// (amount_type = its parent breakdown type, amount_description = its own type); a transaction
/// without breakdowns becomes one event of its totalAmount. Error (permanent) on invalid JSON or a
/// body without transactions.
Result<FinancesDecodeResult> decode_transactions_2024(std::string_view json);

/// Picks the decoder by shape ("FinancialEvents" → v0, "transactions" → 2024-06-19).
Result<FinancesDecodeResult> decode_finances(std::string_view json);

}  // namespace clarity::amazon
