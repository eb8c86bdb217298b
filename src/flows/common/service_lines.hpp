#pragma once
// Service lines: what an Amazon order charges besides its items — shipping, gift wrap, promotion
// discounts — as lines of configured service products, one line per Amazon item and charge (never
// a sum: Amazon computes and rounds tax per item and charge, and one line each lets Odoo's per-line
// rounding give Amazon's cents). Also the product of the adjustment (rounding) line.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "clarity/model/money.hpp"
#include "clarity/model/order.hpp"
#include "clarity/odoo/client.hpp"

namespace clarity::flows {

/// Internal References of the service products; empty = no such line.
struct ServiceProducts {
    std::string shipping;    ///< shipping charges minus shipping discounts
    std::string discount;    ///< promotion discounts (negative lines)
    std::string gift_wrap;   ///< gift-wrap charges
    std::string adjustment;  ///< the adjustment line's; empty = see adjustment_code()

    /// The product of the adjustment (rounding) line: `adjustment`, else the first configured of
    /// discount, shipping, gift_wrap; empty when none is configured.
    std::string adjustment_code() const;
    /// shipping, discount, gift_wrap (configured or not).
    std::vector<std::string> charges() const;
};

/// One service line to write: product code, description, price (quantity 1), and the tax Amazon
/// reported on that charge (signed like the line; nullopt when Amazon gave none).
struct ServiceLine {
    std::string product;
    std::string name;
    model::Decimal amount;
    std::optional<model::Decimal> amazon_tax;
};

/// The service lines of `order`, per Amazon item and charge: shipping lines (for each item), then
/// gift-wrap lines, then promotion lines. Products not configured and zero charges give no line.
/// A shipping discount is netted into its item's shipping line unless Amazon taxed the discount on
/// its own (ShippingDiscountTax): then it is a negative line of its own.
std::vector<ServiceLine> service_lines(const ServiceProducts& products, const model::Order& order);

/// The values of a service line of `product`: `name`, quantity 1, `price`.
odoo::Struct service_line(std::int64_t product, std::string name, const model::Decimal& price);

}  // namespace clarity::flows
