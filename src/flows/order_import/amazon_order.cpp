#include "clarity/amazon/canonical.hpp"
#include "clarity/mapping/address.hpp"
#include "common/odoo_values.hpp"
#include "order_import/steps.hpp"

// The order as Amazon has it now, in the canonical model, mapped by the connection's template.

namespace clarity::flows::order_import {

namespace asio = boost::asio;

namespace {

asio::awaitable<Result<model::Order>> fetch_order(std::shared_ptr<Impl> impl,
                                                  std::string order_id,
                                                  std::string marketplace_id) {
    if (impl->opt.api == "v0") {
        // getOrder per order, not getOrders for its id: getOrderItems (0.5/s, burst 30) is needed
        // per order anyway, and getOrder has the same plan in a bucket of its own, so the import
        // runs at getOrderItems' pace; getOrders (0.0167/s) would bound it after 20 calls unless
        // ~50 jobs waited at once (docs/orders.md, "Orders API v0").
        (void)marketplace_id;  // getOrder needs none
        auto fetched =
            co_await impl->deps.amazon.get_order_with_items_v0(order_id, impl->opt.v0_pii);
        if (!fetched) co_return fetched.error();
        co_return amazon::to_canonical(fetched->order, fetched->items);
    }
    std::vector<std::string> included = impl->opt.included_data;
    if (included.empty()) included = amazon::default_order_included_data();
    auto order = co_await impl->deps.amazon.get_order(order_id, std::move(included));
    if (!order) co_return order.error();
    auto canonical = amazon::to_canonical(*order);
    if (!canonical) co_return canonical.error();
    co_return std::move(*canonical);
}

}  // namespace

asio::awaitable<Result<void>> get_order_from_amazon(OrderRun* run) {
    auto fetched = co_await fetch_order(run->impl, run->id, run->job.marketplace_id);
    if (!fetched) co_return fetched.error();
    run->order = std::move(*fetched);
    if (run->order.ship_to) mapping::normalize_address(*run->order.ship_to);
    run->mapped = mapping::map_order(*run->impl->deps.order_template, run->order);
    const model::Value* action = run->mapped.outputs.find("action");
    run->action = action ? text_of(*action) : std::string("skip");
    co_return Result<void>{};
}

asio::awaitable<Result<void>> skip_by_status(OrderRun* run) {
    auto& impl = *run->impl;
    if (run->action == "skip") {
        impl.skipped("status");
        run->log.info("order {}: status '{}' is not imported; nothing to do", run->id,
                      run->order.status_text);
        run->done = true;
    } else if (run->action == "wait" && !impl.opt.import_pending) {
        impl.skipped("pending");
        run->log.info("order {} is {}; waiting until Amazon confirms it", run->id,
                      run->order.status_text);
        run->done = true;
    }
    co_return Result<void>{};
}

}  // namespace clarity::flows::order_import
