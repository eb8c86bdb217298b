#include "clarity/odoo/schema.hpp"
#include "common/coalescer.hpp"
#include "common/id_map.hpp"
#include "fulfillment_status/steps.hpp"

// The delivery as Odoo has it now: done or not, its carrier and tracking number, and what each of
// its moves shipped of which Amazon order item.

namespace clarity::flows::fulfillment_status {

namespace asio = boost::asio;
using odoo::Value;

asio::awaitable<Result<void>> skip_confirmed_delivery(ShipmentRun* run) {
    auto found = co_await find_odoo_record(run->impl->deps.store, run->ctx->job.connection,
                                           kDeliveryKind, std::to_string(run->picking));
    if (!found) co_return found.error();
    if (*found) {
        run->done = true;
        run->log.debug("delivery {}: already confirmed on Amazon", run->picking);
    }
    co_return Result<void>{};
}

namespace {

std::string m2o_name(const Value& v) {
    if (const auto* a = v.as_array(); a != nullptr && a->size() == 2)
        return (*a)[1].as_string().value_or("");
    return {};
}

/// The job ends without doing anything: `why` is logged.
Result<void> nothing_to_do(ShipmentRun* run, const std::string& why) {
    run->done = true;
    run->impl
        ->counter("clarity_shipments_skipped_total",
                  "Delivery jobs that had nothing to confirm on Amazon, by reason.",
                  {{"reason", why}})
        .inc();
    run->log.debug("delivery {}: nothing to confirm ({})", run->picking, why);
    return {};
}

}  // namespace

asio::awaitable<Result<void>> read_delivery_from_odoo(ShipmentRun* run) {
    auto read = run->impl->pickings->submit(run->picking);  // named: g++ 12, co_await
    auto picking = co_await std::move(read);
    if (!picking) co_return picking.error();
    if (!*picking) co_return nothing_to_do(run, "gone");
    const Value& p = **picking;
    run->name = p["name"].as_string().value_or("");
    if (p["picking_type_code"].as_string().value_or("") != "outgoing")
        co_return nothing_to_do(run, "not_outgoing");
    if (!p["sale_id"].m2o_id()) co_return nothing_to_do(run, "no_sale_order");
    const std::string state = p["state"].as_string().value_or("");
    // Not done yet (a hook sent before Odoo committed, a change of an open delivery): the change
    // that validates it is another job.
    if (state != "done") co_return nothing_to_do(run, state == "cancel" ? "cancelled" : "not_done");
    run->date_done = p["date_done"].as_string().value_or("");
    run->carrier = m2o_name(p["carrier_id"]);
    run->tracking_ref = p["carrier_tracking_ref"].as_string().value_or("");
    run->has_packages = p["has_packages"].as_bool().value_or(false);
    if (const auto* moves = p["move_ids"].as_array()) {
        for (const auto& m : *moves) {
            if (auto id = m.as_int()) run->move_ids.push_back(*id);
        }
    }
    co_return Result<void>{};
}

asio::awaitable<Result<void>> read_shipped_lines(ShipmentRun* run) {
    Impl& impl = *run->impl;
    if (run->move_ids.empty()) co_return nothing_to_do(run, "no_moves");
    const std::string qty =
        odoo::field_name(odoo::FieldMeaning::move_done_quantity, impl.major).field;
    auto read = impl.moves->submit(run->move_ids);  // named: g++ 12, co_await
    auto rows = co_await std::move(read);
    if (!rows) co_return rows.error();
    std::vector<std::int64_t> lines;
    for (const auto& m : *rows) {
        auto line = m["sale_line_id"].m2o_id();
        const double q = m[qty.c_str()].as_double().value_or(0);
        if (!line || m["state"].as_string().value_or("") != "done" || q <= 0) continue;
        run->moves.push_back({m["id"].as_int().value_or(0), *line, q, {}});
        lines.push_back(*line);
    }
    auto links = co_await item_links_of(impl.deps.store, run->ctx->job.connection, lines);
    if (!links) co_return links.error();
    std::vector<ShippedMove> linked;
    for (auto& m : run->moves) {
        auto it = links->find(m.sale_line);
        if (it == links->end()) continue;
        m.item = it->second;
        linked.push_back(std::move(m));
    }
    // No line of this delivery came from an Amazon item the import linked: an FBA order (Amazon
    // ships those), an order that is not Amazon's, or one imported before links were recorded.
    if (linked.empty()) co_return nothing_to_do(run, "not_amazon_mfn");
    if (linked.size() < run->moves.size()) {
        run->log.warn(
            "delivery {}: {} of its {} shipped lines are not Amazon items (added in Odoo?); "
            "they are left out of the confirmation",
            run->name, run->moves.size() - linked.size(), run->moves.size());
    }
    run->moves = std::move(linked);
    run->order_id = run->moves.front().item.order_id;
    run->marketplace_id = run->moves.front().item.marketplace_id;
    for (const auto& m : run->moves) {
        if (m.item.order_id != run->order_id) {
            co_return run->dead_letter(
                "mixed_orders", run->subject() + " ships items of Amazon orders " + run->order_id +
                                    " and " + m.item.order_id +
                                    ": Amazon confirms one order at a time. Split the delivery "
                                    "in Odoo, " +
                                    replay_hint(*run->ctx) + ".");
        }
    }
    co_return Result<void>{};
}

asio::awaitable<Result<void>> wait_for_tracking(ShipmentRun* run) {
    Impl& impl = *run->impl;
    if (!run->tracking_ref.empty()) co_return Result<void>{};
    if (!impl.opt.require_tracking) {
        run->tracking_ref = run->name;  // Amazon requires a trackingNumber
        co_return Result<void>{};
    }
    impl.counter("clarity_shipments_waiting_total",
                 "Delivery jobs that waited for a tracking number (require_tracking).")
        .inc();
    run->log.info("{}: waiting for its tracking number", run->subject());
    Error wait = make_error(
        ErrorKind::unavailable,
        "waiting for the tracking number of " + run->subject() +
            " (flows.fulfillment_status.require_tracking): add it in Odoo (the delivery's "
            "Tracking Reference); the delivery is confirmed on Amazon as soon as the daemon sees "
            "it",
        "flows.fulfillment_status");
    wait.retry_after = std::chrono::duration_cast<std::chrono::seconds>(impl.opt.tracking_recheck);
    co_return wait;
}

}  // namespace clarity::flows::fulfillment_status
