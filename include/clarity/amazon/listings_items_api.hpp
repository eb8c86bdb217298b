#pragma once
/// \file
/// Listings Items API 2021-08-01 (getListingsItem, patchListingsItem): structs and codecs, from the
/// model in tests/data/sp-api/models; unknown fields are tolerated.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "clarity/core/result.hpp"

namespace clarity::amazon {

struct ListingsSummary {
    std::string marketplace_id, asin, product_type, condition_type, item_name;
    std::vector<std::string> status;  ///< BUYABLE, DISCOVERABLE
};

struct ListingsIssue {
    std::string code, message, severity;  ///< severity ERROR | WARNING | INFO
    std::vector<std::string> attribute_names;
};

struct ListingsItem {
    std::string sku;
    std::vector<ListingsSummary> summaries;
    std::vector<ListingsIssue> issues;
    std::string attributes_json;  ///< the `attributes` object as JSON text (schema per type)
    /// Merchant-fulfilled quantity from attributes.fulfillment_availability (DEFAULT channel).
    std::optional<std::int64_t> fulfillment_quantity;
};

struct ListingsPatch {
    std::string op = "merge";  ///< add | replace | merge | delete
    std::string path;          ///< "/attributes/fulfillment_availability"
    std::string value_json;    ///< JSON array text
};

/// `productType` is required even for a quantity-only patch (NOTES.md §7).
struct ListingsPatchRequest {
    std::string product_type;
    std::vector<std::string> marketplace_ids;
    std::vector<ListingsPatch> patches;
    bool validation_preview = false;         ///< mode=VALIDATION_PREVIEW
    std::vector<std::string> included_data;  ///< includedData: issues, identifiers (default issues)

    /// The merge patch that sets merchant-fulfilled quantity (fulfillment_channel_code DEFAULT).
    static ListingsPatchRequest quantity(std::string product_type,
                                         std::vector<std::string> marketplace_ids,
                                         std::int64_t quantity);
};

struct ListingsSubmission {
    std::string sku, status, submission_id;  ///< status ACCEPTED | INVALID | VALID
    std::vector<ListingsIssue> issues;
};

Result<ListingsItem> decode_listings_item(std::string_view body);
Result<ListingsSubmission> decode_listings_submission(std::string_view body);
std::string encode_listings_patch(const ListingsPatchRequest& request);

}  // namespace clarity::amazon
