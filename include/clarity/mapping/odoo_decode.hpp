#pragma once
/// \file
/// Decoders from Odoo record values (as returned by read/search_read, held as model::Value
/// objects) into canonical entities. many2one values arrive as `[id, "display name"]` or
/// `false`; floats as exact Decimals (see json.hpp). Pure: no I/O.

#include <vector>

#include "clarity/core/result.hpp"
#include "clarity/model/address.hpp"
#include "clarity/model/order.hpp"
#include "clarity/model/product.hpp"
#include "clarity/model/value.hpp"

namespace clarity::mapping {

/// res.partner → Party (address from street/street2/city/zip/state/country; country and state
/// codes from `country_code` / `state_code` style fields when read, else left for the flow).
Result<model::Party> decode_odoo_partner(const model::Value& partner);

/// product.product or product.template → Product. Every field read (custom x_ fields included)
/// is also copied into Product::attributes so templates can reach it by name.
Result<model::Product> decode_odoo_product(const model::Value& product);

/// sale.order + its sale.order.line records → Order (source "odoo"). `client_order_ref` becomes
/// amazon_order_id; lines' SKU comes from the product's `[SKU] Name` display name when no
/// `default_code` is read.
Result<model::Order> decode_odoo_sale_order(const model::Value& order,
                                            const std::vector<model::Value>& lines);

/// `[id, "name"]` → id; nullopt for false/absent.
std::optional<long long> odoo_many2one_id(const model::Value* v) noexcept;

}  // namespace clarity::mapping
