#include "common/odoo_values.hpp"
#include "order_import/steps.hpp"

// The sale.order values: the template's record and lines, the partners and the pricelist, every
// line's taxes, and the service lines.

namespace clarity::flows::order_import {

namespace asio = boost::asio;
using odoo::Array;
using odoo::Struct;
using OValue = odoo::Value;

namespace {

/// Every line's taxes are set, the mapped tax or none: a line without the key would take its
/// product's default taxes in Odoo (sale.order.line _compute_tax_id) on top of Amazon's price.
Struct with_taxes(const OrderRun& run, Struct line, bool taxed) {
    Array ids;
    if (taxed && run.tax) ids.emplace_back(static_cast<long long>(run.tax->id));
    line.insert_or_assign(run.tax_field, Array{Array{6, 0, std::move(ids)}});
    return line;
}

}  // namespace

asio::awaitable<Result<void>> build_sale_order_values(OrderRun* run) {
    const auto& mapped = run->mapped;
    OValue values = to_odoo(mapped.to_value());
    Struct& vals = run->vals;
    vals = values.as_struct() ? *values.as_struct() : Struct{};
    vals.insert_or_assign("partner_id", static_cast<long long>(run->partners.customer));
    vals.insert_or_assign("partner_invoice_id", static_cast<long long>(run->partners.customer));
    vals.insert_or_assign("partner_shipping_id", static_cast<long long>(run->partners.shipping));
    if (run->pricelist)
        vals.insert_or_assign("pricelist_id", static_cast<long long>(*run->pricelist));
    Array& lines = run->lines;
    if (auto it = vals.find(mapped.lines_field); it != vals.end() && it->second.as_array()) {
        lines = *it->second.as_array();
    }
    // Amazon's tax of each line, where it gave one (for the check against Odoo's after the
    // write), and whether the line carries the mapped tax. The template makes one line per
    // Amazon line (in order): each carries the tax when Amazon taxed that item (a tax-exempt item
    // in a taxed order stays untaxed). A template that makes another number of lines gets the tax
    // on every line.
    const auto& items = run->order.lines;
    const bool one_per_item = lines.size() == items.size();
    for (std::size_t i = 0; i < lines.size(); ++i) {
        auto* c = lines[i].as_array();
        const bool taxed = one_per_item ? charged(*run, figure(items[i].item_tax)) : run->needs_tax;
        run->amazon_taxes.push_back(one_per_item ? figure(items[i].item_tax)
                                                 : std::optional<model::Decimal>{});
        run->taxed_lines.push_back(taxed && run->tax.has_value());
        if (c == nullptr || c->size() != 3 || !(*c)[2].as_struct()) continue;
        (*c)[2] = with_taxes(*run, *(*c)[2].as_struct(), taxed);
    }
    co_return Result<void>{};
}

/// Service lines (shipping, gift wrap, promotions) follow Amazon's items: one line per item that
/// carries the charge, never a sum. Amazon computes and rounds tax per item and charge, so one
/// line each lets Odoo's per-line rounding give Amazon's cents (a summed line of two 2.99 wraps
/// taxed 8.25 % gives 0.49 where Amazon charged 0.25 + 0.25). A line carries the tax when Amazon
/// charged tax on that charge of that item (or, VAT-inclusive, did not say it charged none). A
/// shipping discount is netted into its item's shipping line unless Amazon taxed the discount on
/// its own (ShippingDiscountTax), in which case it is a negative line of its own, taxed.
asio::awaitable<Result<void>> add_service_lines(OrderRun* run) {
    Impl& impl = *run->impl;
    for (const auto& item : run->services) {
        if (auto pid = run->products.id(item.product)) {
            const bool taxed = charged(*run, item.amazon_tax);
            run->lines.emplace_back(
                Array{0, 0, with_taxes(*run, service_line(*pid, item.name, item.amount), taxed)});
            run->amazon_taxes.push_back(item.amazon_tax);
            run->taxed_lines.push_back(taxed && run->tax.has_value());
        }
    }
    for (const std::string& code : impl.services.charges()) {
        if (!code.empty() && !run->products.id(code)) {
            co_return run->dead_letter(
                "unknown_sku", run->subject() + ": the service product with Internal Reference '" +
                                   code +
                                   "' configured under flows.order_import does not exist in "
                                   "Odoo — create it, " +
                                   replay_hint(*run->ctx) + ".");
        }
    }
    const auto& mapped_field = run->mapped.lines_field;
    run->lines_field = mapped_field.empty() ? "order_line" : std::string(mapped_field);
    run->vals.insert_or_assign(run->lines_field, run->lines);
    // Odoo's tax is checked against Amazon's where a line carries the mapped tax and Amazon gave
    // its tax figures (check_totals).
    for (std::size_t i = 0; i < run->taxed_lines.size(); ++i) {
        run->check_tax =
            run->check_tax || (run->taxed_lines[i] && run->amazon_taxes[i].has_value());
    }
    run->check_tax = run->check_tax && impl.opt.check_totals;
    co_return Result<void>{};
}

}  // namespace clarity::flows::order_import
