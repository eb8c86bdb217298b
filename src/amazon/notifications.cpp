#include "clarity/amazon/notifications.hpp"

#include <cctype>

#include "clarity/amazon/sigv4.hpp"
#include "json_util.hpp"

namespace clarity::amazon {
namespace {

using detail::json;

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(a[i])) !=
            std::tolower(static_cast<unsigned char>(b[i]))) {
            return false;
        }
    }
    return true;
}

// Case-insensitive member look-up (the envelopes differ in casing between types).
const json* ci(const json& j, std::string_view key) {
    if (!j.is_object()) return nullptr;
    if (auto* m = detail::member(j, key)) return m;
    for (auto it = j.begin(); it != j.end(); ++it) {
        if (iequals(it.key(), key) && !it->is_null()) return &*it;
    }
    return nullptr;
}

std::string s(const json& j, std::string_view key) {
    auto* m = ci(j, key);
    if (m == nullptr) return {};
    if (m->is_string()) return m->get<std::string>();
    if (m->is_number() || m->is_boolean()) return m->dump();
    return {};
}

std::int64_t n(const json& j, std::string_view key) {
    auto* m = ci(j, key);
    if (m == nullptr) return 0;
    if (m->is_number_integer()) return m->get<std::int64_t>();
    if (m->is_number()) return detail::whole_number(m->get<double>()).value_or(0);
    if (m->is_string()) {
        try {
            return std::stoll(m->get<std::string>());
        } catch (const std::exception&) {
            return 0;
        }
    }
    return 0;
}

bool b(const json& j, std::string_view key) {
    auto* m = ci(j, key);
    if (m == nullptr) return false;
    if (m->is_boolean()) return m->get<bool>();
    return m->is_string() && iequals(m->get<std::string>(), "true");
}

const json& arr(const json& j, std::string_view key) {
    static const json kEmpty = json::array();
    auto* m = ci(j, key);
    return m != nullptr && m->is_array() ? *m : kEmpty;
}

const json& obj(const json& j, std::string_view key) {
    static const json kEmpty = json::object();
    auto* m = ci(j, key);
    return m != nullptr && m->is_object() ? *m : kEmpty;
}

OrderChangeEvent order_change(const json& p) {
    OrderChangeEvent e;
    e.notification_level = s(p, "NotificationLevel");
    e.seller_id = s(p, "SellerId");
    e.amazon_order_id = s(p, "AmazonOrderId");
    e.order_change_type = s(p, "OrderChangeType");
    const auto& trig = obj(p, "OrderChangeTrigger");
    e.time_of_order_change = s(trig, "TimeOfOrderChange");
    e.change_reason = s(trig, "ChangeReason");
    const auto& sum = obj(p, "Summary");
    e.marketplace_id = s(sum, "MarketplaceId");
    e.order_status = s(sum, "OrderStatus");
    e.purchase_date = s(sum, "PurchaseDate");
    e.fulfillment_type = s(sum, "FulfillmentType");
    e.order_type = s(sum, "OrderType");
    for (const auto& i : arr(sum, "OrderItems")) {
        e.items.push_back({s(i, "OrderItemId"), s(i, "SellerSKU"), s(i, "SupplySourceId"),
                           s(i, "OrderItemStatus"), n(i, "Quantity"), n(i, "QuantityShipped"),
                           b(i, "IsBuyerRequestedCancel")});
    }
    return e;
}

FbaInventoryChangeEvent fba_inventory(const json& p) {
    FbaInventoryChangeEvent e{s(p, "SellerId"), s(p, "FNSKU"), s(p, "ASIN"), s(p, "SKU"), {}};
    for (const auto& m : arr(p, "FulfillmentInventoryByMarketplace")) {
        FbaMarketplaceInventory inv;
        inv.marketplace_id = s(m, "MarketplaceId");
        inv.item_name = s(m, "ItemName");
        const auto& fi = obj(m, "FulfillmentInventory");
        inv.fulfillable = n(fi, "Fulfillable");
        inv.unfulfillable = n(fi, "Unfulfillable");
        inv.researching = n(fi, "Researching");
        const auto& in = obj(fi, "InboundQuantityBreakdown");
        inv.inbound_working = n(in, "Working");
        inv.inbound_shipped = n(in, "Shipped");
        inv.inbound_receiving = n(in, "Receiving");
        const auto& rs = obj(fi, "ReservedQuantityBreakdown");
        inv.reserved_warehouse_processing = n(rs, "WarehouseProcessing");
        inv.reserved_warehouse_transfer = n(rs, "WarehouseTransfer");
        inv.reserved_pending_customer_order = n(rs, "PendingCustomerOrder");
        inv.future_supply_buyable = n(fi, "FutureSupplyBuyable");
        inv.pending_customer_order_in_transit = n(fi, "PendingCustomerOrderInTransit");
        e.marketplaces.push_back(std::move(inv));
    }
    return e;
}

FulfillmentOrderStatusEvent fulfillment_status(const json& p) {
    FulfillmentOrderStatusEvent e;
    e.seller_id = s(p, "SellerId");
    e.event_type = s(p, "EventType");
    e.status_updated = s(p, "StatusUpdatedDateTime");
    e.seller_fulfillment_order_id = s(p, "SellerFulfillmentOrderId");
    e.fulfillment_order_status = s(p, "FulfillmentOrderStatus");
    const auto& sh = obj(p, "FulfillmentShipment");
    e.shipment_status = s(sh, "FulfillmentShipmentStatus");
    e.amazon_shipment_id = s(sh, "AmazonShipmentId");
    e.estimated_arrival = s(sh, "EstimatedArrivalDateTime");
    for (const auto& pk : arr(sh, "FulfillmentShipmentPackages")) {
        e.packages.push_back(
            {n(pk, "PackageNumber"), s(pk, "CarrierCode"), s(pk, "TrackingNumber")});
    }
    if (auto* r = ci(p, "FulfillmentReturnItem"); r != nullptr && r->is_object()) {
        e.returned_quantity = n(*r, "ReturnedQuantity");
        e.returned_sku = s(*r, "SellerSKU");
    }
    return e;
}

}  // namespace

DecodedNotification decode_notification(std::string_view body) {
    DecodedNotification out;
    if (auto at = core::json_too_deep_at(body)) {
        out.reason = "body refused: " + core::json_depth_message(*at);
        return out;
    }
    auto j = detail::parse_json(body);
    if (j.is_discarded() || !j.is_object()) {
        out.reason = "body is not a JSON object";
        return out;
    }
    if (auto* t = ci(j, "NotificationType"); t != nullptr && t->is_string()) {
        out.notification_type = t->get<std::string>();
    }
    const auto& meta = obj(j, "NotificationMetadata");
    out.notification_id = s(meta, "NotificationId");
    if (out.notification_type.empty()) {
        out.reason = "no NotificationType";
        return out;
    }
    const auto* payload = ci(j, "Payload");
    Notification note;
    note.notification_type = out.notification_type;
    note.notification_version = s(j, "NotificationVersion");
    note.payload_version = s(j, "PayloadVersion");
    note.event_time = s(j, "EventTime");
    note.metadata = {s(meta, "ApplicationId"), s(meta, "SubscriptionId"), s(meta, "PublishTime"),
                     out.notification_id};
    const auto& type = out.notification_type;
    auto need = [&](std::string_view inner) -> const json* {
        if (payload == nullptr || !payload->is_object()) return nullptr;
        if (inner.empty()) return payload;
        auto* p = ci(*payload, inner);
        return p != nullptr && p->is_object() ? p : nullptr;
    };
    const json* p = nullptr;
    if (type == "ORDER_CHANGE") {
        if ((p = need("OrderChangeNotification")) != nullptr) note.event = order_change(*p);
    } else if (type == "FBA_INVENTORY_AVAILABILITY_CHANGES") {
        if ((p = need("")) != nullptr) note.event = fba_inventory(*p);
    } else if (type == "FULFILLMENT_ORDER_STATUS") {
        if ((p = need("FulfillmentOrderStatusNotification")) != nullptr) {
            note.event = fulfillment_status(*p);
        }
    } else if (type == "REPORT_PROCESSING_FINISHED") {
        if ((p = need("reportProcessingFinishedNotification")) != nullptr) {
            note.event = ReportProcessingFinishedEvent{
                s(*p, "sellerId"),   s(*p, "accountId"),        s(*p, "reportId"),
                s(*p, "reportType"), s(*p, "processingStatus"), s(*p, "reportDocumentId")};
        }
    } else if (type == "FEED_PROCESSING_FINISHED") {
        if ((p = need("feedProcessingFinishedNotification")) != nullptr) {
            note.event = FeedProcessingFinishedEvent{
                s(*p, "sellerId"), s(*p, "accountId"),        s(*p, "feedId"),
                s(*p, "feedType"), s(*p, "processingStatus"), s(*p, "resultFeedDocumentId")};
        }
    } else {
        out.status = DecodeStatus::unknown_type;
        out.reason = "notification type " + type + " is not handled by this connector";
        return out;
    }
    if (p == nullptr) {
        out.reason = type + " notification without its payload object";
        return out;
    }
    out.status = DecodeStatus::decoded;
    out.notification = std::move(note);
    return out;
}

std::string notification_key(const DecodedNotification& decoded, std::string_view body) {
    if (!decoded.notification_id.empty()) return "sp-notification:" + decoded.notification_id;
    return "sp-notification-sha256:" + sha256_hex(body);
}

}  // namespace clarity::amazon
