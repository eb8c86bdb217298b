#pragma once
/// \file
/// Version awareness: the server version, `fields_get` results, and the one table that resolves
/// field names and state values that differ between Odoo 16, 17, 18 and 19
/// (../shared/reference/odoo/NOTES.md §4). Flows ask for the meaning (`FieldMeaning`), never the
/// spelling. Pure data and functions: no I/O.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "clarity/core/result.hpp"
#include "clarity/odoo/value.hpp"

namespace clarity::odoo {

/// `common.version` as read from the server.
struct ServerVersion {
    int major = 0;  ///< server_version_info[0]: 16, 17, 18, 19 (the string may read "19.0+e-…")
    int minor = 0;
    std::string server_version;  ///< e.g. "18.0", "19.0+e-20251227"
    std::string serie;           ///< e.g. "18.0"
};
/// Parses the `common.version` result; permanent Error when it is not Odoo's shape.
Result<ServerVersion> parse_server_version(const Value& result);

/// Oldest and newest major versions this client knows (older or newer is a startup error/warning).
inline constexpr int kMinSupportedMajor = 16;
inline constexpr int kMaxKnownMajor = 19;

/// Things whose field name differs by version.
enum class FieldMeaning {
    sale_line_taxes,   ///< sale.order.line: tax_id (≤18) / tax_ids (19)
    sale_line_uom,     ///< sale.order.line: product_uom (≤18) / product_uom_id (19)
    product_kind,      ///< product.template: detailed_type (16/17) / type (18+)
    product_storable,  ///< product.template: detailed_type=='product' (16/17) / is_storable (18+)
    payment_memo,      ///< account.payment: ref (16/17) / memo (18+)
    user_groups,       ///< res.users: groups_id (≤18) / group_ids (19)
    picking_tracking_ref,  ///< stock.picking: carrier_tracking_ref (all; needs
                           ///< stock_delivery/delivery)
    move_done_quantity,    ///< stock.move: quantity_done (16) / quantity (+ picked=True) (17+)
};

struct FieldName {
    std::string model;
    std::string field;
    friend bool operator==(const FieldName&, const FieldName&) = default;
};

/// The table: the spelling of `meaning` on `major` (clamped to 16..19).
FieldName field_name(FieldMeaning meaning, int major);
/// Every spelling any version uses (to recognise the other one in a fields_get result).
std::vector<std::string> field_spellings(FieldMeaning meaning);
std::string_view to_string(FieldMeaning meaning) noexcept;

/// Values that make a product storable: `{detailed_type: "product"}` (16/17) or
/// `{type: "consu", is_storable: true}` (18+).
Struct storable_product_values(int major);
/// Whether a product.template/product.product record (read with the fields of
/// `storable_read_fields(major)`) is storable.
bool is_storable(const Value& record, int major);
std::vector<std::string> storable_read_fields(int major);

/// sale.order.state. 16 has `done`; 17+ has `locked` as a separate boolean and no `done`.
enum class SaleState { draft, sent, sale, done, cancel };
std::string_view sale_state_value(SaleState state, int major);
std::optional<SaleState> parse_sale_state(std::string_view value);

/// account.payment state. 16/17: the move's state draft/posted/cancel; 18+: draft/in_process/
/// paid/canceled/rejected (a posted payment is in_process until reconciled).
enum class PaymentState { draft, posted, paid, cancelled, rejected };
std::optional<PaymentState> parse_payment_state(std::string_view value, int major);
/// The state values that mean "posted or later" on `major` (for a domain `state in [...]`).
std::vector<std::string> posted_payment_states(int major);

/// stock.picking.state: the same values in 16–19.
enum class PickingState { draft, waiting, confirmed, assigned, done, cancel };
std::optional<PickingState> parse_picking_state(std::string_view value);

/// One field of a `fields_get` result.
struct FieldInfo {
    std::string name;
    std::string type;      ///< char, many2one, one2many, selection, float, monetary, …
    std::string relation;  ///< related model of relational fields
    bool required = false;
    bool readonly = false;
    std::string string;  ///< label
    std::vector<std::pair<std::string, std::string>> selection;
};

/// `fields_get` of one model.
struct ModelFields {
    std::string model;
    std::map<std::string, FieldInfo, std::less<>> fields;
    bool has(std::string_view field) const { return fields.find(field) != fields.end(); }
    const FieldInfo* find(std::string_view field) const;
};
/// Parses a `fields_get` result; permanent Error when it is not a dict of dicts.
Result<ModelFields> parse_fields_get(std::string_view model, const Value& result);

/// What the server has: version plus the fields of the models in use. Filled at connect.
struct OdooSchema {
    ServerVersion version;
    std::map<std::string, ModelFields, std::less<>> models;

    const ModelFields* model(std::string_view name) const;
    /// The field spelling for `meaning`: the version table's choice, cross-checked with
    /// fields_get when the model was loaded (the other spelling wins when only it exists, for
    /// odd builds such as saas-17.x). Error naming model and field when neither exists.
    Result<FieldName> resolve(FieldMeaning meaning) const;
    /// OK when `model` was loaded and has `field`; else a permanent Error naming both and the
    /// server version, meant to stop start-up.
    Result<void> require(std::string_view model, std::string_view field) const;
};

}  // namespace clarity::odoo
