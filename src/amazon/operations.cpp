#include "clarity/amazon/operations.hpp"

#include <array>

// Rates and bursts: the "Usage Plan" table in each operation's description in the models under
// ../shared/reference/sp-api/models (snapshot 34dc93fe), as listed in NOTES.md §2.1.

namespace clarity::amazon {
namespace {

constexpr std::string_view kOrders2026 = "models/orders-api-model/orders_2026-01-01.json";
constexpr std::string_view kOrdersV0 = "models/orders-api-model/ordersV0.json";
constexpr std::string_view kTokens = "models/tokens-api-model/tokens_2021-03-01.json";
constexpr std::string_view kFba = "models/fba-inventory-api-model/fbaInventory.json";
constexpr std::string_view kListings =
    "models/listings-items-api-model/listingsItems_2021-08-01.json";
constexpr std::string_view kFeeds = "models/feeds-api-model/feeds_2021-06-30.json";
constexpr std::string_view kReports = "models/reports-api-model/reports_2021-06-30.json";
constexpr std::string_view kFinV0 = "models/finances-api-model/financesV0.json";
constexpr std::string_view kFin2024 = "models/finances-api-model/finances_2024-06-19.json";
constexpr std::string_view kMcf =
    "models/fulfillment-outbound-api-model/fulfillmentOutbound_2020-07-01.json";
constexpr std::string_view kNotif = "models/notifications-api-model/notifications.json";

constexpr std::array kTable = {
    OperationInfo{Operation::search_orders, "searchOrders", "GET", "/orders/2026-01-01/orders",
                  0.0056, 20, kOrders2026},
    OperationInfo{Operation::get_order, "getOrder", "GET", "/orders/2026-01-01/orders/{orderId}",
                  0.5, 30, kOrders2026},
    OperationInfo{Operation::get_orders_v0, "getOrders", "GET", "/orders/v0/orders", 0.0167, 20,
                  kOrdersV0, false, true},
    OperationInfo{Operation::get_order_v0, "getOrderV0", "GET", "/orders/v0/orders/{orderId}", 0.5,
                  30, kOrdersV0, false, true},
    OperationInfo{Operation::get_order_items_v0, "getOrderItems", "GET",
                  "/orders/v0/orders/{orderId}/orderItems", 0.5, 30, kOrdersV0, false, true},
    OperationInfo{Operation::confirm_shipment, "confirmShipment", "POST",
                  "/orders/v0/orders/{orderId}/shipmentConfirmation", 2, 10, kOrdersV0},
    OperationInfo{Operation::create_restricted_data_token, "createRestrictedDataToken", "POST",
                  "/tokens/2021-03-01/restrictedDataToken", 1, 10, kTokens},
    OperationInfo{Operation::get_inventory_summaries, "getInventorySummaries", "GET",
                  "/fba/inventory/v1/summaries", 2, 2, kFba},
    OperationInfo{Operation::get_listings_item, "getListingsItem", "GET",
                  "/listings/2021-08-01/items/{sellerId}/{sku}", 5, 10, kListings},
    OperationInfo{Operation::patch_listings_item, "patchListingsItem", "PATCH",
                  "/listings/2021-08-01/items/{sellerId}/{sku}", 5, 5, kListings},
    OperationInfo{Operation::create_feed_document, "createFeedDocument", "POST",
                  "/feeds/2021-06-30/documents", 0.5, 15, kFeeds},
    OperationInfo{Operation::create_feed, "createFeed", "POST", "/feeds/2021-06-30/feeds", 0.0083,
                  15, kFeeds},
    OperationInfo{Operation::get_feed, "getFeed", "GET", "/feeds/2021-06-30/feeds/{feedId}", 2, 15,
                  kFeeds},
    OperationInfo{Operation::get_feed_document, "getFeedDocument", "GET",
                  "/feeds/2021-06-30/documents/{feedDocumentId}", 0.0222, 10, kFeeds},
    OperationInfo{Operation::get_reports, "getReports", "GET", "/reports/2021-06-30/reports",
                  0.0222, 10, kReports},
    OperationInfo{Operation::get_report, "getReport", "GET",
                  "/reports/2021-06-30/reports/{reportId}", 2, 15, kReports},
    OperationInfo{Operation::get_report_document, "getReportDocument", "GET",
                  "/reports/2021-06-30/documents/{reportDocumentId}", 0.0167, 15, kReports},
    OperationInfo{Operation::list_financial_event_groups, "listFinancialEventGroups", "GET",
                  "/finances/v0/financialEventGroups", 0.5, 30, kFinV0},
    OperationInfo{Operation::list_financial_events, "listFinancialEvents", "GET",
                  "/finances/v0/financialEvents", 0.5, 30, kFinV0},
    OperationInfo{Operation::list_financial_events_by_group_id, "listFinancialEventsByGroupId",
                  "GET", "/finances/v0/financialEventGroups/{eventGroupId}/financialEvents", 0.5,
                  30, kFinV0},
    OperationInfo{Operation::list_transactions, "listTransactions", "GET",
                  "/finances/2024-06-19/transactions", 0.5, 10, kFin2024},
    OperationInfo{Operation::get_fulfillment_preview, "getFulfillmentPreview", "POST",
                  "/fba/outbound/2020-07-01/fulfillmentOrders/preview", 2, 30, kMcf},
    OperationInfo{Operation::create_fulfillment_order, "createFulfillmentOrder", "POST",
                  "/fba/outbound/2020-07-01/fulfillmentOrders", 2, 30, kMcf},
    OperationInfo{Operation::get_fulfillment_order, "getFulfillmentOrder", "GET",
                  "/fba/outbound/2020-07-01/fulfillmentOrders/{sellerFulfillmentOrderId}", 2, 30,
                  kMcf},
    OperationInfo{Operation::get_package_tracking_details, "getPackageTrackingDetails", "GET",
                  "/fba/outbound/2020-07-01/tracking", 2, 30, kMcf},
    OperationInfo{Operation::cancel_fulfillment_order, "cancelFulfillmentOrder", "PUT",
                  "/fba/outbound/2020-07-01/fulfillmentOrders/{sellerFulfillmentOrderId}/cancel", 2,
                  30, kMcf},
    OperationInfo{Operation::get_destinations, "getDestinations", "GET",
                  "/notifications/v1/destinations", 1, 5, kNotif, true},
    OperationInfo{Operation::create_destination, "createDestination", "POST",
                  "/notifications/v1/destinations", 1, 5, kNotif, true},
    OperationInfo{Operation::get_subscription, "getSubscription", "GET",
                  "/notifications/v1/subscriptions/{notificationType}", 1, 5, kNotif},
    OperationInfo{Operation::create_subscription, "createSubscription", "POST",
                  "/notifications/v1/subscriptions/{notificationType}", 1, 5, kNotif},
    OperationInfo{Operation::delete_subscription_by_id, "deleteSubscriptionById", "DELETE",
                  "/notifications/v1/subscriptions/{notificationType}/{subscriptionId}", 1, 5,
                  kNotif, true},
};

}  // namespace

std::span<const OperationInfo> all_operations() noexcept { return kTable; }

const OperationInfo& operation_info(Operation op) noexcept {
    return kTable[static_cast<std::size_t>(op)];
}

const OperationInfo* find_operation(std::string_view name) noexcept {
    for (const auto& info : kTable) {
        if (info.name == name) return &info;
    }
    return nullptr;
}

}  // namespace clarity::amazon
