#include "clarity/amazon/catalog_apis.hpp"

#include <zlib.h>

#include "json_util.hpp"
#include "query.hpp"

namespace clarity::amazon {
namespace {

using namespace detail;

std::optional<model::Money> money_v0(const json& j, std::string_view key) {
    return money(j, key, "CurrencyAmount", "CurrencyCode");
}

std::vector<ListingsIssue> issues_of(const json& j) {
    std::vector<ListingsIssue> out;
    for (const auto& i : array_or_empty(j, "issues")) {
        out.push_back(
            {str(i, "code"), str(i, "message"), str(i, "severity"), strings(i, "attributeNames")});
    }
    return out;
}

std::vector<ChargeOrFee> components(const json& j,
                                    std::string_view list,
                                    std::string_view type,
                                    std::string_view amount) {
    std::vector<ChargeOrFee> out;
    for (const auto& c : array_or_empty(j, list)) {
        if (auto m = money_v0(c, amount)) out.push_back({str(c, type), *m});
    }
    return out;
}

json mcf_address(const McfAddress& a) {
    json j{{"name", a.name},
           {"addressLine1", a.address_line1},
           {"postalCode", a.postal_code},
           {"countryCode", a.country_code}};
    auto opt = [&](const char* k, const std::string& v) {
        if (!v.empty()) j[k] = v;
    };
    opt("addressLine2", a.address_line2);
    opt("addressLine3", a.address_line3);
    opt("city", a.city);
    opt("districtOrCounty", a.district_or_county);
    opt("stateOrRegion", a.state_or_region);
    opt("phone", a.phone);
    return j;
}

json mcf_items(const std::vector<McfItem>& items) {
    json arr = json::array();
    for (const auto& i : items) {
        json j{{"sellerSku", i.seller_sku},
               {"sellerFulfillmentOrderItemId", i.seller_fulfillment_order_item_id},
               {"quantity", i.quantity}};
        if (!i.gift_message.empty()) j["giftMessage"] = i.gift_message;
        if (!i.displayable_comment.empty()) j["displayableComment"] = i.displayable_comment;
        if (i.per_unit_declared_value) {
            j["perUnitDeclaredValue"] = {{"currencyCode", i.per_unit_declared_value->currency},
                                         {"value", i.per_unit_declared_value->amount.to_string()}};
        }
        arr.push_back(std::move(j));
    }
    return arr;
}

}  // namespace

// ---- FBA Inventory
// --------------------------------------------------------------------------------

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

// ---- Listings
// -------------------------------------------------------------------------------------

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

// ---- Feeds / Reports
// ------------------------------------------------------------------------------

Result<FeedDocumentUpload> decode_feed_document_upload(std::string_view body,
                                                       std::string content_type) {
    auto j = parse_body(body, "createFeedDocument");
    if (!j) return j.error();
    FeedDocumentUpload d{str(j->v, "feedDocumentId"), str(j->v, "url"), std::move(content_type)};
    if (d.feed_document_id.empty()) return missing_field("createFeedDocument", "feedDocumentId");
    if (d.url.empty()) return missing_field("createFeedDocument", "url");
    return d;
}

Result<std::string> decode_create_feed(std::string_view body) {
    auto j = parse_body(body, "createFeed");
    if (!j) return j.error();
    auto id = str(j->v, "feedId");
    if (id.empty()) return missing_field("createFeed", "feedId");
    return id;
}

Result<FeedStatus> decode_feed(std::string_view body) {
    auto j = parse_body(body, "getFeed");
    if (!j) return j.error();
    FeedStatus f{str(j->v, "feedId"),           str(j->v, "feedType"),
                 str(j->v, "processingStatus"), str(j->v, "resultFeedDocumentId"),
                 str(j->v, "createdTime"),      str(j->v, "processingEndTime")};
    if (f.feed_id.empty()) return missing_field("getFeed", "feedId");
    return f;
}

Result<DocumentLocation> decode_document_location(std::string_view body,
                                                  std::string_view id_field) {
    auto j = parse_body(body, "document");
    if (!j) return j.error();
    DocumentLocation d{str(j->v, id_field), str(j->v, "url"), str(j->v, "compressionAlgorithm")};
    if (d.url.empty()) return missing_field("document", "url");
    return d;
}

Result<ListingsFeedReport> decode_listings_feed_report(std::string_view body) {
    auto j = parse_body(body, "listings feed processing report");
    if (!j) return j.error();
    ListingsFeedReport r;
    if (auto* h = member(j->v, "header")) {
        r.feed_id = str(*h, "feedId");
        r.report_status = str(*h, "status");
    }
    if (auto* s = member(j->v, "summary")) {
        r.errors = integer(*s, "errors");
        r.warnings = integer(*s, "warnings");
        r.messages_processed = integer(*s, "messagesProcessed");
        r.messages_accepted = integer(*s, "messagesAccepted");
        r.messages_invalid = integer(*s, "messagesInvalid");
    }
    for (const auto& i : array_or_empty(j->v, "issues")) {
        r.issues.push_back({integer(i, "messageId"), str(i, "sku"), str(i, "code"),
                            str(i, "severity"), str(i, "message")});
    }
    return r;
}

namespace {
Report report_of(const json& r) {
    return Report{
        str(r, "reportId"),         str(r, "reportType"),        str(r, "processingStatus"),
        str(r, "reportDocumentId"), str(r, "createdTime"),       str(r, "dataStartTime"),
        str(r, "dataEndTime"),      str(r, "processingEndTime"), strings(r, "marketplaceIds")};
}
}  // namespace

Result<ReportsPage> decode_reports(std::string_view body) {
    auto j = parse_body(body, "getReports");
    if (!j) return j.error();
    auto* arr = member(j->v, "reports");
    if (arr == nullptr) return missing_field("getReports", "reports");
    ReportsPage page;
    for (const auto& r : array_or_empty(j->v, "reports")) page.reports.push_back(report_of(r));
    auto t = str(j->v, "nextToken");
    if (!t.empty()) page.next_token = t;
    return page;
}

Result<Report> decode_report(std::string_view body) {
    auto j = parse_body(body, "getReport");
    if (!j) return j.error();
    auto r = report_of(j->v);
    if (r.report_id.empty()) return missing_field("getReport", "reportId");
    return r;
}

std::string encode_reports_query(const ReportsRequest& r) {
    QueryBuilder q;
    if (r.next_token) {  // the model: with nextToken, every other parameter must be absent
        q.add("nextToken", *r.next_token);
        return q.str();
    }
    q.add_csv("reportTypes", r.report_types);
    q.add_csv("processingStatuses", r.processing_statuses);
    q.add_csv("marketplaceIds", r.marketplace_ids);
    if (r.page_size) q.add("pageSize", std::to_string(*r.page_size));
    q.add_opt("createdSince", r.created_since);
    q.add_opt("createdUntil", r.created_until);
    return q.str();
}

Result<std::string> gunzip(std::string_view data) {
    z_stream zs{};
    if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) {
        return make_error(ErrorKind::permanent, "zlib inflateInit2 failed", "gunzip");
    }
    std::string out;
    char buf[16384];
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    zs.avail_in = static_cast<uInt>(data.size());
    int ret = Z_OK;
    do {
        zs.next_out = reinterpret_cast<Bytef*>(buf);
        zs.avail_out = sizeof buf;
        ret = inflate(&zs, Z_NO_FLUSH);
        if (ret != Z_OK && ret != Z_STREAM_END) break;
        out.append(buf, sizeof buf - zs.avail_out);
    } while (ret != Z_STREAM_END && (zs.avail_in > 0 || zs.avail_out == 0));
    inflateEnd(&zs);
    if (ret != Z_STREAM_END) {
        return make_error(ErrorKind::permanent,
                          "document flagged GZIP is not valid gzip data (truncated download?)",
                          "gunzip");
    }
    return out;
}

std::string gzip(std::string_view data) {
    z_stream zs{};
    deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
    std::string out;
    out.resize(deflateBound(&zs, static_cast<uLong>(data.size())) + 32);
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    zs.avail_in = static_cast<uInt>(data.size());
    zs.next_out = reinterpret_cast<Bytef*>(out.data());
    zs.avail_out = static_cast<uInt>(out.size());
    deflate(&zs, Z_FINISH);
    out.resize(zs.total_out);
    deflateEnd(&zs);
    return out;
}

// ---- Finances
// -------------------------------------------------------------------------------------

Result<FinancialEventGroupsPage> decode_financial_event_groups(std::string_view body) {
    auto j = parse_body(body, "listFinancialEventGroups");
    if (!j) return j.error();
    auto* p = member(j->v, "payload");
    if (p == nullptr) return missing_field("listFinancialEventGroups", "payload");
    FinancialEventGroupsPage page;
    for (const auto& g : array_or_empty(*p, "FinancialEventGroupList")) {
        page.groups.push_back({str(g, "FinancialEventGroupId"), str(g, "ProcessingStatus"),
                               str(g, "FundTransferStatus"), str(g, "FundTransferDate"),
                               str(g, "TraceId"), str(g, "FinancialEventGroupStart"),
                               str(g, "FinancialEventGroupEnd"), money_v0(g, "OriginalTotal"),
                               money_v0(g, "ConvertedTotal"), money_v0(g, "BeginningBalance")});
    }
    auto t = str(*p, "NextToken");
    if (!t.empty()) page.next_token = t;
    return page;
}

Result<FinancialEventsPage> decode_financial_events(std::string_view body) {
    auto j = parse_body(body, "listFinancialEvents");
    if (!j) return j.error();
    auto* p = member(j->v, "payload");
    if (p == nullptr) return missing_field("listFinancialEvents", "payload");
    FinancialEventsPage page;
    if (auto* fe = member(*p, "FinancialEvents"); fe != nullptr && fe->is_object()) {
        for (auto it = fe->begin(); it != fe->end(); ++it) {
            const bool shipment = it.key() == "ShipmentEventList";
            const bool refund = it.key() == "RefundEventList";
            if (!shipment && !refund) {
                if (it->is_array() && !it->empty()) page.other_lists.push_back(it.key());
                continue;
            }
            for (const auto& e : array_or_empty(*fe, it.key())) {
                ShipmentEvent ev{str(e, "AmazonOrderId"),
                                 str(e, "SellerOrderId"),
                                 str(e, "MarketplaceName"),
                                 str(e, "PostedDate"),
                                 refund,
                                 {}};
                auto list = refund ? "ShipmentItemAdjustmentList" : "ShipmentItemList";
                for (const auto& i : array_or_empty(e, list)) {
                    ShipmentItemEvent item;
                    item.seller_sku = str(i, "SellerSKU");
                    item.order_item_id = str(i, "OrderItemId");
                    item.order_adjustment_item_id = str(i, "OrderAdjustmentItemId");
                    item.quantity_shipped = integer(i, "QuantityShipped");
                    item.charges =
                        components(i, refund ? "ItemChargeAdjustmentList" : "ItemChargeList",
                                   "ChargeType", "ChargeAmount");
                    item.fees = components(i, refund ? "ItemFeeAdjustmentList" : "ItemFeeList",
                                           "FeeType", "FeeAmount");
                    for (const auto& pr :
                         array_or_empty(i, refund ? "PromotionAdjustmentList" : "PromotionList")) {
                        if (auto m = money_v0(pr, "PromotionAmount")) {
                            item.promotions.push_back({str(pr, "PromotionType"), *m});
                        }
                    }
                    for (const auto& tw : array_or_empty(i, "ItemTaxWithheldList")) {
                        auto c = components(tw, "TaxesWithheld", "ChargeType", "ChargeAmount");
                        item.taxes_withheld.insert(item.taxes_withheld.end(), c.begin(), c.end());
                    }
                    ev.items.push_back(std::move(item));
                }
                page.shipment_events.push_back(std::move(ev));
            }
        }
    }
    auto t = str(*p, "NextToken");
    if (!t.empty()) page.next_token = t;
    return page;
}

Result<TransactionsPage> decode_transactions(std::string_view body) {
    auto j = parse_body(body, "listTransactions");
    if (!j) return j.error();
    auto* p = member(j->v, "payload");
    if (p == nullptr) return missing_field("listTransactions", "payload");
    TransactionsPage page;
    for (const auto& t : array_or_empty(*p, "transactions")) {
        Transaction tx{str(t, "transactionId"),
                       str(t, "transactionType"),
                       str(t, "transactionStatus"),
                       str(t, "description"),
                       str(t, "postedDate"),
                       money(t, "totalAmount", "currencyAmount", "currencyCode"),
                       {}};
        for (const auto& r : array_or_empty(t, "relatedIdentifiers")) {
            tx.related_identifiers.emplace_back(str(r, "relatedIdentifierName"),
                                                str(r, "relatedIdentifierValue"));
        }
        page.transactions.push_back(std::move(tx));
    }
    auto t = str(*p, "nextToken");
    if (!t.empty()) page.next_token = t;
    return page;
}

// ---- Fulfillment Outbound
// -------------------------------------------------------------------------

std::string encode_fulfillment_preview(const FulfillmentPreviewRequest& r) {
    json j{{"address", mcf_address(r.address)}, {"items", mcf_items(r.items)}};
    if (!r.marketplace_id.empty()) j["marketplaceId"] = r.marketplace_id;
    if (!r.shipping_speed_categories.empty()) {
        j["shippingSpeedCategories"] = r.shipping_speed_categories;
    }
    return j.dump();
}

std::string encode_create_fulfillment_order(const CreateFulfillmentOrderRequest& r) {
    json j{{"sellerFulfillmentOrderId", r.seller_fulfillment_order_id},
           {"displayableOrderId", r.displayable_order_id},
           {"displayableOrderDate", r.displayable_order_date},
           {"displayableOrderComment", r.displayable_order_comment},
           {"shippingSpeedCategory", r.shipping_speed_category},
           {"destinationAddress", mcf_address(r.destination_address)},
           {"items", mcf_items(r.items)}};
    if (!r.marketplace_id.empty()) j["marketplaceId"] = r.marketplace_id;
    if (!r.fulfillment_action.empty()) j["fulfillmentAction"] = r.fulfillment_action;
    if (!r.fulfillment_policy.empty()) j["fulfillmentPolicy"] = r.fulfillment_policy;
    if (!r.notification_emails.empty()) j["notificationEmails"] = r.notification_emails;
    return j.dump();
}

Result<std::vector<FulfillmentPreview>> decode_fulfillment_preview(std::string_view body) {
    auto j = parse_body(body, "getFulfillmentPreview");
    if (!j) return j.error();
    auto* p = member(j->v, "payload");
    if (p == nullptr) return missing_field("getFulfillmentPreview", "payload");
    std::vector<FulfillmentPreview> out;
    for (const auto& f : array_or_empty(*p, "fulfillmentPreviews")) {
        FulfillmentPreview fp{str(f, "shippingSpeedCategory"),
                              boolean(f, "isFulfillable"),
                              {},
                              strings(f, "orderUnfulfillableReasons")};
        for (const auto& fee : array_or_empty(f, "estimatedFees")) {
            if (auto m = money(fee, "amount", "value", "currencyCode")) {
                fp.estimated_fees.push_back({str(fee, "name"), *m});
            }
        }
        out.push_back(std::move(fp));
    }
    return out;
}

Result<FulfillmentOrderDetails> decode_fulfillment_order(std::string_view body) {
    auto j = parse_body(body, "getFulfillmentOrder");
    if (!j) return j.error();
    auto* p = member(j->v, "payload");
    if (p == nullptr) return missing_field("getFulfillmentOrder", "payload");
    auto* fo = member(*p, "fulfillmentOrder");
    if (fo == nullptr) return missing_field("getFulfillmentOrder", "fulfillmentOrder");
    FulfillmentOrderDetails d;
    d.seller_fulfillment_order_id = str(*fo, "sellerFulfillmentOrderId");
    d.displayable_order_id = str(*fo, "displayableOrderId");
    d.status = str(*fo, "fulfillmentOrderStatus");
    d.status_updated_date = str(*fo, "statusUpdatedDate");
    d.received_date = str(*fo, "receivedDate");
    d.shipping_speed_category = str(*fo, "shippingSpeedCategory");
    for (const auto& i : array_or_empty(*p, "fulfillmentOrderItems")) {
        d.items.push_back({str(i, "sellerSku"), str(i, "sellerFulfillmentOrderItemId"),
                           integer(i, "quantity"), integer(i, "cancelledQuantity"),
                           integer(i, "unfulfillableQuantity")});
    }
    for (const auto& s : array_or_empty(*p, "fulfillmentShipments")) {
        McfShipment sh{str(s, "amazonShipmentId"),
                       str(s, "fulfillmentCenterId"),
                       str(s, "fulfillmentShipmentStatus"),
                       str(s, "shippingDate"),
                       {}};
        for (const auto& pk : array_or_empty(s, "fulfillmentShipmentPackage")) {
            sh.packages.push_back({integer(pk, "packageNumber"), str(pk, "carrierCode"),
                                   str(pk, "trackingNumber"), str(pk, "estimatedArrivalDate")});
        }
        d.shipments.push_back(std::move(sh));
    }
    return d;
}

Result<PackageTracking> decode_package_tracking(std::string_view body) {
    auto j = parse_body(body, "getPackageTrackingDetails");
    if (!j) return j.error();
    auto* p = member(j->v, "payload");
    if (p == nullptr) return missing_field("getPackageTrackingDetails", "payload");
    PackageTracking t;
    t.package_number = integer(*p, "packageNumber");
    t.tracking_number = str(*p, "trackingNumber");
    t.carrier_code = str(*p, "carrierCode");
    t.current_status = str(*p, "currentStatus");
    t.ship_date = str(*p, "shipDate");
    t.estimated_arrival_date = str(*p, "estimatedArrivalDate");
    t.customer_tracking_link = str(*p, "customerTrackingLink");
    for (const auto& e : array_or_empty(*p, "trackingEvents")) {
        t.events.push_back({str(e, "eventDate"), str(e, "eventCode"), str(e, "eventDescription")});
    }
    return t;
}

}  // namespace clarity::amazon
