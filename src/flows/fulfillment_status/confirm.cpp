#include <algorithm>

#include "common/id_map.hpp"
#include "fulfillment_status/steps.hpp"

// confirmShipment for each shipment of the delivery, exactly once: the store records each the
// moment Amazon answers 204, and a shipment Amazon refuses is checked against the order as Amazon
// has it (a crash after the 204 and before the record, or a confirmation made in Seller Central,
// leaves the package or its items shipped there: that counts as done).

namespace clarity::flows::fulfillment_status {

namespace asio = boost::asio;

namespace {

std::string shipment_key(const ShipmentRun& run, const Shipment& s) {
    return run.order_id + "/" + s.reference;
}

/// Amazon has the shipment already: its package reference among the order's packages, or every
/// item it ships fully shipped. nullopt when the order cannot be read (the error is returned).
asio::awaitable<Result<bool>> already_on_amazon(ShipmentRun* run, const Shipment& s) {
    std::vector<std::string> included{"FULFILLMENT", "PACKAGES"};
    auto read = run->impl->deps.amazon.get_order(run->order_id, std::move(included));
    auto order = co_await std::move(read);  // named: g++ 12, co_await
    if (!order) co_return order.error();
    for (const auto& p : order->packages) {
        if (p.package_reference_id == s.reference) co_return true;
    }
    bool all_shipped = !s.items.empty();
    for (const auto& [item_id, qty] : s.items) {
        auto it =
            std::find_if(order->items.begin(), order->items.end(),
                         [&](const amazon::OrderItem& i) { return i.order_item_id == item_id; });
        all_shipped = all_shipped && it != order->items.end() && it->quantity_unfulfilled &&
                      *it->quantity_unfulfilled == 0;
    }
    co_return all_shipped;
}

asio::awaitable<Result<void>> remember(ShipmentRun* run, const Shipment& s) {
    store::IdMapping m{run->ctx->job.connection, kShipmentKind, shipment_key(*run, s),
                       "stock.picking", run->picking};
    auto write = remember_odoo_record(&run->impl->deps.store, std::move(m));  // named: g++ 12
    co_return co_await std::move(write);
}

/// One shipment: skipped when the store has it, else confirmShipment and the record.
asio::awaitable<Result<void>> confirm_one(ShipmentRun* run, const Shipment& s) {
    Impl& impl = *run->impl;
    auto known = co_await find_odoo_record(impl.deps.store, run->ctx->job.connection, kShipmentKind,
                                           shipment_key(*run, s));
    if (!known) co_return known.error();
    if (*known) co_return Result<void>{};
    auto call = impl.deps.amazon.confirm_shipment(run->order_id, s.request);
    auto confirmed = co_await std::move(call);  // named: g++ 12, co_await
    const std::string what = s.package_name.empty()
                                 ? run->subject()
                                 : run->subject() + " (package " + s.package_name + ")";
    if (!confirmed) {
        const Error& e = confirmed.error();
        if (e.kind != ErrorKind::permanent) co_return e;
        auto there = co_await already_on_amazon(run, s);
        if (!there) co_return there.error();
        if (!*there) {
            co_return run->dead_letter(
                "amazon_refused", what + ": Amazon refused the shipment confirmation (package " +
                                      s.reference + ", tracking " + s.request.tracking_number +
                                      "): " + e.message + ". Fix what it names (in Odoo, or in " +
                                      impl.deps.shipment_template->file() + "), " +
                                      replay_hint(*run->ctx) + ".");
        }
        impl.counter("clarity_shipments_already_confirmed_total",
                     "Shipments Amazon already had (a rerun after a crash, or Seller Central).")
            .inc();
        run->log.info("{}: already confirmed on Amazon (package {})", what, s.reference);
    } else {
        impl.counter("clarity_shipments_confirmed_total",
                     "Shipments confirmed on Amazon (confirmShipment answered 204).")
            .inc();
        run->log.info("{}: confirmed on Amazon: package {}, {} {}", what, s.reference,
                      s.request.carrier_code, s.request.tracking_number);
    }
    co_return co_await remember(run, s);
}

}  // namespace

asio::awaitable<Result<void>> confirm_on_amazon(ShipmentRun* run) {
    for (const auto& s : run->shipments) {
        auto one = co_await confirm_one(run, s);
        if (!one) co_return one;
    }
    run->ctx->id_mappings.push_back({run->ctx->job.connection, kDeliveryKind,
                                     std::to_string(run->picking), "stock.picking", run->picking});
    co_return Result<void>{};
}

}  // namespace clarity::flows::fulfillment_status
