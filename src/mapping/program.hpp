#pragma once
// Internal: the compiled form of a mapping template (a flat list of field operations per
// section) and the source-path registry shared by the loader and the mapper.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "clarity/mapping/template.hpp"
#include "clarity/model/order.hpp"
#include "clarity/model/product.hpp"
#include "clarity/model/shipment.hpp"
#include "clarity/model/value.hpp"

namespace clarity::mapping::detail {

enum class ValueType : std::uint8_t { any, text, integer, decimal, boolean, date, datetime };
std::string_view to_string(ValueType t) noexcept;

enum class Entity : std::uint8_t { order, product, shipment };

/// What a getter sees: the entity and, inside `lines`, the current line.
struct Context {
    const model::Order* order = nullptr;
    const model::OrderLine* line = nullptr;
    const model::Product* product = nullptr;
    const model::Shipment* shipment = nullptr;
    const model::ShipmentLine* shipment_line = nullptr;
};

using GetterFn = bool (*)(const Context&, model::Value&);

struct PathInfo {
    std::string_view path;
    ValueType type;
    bool per_line;
    GetterFn fn;
};

/// Fixed canonical paths of an entity ("order.amazon_order_id", "line.sku", ...).
const std::vector<PathInfo>& paths(Entity e);

/// Roots of raw (payload) paths: "order.raw.", "line.raw.", "product.attributes.".
enum class RawRoot : std::uint8_t { none, order_raw, line_raw, product_attributes };

struct Source {
    enum class Kind : std::uint8_t { none, literal, path, raw, text_template };
    Kind kind = Kind::none;
    ValueType type = ValueType::any;
    GetterFn getter = nullptr;
    RawRoot root = RawRoot::none;
    std::vector<model::PathStep> steps;
    std::string text;  // the path as written, for messages
    model::Value literal;
    struct Segment {
        std::string literal;
        std::vector<Source> source;  // 0 or 1 element (a placeholder)
    };
    std::vector<Segment> segments;
};

struct Condition {
    enum class Op : std::uint8_t { equals, not_equals, in, exists, not_empty };
    Source source;
    Op op = Op::exists;
    bool expect = true;               // exists/not_empty: true or false
    std::vector<std::string> values;  // compared as text
};

struct Conversion {
    ValueType type = ValueType::any;
    int round = -1;               // decimal places, -1 none
    bool round_currency = false;  // to the order currency's precision
    std::chrono::minutes tz{0};
    bool has_tz = false;
    std::string split;  // text → array of non-empty trimmed parts
};

enum class OnMissing : std::uint8_t { error, skip, null };

struct Lookup {
    std::string model;
    std::string by;
    OnMissing on_missing = OnMissing::error;
    /// Further equality terms of the search domain (`where: {country_id.code: <path>}`), e.g.
    /// res.country.state codes repeat across countries.
    std::vector<std::pair<std::string, Source>> where;
};

enum class Wrap : std::uint8_t { language, plain, none };

struct FieldOp {
    std::string name;
    std::string where;  // "file:line:col"
    Source source;
    std::vector<std::pair<std::string, model::Value>> map;
    bool has_map = false;
    std::optional<model::Value> default_value;
    Conversion conv;
    std::optional<Condition> when;
    bool required = false;
    std::optional<Lookup> lookup;
    Wrap wrap = Wrap::language;
    ValueType result_type = ValueType::any;   // what the field produces, for schema checks
    std::vector<model::Value> static_values;  // literal/map/default outputs, for selections
};

struct Program {
    std::string file;
    std::string flow;
    std::string source;  // order | product | shipment
    Entity entity = Entity::order;
    std::string target;
    std::string source_model;  // product_export: the Odoo model products are read from
    std::string product_type;
    std::string marketplace_id;
    std::string language_tag;
    std::string target_where;
    std::vector<FieldOp> record;
    std::string lines_field;
    std::string lines_where;
    std::vector<FieldOp> lines;
    std::vector<FieldOp> outputs;
};

/// Converts a value to `type`; nullopt (with *why) when it cannot.
std::optional<model::Value> convert(const model::Value& v,
                                    const Conversion& c,
                                    std::string_view currency,
                                    std::string* why);

}  // namespace clarity::mapping::detail
