#pragma once
/// \file
/// Products (an Amazon listing ⇄ an Odoo product) and stock levels.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "clarity/model/money.hpp"
#include "clarity/model/order.hpp"
#include "clarity/model/timestamp.hpp"
#include "clarity/model/value.hpp"

namespace clarity::model {

struct Product {
    std::string sku;  ///< seller SKU = Odoo default_code
    std::string asin;
    std::string fnsku;    ///< FBA fulfillment network SKU
    std::string barcode;  ///< EAN / UPC / GTIN as text
    std::string title;
    std::string brand;
    std::string product_type;  ///< Amazon product type ("SHIRT", "PRODUCT")
    std::optional<Money> list_price;
    std::optional<Decimal> weight_kg;
    bool active = true;
    /// Further attributes by name (custom Odoo fields, Amazon listing attributes), in order.
    Value attributes = Value::object();
    std::optional<long long> odoo_id;           ///< product.product id
    std::optional<long long> odoo_template_id;  ///< product.template id
};

/// Quantity of one SKU at one place at one time.
struct InventoryLevel {
    std::string sku;
    std::string asin;
    std::string fnsku;
    std::string marketplace_id;
    FulfillmentChannel channel = FulfillmentChannel::unknown;
    std::string warehouse_code;  ///< Odoo stock.warehouse code / Amazon fulfillment center
    std::int64_t fulfillable = 0;
    std::int64_t inbound = 0;
    std::int64_t reserved = 0;
    std::int64_t unfulfillable = 0;
    std::int64_t total = 0;
    Timestamp as_of{};
};

}  // namespace clarity::model
