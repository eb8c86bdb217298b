#pragma once
/// \file
/// SP-API notification payloads (delivered as SQS message bodies) decoded into typed events.
/// ORDER_CHANGE, FBA_INVENTORY_AVAILABILITY_CHANGES and FULFILLMENT_ORDER_STATUS use PascalCase
/// envelopes; REPORT_/FEED_PROCESSING_FINISHED use camelCase (NOTES.md §6.2). Keys are matched
/// case-insensitively, so either casing decodes. Schemas: ../shared/reference/sp-api/schemas/
/// notifications/.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace clarity::amazon {

struct NotificationMetadata {
    std::string application_id, subscription_id, publish_time, notification_id;
};

struct OrderChangeItem {
    std::string order_item_id, seller_sku, supply_source_id, order_item_status;
    std::int64_t quantity = 0, quantity_shipped = 0;
    bool is_buyer_requested_cancel = false;
};

/// ORDER_CHANGE: no prices and no address; re-read the order with getOrder.
struct OrderChangeEvent {
    std::string notification_level;  ///< OrderLevel | OrderItemLevel
    std::string seller_id, amazon_order_id;
    std::string order_change_type;  ///< OrderStatusChange | BuyerRequestedChange | ...
    std::string time_of_order_change, change_reason;
    std::string marketplace_id, order_status, purchase_date, fulfillment_type, order_type;
    std::vector<OrderChangeItem> items;
};

struct FbaMarketplaceInventory {
    std::string marketplace_id, item_name;
    std::int64_t fulfillable = 0, unfulfillable = 0, researching = 0;
    std::int64_t inbound_working = 0, inbound_shipped = 0, inbound_receiving = 0;
    std::int64_t reserved_warehouse_processing = 0, reserved_warehouse_transfer = 0,
                 reserved_pending_customer_order = 0;
    std::int64_t future_supply_buyable = 0, pending_customer_order_in_transit = 0;
};

/// FBA_INVENTORY_AVAILABILITY_CHANGES
struct FbaInventoryChangeEvent {
    std::string seller_id, fnsku, asin, sku;
    std::vector<FbaMarketplaceInventory> marketplaces;
};

struct FulfillmentPackageInfo {
    std::int64_t package_number = 0;
    std::string carrier_code, tracking_number;
};

/// FULFILLMENT_ORDER_STATUS (Multi-Channel Fulfillment)
struct FulfillmentOrderStatusEvent {
    std::string seller_id, event_type, status_updated, seller_fulfillment_order_id,
        fulfillment_order_status;
    std::string shipment_status, amazon_shipment_id, estimated_arrival;
    std::vector<FulfillmentPackageInfo> packages;
    std::optional<std::int64_t> returned_quantity;
    std::string returned_sku;
};

/// REPORT_PROCESSING_FINISHED
struct ReportProcessingFinishedEvent {
    std::string seller_id, account_id, report_id, report_type;
    std::string processing_status;  ///< CANCELLED | DONE | FATAL
    std::string report_document_id;
};

/// FEED_PROCESSING_FINISHED
struct FeedProcessingFinishedEvent {
    std::string seller_id, account_id, feed_id, feed_type, processing_status,
        result_feed_document_id;
};

using NotificationEvent = std::variant<OrderChangeEvent,
                                       FbaInventoryChangeEvent,
                                       FulfillmentOrderStatusEvent,
                                       ReportProcessingFinishedEvent,
                                       FeedProcessingFinishedEvent>;

struct Notification {
    std::string notification_type, notification_version, payload_version, event_time;
    NotificationMetadata metadata;
    NotificationEvent event;
};

enum class DecodeStatus {
    decoded,       ///< `notification` is set
    unknown_type,  ///< valid JSON of a type this connector does not handle: count and skip
    malformed,     ///< not JSON, or a known type missing its payload: keep the body for inspection
};

struct DecodedNotification {
    DecodeStatus status = DecodeStatus::malformed;
    std::optional<Notification> notification;
    std::string notification_type;  ///< as found (empty when unreadable)
    std::string notification_id;    ///< as found (for dedupe even when unknown)
    std::string reason;             ///< why malformed / unknown
};

/// Never throws, whatever the input.
DecodedNotification decode_notification(std::string_view body);

/// A stable idempotency key: "sp-notification:<NotificationId>" (or the body hash when absent).
std::string notification_key(const DecodedNotification& decoded, std::string_view body);

}  // namespace clarity::amazon
