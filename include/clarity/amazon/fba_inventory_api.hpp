#pragma once
/// \file
/// FBA Inventory API v1 (getInventorySummaries): request, page and codecs. Decoded from the model
/// in tests/data/sp-api/models (fbaInventory.json); unknown fields are tolerated.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "clarity/core/result.hpp"

namespace clarity::amazon {

struct InventorySummariesRequest {
    std::string marketplace_id;  ///< granularityId and marketplaceIds (one)
    bool details = true;
    std::optional<std::string> start_date_time;
    std::vector<std::string> seller_skus;   ///< <= 50
    std::optional<std::string> next_token;  ///< expires after 30 s
};

struct InventorySummary {
    std::string asin, fn_sku, seller_sku, condition, last_updated_time, product_name;
    std::int64_t total_quantity = 0;
    std::int64_t fulfillable = 0, inbound_working = 0, inbound_shipped = 0, inbound_receiving = 0;
    std::int64_t reserved_total = 0, pending_customer_order = 0, researching = 0,
                 unfulfillable_total = 0;
};

struct InventoryPage {
    std::vector<InventorySummary> summaries;
    std::optional<std::string> next_token;
};

Result<InventoryPage> decode_inventory_summaries(std::string_view body);
std::string encode_inventory_query(const InventorySummariesRequest& request);

}  // namespace clarity::amazon
