#include "clarity/mapping/odoo_decode.hpp"

#include <string>
#include <string_view>

namespace clarity::mapping {

using model::Decimal;
using model::Money;
using model::Value;

namespace {

// Odoo returns `false` for empty char fields, so only real strings count.
std::string text(const Value& rec, std::string_view key) {
    const Value* v = rec.find(key);
    return v != nullptr && v->is_string() ? v->as_string() : std::string();
}

/// many2one display name: `[id, "name"]` → "name".
std::string m2o_name(const Value& rec, std::string_view key) {
    const Value* v = rec.find(key);
    if (v == nullptr || !v->is_array() || v->size() < 2 || !v->items()[1].is_string()) return {};
    return v->items()[1].as_string();
}

std::optional<Decimal> number(const Value& rec, std::string_view key) {
    const Value* v = rec.find(key);
    if (v == nullptr) return std::nullopt;
    if (v->is_number()) return v->as_decimal();
    if (v->is_string()) return Decimal::parse(v->as_string());
    return std::nullopt;
}

std::optional<long long> id_of(const Value& rec) {
    const Value* v = rec.find("id");
    if (v != nullptr && v->is_int()) return v->as_int();
    return std::nullopt;
}

/// "[SKU-1] Widget" → "SKU-1".
std::string sku_from_display(const std::string& name) {
    if (name.size() > 2 && name[0] == '[') {
        const auto close = name.find(']');
        if (close != std::string::npos) return name.substr(1, close - 1);
    }
    return {};
}

Error bad(std::string_view model, std::string message) {
    return make_error(ErrorKind::permanent,
                      "Odoo " + std::string(model) + ": " + std::move(message), "mapping.decode");
}

}  // namespace

std::optional<long long> odoo_many2one_id(const Value* v) noexcept {
    if (v == nullptr) return std::nullopt;
    if (v->is_int()) return v->as_int();
    if (v->is_array() && !v->items().empty() && v->items()[0].is_int())
        return v->items()[0].as_int();
    return std::nullopt;
}

Result<model::Party> decode_odoo_partner(const Value& p) {
    if (!p.is_object()) return bad("res.partner", "record is not an object");
    model::Party party;
    party.odoo_id = id_of(p);
    party.name = text(p, "name");
    if (party.name.empty()) return bad("res.partner", "record has no 'name'");
    party.email = text(p, "email");
    party.phone = text(p, "phone");
    if (party.phone.empty()) party.phone = text(p, "mobile");
    party.company = text(p, "company_name");
    party.tax_id = text(p, "vat");
    party.reference = text(p, "ref");
    model::Address a;
    a.name = party.name;
    a.line1 = text(p, "street");
    a.line2 = text(p, "street2");
    a.city = text(p, "city");
    a.postal_code = text(p, "zip");
    a.phone = party.phone;
    a.country_code = text(p, "country_code");
    a.state_or_region = text(p, "state_code");
    if (a.state_or_region.empty()) a.state_or_region = m2o_name(p, "state_id");
    if (a.country_code.empty()) a.country_code = m2o_name(p, "country_id");
    if (!a.empty()) party.address = std::move(a);
    return party;
}

Result<model::Product> decode_odoo_product(const Value& p) {
    if (!p.is_object()) return bad("product", "record is not an object");
    model::Product product;
    product.odoo_id = id_of(p);
    product.sku = text(p, "default_code");
    product.barcode = text(p, "barcode");
    product.title = text(p, "name");
    if (product.title.empty() && product.sku.empty()) {
        return bad("product", "record has neither 'name' nor 'default_code'");
    }
    if (auto price = number(p, "list_price")) {
        std::string currency = m2o_name(p, "currency_id");
        product.list_price = Money{*price, currency};
    }
    product.weight_kg = number(p, "weight");
    if (const Value* a = p.find("active"); a != nullptr && a->is_bool())
        product.active = a->as_bool();
    if (auto tmpl = odoo_many2one_id(p.find("product_tmpl_id"))) product.odoo_template_id = *tmpl;
    // Every field read, standard or custom (x_, x_studio_), stays reachable by name.
    for (std::size_t i = 0; i < p.keys().size(); ++i) {
        product.attributes.set(p.keys()[i], p.items()[i]);
    }
    return product;
}

Result<model::Order> decode_odoo_sale_order(const Value& so, const std::vector<Value>& lines) {
    if (!so.is_object()) return bad("sale.order", "record is not an object");
    model::Order order;
    order.source = "odoo";
    order.odoo_id = id_of(so);
    order.amazon_order_id = text(so, "client_order_ref");
    order.seller_order_id = text(so, "name");
    const std::string date = text(so, "date_order");
    if (auto t = model::parse_timestamp(date)) {
        order.purchase_date = *t;
    } else {
        return bad("sale.order", "missing or invalid 'date_order' '" + date + "'");
    }
    if (auto t = model::parse_timestamp(text(so, "write_date"))) {
        order.last_update_date = *t;
    } else {
        order.last_update_date = order.purchase_date;
    }
    order.status_text = text(so, "state");
    order.currency = m2o_name(so, "currency_id");
    if (auto total = number(so, "amount_total")) order.order_total = Money{*total, order.currency};
    order.buyer.name = m2o_name(so, "partner_id");
    order.buyer.odoo_id = odoo_many2one_id(so.find("partner_id"));
    for (const Value& l : lines) {
        if (!l.is_object()) return bad("sale.order.line", "record is not an object");
        model::OrderLine line;
        if (auto id = id_of(l)) line.order_item_id = std::to_string(*id);
        line.title = text(l, "name");
        line.sku = text(l, "default_code");
        if (line.sku.empty()) line.sku = sku_from_display(m2o_name(l, "product_id"));
        if (auto q = number(l, "product_uom_qty")) line.quantity_ordered = q->rescale(0).units();
        if (auto q = number(l, "qty_delivered")) line.quantity_shipped = q->rescale(0).units();
        if (auto p = number(l, "price_unit")) line.unit_price = Money{*p, order.currency};
        if (auto p = number(l, "price_subtotal")) line.item_price = Money{*p, order.currency};
        if (auto t = number(l, "price_tax")) line.item_tax = Money{*t, order.currency};
        order.lines.push_back(std::move(line));
    }
    order.raw = std::make_shared<const Value>(so);
    return order;
}

}  // namespace clarity::mapping
