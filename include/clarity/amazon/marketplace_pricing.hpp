#pragma once
/// \file
/// How each Amazon marketplace prices for buyers: its currency and whether the prices Amazon
/// sends (v0 ItemPrice, ShippingPrice, GiftWrapPrice; 2026-01-01 unitPrice and proceeds) already
/// contain the sales tax (VAT, GST) — "VAT-inclusive" marketplaces — or have it added on top, as
/// in the US and Canada. The order import puts a price-included Odoo tax on the lines of a
/// VAT-inclusive marketplace and refuses a tax map that says otherwise (docs/orders.md). Sources
/// of the table: src/amazon/marketplace_pricing.cpp.

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace clarity::amazon {

struct MarketplacePricing {
    std::string_view marketplace_id;  ///< "A1PA6795UKMFR9"
    std::string_view domain;          ///< "amazon.de"
    std::string_view currency;        ///< ISO 4217 of its prices: "EUR"
    bool prices_include_tax = false;  ///< true: VAT-inclusive prices
};

/// Every marketplace of endpoints.hpp's table, with its pricing.
std::span<const MarketplacePricing> all_marketplace_pricing() noexcept;
/// By marketplace id; nullptr when unknown.
const MarketplacePricing* marketplace_pricing(std::string_view marketplace_id) noexcept;
/// "amazon.de (A1PA6795UKMFR9)", or the bare id when unknown: names a marketplace in messages.
std::string describe_marketplace(std::string_view marketplace_id);

}  // namespace clarity::amazon
