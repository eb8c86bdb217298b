// FBA Inventory API v1 codecs: see clarity/amazon/fba_inventory_api.hpp.
#include "clarity/amazon/fba_inventory_api.hpp"

#include "json_util.hpp"
#include "query.hpp"

namespace clarity::amazon {

using namespace detail;

Result<InventoryPage> decode_inventory_summaries(std::string_view body) {
    auto j = parse_body(body, "getInventorySummaries");
    if (!j) return j.error();
    auto* p = member(j->v, "payload");
    if (p == nullptr) return missing_field("getInventorySummaries", "payload");
    InventoryPage page;
    for (const auto& s : array_or_empty(*p, "inventorySummaries")) {
        InventorySummary sum;
        sum.asin = str(s, "asin");
        sum.fn_sku = str(s, "fnSku");
        sum.seller_sku = str(s, "sellerSku");
        sum.condition = str(s, "condition");
        sum.last_updated_time = str(s, "lastUpdatedTime");
        sum.product_name = str(s, "productName");
        sum.total_quantity = integer(s, "totalQuantity");
        if (auto* d = member(s, "inventoryDetails")) {
            sum.fulfillable = integer(*d, "fulfillableQuantity");
            sum.inbound_working = integer(*d, "inboundWorkingQuantity");
            sum.inbound_shipped = integer(*d, "inboundShippedQuantity");
            sum.inbound_receiving = integer(*d, "inboundReceivingQuantity");
            if (auto* r = member(*d, "reservedQuantity")) {
                sum.reserved_total = integer(*r, "totalReservedQuantity");
                sum.pending_customer_order = integer(*r, "pendingCustomerOrderQuantity");
            }
            if (auto* r = member(*d, "researchingQuantity")) {
                sum.researching = integer(*r, "totalResearchingQuantity");
            }
            if (auto* u = member(*d, "unfulfillableQuantity")) {
                sum.unfulfillable_total = integer(*u, "totalUnfulfillableQuantity");
            }
        }
        page.summaries.push_back(std::move(sum));
    }
    if (auto* pg = member(j->v, "pagination")) {
        auto t = str(*pg, "nextToken");
        if (!t.empty()) page.next_token = t;
    }
    return page;
}

std::string encode_inventory_query(const InventorySummariesRequest& r) {
    QueryBuilder q;
    if (r.details) q.add("details", "true");
    q.add("granularityType", "Marketplace");
    q.add("granularityId", r.marketplace_id);
    q.add_opt("startDateTime", r.start_date_time);
    q.add_csv("sellerSkus", r.seller_skus);
    q.add_opt("nextToken", r.next_token);
    q.add("marketplaceIds", r.marketplace_id);
    return q.str();
}

}  // namespace clarity::amazon
