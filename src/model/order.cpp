#include "clarity/model/order.hpp"

#include <array>

namespace clarity::model {

namespace {
struct StatusName {
    OrderStatus status;
    std::string_view v0;
    std::string_view v2026;
};
constexpr std::array<StatusName, 8> kStatuses{{
    {OrderStatus::pending, "Pending", "PENDING"},
    {OrderStatus::unshipped, "Unshipped", "UNSHIPPED"},
    {OrderStatus::partially_shipped, "PartiallyShipped", "PARTIALLY_SHIPPED"},
    {OrderStatus::shipped, "Shipped", "SHIPPED"},
    {OrderStatus::canceled, "Canceled", "CANCELLED"},
    {OrderStatus::unfulfillable, "Unfulfillable", "UNFULFILLABLE"},
    {OrderStatus::invoice_unconfirmed, "InvoiceUnconfirmed", "INVOICE_UNCONFIRMED"},
    {OrderStatus::pending_availability, "PendingAvailability", "PENDING_AVAILABILITY"},
}};
}  // namespace

std::string_view to_string(OrderStatus status) noexcept {
    for (const auto& s : kStatuses) {
        if (s.status == status) return s.v0;
    }
    return "Unknown";
}

std::optional<OrderStatus> parse_order_status(std::string_view text) noexcept {
    for (const auto& s : kStatuses) {
        if (text == s.v0 || text == s.v2026) return s.status;
    }
    if (text == "Cancelled" || text == "CANCELED") return OrderStatus::canceled;
    return std::nullopt;
}

std::string_view to_string(FulfillmentChannel channel) noexcept {
    switch (channel) {
        case FulfillmentChannel::afn:
            return "AFN";
        case FulfillmentChannel::mfn:
            return "MFN";
        case FulfillmentChannel::unknown:
            break;
    }
    return "Unknown";
}

std::optional<FulfillmentChannel> parse_fulfillment_channel(std::string_view text) noexcept {
    if (text == "AFN" || text == "AMAZON") return FulfillmentChannel::afn;
    if (text == "MFN" || text == "MERCHANT") return FulfillmentChannel::mfn;
    return std::nullopt;
}

}  // namespace clarity::model
