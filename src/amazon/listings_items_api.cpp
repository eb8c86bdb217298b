// Listings Items API 2021-08-01 codecs: see clarity/amazon/listings_items_api.hpp.
#include "clarity/amazon/listings_items_api.hpp"

#include "json_util.hpp"
#include "query.hpp"

namespace clarity::amazon {

using namespace detail;

namespace {

std::vector<ListingsIssue> issues_of(const json& j) {
    std::vector<ListingsIssue> out;
    for (const auto& i : array_or_empty(j, "issues")) {
        out.push_back(
            {str(i, "code"), str(i, "message"), str(i, "severity"), strings(i, "attributeNames")});
    }
    return out;
}

}  // namespace

ListingsPatchRequest ListingsPatchRequest::quantity(std::string product_type,
                                                    std::vector<std::string> marketplace_ids,
                                                    std::int64_t quantity) {
    ListingsPatchRequest r;
    r.product_type = std::move(product_type);
    r.marketplace_ids = std::move(marketplace_ids);
    json value = json::array({{{"fulfillment_channel_code", "DEFAULT"}, {"quantity", quantity}}});
    r.patches.push_back({"merge", "/attributes/fulfillment_availability", value.dump()});
    return r;
}

Result<ListingsItem> decode_listings_item(std::string_view body) {
    auto j = parse_body(body, "getListingsItem");
    if (!j) return j.error();
    ListingsItem item;
    item.sku = str(j->v, "sku");
    if (item.sku.empty()) return missing_field("getListingsItem", "sku");
    for (const auto& s : array_or_empty(j->v, "summaries")) {
        item.summaries.push_back({str(s, "marketplaceId"), str(s, "asin"), str(s, "productType"),
                                  str(s, "conditionType"), str(s, "itemName"),
                                  strings(s, "status")});
    }
    item.issues = issues_of(j->v);
    if (auto* a = member(j->v, "attributes")) {
        item.attributes_json = a->dump();
        for (const auto& fa : array_or_empty(*a, "fulfillment_availability")) {
            if (str(fa, "fulfillment_channel_code") == "DEFAULT") {
                item.fulfillment_quantity = opt_int(fa, "quantity");
            }
        }
    }
    return item;
}

Result<ListingsSubmission> decode_listings_submission(std::string_view body) {
    auto j = parse_body(body, "patchListingsItem");
    if (!j) return j.error();
    ListingsSubmission s{str(j->v, "sku"), str(j->v, "status"), str(j->v, "submissionId"),
                         issues_of(j->v)};
    if (s.status.empty()) return missing_field("patchListingsItem", "status");
    return s;
}

std::string encode_listings_patch(const ListingsPatchRequest& r) {
    json patches = json::array();
    for (const auto& p : r.patches) {
        json e{{"op", p.op}, {"path", p.path}};
        if (p.op != "delete" || !p.value_json.empty()) {
            e["value"] = json::parse(p.value_json.empty() ? "[]" : p.value_json, nullptr, false);
        }
        patches.push_back(std::move(e));
    }
    return json{{"productType", r.product_type}, {"patches", std::move(patches)}}.dump();
}

}  // namespace clarity::amazon
