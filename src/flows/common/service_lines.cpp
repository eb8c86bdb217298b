#include "common/service_lines.hpp"

#include "common/odoo_values.hpp"

namespace clarity::flows {

std::string ServiceProducts::adjustment_code() const {
    for (const std::string* c : {&adjustment, &discount, &shipping, &gift_wrap}) {
        if (!c->empty()) return *c;
    }
    return {};
}

std::vector<std::string> ServiceProducts::charges() const {
    std::vector<std::string> v;
    v.push_back(shipping);
    v.push_back(discount);
    v.push_back(gift_wrap);
    return v;
}

namespace {
bool any_nonzero(const std::optional<model::Money>& m) { return m && !m->amount.is_zero(); }
}  // namespace

std::vector<ServiceLine> service_lines(const ServiceProducts& products, const model::Order& order) {
    std::vector<ServiceLine> out;
    auto amount = [](const std::optional<model::Money>& m) {
        return m ? m->amount : model::Decimal{};
    };
    auto tax = [](const std::optional<model::Money>& m, bool negate) {
        if (!m) return std::optional<model::Decimal>{};
        return std::optional<model::Decimal>{negate ? -m->amount : m->amount};
    };
    auto add = [&out](const std::string& code, std::string name, model::Decimal value,
                      std::optional<model::Decimal> amazon_tax) {
        if (code.empty() || value.is_zero()) return;
        out.push_back(ServiceLine{code, std::move(name), std::move(value), std::move(amazon_tax)});
    };
    for (const auto& l : order.lines) {
        const bool discount_taxed_alone = any_nonzero(l.shipping_discount_tax);
        model::Decimal shipping = amount(l.shipping_price);
        if (!discount_taxed_alone) shipping -= amount(l.shipping_discount);
        add(products.shipping, "Amazon shipping: " + l.sku, shipping, tax(l.shipping_tax, false));
        if (discount_taxed_alone) {
            add(products.shipping, "Amazon shipping discount: " + l.sku,
                -amount(l.shipping_discount), tax(l.shipping_discount_tax, true));
        }
    }
    for (const auto& l : order.lines) {
        add(products.gift_wrap, "Amazon gift wrap: " + l.sku, amount(l.gift_wrap_price),
            tax(l.gift_wrap_tax, false));
    }
    for (const auto& l : order.lines) {
        add(products.discount, "Amazon promotion: " + l.sku, -amount(l.promotion_discount),
            tax(l.promotion_discount_tax, true));
    }
    return out;
}

odoo::Struct service_line(std::int64_t product, std::string name, const model::Decimal& price) {
    return odoo::Struct{{"product_id", static_cast<long long>(product)},
                        {"name", std::move(name)},
                        {"product_uom_qty", 1.0},
                        {"price_unit", to_double(price)}};
}

}  // namespace clarity::flows
