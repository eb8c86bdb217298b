#include <stdexcept>
#include <utility>

#include "clarity/amazon/marketplace_pricing.hpp"
#include "clarity/flows/order_jobs.hpp"
#include "common/coalescer.hpp"
#include "order_import/steps.hpp"

// The flow's face to the engine (Flow): run, prepare, check_odoo; and its state (Impl).

namespace clarity::flows {

namespace asio = boost::asio;
using odoo::Domain;
using odoo::SearchOptions;

OrderImportFlow::Impl::Impl(OrderImportDeps d, OrderImportOptions o)
    : deps(std::move(d)),
      opt(std::move(o)),
      services{opt.shipping_product, opt.discount_product, opt.gift_wrap_product,
               opt.adjustment_product},
      dead_letter(deps.metrics,
                  opt.connection,
                  "clarity_orders_failed_total",
                  "Orders dead-lettered by the import, by reason (a person must act).",
                  "flows.order_import"),
      partners(deps.odoo, opt.xmlid_module, opt.partner_cache_size),
      product_reads(deps.odoo) {}

OrderImportFlow::Impl::~Impl() = default;

core::Counter& OrderImportFlow::Impl::counter(const std::string& name,
                                              const std::string& help,
                                              core::Labels extra) {
    core::Labels labels{{"connection", opt.connection}};
    for (auto& l : extra) labels.push_back(std::move(l));
    return deps.metrics.counter(name, help, labels);
}

void OrderImportFlow::Impl::skipped(const std::string& reason) {
    counter("clarity_orders_skipped_total", "Order jobs that changed nothing in Odoo, by reason.",
            {{"reason", reason}})
        .inc();
}

OrderImportFlow::OrderImportFlow(OrderImportDeps deps, OrderImportOptions options) {
    if (!deps.order_template)
        throw std::invalid_argument("OrderImportFlow needs an order template");
    impl_ = std::make_shared<Impl>(std::move(deps), std::move(options));
    order_import::make_coalescers(impl_);
}

OrderImportFlow::~OrderImportFlow() = default;

std::string_view OrderImportFlow::name() const { return kOrderImportFlow; }

asio::awaitable<Result<void>> OrderImportFlow::run(JobContext& context) {
    return order_import::run_job(impl_, &context);
}

std::size_t OrderImportFlow::default_cohort() const { return order_import::kMaxBatch; }

asio::awaitable<Result<void>> OrderImportFlow::prepare() {
    return order_import::prepare_flow(impl_);
}

namespace order_import {

asio::awaitable<Result<int>> odoo_major(std::shared_ptr<Impl> impl) {
    {
        std::lock_guard lock(impl->mu);
        if (impl->major != 0) co_return impl->major;
    }
    int major = impl->deps.odoo.schema().version.major;
    if (major == 0) {
        auto v = co_await impl->deps.odoo.version();
        if (!v) co_return v.error();
        major = v->major;
    }
    std::lock_guard lock(impl->mu);
    impl->major = major;
    co_return major;
}

namespace {

/// The connection check of the order import: Odoo's tax rounding per company. Amazon rounds tax
/// per item; with one line per item and charge, a company rounding per line gives Amazon's cents
/// by construction, one rounding globally cannot (NOTES.md §9: the default of a new Odoo 19
/// database), so the daemon says so before the first order and what it does about it.
asio::awaitable<Result<std::vector<std::string>>> check_rounding(std::shared_ptr<Impl> impl) {
    std::vector<std::string> out;
    const std::string code =
        impl->opt.add_adjustment_line ? impl->services.adjustment_code() : std::string{};
    const std::string consequence =
        code.empty()
            ? "an order whose total differs from Amazon's is only logged and counted "
              "(clarity_order_total_mismatch_total); set flows.order_import.adjustment_product "
              "to a service product (and keep add_adjustment_line: true) so that the daemon "
              "adds an adjustment line for the difference"
            : "the daemon adds an untaxed adjustment line of '" + code +
                  "' for the difference to each order it affects, so the order totals Amazon's "
                  "(flows.order_import.add_adjustment_line)";
    if (impl->opt.check_totals && impl->opt.add_adjustment_line && code.empty()) {
        out.push_back(
            "flows.order_import: add_adjustment_line is on but no adjustment_product (nor a "
            "discount, shipping or gift-wrap product) is configured: a sale order whose total "
            "differs from Amazon's is logged and counted but keeps Odoo's total");
    }
    SearchOptions so;
    so.fields = {"id", "name", "tax_calculation_rounding_method"};
    so.order = "id asc";
    auto rows = co_await impl->deps.odoo.search_read("res.company", Domain{}, std::move(so));
    if (!rows) {
        if (rows.error().kind != ErrorKind::permanent) co_return rows.error();
        out.push_back("flows.order_import: cannot read the companies' tax rounding method (" +
                      rows.error().message +
                      "); a company rounding taxes globally gives totals that differ from "
                      "Amazon's by a cent: " +
                      consequence);
        co_return out;
    }
    for (const auto& row : *rows) {
        if (row["tax_calculation_rounding_method"].as_string().value_or("") != "round_globally")
            continue;
        out.push_back("Odoo company '" + row["name"].as_string().value_or("?") +
                      "' rounds taxes globally (Invoicing/Accounting settings, Taxes: Rounding "
                      "Method 'Round Globally') while Amazon rounds per item: Odoo cannot give "
                      "Amazon's tax cents on every order, so " +
                      consequence +
                      ". Set the rounding method to 'Round per Line' for totals equal to "
                      "Amazon's without adjustment lines.");
    }
    co_return out;
}

/// check_odoo(): the rounding findings, and the marketplaces whose prices include VAT but whose
/// lines would carry no tax (no entry under `taxes`, nor a default).
asio::awaitable<Result<std::vector<std::string>>> check_connection(std::shared_ptr<Impl> impl) {
    auto out = co_await check_rounding(impl);
    if (!out) co_return out;
    const auto& taxes = impl->opt.taxes;
    for (const auto& m : impl->deps.amazon.options().marketplace_ids) {
        const auto* pricing = amazon::marketplace_pricing(m);
        if (pricing == nullptr || !pricing->prices_include_tax) continue;
        if (taxes.count(m) != 0 || taxes.count("default") != 0) continue;
        out->push_back("flows.order_import: " + amazon::describe_marketplace(m) +
                       " sells at prices that include VAT but flows.order_import.taxes names no "
                       "tax for it: its sale orders carry Amazon's gross prices without VAT in "
                       "Odoo. Map a price-included tax (" +
                       m +
                       ": \"<tax name>\", or by ship-to country) unless the seller charges "
                       "no VAT there");
    }
    co_return out;
}

}  // namespace
}  // namespace order_import

asio::awaitable<Result<std::vector<std::string>>> OrderImportFlow::check_odoo() {
    return order_import::check_connection(impl_);
}

}  // namespace clarity::flows
