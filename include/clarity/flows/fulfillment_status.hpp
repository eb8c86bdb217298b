#pragma once
/// \file
/// The fulfillment_status flow: Odoo deliveries of merchant-fulfilled (MFN) Amazon orders
/// confirmed on Amazon (Orders v0 confirmShipment). One job per change of an outgoing
/// `stock.picking` (the Odoo watcher and webhook, odoo_watch.hpp). A run reads the delivery anew:
/// when it is done and belongs to an imported MFN order, each of its shipments — the whole
/// picking, or each package when its packages carry tracking numbers of their own — is confirmed
/// with the package reference, the carrier mapped by the shipment_confirm template, the tracking
/// number, the ship date and the Amazon orderItemId and quantity of every line it shipped (the
/// links the order import recorded, common/order_links.hpp).
///
/// Exactly once: each confirmed shipment is recorded in the store the moment Amazon answers 204;
/// a rerun after a crash before that record asks Amazon, and an answer that the package or its
/// items are already confirmed counts as done. A delivery without a tracking number waits
/// (`require_tracking`) and runs again when Odoo says it changed. With `cancel_on_amazon`, a sale
/// order of a merchant-fulfilled Amazon order cancelled in Odoo before it shipped is cancelled on
/// Amazon through the order acknowledgement feed (cancel.cpp). docs/shipments.md lists every
/// message.

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "clarity/amazon/sp_api_client.hpp"
#include "clarity/core/clock.hpp"
#include "clarity/core/config.hpp"
#include "clarity/core/metrics.hpp"
#include "clarity/flows/flow.hpp"
#include "clarity/mapping/template.hpp"
#include "clarity/odoo/client.hpp"

namespace clarity::store {
class AsyncStore;
}  // namespace clarity::store

namespace clarity::flows {

inline constexpr std::string_view kFulfillmentStatusFlow = "fulfillment_status";

struct FulfillmentStatusDeps {
    amazon::SpApiClient& amazon;
    odoo::OdooClient& odoo;
    store::AsyncStore& store;
    std::shared_ptr<const mapping::MappingTemplate> shipment_template;  ///< shipment_confirm
    core::MetricsRegistry& metrics;
    const Clock& clock;
};

struct FulfillmentStatusOptions {
    std::string connection;  ///< the `connection` label of the metrics
    /// A delivery validated without a tracking number waits for one (true), or is confirmed
    /// without (false: Amazon then shows no tracking to the buyer).
    bool require_tracking = true;
    /// How often a waiting delivery is read again when no trigger says it changed.
    std::chrono::milliseconds tracking_recheck{std::chrono::minutes(10)};
    /// Amazon's supply source id of the ship-from address (shipFromSupplySourceId); empty = none.
    std::string ship_from_supply_source_id;
    /// A merchant-fulfilled Amazon order cancelled in Odoo before it shipped is cancelled on
    /// Amazon (POST_FLAT_FILE_ORDER_ACKNOWLEDGEMENT_DATA) with `cancel_reason`.
    bool cancel_on_amazon = false;
    std::string cancel_reason = "NoInventory";
    /// How often a sent cancellation's feed is checked until Amazon has processed it.
    std::chrono::milliseconds cancel_check_interval{std::chrono::minutes(1)};
};

/// Keys under connections[].flows.fulfillment_status (besides `enabled` and `retry`).
core::ConfigSpec fulfillment_status_config_spec();
FulfillmentStatusOptions fulfillment_status_options_from_config(const core::ConfigNode& node);

/// The job of one delivery (stock.picking `picking_id`); the payload the flow reads back.
std::string shipment_job_payload(std::int64_t picking_id, std::string_view source);
/// The job of one sale order cancelled in Odoo (cancel_on_amazon).
std::string cancellation_job_payload(std::int64_t sale_order_id, std::string_view source);

class FulfillmentStatusFlow final : public Flow {
  public:
    /// Every dependency must outlive the flow. Throws std::invalid_argument without a template.
    FulfillmentStatusFlow(FulfillmentStatusDeps deps, FulfillmentStatusOptions options);
    ~FulfillmentStatusFlow() override;

    std::string_view name() const override;
    boost::asio::awaitable<Result<void>> run(JobContext& context) override;
    /// Reads which stock.picking fields this Odoo has (carrier, tracking, packages).
    boost::asio::awaitable<Result<void>> prepare() override;
    /// Warns when Odoo has no carrier_tracking_ref on stock.picking (module stock_delivery, or
    /// delivery on 16): deliveries then never carry a tracking number.
    boost::asio::awaitable<Result<std::vector<std::string>>> check_odoo() override;
    /// 10: a burst of validated deliveries reads Odoo in batches of 10 (one stock.picking and
    /// one stock.move read per batch).
    std::size_t default_cohort() const override;
    /// Outgoing deliveries of sale orders that are done; with cancel_on_amazon, also cancelled
    /// sale orders of Amazon.
    std::vector<OdooWatch> odoo_watches() const override;

    struct Impl;

  private:
    std::shared_ptr<Impl> impl_;
};

}  // namespace clarity::flows
