// Fulfillment Outbound API 2020-07-01 codecs: see clarity/amazon/fulfillment_outbound_api.hpp.
#include "clarity/amazon/fulfillment_outbound_api.hpp"

#include "json_util.hpp"
#include "query.hpp"

namespace clarity::amazon {

using namespace detail;

namespace {

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
