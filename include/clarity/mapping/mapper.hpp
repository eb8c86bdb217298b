#pragma once
/// \file
/// Runs a compiled MappingTemplate on a canonical entity. Pure: no I/O. Look-ups (a many2one
/// by a field) are returned as requests that the flow resolves against Odoo and feeds back with
/// resolve(); mapping never searches or creates records itself.

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "clarity/mapping/template.hpp"
#include "clarity/model/order.hpp"
#include "clarity/model/product.hpp"
#include "clarity/model/shipment.hpp"
#include "clarity/model/value.hpp"

namespace clarity::mapping {

/// Field name → value, in template order. Names point into the template (kept alive by the
/// result that holds them).
struct FieldValues {
    std::vector<std::pair<std::string_view, model::Value>> fields;
    const model::Value* find(std::string_view name) const noexcept;
};

/// "Find the id of `model` whose `field` equals `key`".
struct LookupRequest {
    std::string_view model;
    std::string_view field;
    model::Value key;
    std::string where;  ///< template file:line of the field, for messages
    /// Further `field = value` terms the record must match (domain `[(field, '=', key),
    /// (name, '=', value), ...]`), from the lookup's `where:`.
    std::vector<std::pair<std::string_view, model::Value>> also;
};

struct MappingResult {
    std::string_view target;       ///< Odoo model, "amazon.listing" or "amazon.shipment"
    FieldValues record;            ///< the main record's values
    std::string_view lines_field;  ///< one2many field of the lines ("order_line"), or empty
    std::vector<FieldValues> lines;
    FieldValues outputs;  ///< values for the flow itself (e.g. `action`), not written anywhere
    std::vector<LookupRequest> lookups;  ///< unique requests, in first-use order
    /// Problems found while mapping this entity (missing required values, unmapped values,
    /// failed conversions, unresolved look-ups). Non-empty = do not write; report them.
    std::vector<std::string> errors;

    /// Fills look-up results (ids[i] answers lookups[i]; nullopt = not found). Unresolved
    /// look-ups become errors, or are skipped/set to false as the field's on_missing says.
    void resolve(std::span<const std::optional<std::int64_t>> ids);

    /// Odoo values: the record's fields, with lines as `[[0, 0, {...}], ...]` under
    /// lines_field. Unresolved look-ups appear as {"lookup": model, "by": field, "key": key}.
    model::Value to_value() const;

    struct Use {
        int section;  ///< 0 record, 1 line, 2 outputs
        int line;
        int field;  ///< position in that record's fields
        int op;     ///< the template field (for messages)
        int lookup;
    };
    std::vector<Use> uses;  ///< where each look-up's answer goes (internal to resolve())
    std::shared_ptr<const detail::Program> program;  ///< keeps names alive
};

/// order_import-style templates (source: order).
MappingResult map_order(const MappingTemplate& t, const model::Order& order);
/// product_export-style templates (source: product).
MappingResult map_product(const MappingTemplate& t, const model::Product& product);
/// shipment templates (source: shipment).
MappingResult map_shipment(const MappingTemplate& t, const model::Shipment& shipment);

/// Amazon Listings Items body for a product_export result: {"productType", "requirements":
/// "LISTING", "attributes": {...}}.
model::Value to_listing_body(const MappingResult& result);

}  // namespace clarity::mapping
