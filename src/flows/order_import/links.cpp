#include <algorithm>

#include "common/order_links.hpp"
#include "order_import/steps.hpp"

// Each item line of a confirmed merchant-fulfilled order linked to its Amazon order item in the
// store (common/order_links.hpp), for the fulfillment_status flow: a delivery's lines name
// Amazon's orderItemId through it, whatever happens to product names and descriptions.

namespace clarity::flows::order_import {

namespace asio = boost::asio;
using odoo::Domain;
using odoo::SearchOptions;

namespace {

/// The order's line ids, oldest first (the order they were created in: item lines first).
asio::awaitable<Result<std::vector<std::int64_t>>> read_line_ids(OrderRun* run) {
    Domain d;
    d.where("order_id", "=", static_cast<long long>(run->sale_id));
    SearchOptions so;
    so.fields = {"id"};
    so.order = "id asc";
    auto rows =
        co_await run->impl->deps.odoo.search_read("sale.order.line", std::move(d), std::move(so));
    if (!rows) co_return rows.error();
    std::vector<std::int64_t> ids;
    for (const auto& r : *rows) ids.push_back(r["id"].as_int().value_or(0));
    co_return ids;
}

OrderItemLink link_of(const OrderRun& run, std::size_t item) {
    return {run.order.marketplace_id, run.id, run.order.lines[item].order_item_id};
}

}  // namespace

asio::awaitable<Result<void>> link_order_items(OrderRun* run) {
    Impl& impl = *run->impl;
    store::AsyncStore* st = impl.deps.store;
    const auto& items = run->order.lines;
    if (st == nullptr || run->order.fulfillment_channel != model::FulfillmentChannel::mfn ||
        run->state != "sale" || run->sale_id == 0 || items.empty() ||
        items.front().order_item_id.empty()) {
        co_return Result<void>{};
    }
    const std::string connection = run->ctx->job.connection;
    std::vector<std::int64_t> ids = run->line_ids;
    if (ids.empty()) {
        // Confirmed by an earlier run (or before links were recorded): link what is not linked.
        auto linked = co_await has_item_link(*st, connection, link_of(*run, 0));
        if (!linked) co_return linked.error();
        if (*linked) co_return Result<void>{};
        auto read = co_await read_line_ids(run);
        if (!read) co_return read.error();
        ids = std::move(*read);
    }
    // The template makes one line per Amazon item, in Amazon's order, before any service line;
    // Odoo creates the lines of one create in the order given, so ids ascend with them.
    std::sort(ids.begin(), ids.end());
    if (ids.size() < items.size() || run->mapped.lines.size() != items.size()) {
        run->log.warn(
            "order {}: sale order {} has {} lines for {} Amazon items; its lines are not linked "
            "to Amazon's items, so its deliveries cannot be confirmed on Amazon automatically",
            run->id, run->sale_id, ids.size(), items.size());
        co_return Result<void>{};
    }
    // Written with the job's ack, in its transaction (no write of their own): a run that stops
    // before the ack links the order on its rerun (the search_read above).
    for (std::size_t i = 0; i < items.size(); ++i)
        run->ctx->id_mappings.push_back(item_link_mapping(connection, ids[i], link_of(*run, i)));
    co_return Result<void>{};
}

}  // namespace clarity::flows::order_import
