#include "common/totals.hpp"

#include "clarity/amazon/marketplace_pricing.hpp"
#include "common/coalescer.hpp"
#include "common/odoo_values.hpp"
#include "order_import/steps.hpp"

// After the write: Odoo's tax and total against Amazon's (common/totals.hpp), and the adjustment
// line that makes the sale order total Amazon's.

namespace clarity::flows::order_import {

namespace asio = boost::asio;
using odoo::Array;
using odoo::Domain;
using odoo::SearchOptions;
using odoo::Struct;
using OValue = odoo::Value;

namespace {

/// amount_total and amount_tax of the sale order (batched read; nullopt: the order is gone).
asio::awaitable<Result<std::optional<Amounts>>> read_amounts(OrderRun* run) {
    auto read = run->impl->totals->submit(run->sale_id);  // named: g++ 12, co_await
    co_return co_await std::move(read);
}

/// Each line's price_tax (sale.order.line search_read), in line order.
asio::awaitable<Result<std::vector<double>>> read_line_taxes(OrderRun* run) {
    Domain d;
    d.where("order_id", "=", static_cast<long long>(run->sale_id));
    SearchOptions so;
    so.fields = {"id", "price_tax"};
    so.order = "id asc";
    auto rows =
        co_await run->impl->deps.odoo.search_read("sale.order.line", std::move(d), std::move(so));
    if (!rows) co_return rows.error();
    std::vector<double> taxes;
    for (const auto& r : *rows) taxes.push_back(r["price_tax"].as_double().value_or(0));
    co_return taxes;
}

/// The lines as the tax check sees them: name, Amazon's tax, taxed.
std::vector<TaxCheckLine> tax_check_lines(const OrderRun& run) {
    std::vector<TaxCheckLine> out;
    for (std::size_t i = 0; i < run.amazon_taxes.size(); ++i) {
        TaxCheckLine line;
        line.amazon_tax = run.amazon_taxes[i];
        line.taxed = run.taxed_lines[i];
        const auto* c = i < run.lines.size() ? run.lines[i].as_array() : nullptr;
        const Struct* l = c && c->size() == 3 ? (*c)[2].as_struct() : nullptr;
        if (l != nullptr) {
            if (auto n = l->find("name"); n != l->end())
                line.name = n->second.as_string().value_or("");
        }
        out.push_back(std::move(line));
    }
    return out;
}

}  // namespace

asio::awaitable<Result<void>> check_taxes_against_amazon(OrderRun* run) {
    if (!run->wrote || !run->check_tax || run->state == "cancel") co_return Result<void>{};
    Impl& impl = *run->impl;
    std::optional<double> odoo_tax =
        run->tax_after_confirm ? run->tax_after_confirm : run->tax_from_create;
    if (!odoo_tax) {
        auto read = co_await read_amounts(run);
        if (!read) co_return read.error();
        if (*read) {
            run->amounts_read = **read;
            odoo_tax = (*read)->tax;
        }
    }
    bool globally = false;
    {
        std::lock_guard lock(impl.mu);
        globally = impl.rounds_globally;
    }
    // Per line only where Odoo rounds per line (with global rounding a line's tax is not rounded
    // on its own, so it cannot equal Amazon's per item).
    if (!run->line_taxes && !globally) {
        auto taxes = co_await read_line_taxes(run);
        if (!taxes) co_return taxes.error();
        run->line_taxes = std::move(*taxes);
    }
    const auto* pricing = amazon::marketplace_pricing(run->order.marketplace_id);
    const std::string currency = run->order.currency.empty() && pricing != nullptr
                                     ? std::string(pricing->currency)
                                     : run->order.currency;
    const std::string differences =
        tax_differences(tax_check_lines(*run), run->line_taxes, odoo_tax,
                        model::currency_precision(currency), globally);
    if (!differences.empty()) {
        impl.counter("clarity_order_tax_mismatch_total",
                     "Orders whose Odoo tax (per line or in total) differed from the tax "
                     "Amazon reported.")
            .inc();
        run->log.warn(
            "order {}: Odoo's tax differs from Amazon's ({} {}, tax '{}'): {}. The "
            "mapped tax does not reproduce what Amazon charged (another rate: a reduced "
            "rate, or the ship-to country's VAT under the one-stop shop); check "
            "flows.order_import.taxes and correct the sale order's taxes in Odoo",
            run->id, amazon::describe_marketplace(run->order.marketplace_id), currency,
            run->tax ? run->tax->name : std::string{}, differences);
    }
    co_return Result<void>{};
}

namespace {

/// An untaxed line of the adjustment product for `diff` (web_save on 17+, else write + a batched
/// read), then the sale order's total must be Amazon's: otherwise a dead letter.
asio::awaitable<Result<void>> add_adjustment_line(OrderRun* run,
                                                  std::string code,
                                                  TotalCheck total) {
    Impl& impl = *run->impl;
    auto& odoo = impl.deps.odoo;
    auto pid = run->products.id(code);
    if (!pid) {
        co_return run->dead_letter("unknown_sku", run->subject() +
                                                      ": the adjustment product with Internal "
                                                      "Reference '" +
                                                      code +
                                                      "' does not exist in Odoo — create it, " +
                                                      replay_hint(*run->ctx) + ".");
    }
    // Untaxed whatever the product's default taxes: the line is the difference.
    Struct adj = service_line(*pid, "Amazon total adjustment", total.difference);
    adj.insert_or_assign(run->tax_field, Array{Array{6, 0, Array{}}});
    Array add;
    add.push_back(command(0, 0, std::move(adj)));
    std::optional<double> adjusted;
    if (run->major >= 17) {
        std::vector<std::string> fields = both("id", "amount_total");
        auto saved = co_await odoo.web_save("sale.order", one_id(run->sale_id),
                                            struct1(run->lines_field, std::move(add)),
                                            std::move(fields), odoo.write_context());
        if (!saved) co_return saved.error();
        for (const auto& row : *saved) adjusted = row["amount_total"].as_double();
    } else {
        auto w =
            co_await odoo.write("sale.order", one_id(run->sale_id),
                                struct1(run->lines_field, std::move(add)), odoo.write_context());
        if (!w) co_return w.error();
        auto read = co_await read_amounts(run);
        if (!read) co_return read.error();
        if (*read) adjusted = (*read)->total;
    }
    const model::Decimal now_total = from_double(adjusted.value_or(0), total.precision);
    if (!adjusted || now_total != total.amazon) {
        co_return run->dead_letter(
            "total_mismatch",
            run->subject() + ": sale order " + std::to_string(run->sale_id) + " still totals " +
                now_total.to_string() + " after an adjustment line of " +
                total.difference.to_string() + " (Amazon's total is " + total.amazon.to_string() +
                "). Check that the adjustment product '" + code +
                "' is a plain service without taxes or pricelist rules, correct the order in "
                "Odoo by hand; nothing to replay.");
    }
    impl.counter("clarity_order_adjustment_lines_total",
                 "Adjustment lines added so a sale order totals Amazon's grand total.")
        .inc();
    co_return Result<void>{};
}

}  // namespace

asio::awaitable<Result<void>> check_total_against_amazon(OrderRun* run) {
    Impl& impl = *run->impl;
    const auto& amazon_total = run->order.order_total;
    if (!run->wrote || !impl.opt.check_totals || !amazon_total || run->state == "cancel")
        co_return Result<void>{};
    std::optional<double> odoo_amount =
        run->total_after_confirm ? run->total_after_confirm : run->total_from_create;
    if (!odoo_amount && run->amounts_read) odoo_amount = run->amounts_read->total;
    if (!odoo_amount) {
        auto read = co_await read_amounts(run);
        if (!read) co_return read.error();
        if (*read) odoo_amount = (*read)->total;
    }
    if (!odoo_amount) co_return Result<void>{};
    const TotalCheck total = check_total(*amazon_total, *odoo_amount);
    if (total.difference.is_zero()) co_return Result<void>{};
    impl.counter("clarity_order_total_mismatch_total",
                 "Orders whose Odoo total differed from Amazon's grand total "
                 "after the write (before any adjustment line).")
        .inc();
    const std::string code =
        impl.opt.add_adjustment_line ? impl.services.adjustment_code() : std::string{};
    run->log.warn("order {}: Odoo total {} differs from Amazon's {} {} by {}{}", run->id,
                  total.odoo.to_string(), total.amazon.to_string(), amazon_total->currency,
                  total.difference.to_string(),
                  code.empty() ? "; no adjustment line (add_adjustment_line is off or no "
                                 "service product is configured): the sale order keeps "
                                 "Odoo's total"
                               : "; adding an adjustment line of " + total.difference.to_string());
    if (code.empty()) co_return Result<void>{};
    co_return co_await add_adjustment_line(run, code, total);
}

}  // namespace clarity::flows::order_import
