#pragma once
/// \file
/// Fulfillment Outbound API 2020-07-01 (Multi-Channel Fulfillment: preview, create, get order,
/// package tracking): structs and codecs. Payload wrapper; money as {currencyCode, value}.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "clarity/amazon/finances_api.hpp"  // ChargeOrFee: an estimated fee has the same shape
#include "clarity/core/result.hpp"
#include "clarity/model/money.hpp"

namespace clarity::amazon {

struct McfAddress {
    std::string name, address_line1, address_line2, address_line3, city, district_or_county,
        state_or_region, postal_code, country_code, phone;
};

struct McfItem {
    std::string seller_sku, seller_fulfillment_order_item_id;
    std::int64_t quantity = 0;
    std::string gift_message, displayable_comment;
    std::optional<model::Money> per_unit_declared_value;
};

struct FulfillmentPreviewRequest {
    std::string marketplace_id;
    McfAddress address;
    std::vector<McfItem> items;
    std::vector<std::string> shipping_speed_categories;
};

struct FulfillmentPreview {
    std::string shipping_speed_category;
    bool is_fulfillable = false;
    std::vector<ChargeOrFee> estimated_fees;
    std::vector<std::string> unfulfillable_reasons;
};

struct CreateFulfillmentOrderRequest {
    std::string marketplace_id;
    std::string seller_fulfillment_order_id;  ///< idempotency key: reuse it on retries
    std::string displayable_order_id, displayable_order_date, displayable_order_comment;
    std::string shipping_speed_category = "Standard";
    McfAddress destination_address;
    std::vector<McfItem> items;
    std::string fulfillment_action;  ///< Ship | Hold (empty = Amazon default)
    std::string fulfillment_policy;  ///< FillOrKill | FillAll | FillAllAvailable
    std::vector<std::string> notification_emails;
};

struct McfPackage {
    std::int64_t package_number = 0;
    std::string carrier_code, tracking_number, estimated_arrival_date;
};

struct McfShipment {
    std::string amazon_shipment_id, fulfillment_center_id, status, shipping_date;
    std::vector<McfPackage> packages;
};

struct FulfillmentOrderDetails {
    std::string seller_fulfillment_order_id, displayable_order_id, status, status_updated_date,
        received_date, shipping_speed_category;
    struct Item {
        std::string seller_sku, seller_fulfillment_order_item_id;
        std::int64_t quantity = 0, cancelled_quantity = 0, unfulfillable_quantity = 0;
    };
    std::vector<Item> items;
    std::vector<McfShipment> shipments;
};

struct PackageTracking {
    std::int64_t package_number = 0;
    std::string tracking_number, carrier_code, current_status, ship_date, estimated_arrival_date,
        customer_tracking_link;
    struct Event {
        std::string date, code, description;
    };
    std::vector<Event> events;
};

std::string encode_fulfillment_preview(const FulfillmentPreviewRequest& request);
std::string encode_create_fulfillment_order(const CreateFulfillmentOrderRequest& request);
Result<std::vector<FulfillmentPreview>> decode_fulfillment_preview(std::string_view body);
Result<FulfillmentOrderDetails> decode_fulfillment_order(std::string_view body);
Result<PackageTracking> decode_package_tracking(std::string_view body);

}  // namespace clarity::amazon
