// Canonical source paths a template may name, and value conversions. Each path is a plain
// function pointer chosen when the template is compiled, so mapping never looks names up.
#include <algorithm>
#include <cctype>

#include "program.hpp"

namespace clarity::mapping::detail {

using model::Decimal;
using model::Value;

std::string_view to_string(ValueType t) noexcept {
    switch (t) {
        case ValueType::any:
            return "any";
        case ValueType::text:
            return "text";
        case ValueType::integer:
            return "integer";
        case ValueType::decimal:
            return "decimal";
        case ValueType::boolean:
            return "boolean";
        case ValueType::date:
            return "date";
        case ValueType::datetime:
            return "datetime";
    }
    return "any";
}

namespace {

bool put_text(const std::string& s, Value& out) {
    if (s.empty()) return false;
    out = Value(s);
    return true;
}
bool put_money(const std::optional<model::Money>& m, Value& out) {
    if (!m) return false;
    out = Value(m->amount);
    return true;
}
bool put_currency(const std::optional<model::Money>& m, Value& out) {
    if (!m) return false;
    return put_text(m->currency, out);
}
bool put_time(model::Timestamp t, Value& out) {
    out = Value(static_cast<std::int64_t>(t.time_since_epoch().count()));
    return true;
}
bool put_opt_time(const std::optional<model::Timestamp>& t, Value& out) {
    return t ? put_time(*t, out) : false;
}
bool put_list(const std::vector<std::string>& list, Value& out) {
    if (list.empty()) return false;
    Value arr = Value::array();
    for (const auto& s : list) arr.push_back(Value(s));
    out = std::move(arr);
    return true;
}

/// The reason of the first item the buyer asked to cancel ("" when none gave one).
std::string buyer_cancel_reason(const model::Order& order) {
    for (const auto& l : order.lines) {
        if (l.buyer_requested_cancel && !l.buyer_cancel_reason.empty())
            return l.buyer_cancel_reason;
    }
    return {};
}

#define CLARITY_STR(p, line, expr)                                                                 \
    {                                                                                              \
        p, ValueType::text, line, [](const Context& c, Value& out) { return put_text(expr, out); } \
    }
#define CLARITY_MONEY(p, line, expr)                                             \
    {p, ValueType::decimal, line,                                                \
     [](const Context& c, Value& out) { return put_money(expr, out); }},         \
    {                                                                            \
        p ".currency", ValueType::text, line,                                    \
            [](const Context& c, Value& out) { return put_currency(expr, out); } \
    }
#define CLARITY_BOOL(p, line, expr)                                     \
    {                                                                   \
        p, ValueType::boolean, line, [](const Context& c, Value& out) { \
            out = Value(static_cast<bool>(expr));                       \
            return true;                                                \
        }                                                               \
    }
#define CLARITY_INT(p, line, expr)                                      \
    {                                                                   \
        p, ValueType::integer, line, [](const Context& c, Value& out) { \
            out = Value(static_cast<std::int64_t>(expr));               \
            return true;                                                \
        }                                                               \
    }
#define CLARITY_ADDR(prefix, opt)                                                                \
    CLARITY_STR(prefix ".name", false, (opt) ? (opt)->name : std::string()),                     \
        CLARITY_STR(prefix ".company", false, (opt) ? (opt)->company : std::string()),           \
        CLARITY_STR(prefix ".line1", false, (opt) ? (opt)->line1 : std::string()),               \
        CLARITY_STR(prefix ".line2", false, (opt) ? (opt)->line2 : std::string()),               \
        CLARITY_STR(prefix ".line3", false, (opt) ? (opt)->line3 : std::string()),               \
        CLARITY_STR(prefix ".city", false, (opt) ? (opt)->city : std::string()),                 \
        CLARITY_STR(prefix ".county", false, (opt) ? (opt)->county : std::string()),             \
        CLARITY_STR(prefix ".district", false, (opt) ? (opt)->district : std::string()),         \
        CLARITY_STR(prefix ".state_or_region", false,                                            \
                    (opt) ? (opt)->state_or_region : std::string()),                             \
        CLARITY_STR(prefix ".postal_code", false, (opt) ? (opt)->postal_code : std::string()),   \
        CLARITY_STR(prefix ".country_code", false, (opt) ? (opt)->country_code : std::string()), \
        CLARITY_STR(prefix ".phone", false, (opt) ? (opt)->phone : std::string()),               \
        CLARITY_STR(prefix ".address_type", false, (opt) ? (opt)->address_type : std::string()), \
        CLARITY_STR(prefix ".normalized.country_code", false,                                    \
                    (opt) ? (opt)->normalized.country_code : std::string()),                     \
        CLARITY_STR(prefix ".normalized.state_code", false,                                      \
                    (opt) ? (opt)->normalized.state_code : std::string()),                       \
        CLARITY_STR(prefix ".normalized.postal_code", false,                                     \
                    (opt) ? (opt)->normalized.postal_code : std::string()),                      \
        CLARITY_STR(prefix ".normalized.phone", false,                                           \
                    (opt) ? (opt)->normalized.phone : std::string())

const std::vector<PathInfo> kOrderPaths = {
    CLARITY_STR("order.amazon_order_id", false, c.order->amazon_order_id),
    CLARITY_STR("order.seller_order_id", false, c.order->seller_order_id),
    CLARITY_STR("order.marketplace_id", false, c.order->marketplace_id),
    CLARITY_STR("order.sales_channel", false, c.order->sales_channel),
    {"order.fulfillment_channel", ValueType::text, false,
     [](const Context& c, Value& out) {
         if (c.order->fulfillment_channel == model::FulfillmentChannel::unknown) return false;
         out = Value(model::to_string(c.order->fulfillment_channel));
         return true;
     }},
    {"order.status", ValueType::text, false,
     [](const Context& c, Value& out) {
         if (c.order->status == model::OrderStatus::unknown) return false;
         out = Value(model::to_string(c.order->status));
         return true;
     }},
    CLARITY_STR("order.status_text", false, c.order->status_text),
    CLARITY_STR("order.order_type", false, c.order->order_type),
    CLARITY_STR("order.shipment_service_level", false, c.order->shipment_service_level),
    {"order.purchase_date", ValueType::datetime, false,
     [](const Context& c, Value& out) { return put_time(c.order->purchase_date, out); }},
    {"order.last_update_date", ValueType::datetime, false,
     [](const Context& c, Value& out) { return put_time(c.order->last_update_date, out); }},
    {"order.earliest_ship_date", ValueType::datetime, false,
     [](const Context& c, Value& out) { return put_opt_time(c.order->earliest_ship_date, out); }},
    {"order.latest_ship_date", ValueType::datetime, false,
     [](const Context& c, Value& out) { return put_opt_time(c.order->latest_ship_date, out); }},
    {"order.earliest_delivery_date", ValueType::datetime, false,
     [](const Context& c, Value& out) {
         return put_opt_time(c.order->earliest_delivery_date, out);
     }},
    {"order.latest_delivery_date", ValueType::datetime, false,
     [](const Context& c, Value& out) { return put_opt_time(c.order->latest_delivery_date, out); }},
    CLARITY_STR("order.buyer.name", false, c.order->buyer.name),
    CLARITY_STR("order.buyer.email", false, c.order->buyer.email),
    CLARITY_STR("order.buyer.company", false, c.order->buyer.company),
    CLARITY_STR("order.buyer.phone", false, c.order->buyer.phone),
    CLARITY_STR("order.buyer.tax_id", false, c.order->buyer.tax_id),
    CLARITY_STR("order.buyer_purchase_order_number", false, c.order->buyer_purchase_order_number),
    CLARITY_ADDR("order.ship_to", c.order->ship_to),
    CLARITY_STR("order.currency", false, c.order->currency),
    CLARITY_MONEY("order.order_total", false, c.order->order_total),
    CLARITY_BOOL("order.is_business_order", false, c.order->is_business_order),
    CLARITY_BOOL("order.is_prime", false, c.order->is_prime),
    CLARITY_BOOL("order.buyer_requested_cancel",
                 false,
                 std::any_of(c.order->lines.begin(),
                             c.order->lines.end(),
                             [](const auto& l) { return l.buyer_requested_cancel; })),
    CLARITY_STR("order.buyer_cancel_reason", false, buyer_cancel_reason(*c.order)),
    CLARITY_BOOL("order.is_premium_order", false, c.order->is_premium_order),
    CLARITY_BOOL("order.is_replacement_order", false, c.order->is_replacement_order),
    CLARITY_BOOL("order.is_global_express", false, c.order->is_global_express),
    CLARITY_BOOL("order.is_invoice_by_amazon", false, c.order->is_invoice_by_amazon),
    CLARITY_STR("order.replaced_order_id", false, c.order->replaced_order_id),
    {"order.programs", ValueType::any, false,
     [](const Context& c, Value& out) { return put_list(c.order->programs, out); }},
    CLARITY_INT("order.line_count", false, c.order->lines.size()),
    CLARITY_STR("order.source", false, c.order->source),
    CLARITY_STR("line.order_item_id", true, c.line->order_item_id),
    CLARITY_STR("line.sku", true, c.line->sku),
    CLARITY_STR("line.asin", true, c.line->asin),
    CLARITY_STR("line.title", true, c.line->title),
    CLARITY_INT("line.quantity_ordered", true, c.line->quantity_ordered),
    CLARITY_INT("line.quantity_shipped", true, c.line->quantity_shipped),
    CLARITY_MONEY("line.unit_price", true, c.line->unit_price),
    CLARITY_MONEY("line.item_price", true, c.line->item_price),
    CLARITY_MONEY("line.item_tax", true, c.line->item_tax),
    CLARITY_MONEY("line.shipping_price", true, c.line->shipping_price),
    CLARITY_MONEY("line.shipping_tax", true, c.line->shipping_tax),
    CLARITY_MONEY("line.shipping_discount", true, c.line->shipping_discount),
    CLARITY_MONEY("line.shipping_discount_tax", true, c.line->shipping_discount_tax),
    CLARITY_MONEY("line.gift_wrap_price", true, c.line->gift_wrap_price),
    CLARITY_MONEY("line.gift_wrap_tax", true, c.line->gift_wrap_tax),
    CLARITY_MONEY("line.promotion_discount", true, c.line->promotion_discount),
    CLARITY_MONEY("line.promotion_discount_tax", true, c.line->promotion_discount_tax),
    CLARITY_MONEY("line.cod_fee", true, c.line->cod_fee),
    {"line.promotion_ids", ValueType::any, true,
     [](const Context& c, Value& out) { return put_list(c.line->promotion_ids, out); }},
    CLARITY_BOOL("line.is_gift", true, c.line->is_gift),
    CLARITY_BOOL("line.buyer_requested_cancel", true, c.line->buyer_requested_cancel),
    CLARITY_STR("line.buyer_cancel_reason", true, c.line->buyer_cancel_reason),
    CLARITY_STR("line.gift_message", true, c.line->gift_message),
    CLARITY_STR("line.gift_wrap_level", true, c.line->gift_wrap_level),
    CLARITY_STR("line.customization.customized_url", true, c.line->customization.customized_url),
    {"line.customization.text", ValueType::text, true,
     [](const Context& c, Value& out) {
         // "Label: value" per customization field, one per line, then the URL.
         std::string text;
         for (const auto& [k, v] : c.line->customization.fields) {
             if (!text.empty()) text += '\n';
             text += k + ": " + v;
         }
         if (!c.line->customization.customized_url.empty()) {
             if (!text.empty()) text += '\n';
             text += c.line->customization.customized_url;
         }
         return put_text(text, out);
     }},
    CLARITY_STR("line.condition_id", true, c.line->condition_id),
    CLARITY_STR("line.condition_subtype_id", true, c.line->condition_subtype_id),
    {"line.serial_numbers", ValueType::any, true,
     [](const Context& c, Value& out) { return put_list(c.line->serial_numbers, out); }},
};

const std::vector<PathInfo> kProductPaths = {
    CLARITY_STR("product.sku", false, c.product->sku),
    CLARITY_STR("product.asin", false, c.product->asin),
    CLARITY_STR("product.fnsku", false, c.product->fnsku),
    CLARITY_STR("product.barcode", false, c.product->barcode),
    CLARITY_STR("product.title", false, c.product->title),
    CLARITY_STR("product.brand", false, c.product->brand),
    CLARITY_STR("product.product_type", false, c.product->product_type),
    CLARITY_MONEY("product.list_price", false, c.product->list_price),
    {"product.weight_kg", ValueType::decimal, false,
     [](const Context& c, Value& out) {
         if (!c.product->weight_kg) return false;
         out = Value(*c.product->weight_kg);
         return true;
     }},
    CLARITY_BOOL("product.active", false, c.product->active),
};

const std::vector<PathInfo> kShipmentPaths = {
    CLARITY_STR("shipment.amazon_order_id", false, c.shipment->amazon_order_id),
    CLARITY_STR("shipment.marketplace_id", false, c.shipment->marketplace_id),
    CLARITY_STR("shipment.package_reference_id", false, c.shipment->package_reference_id),
    CLARITY_STR("shipment.carrier_code", false, c.shipment->carrier_code),
    CLARITY_STR("shipment.carrier_name", false, c.shipment->carrier_name),
    CLARITY_STR("shipment.shipping_method", false, c.shipment->shipping_method),
    {"shipment.tracking_number", ValueType::text, false,
     [](const Context& c, Value& out) {
         if (c.shipment->tracking_numbers.empty()) return false;
         return put_text(c.shipment->tracking_numbers.front(), out);
     }},
    {"shipment.tracking_numbers", ValueType::any, false,
     [](const Context& c, Value& out) { return put_list(c.shipment->tracking_numbers, out); }},
    {"shipment.ship_date", ValueType::datetime, false,
     [](const Context& c, Value& out) { return put_opt_time(c.shipment->ship_date, out); }},
    CLARITY_STR("shipment.status", false, c.shipment->status),
    CLARITY_STR("shipment.odoo_picking_name", false, c.shipment->odoo_picking_name),
    CLARITY_STR("line.order_item_id", true, c.shipment_line->order_item_id),
    CLARITY_STR("line.sku", true, c.shipment_line->sku),
    CLARITY_INT("line.quantity", true, c.shipment_line->quantity),
};

#undef CLARITY_STR
#undef CLARITY_MONEY
#undef CLARITY_BOOL
#undef CLARITY_INT
#undef CLARITY_ADDR

bool is_naive(std::string_view s) {
    // "2026-01-20", "2026-01-20 10:00:00", "2026-01-20T10:00:00" carry no zone designator.
    if (s.size() <= 10) return true;
    const auto t = s.substr(10);
    return t.find('Z') == std::string_view::npos && t.find('z') == std::string_view::npos &&
           t.find('+') == std::string_view::npos && t.find('-') == std::string_view::npos;
}

std::optional<model::Timestamp> as_time(const Value& v, const Conversion& c) {
    if (v.is_int()) return model::Timestamp{std::chrono::seconds{v.as_int()}};
    if (!v.is_string()) return std::nullopt;
    auto t = model::parse_timestamp(v.as_string());
    if (t && c.has_tz && is_naive(v.as_string())) *t -= c.tz;
    return t;
}

}  // namespace

const std::vector<PathInfo>& paths(Entity e) {
    switch (e) {
        case Entity::order:
            return kOrderPaths;
        case Entity::product:
            return kProductPaths;
        case Entity::shipment:
            return kShipmentPaths;
    }
    return kOrderPaths;
}

std::optional<Value> convert(const Value& v,
                             const Conversion& c,
                             std::string_view currency,
                             std::string* why) {
    auto fail = [&](std::string_view target) -> std::optional<Value> {
        if (why != nullptr) {
            *why = "cannot convert '" + v.to_text() + "' to " + std::string(target);
        }
        return std::nullopt;
    };
    switch (c.type) {
        case ValueType::any:
            return v;
        case ValueType::text: {
            if (!c.split.empty() && v.is_string()) {
                Value arr = Value::array();
                const std::string& s = v.as_string();
                std::size_t start = 0;
                while (start <= s.size()) {
                    auto end = s.find(c.split, start);
                    if (end == std::string::npos) end = s.size();
                    std::string part = s.substr(start, end - start);
                    const auto b = part.find_first_not_of(" \t\r\n");
                    if (b != std::string::npos) {
                        const auto e = part.find_last_not_of(" \t\r\n");
                        arr.push_back(Value(part.substr(b, e - b + 1)));
                    }
                    start = end + c.split.size();
                }
                return arr;
            }
            if (v.is_string()) return v;
            if (v.is_array() || v.is_object()) {
                // Lists of text (promotion ids, serials) join with ", ".
                std::string joined;
                for (const auto& item : v.items()) {
                    if (!joined.empty()) joined += ", ";
                    joined += item.to_text();
                }
                return Value(joined);
            }
            return Value(v.to_text());
        }
        case ValueType::integer: {
            if (v.is_int()) return v;
            if (v.is_bool()) return Value(std::int64_t{v.as_bool() ? 1 : 0});
            std::optional<Decimal> d;
            if (v.is_decimal()) d = v.as_decimal();
            if (v.is_string()) d = Decimal::parse(v.as_string());
            if (d && d->rescale(0) == *d) return Value(d->rescale(0).units());
            return fail("integer");
        }
        case ValueType::decimal: {
            std::optional<Decimal> d;
            if (v.is_number()) d = v.as_decimal();
            if (v.is_string()) d = Decimal::parse_auto(v.as_string());
            if (!d) return fail("decimal");
            if (c.round_currency) {
                *d = d->rescale(model::currency_precision(currency));
            } else if (c.round >= 0) {
                *d = d->rescale(c.round);
            }
            return Value(*d);
        }
        case ValueType::boolean: {
            if (v.is_bool()) return v;
            if (v.is_int() && (v.as_int() == 0 || v.as_int() == 1)) return Value(v.as_int() == 1);
            if (v.is_string()) {
                std::string s = v.as_string();
                for (char& ch : s)
                    ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
                if (s == "true" || s == "yes" || s == "1" || s == "y") return Value(true);
                if (s == "false" || s == "no" || s == "0" || s == "n" || s.empty()) {
                    return Value(false);
                }
            }
            return fail("boolean");
        }
        case ValueType::date: {
            auto t = as_time(v, c);
            if (!t) return fail("date");
            return Value(model::format_odoo_date(*t, c.tz));
        }
        case ValueType::datetime: {
            auto t = as_time(v, c);
            if (!t) return fail("datetime");
            return Value(model::format_odoo_datetime(*t));
        }
    }
    return v;
}

}  // namespace clarity::mapping::detail
