// The sandbox's view of progress: the fake Odoo's records compared with the scenario's expected
// outcomes (GET /sandbox/status, `make demo`, the end-to-end tests).
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "sandbox/scenario.hpp"

namespace clarity::fakes::sandbox {

namespace {

using odoo::Struct;
using odoo::Value;

std::int64_t id_of(const Value& v) {
    if (auto i = v.as_int()) return *i;
    if (const auto* a = v.as_array(); a != nullptr && !a->empty()) {
        return a->front().as_int().value_or(0);
    }
    return 0;
}

std::vector<std::int64_t> ids_of(const Value& v) {
    std::vector<std::int64_t> out;
    if (const auto* a = v.as_array()) {
        for (const auto& x : *a) {
            if (auto i = x.as_int()) out.push_back(*i);
        }
    }
    return out;
}

std::string text_of(const Struct& row, const std::string& field) {
    auto it = row.find(field);
    if (it == row.end() || it->second.is_empty()) return {};
    return it->second.as_string().value_or("");
}

double number_of(const Struct& row, const std::string& field) {
    auto it = row.find(field);
    if (it == row.end()) return 0;
    return it->second.as_double().value_or(0);
}

std::int64_t cents_of(double v) { return std::llround(v * 100.0); }

struct Index {
    std::map<std::int64_t, Struct> by_id;
    explicit Index(const std::vector<Struct>& rows) {
        for (const auto& r : rows) by_id.emplace(id_of(r.at("id")), r);
    }
    const Struct* find(std::int64_t id) const {
        auto it = by_id.find(id);
        return it == by_id.end() ? nullptr : &it->second;
    }
};

}  // namespace

Status check(const Scenario& scenario,
             const odoo::FakeOdoo& odoo,
             Clock::time_point now,
             std::size_t max_mismatches) {
    Status st;
    st.seeded = static_cast<int>(scenario.expected.size());
    const Index products(odoo.records("product.product"));
    const Index partners(odoo.records("res.partner"));
    const Index countries(odoo.records("res.country"));
    const Index states(odoo.records("res.country.state"));
    const Index warehouses(odoo.records("stock.warehouse"));
    const Index taxes(odoo.records("account.tax"));
    const Index currencies(odoo.records("res.currency"));
    std::map<std::string, std::vector<Struct>> orders_by_ref;
    for (auto& so : odoo.records("sale.order")) {
        orders_by_ref[text_of(so, "client_order_ref")].push_back(std::move(so));
    }
    std::map<std::int64_t, std::vector<Struct>> lines_by_order;
    for (auto& l : odoo.records("sale.order.line")) {
        lines_by_order[id_of(l.at("order_id"))].push_back(std::move(l));
    }
    std::map<std::int64_t, std::vector<Struct>> pickings_by_order;
    for (auto& p : odoo.records("stock.picking")) {
        auto it = p.find("sale_id");
        if (it != p.end()) pickings_by_order[id_of(it->second)].push_back(std::move(p));
    }
    std::set<std::string> catalogue;
    for (const auto& p : scenario.products) catalogue.insert(p.sku);
    catalogue.insert(scenario.unknown_product.sku);
    bool unknown_product_exists = false;
    for (const auto& [id, p] : products.by_id) {
        if (text_of(p, "default_code") == scenario.unknown_product.sku) {
            unknown_product_exists = true;
        }
    }
    const std::string tax_field = odoo.version() >= 19 ? "tax_ids" : "tax_id";

    for (std::size_t i = 0; i < scenario.expected.size(); ++i) {
        const auto& ex = scenario.expected[i];
        const auto& sched = scenario.orders[i];
        if (ships_from_odoo(scenario, ex)) ++st.mfn_to_ship;
        if (sched.created_at <= now) ++st.created_on_amazon;
        const bool settled = ex.final_at <= now;
        if (!settled) ++st.awaiting_amazon;
        auto found = orders_by_ref.find(ex.order_id);
        if (found == orders_by_ref.end()) {
            if (ex.unknown_sku && !unknown_product_exists && sched.created_at <= now) {
                ++st.dead_letter_expected;
            }
            if (ex.may_be_absent && settled) {
                ++st.cancelled_absent;
                ++st.final_state;
            }
            continue;
        }
        ++st.in_odoo;
        if (ships_from_odoo(scenario, ex)) {
            for (const auto& p : pickings_by_order[id_of(found->second.front().at("id"))]) {
                if (text_of(p, "state") == "done") {
                    ++st.mfn_shipped;
                    break;
                }
            }
        }
        st.sale_orders += static_cast<int>(found->second.size());
        st.duplicates += static_cast<int>(found->second.size()) - 1;
        const Struct& so = found->second.front();
        const std::string state = text_of(so, "state");
        if (state == "sale") ++st.confirmed;
        if (state == "cancel") ++st.cancelled;

        std::vector<std::string> diffs;
        auto differ = [&](std::string what) { diffs.push_back(std::move(what)); };
        if (found->second.size() > 1) {
            differ(std::to_string(found->second.size()) + " sale.orders");
        }
        if (state != ex.odoo_state) differ("state " + state + ", expected " + ex.odoo_state);
        const auto* wh =
            warehouses.find(id_of(so.count("warehouse_id") ? so.at("warehouse_id") : Value{}));
        const std::string wh_code = wh ? text_of(*wh, "code") : "";
        if (wh_code != (ex.afn ? "AMZ" : "WH")) {
            differ("warehouse " + wh_code + ", expected " + (ex.afn ? "AMZ" : "WH"));
        }
        if (text_of(so, "x_studio_amazon_order_type") != ex.order_type) {
            differ("x_studio_amazon_order_type '" + text_of(so, "x_studio_amazon_order_type") +
                   "'");
        }
        const Struct* ship = partners.find(
            id_of(so.count("partner_shipping_id") ? so.at("partner_shipping_id") : Value{}));
        if (ship == nullptr) {
            differ("no delivery address");
        } else {
            if (text_of(*ship, "name") != ex.partner_name) {
                differ("delivery name '" + text_of(*ship, "name") + "'");
            }
            if (text_of(*ship, "street") != ex.street) {
                differ("street '" + text_of(*ship, "street") + "'");
            }
            if (text_of(*ship, "city") != ex.city) differ("city '" + text_of(*ship, "city") + "'");
            if (text_of(*ship, "zip") != ex.zip) differ("zip '" + text_of(*ship, "zip") + "'");
            const auto* c =
                countries.find(id_of(ship->count("country_id") ? ship->at("country_id") : Value{}));
            if (c == nullptr || text_of(*c, "code") != ex.country_code) differ("country");
            const auto* s =
                states.find(id_of(ship->count("state_id") ? ship->at("state_id") : Value{}));
            const std::string state_code = s == nullptr ? "" : text_of(*s, "code");
            if (state_code != ex.state_code) {
                differ("state '" + state_code + "', expected '" + ex.state_code + "'");
            }
        }
        // The sale order's currency is the Amazon order's (through its pricelist).
        const auto* currency =
            currencies.find(id_of(so.count("currency_id") ? so.at("currency_id") : Value{}));
        if (currency == nullptr || text_of(*currency, "name") != ex.currency) {
            differ("currency " + (currency ? text_of(*currency, "name") : std::string("none")) +
                   ", expected " + ex.currency);
        }

        // Lines, matched by SKU; lines of other products (shipping, promotions) are allowed, an
        // adjustment line is not (the taxes must give Amazon's total by themselves).
        std::map<std::string, const Struct*> by_sku;
        for (const auto& l : lines_by_order[id_of(so.at("id"))]) {
            if (text_of(l, "name") == "Amazon total adjustment") differ("an adjustment line");
            const auto* p =
                products.find(id_of(l.count("product_id") ? l.at("product_id") : Value{}));
            const std::string sku = p ? text_of(*p, "default_code") : "";
            if (!catalogue.count(sku)) continue;
            if (by_sku.count(sku)) differ("two lines for " + sku);
            by_sku[sku] = &l;
        }
        if (by_sku.size() != ex.lines.size()) {
            differ(std::to_string(by_sku.size()) + " product lines, expected " +
                   std::to_string(ex.lines.size()));
        }
        bool delivered = true;
        for (const auto& el : ex.lines) {
            auto it = by_sku.find(el.sku);
            if (it == by_sku.end()) {
                differ("no line for " + el.sku);
                delivered = false;
                continue;
            }
            const Struct& l = *it->second;
            const auto qty = std::llround(number_of(l, "product_uom_qty"));
            const auto price = cents_of(number_of(l, "price_unit"));
            if (qty != el.quantity) {
                differ(el.sku + " quantity " + std::to_string(qty) + ", expected " +
                       std::to_string(el.quantity));
            }
            if (price != el.unit_price_cents) {
                differ(el.sku + " price " + cents_text(price) + ", expected " +
                       cents_text(el.unit_price_cents));
            }
            // Taxes to the cent: Odoo's rates on the line applied to the line total must give
            // the tax Amazon charged — on top of the price, or within it (VAT-inclusive).
            double rate = 0;
            bool included = false;
            auto tax_it = l.find(tax_field);
            if (tax_it != l.end()) {
                for (auto tid : ids_of(tax_it->second)) {
                    if (const auto* t = taxes.find(tid)) {
                        rate += number_of(*t, "amount");
                        included = included || (t->count("price_include") != 0 &&
                                                t->at("price_include").truthy());
                    }
                }
            }
            if (included != ex.vat_inclusive) {
                differ(el.sku + (included ? " tax included in the price"
                                          : " tax not included in the price"));
            }
            const std::int64_t line_cents = el.unit_price_cents * el.quantity;
            const std::int64_t bp = std::llround(rate * 100);  // hundredths of a percent
            const std::int64_t odoo_tax_rounded =
                included ? (2 * line_cents * bp + 10000 + bp) / (2 * (10000 + bp))
                         : (line_cents * bp + 5000) / 10000;
            if (odoo_tax_rounded != el.tax_cents) {
                differ(el.sku + " tax " + cents_text(odoo_tax_rounded) + ", expected " +
                       cents_text(el.tax_cents));
            }
            if (text_of(l, "x_studio_gift_message") != el.gift_message) {
                differ(el.sku + " gift message '" + text_of(l, "x_studio_gift_message") + "'");
            }
            if (text_of(l, "x_studio_personalization") != el.personalization) {
                differ(el.sku + " personalization '" + text_of(l, "x_studio_personalization") +
                       "'");
            }
            if (ex.afn && ex.odoo_state == "sale") {
                const auto done = std::llround(number_of(l, "qty_delivered"));
                if (done != el.shipped) delivered = false;
                if (done != el.shipped && settled) {
                    differ(el.sku + " delivered " + std::to_string(done) + ", expected " +
                           std::to_string(el.shipped));
                }
            }
        }
        if (!ex.tracking_numbers.empty()) {
            std::set<std::string> refs;
            for (const auto& p : pickings_by_order[id_of(so.at("id"))]) {
                if (text_of(p, "state") == "done") refs.insert(text_of(p, "carrier_tracking_ref"));
            }
            bool all = true;
            for (const auto& tn : ex.tracking_numbers) {
                // One picking may carry several tracking numbers ("A,B").
                bool seen = refs.count(tn) != 0;
                for (const auto& r : refs) seen = seen || r.find(tn) != std::string::npos;
                all = all && seen;
            }
            if (!all) {
                delivered = false;
                if (settled) differ("tracking numbers missing on the done deliveries");
            }
            if (delivered) ++st.shipped;
        }
        // Odoo's total and tax are Amazon's, to the cent.
        if (settled && state != "cancel") {
            const auto rows =
                odoo.read("sale.order", {id_of(so.at("id"))}, {"amount_total", "amount_tax"});
            if (!rows.empty()) {
                const auto total =
                    std::llround(rows[0]["amount_total"].as_double().value_or(0) * 100);
                const auto tax = std::llround(rows[0]["amount_tax"].as_double().value_or(0) * 100);
                if (total != ex.grand_total_cents) {
                    differ("amount_total " + cents_text(total) + ", Amazon's " +
                           cents_text(ex.grand_total_cents));
                }
                if (tax != ex.tax_total_cents) {
                    differ("amount_tax " + cents_text(tax) + ", Amazon's " +
                           cents_text(ex.tax_total_cents));
                }
            }
        }
        if (settled && diffs.empty()) {
            ++st.final_state;
            if (ex.vat_inclusive) ++st.european;
        } else if (settled && st.mismatches.size() < max_mismatches) {
            std::string line = ex.order_id + ":";
            for (const auto& d : diffs) line += " " + d + ";";
            st.mismatches.push_back(line);
        }
    }
    return st;
}

std::string to_json(const Status& s) {
    nlohmann::json j{{"seeded", s.seeded},
                     {"created_on_amazon", s.created_on_amazon},
                     {"in_odoo", s.in_odoo},
                     {"sale_orders", s.sale_orders},
                     {"duplicates", s.duplicates},
                     {"confirmed", s.confirmed},
                     {"cancelled", s.cancelled},
                     {"shipped", s.shipped},
                     {"final_state", s.final_state},
                     {"dead_letter_expected", s.dead_letter_expected},
                     {"cancelled_absent", s.cancelled_absent},
                     {"european", s.european},
                     {"awaiting_amazon", s.awaiting_amazon},
                     {"mfn_to_ship", s.mfn_to_ship},
                     {"mfn_shipped", s.mfn_shipped},
                     {"mismatches", s.mismatches}};
    return j.dump();
}

}  // namespace clarity::fakes::sandbox
