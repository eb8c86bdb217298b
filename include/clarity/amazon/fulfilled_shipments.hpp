#pragma once
// The Amazon Fulfilled Shipments report (GET_AMAZON_FULFILLED_SHIPMENTS_DATA_GENERAL, Reports API):
// tracking numbers of FBA shipments per Amazon order id.

#include <map>
#include <string>
#include <string_view>

namespace clarity::amazon {

/// Report type of the Amazon Fulfilled Shipments flat file.
inline constexpr std::string_view kFulfilledShipmentsReport =
    "GET_AMAZON_FULFILLED_SHIPMENTS_DATA_GENERAL";

/// Tracking numbers per Amazon order id from the report's flat file: tab-separated with a header
/// row; columns found by name (amazon-order-id, carrier, tracking-number), so extra or moved
/// columns do not matter. Entries are "CARRIER NUMBER", joined with ", " per order; rows without
/// tracking are skipped; a file without those columns gives nothing.
std::map<std::string, std::string> parse_fulfilled_shipments(std::string_view text);

}  // namespace clarity::amazon
