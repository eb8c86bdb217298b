#pragma once
/// \file
/// The canonical sales order: what flows need from an Amazon order, independent of the SP-API
/// version it came from (Orders v0 or 2026-01-01) and of Odoo's sale.order shape.
/// Absent amounts stay std::nullopt (Amazon omits prices on Pending orders) — never zero.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "clarity/model/address.hpp"
#include "clarity/model/money.hpp"
#include "clarity/model/shipment.hpp"
#include "clarity/model/timestamp.hpp"
#include "clarity/model/value.hpp"

namespace clarity::model {

/// Amazon order status (v0 names; v2026 fulfillment statuses map onto the same values).
enum class OrderStatus : std::uint8_t {
    unknown,
    pending,
    unshipped,
    partially_shipped,
    shipped,
    canceled,
    unfulfillable,
    invoice_unconfirmed,
    pending_availability,
};

/// v0 spelling ("PartiallyShipped", "Canceled"); "Unknown" for unknown.
std::string_view to_string(OrderStatus status) noexcept;
/// Accepts v0 ("PartiallyShipped", "Canceled") and v2026 ("PARTIALLY_SHIPPED", "CANCELLED")
/// spellings; nullopt for anything else.
std::optional<OrderStatus> parse_order_status(std::string_view text) noexcept;

/// Who fulfils the order: Amazon (AFN / FBA) or the merchant (MFN / FBM).
enum class FulfillmentChannel : std::uint8_t { unknown, afn, mfn };

/// "AFN" / "MFN" / "Unknown".
std::string_view to_string(FulfillmentChannel channel) noexcept;
/// Accepts "AFN", "MFN" (v0) and "AMAZON", "MERCHANT" (v2026 fulfilledBy).
std::optional<FulfillmentChannel> parse_fulfillment_channel(std::string_view text) noexcept;

/// Customization / personalization of one order line (Amazon Custom).
struct Customization {
    std::string customized_url;  ///< link to the customization ZIP Amazon provides
    /// Label → value pairs when known (e.g. from a decoded customization file), in order.
    std::vector<std::pair<std::string, std::string>> fields;

    bool empty() const noexcept { return customized_url.empty() && fields.empty(); }
};

struct OrderLine {
    std::string order_item_id;
    std::string sku;  ///< SellerSKU — the key to product.product.default_code
    std::string asin;
    std::string title;
    std::int64_t quantity_ordered = 0;
    std::int64_t quantity_shipped = 0;

    std::optional<Money> unit_price;  ///< v2026 unitPrice, or v0 ItemPrice / quantity (exact)
    std::optional<Money> item_price;  ///< line total before tax (v0 ItemPrice = unit × qty)
    std::optional<Money> item_tax;
    std::optional<Money> shipping_price;
    std::optional<Money> shipping_tax;
    std::optional<Money> shipping_discount;
    std::optional<Money> shipping_discount_tax;
    std::optional<Money> gift_wrap_price;
    std::optional<Money> gift_wrap_tax;
    std::optional<Money> promotion_discount;
    std::optional<Money> promotion_discount_tax;
    std::optional<Money> cod_fee;
    std::vector<std::string> promotion_ids;

    bool is_gift = false;
    std::string gift_message;
    std::string gift_wrap_level;
    Customization customization;
    /// The buyer asked Amazon to cancel this item (v0 BuyerRequestedCancel; 2026 a cancellation
    /// request whose requester is BUYER) and the order is not cancelled yet.
    bool buyer_requested_cancel = false;
    std::string buyer_cancel_reason;

    std::string condition_id;
    std::string condition_subtype_id;
    std::vector<std::string> serial_numbers;

    /// The line's raw payload (the item object of the order JSON), sharing the order's tree.
    std::shared_ptr<const Value> raw;
};

struct Order {
    std::string amazon_order_id;
    std::string seller_order_id;
    std::string marketplace_id;
    std::string sales_channel;  ///< "Amazon.com", "Amazon.de", ...
    FulfillmentChannel fulfillment_channel = FulfillmentChannel::unknown;
    OrderStatus status = OrderStatus::unknown;
    std::string status_text;  ///< the status as received ("Canceled", "CANCELLED")
    /// v0 OrderType (StandardOrder, LongLeadTimeOrder, Preorder, BackOrder,
    /// SourcingOnDemandOrder); from v2026 "Preorder" when the PREORDER program is set, else
    /// "StandardOrder".
    std::string order_type;
    std::string shipment_service_level;  ///< "Standard", "Expedited", ...

    Timestamp purchase_date{};
    Timestamp last_update_date{};
    std::optional<Timestamp> earliest_ship_date;
    std::optional<Timestamp> latest_ship_date;
    std::optional<Timestamp> earliest_delivery_date;
    std::optional<Timestamp> latest_delivery_date;

    Party buyer;
    std::optional<Address> ship_to;
    std::string buyer_purchase_order_number;

    std::string currency;              ///< ISO 4217 of the order total (empty when unknown)
    std::optional<Money> order_total;  ///< absent on Pending orders

    bool is_business_order = false;
    bool is_prime = false;
    bool is_premium_order = false;
    bool is_replacement_order = false;
    bool is_global_express = false;
    bool is_invoice_by_amazon = false;
    std::string replaced_order_id;
    std::vector<std::string> programs;  ///< v2026 programs as received ("PRIME", ...)

    std::vector<OrderLine> lines;
    /// Packages Amazon reports as shipped, with carrier and tracking numbers (Orders API
    /// 2026-01-01 `packages`; v0 orders carry none: FBA tracking then comes from the fulfilled
    /// shipments report).
    std::vector<Shipment> shipments;

    /// "orders-v0" or "orders-2026-01-01" for decoded Amazon orders, "odoo" for sale.order.
    std::string source;
    /// The whole raw payload it was decoded from, so templates can reach any attribute.
    std::shared_ptr<const Value> raw;
    std::optional<long long> odoo_id;  ///< sale.order id when decoded from Odoo
};

}  // namespace clarity::model
