#pragma once
/// \file
/// The SP-API operations the connector calls, with their published default usage plans (rate in
/// requests per second, burst) read from each operation's description in the official models
/// (../shared/reference/sp-api/models, summarised in NOTES.md §2.1). Amazon adjusts limits per
/// seller; the call path updates the rate from x-amzn-RateLimit-Limit when a response carries it.

#include <span>
#include <string_view>

namespace clarity::amazon {

enum class Operation {
    // Orders 2026-01-01
    search_orders,
    get_order,
    // Orders v0 (fallback until 27 Mar 2027; confirmShipment has no successor)
    get_orders_v0,
    get_order_v0,
    get_order_items_v0,
    confirm_shipment,
    // Tokens 2021-03-01
    create_restricted_data_token,
    // FBA Inventory v1
    get_inventory_summaries,
    // Listings Items 2021-08-01
    get_listings_item,
    patch_listings_item,
    // Feeds 2021-06-30
    create_feed_document,
    create_feed,
    get_feed,
    get_feed_document,
    // Reports 2021-06-30
    get_reports,
    get_report,
    get_report_document,
    // Finances v0 and 2024-06-19
    list_financial_event_groups,
    list_financial_events,
    list_financial_events_by_group_id,
    list_transactions,
    // Fulfillment Outbound 2020-07-01
    get_fulfillment_preview,
    create_fulfillment_order,
    get_fulfillment_order,
    get_package_tracking_details,
    cancel_fulfillment_order,
    // Notifications v1
    get_destinations,
    create_destination,
    get_subscription,
    create_subscription,
    delete_subscription_by_id,
};

/// Static facts about one operation.
struct OperationInfo {
    Operation op;
    std::string_view name;    ///< the model's operationId, e.g. "searchOrders"
    std::string_view method;  ///< HTTP method
    std::string_view path;    ///< path template, e.g. "/orders/2026-01-01/orders/{orderId}"
    double rate;              ///< default requests per second (token refill)
    int burst;                ///< default bucket size
    std::string_view model;   ///< model file the plan is read from (relative to reference/sp-api)
    bool grantless = false;   ///< needs a client-credentials token (scope notifications)
    bool restricted = false;  ///< returns PII only with a Restricted Data Token (v0)
};

/// The table, in enum order.
std::span<const OperationInfo> all_operations() noexcept;
/// Info of one operation.
const OperationInfo& operation_info(Operation op) noexcept;
/// Look-up by operationId (nullptr when unknown).
const OperationInfo* find_operation(std::string_view name) noexcept;

}  // namespace clarity::amazon
