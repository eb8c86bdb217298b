#pragma once
// The fulfillment_status flow's insides, shared by the files of src/flows/fulfillment_status/:
// the flow's state (FulfillmentStatusFlow::Impl), one job's run (ShipmentRun), and the steps in
// the order job.cpp runs them. The files:
//   job.cpp        the job: the steps in order
//   delivery.cpp   skip_confirmed_delivery, read_delivery_from_odoo, read_shipped_lines,
//                  wait_for_tracking
//   shipments.cpp  split_into_shipments, map_carrier
//   confirm.cpp    confirm_on_amazon (and the check that a shipment is already confirmed)
//   batches.cpp    the Odoo reads batched across jobs (coalescers)
//   cancel.cpp     a sale order cancelled in Odoo, cancelled on Amazon (its own steps)
//   flow.cpp       the Flow interface (run, prepare, check_odoo, odoo_watches) and the settings
#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "clarity/amazon/orders.hpp"
#include "clarity/core/log.hpp"
#include "clarity/flows/fulfillment_status.hpp"
#include "common/dead_letter.hpp"
#include "common/order_links.hpp"

namespace clarity::flows {

template <class Req, class Res>
class Coalescer;  // common/coalescer.hpp

struct FulfillmentStatusFlow::Impl {
    FulfillmentStatusDeps deps;
    FulfillmentStatusOptions opt;
    core::Log log{"flows.fulfillment_status"};
    /// Dead letters, counted in clarity_shipments_failed_total{connection,reason}.
    DeadLetters dead_letter;
    std::mutex mu;  ///< guards what follows
    bool prepared = false;
    int major = 0;
    /// stock.picking fields this Odoo has (stock_delivery adds carrier_id and
    /// carrier_tracking_ref).
    bool has_carrier = false, has_tracking_ref = false, has_packages_field = false;
    // The reads every job makes, batched across the jobs running at once (batches.cpp): the
    // delivery (nullopt: gone) and its moves.
    std::unique_ptr<Coalescer<std::int64_t, std::optional<odoo::Value>>> pickings;
    std::unique_ptr<Coalescer<std::vector<std::int64_t>, std::vector<odoo::Value>>> moves;

    Impl(FulfillmentStatusDeps d, FulfillmentStatusOptions o);
    ~Impl();
    core::Counter& counter(const std::string& name,
                           const std::string& help,
                           core::Labels extra = {});
};

namespace fulfillment_status {

using Impl = FulfillmentStatusFlow::Impl;

/// id map kinds: a confirmed shipment ("<order id>/<package reference>", the picking) and a
/// delivery whose every shipment is confirmed ("<picking id>").
inline constexpr const char* kShipmentKind = "amazon_shipment";
inline constexpr const char* kDeliveryKind = "amazon_shipped_delivery";
/// Deliveries run step by step together (the cohort): their Odoo reads go out as one call.
inline constexpr std::size_t kCohort = 10;

/// One stock.move of the delivery that shipped something of an Amazon item.
struct ShippedMove {
    std::int64_t id = 0;
    std::int64_t sale_line = 0;
    double quantity = 0;  ///< done quantity
    OrderItemLink item;
};

/// One confirmShipment to make: the whole delivery or one package of it.
struct Shipment {
    std::string reference;     ///< packageReferenceId (digits)
    std::string package_name;  ///< Odoo's package name; empty for the whole delivery
    std::string tracking;
    std::vector<std::pair<std::string, std::int64_t>> items;  ///< orderItemId, quantity
    amazon::ConfirmShipmentRequest request;                   ///< map_carrier fills it
};

/// One job's run: what the steps read and fill in, in the order they run.
struct ShipmentRun {
    ShipmentRun(std::shared_ptr<Impl> i, JobContext* c, std::int64_t picking);

    std::shared_ptr<Impl> impl;
    JobContext* ctx;
    std::int64_t picking = 0;  ///< stock.picking id
    core::Log log;
    bool done = false;  ///< a step finished the job

    // read_delivery_from_odoo
    std::string name;       ///< "WH/OUT/00012"
    std::string date_done;  ///< "YYYY-MM-DD HH:MM:SS" (UTC)
    std::string carrier;    ///< delivery.carrier name; empty = none
    std::string tracking_ref;
    bool has_packages = false;
    std::vector<std::int64_t> move_ids;
    // read_shipped_lines
    std::vector<ShippedMove> moves;
    std::string order_id, marketplace_id;
    // split_into_shipments, map_carrier
    std::vector<Shipment> shipments;

    /// "delivery WH/OUT/00012 of order 113-…"
    std::string subject() const;
    Error dead_letter(std::string_view reason, std::string message) const {
        return impl->dead_letter(reason, std::move(message));
    }
};

using Step = boost::asio::awaitable<Result<void>> (*)(ShipmentRun* run);

// ---- the steps, in the order of job.cpp -------------------------------------------------------
/// Store: the delivery is recorded as confirmed (nothing to do, no call).
boost::asio::awaitable<Result<void>> skip_confirmed_delivery(ShipmentRun* run);
/// Odoo: stock.picking read (state, type, sale order, carrier, tracking, date, moves); a delivery
/// that is not a done outgoing one of a sale order ends the job.
boost::asio::awaitable<Result<void>> read_delivery_from_odoo(ShipmentRun* run);
/// Odoo: stock.move read (sale line, done quantity); store: each sale line's Amazon order item.
/// No linked line: not a merchant-fulfilled Amazon order, nothing to do.
boost::asio::awaitable<Result<void>> read_shipped_lines(ShipmentRun* run);
/// No call: without a tracking number (require_tracking) the job waits.
boost::asio::awaitable<Result<void>> wait_for_tracking(ShipmentRun* run);
/// Odoo: stock.move.line search_read when the delivery has packages; the shipments: one per
/// package when each package has its own tracking number, else the whole delivery.
boost::asio::awaitable<Result<void>> split_into_shipments(ShipmentRun* run);
/// No call: the shipment_confirm template maps each shipment (carrier code, method, items).
boost::asio::awaitable<Result<void>> map_carrier(ShipmentRun* run);
/// Amazon: confirmShipment for each shipment the store has not recorded, recorded at once;
/// getOrder when Amazon refuses one (already confirmed counts as done).
boost::asio::awaitable<Result<void>> confirm_on_amazon(ShipmentRun* run);

boost::asio::awaitable<Result<void>> run_job(std::shared_ptr<Impl> impl, JobContext* ctx);
/// The job of a sale order cancelled in Odoo (cancel.cpp): cancelled on Amazon through the order
/// acknowledgement feed when it is a merchant-fulfilled order Amazon has not shipped.
boost::asio::awaitable<Result<void>> run_cancellation(std::shared_ptr<Impl> impl,
                                                      JobContext* ctx,
                                                      std::int64_t sale_order);
/// The coalescers of `impl` (batches.cpp).
void make_coalescers(Impl& impl);
/// Reads which stock.picking fields this Odoo has (once).
boost::asio::awaitable<Result<void>> prepare_flow(std::shared_ptr<Impl> impl);

}  // namespace fulfillment_status
}  // namespace clarity::flows
