#pragma once
/// \file
/// Orders API structs and codecs: Orders 2026-01-01 (searchOrders, getOrder with includedData) and
/// the Orders v0 fallback (getOrders, getOrderItems, confirmShipment) plus the Tokens 2021-03-01
/// Restricted Data Token request. Decoded from models/orders-api-model/*.json; timestamps are kept
/// as the ISO-8601 text Amazon sent. Decoders tolerate unknown fields and return a `permanent`
/// error for malformed JSON or a missing required field.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "clarity/core/result.hpp"
#include "clarity/model/money.hpp"
#include "clarity/model/value.hpp"

namespace clarity::amazon {

// ---- Orders 2026-01-01 -------------------------------------------------------------------------

struct Address {
    std::string name, company_name, address_line1, address_line2, address_line3, city,
        district_or_county, state_or_region, municipality, postal_code, country_code, phone,
        address_type;
};

/// One `detailedBreakdowns` entry of a breakdown: the part of a TAX or DISCOUNT by subtype
/// (ITEM, SHIPPING, GIFT_WRAP, OTHER, ...).
struct ProceedsDetail {
    std::string subtype;
    model::Money value;
};

struct ProceedsBreakdown {
    std::string type;  ///< ITEM, SHIPPING, GIFT_WRAP, COD_FEE, OTHER, TAX, DISCOUNT
    model::Money subtotal;
    std::vector<ProceedsDetail> details;
};

struct OrderItem {
    std::string order_item_id;
    std::int64_t quantity_ordered = 0;
    std::string asin, seller_sku, title, condition_type;
    std::optional<model::Money> unit_price;
    std::string customized_url;
    std::optional<model::Money> proceeds_total;
    std::vector<ProceedsBreakdown> proceeds;
    std::vector<std::string> promotion_ids;
    std::optional<std::int64_t> quantity_fulfilled, quantity_unfulfilled;
    std::string gift_message, gift_wrap_level;
    std::string cancel_requester, cancel_reason;  ///< cancellation request (buyer/seller)
    bool cancelled = false;                       ///< cancellation executed
    std::vector<std::string> programs;
    std::string condition_subtype;
    std::vector<std::string> serial_numbers;
    /// This item's object inside the order's raw payload (shares Order::raw).
    std::shared_ptr<const model::Value> raw;
};

struct OrderPackage {
    std::string package_reference_id, carrier, tracking_number, ship_time, status, detailed_status;
};

/// Values of `fulfillment.fulfillmentStatus` (note: CANCELLED here, Canceled in v0).
struct Order {
    std::string order_id, created_time, last_updated_time;
    std::string channel_name, marketplace_id, marketplace_name;
    std::vector<std::string> programs;
    std::vector<std::string> seller_order_ids;  ///< orderAliases with aliasType SELLER_ORDER_ID
    std::string buyer_name, buyer_email, buyer_company_name, buyer_purchase_order_number;
    std::optional<Address> delivery_address;
    std::optional<model::Money> grand_total;
    std::string fulfillment_status;  ///< PENDING, UNSHIPPED, SHIPPED, CANCELLED, ...
    std::string fulfilled_by;        ///< MERCHANT or AMAZON
    std::string fulfillment_service_level;
    std::string ship_by_earliest, ship_by_latest, deliver_by_earliest, deliver_by_latest;
    std::vector<OrderItem> items;
    std::vector<OrderPackage> packages;
    std::string buyer_tax_id;  ///< tax.taxRegistrations of entityType BUYER
    /// The order object as received (the `order` member of getOrder, one element of
    /// searchOrders' `orders`), for mapping templates that read `raw.` paths.
    std::shared_ptr<const model::Value> raw;
};

/// searchOrders query (exactly one of created_after / last_updated_after is required).
struct SearchOrdersRequest {
    std::optional<std::string> created_after, created_before, last_updated_after,
        last_updated_before;
    std::vector<std::string> marketplace_ids;
    std::vector<std::string> fulfillment_statuses;
    std::optional<std::string> fulfilled_by;  ///< MERCHANT | AMAZON
    std::optional<int> max_results_per_page;
    std::vector<std::string> included_data;
    std::optional<std::string> pagination_token;
};

struct SearchOrdersPage {
    std::vector<Order> orders;
    std::optional<std::string> next_token;
    std::string created_before, last_updated_before;
};

/// True for the shape of an Amazon order id: 3, 7 and 7 ASCII digits joined by '-'
/// ("123-1234567-1234567"). Anything else (another number, a path, control characters, kilobytes)
/// is refused wherever an order id enters from outside, before any call is made with it.
bool is_order_id(std::string_view id) noexcept;
/// `id` for a log line or a message: control and non-ASCII bytes as \xNN, cut after 40 bytes
/// with the full length noted.
std::string order_id_excerpt(std::string_view id);

/// The includedData the order import asks for (NOTES.md §12).
std::vector<std::string> default_order_included_data();

Result<SearchOrdersPage> decode_search_orders(std::string_view body);
Result<Order> decode_get_order(std::string_view body);
/// Query string (without '?') of a searchOrders request; csv arrays, percent-encoded.
std::string encode_search_orders_query(const SearchOrdersRequest& request);

// ---- Orders v0 ---------------------------------------------------------------------------------

struct OrderV0 {
    std::string amazon_order_id, seller_order_id, purchase_date, last_update_date, order_status,
        fulfillment_channel, sales_channel, marketplace_id, order_type, ship_service_level,
        earliest_ship_date, latest_ship_date;
    std::optional<model::Money> order_total;
    std::int64_t items_shipped = 0, items_unshipped = 0;
    bool is_prime = false, is_business_order = false, is_replacement_order = false, is_iba = false;
    std::string buyer_email, buyer_name;      ///< RDT buyerInfo only
    std::optional<Address> shipping_address;  ///< RDT shippingAddress only
    std::string ship_service_level_category, earliest_delivery_date, latest_delivery_date,
        replaced_order_id, purchase_order_number, buyer_company_name;
    bool is_premium_order = false, is_global_express = false;
    /// The order object as received (inside `payload`).
    std::shared_ptr<const model::Value> raw;
};

struct GetOrdersRequestV0 {
    std::optional<std::string> created_after, last_updated_after, created_before,
        last_updated_before;
    std::vector<std::string> marketplace_ids;
    std::vector<std::string> order_statuses;
    std::vector<std::string> fulfillment_channels;  ///< AFN | MFN
    std::vector<std::string> amazon_order_ids;      ///< ≤ 50; the other filters then optional
    std::optional<int> max_results_per_page;
    std::optional<std::string> next_token;
};

struct GetOrdersPageV0 {
    std::vector<OrderV0> orders;
    std::optional<std::string> next_token;
};

struct OrderItemV0 {
    std::string asin, order_item_id, seller_sku, title;
    std::int64_t quantity_ordered = 0, quantity_shipped = 0;
    std::optional<model::Money> item_price;  ///< unit price × quantity (line total)
    std::optional<model::Money> item_tax, shipping_price, shipping_tax, shipping_discount,
        promotion_discount, promotion_discount_tax, gift_wrap_price, gift_wrap_tax;
    std::vector<std::string> promotion_ids;
    bool is_gift = false;  ///< the model sends the string "true"/"false"
    std::string gift_message_text, gift_wrap_level, customized_url;  ///< RDT buyerInfo
    bool buyer_requested_cancel = false;
    std::string buyer_cancel_reason;
    std::optional<model::Money> shipping_discount_tax, cod_fee;
    std::string condition_id, condition_subtype_id;
    /// The item object as received.
    std::shared_ptr<const model::Value> raw;
};

struct GetOrderItemsPageV0 {
    std::string amazon_order_id;
    std::vector<OrderItemV0> items;
    std::optional<std::string> next_token;
};

/// One order and all its items (getOrder + getOrderItems, v0).
struct OrderWithItemsV0 {
    OrderV0 order;
    std::vector<OrderItemV0> items;
};

Result<GetOrdersPageV0> decode_get_orders_v0(std::string_view body);
Result<OrderV0> decode_get_order_v0(std::string_view body);
Result<GetOrderItemsPageV0> decode_get_order_items_v0(std::string_view body);
std::string encode_get_orders_v0_query(const GetOrdersRequestV0& request);

struct ConfirmShipmentItem {
    std::string order_item_id;
    std::int64_t quantity = 0;
    std::vector<std::string> transparency_codes;
};

/// confirmShipment body (MFN), 204 on success.
struct ConfirmShipmentRequest {
    std::string marketplace_id;
    std::string package_reference_id, carrier_code, carrier_name, shipping_method, tracking_number,
        ship_date;  ///< ship_date ISO-8601 (2022-02-11T01:00:00.000Z)
    std::optional<std::string> ship_from_supply_source_id;
    std::vector<ConfirmShipmentItem> items;
};
std::string encode_confirm_shipment(const ConfirmShipmentRequest& request);

// ---- Tokens 2021-03-01 -------------------------------------------------------------------------

struct RestrictedResource {
    std::string method;  ///< GET
    std::string path;    ///< /orders/v0/orders or /orders/v0/orders/{id}/orderItems
    std::vector<std::string> data_elements;  ///< buyerInfo, shippingAddress, buyerTaxInformation
};

struct RestrictedDataToken {
    std::string token;
    std::int64_t expires_in = 0;  ///< seconds
};

std::string encode_rdt_request(const std::vector<RestrictedResource>& resources);
Result<RestrictedDataToken> decode_rdt_response(std::string_view body);

}  // namespace clarity::amazon
