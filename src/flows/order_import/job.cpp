#include "clarity/flows/order_jobs.hpp"
#include "common/steps.hpp"
#include "order_import/steps.hpp"

// One order job, as docs/orders.md "What one job does" describes it: the steps in order, each a
// function named after the Amazon or Odoo calls it makes (steps.hpp lists them with their calls).

namespace clarity::flows::order_import {

namespace asio = boost::asio;

namespace {

constexpr Step kSteps[] = {
    get_order_from_amazon,           // Amazon getOrder (v0: + getOrderItems); the template
    skip_by_status,                  // Pending while import_pending is off, statuses not imported
    find_sale_order,                 // the id map; sale.order by client_order_ref (batched)
    cancel_existing_sale_order,      // Amazon cancelled: action_cancel, or nothing to do
    find_products_by_sku,            // product.product by default_code, aliases, service products
    resolve_template_lookups,        // the template's other look-ups; unknown SKUs dead-letter
    choose_pricelist,                // prepare()'s reads once; the order's pricelist
    choose_tax,                      // the mapped tax of the marketplace (and ship-to country)
    find_ship_to_country_and_state,  // res.country, res.country.state (cached)
    upsert_customer_and_address,     // res.partner load (customer, delivery address)
    build_sale_order_values,         // partners, pricelist, item lines with their taxes
    add_service_lines,               // shipping, gift wrap, promotions
    create_or_update_sale_order,     // sale.order web_save/create, or the quotation's update
    confirm_or_cancel_sale_order,    // action_confirm + date_order (batched), or action_cancel
    check_taxes_against_amazon,      // Odoo's tax against Amazon's (warning)
    check_total_against_amazon,      // Odoo's total against Amazon's; an adjustment line
    link_order_items,                // MFN: each line's Amazon order item, for shipments
    flag_buyer_cancel_request,       // the buyer asked to cancel: an activity on the order
    validate_fba_delivery,           // FBA shipped: tracking report, the delivery validated
};

}  // namespace

OrderRun::OrderRun(std::shared_ptr<Impl> i, JobContext* c, OrderJob j)
    : impl(std::move(i)),
      ctx(c),
      job(std::move(j)),
      id(job.amazon_order_id),
      log(impl->log.with(
          {std::to_string(c->job.id), c->job.flow, c->job.connection, c->job.entity_key, {}})),
      products(impl->opt.product_aliases) {}

asio::awaitable<Result<void>> run_job(std::shared_ptr<Impl> impl, JobContext* ctx) {
    auto job = parse_order_job(ctx->job.payload);
    if (!job) co_return job.error();
    OrderRun run(std::move(impl), ctx, std::move(*job));
    auto done = co_await run_steps(kSteps, run, *ctx);
    if (!done || run.done) co_return done;
    if (!run.wrote) run.impl->skipped("unchanged");
    co_return Result<void>{};
}

}  // namespace clarity::flows::order_import
