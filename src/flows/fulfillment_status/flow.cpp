#include <nlohmann/json.hpp>
#include <stdexcept>

#include "clarity/amazon/feeds_api.hpp"
#include "clarity/flows/odoo_watch.hpp"
#include "common/coalescer.hpp"
#include "fulfillment_status/steps.hpp"

// The flow's face to the engine (Flow): run, prepare, check_odoo, odoo_watches; its settings and
// its state (Impl).

namespace clarity::flows {

namespace asio = boost::asio;

core::ConfigSpec fulfillment_status_config_spec() {
    using core::ConfigType;
    core::ConfigSpec spec;
    spec.add({.name = "require_tracking",
              .type = ConfigType::boolean,
              .description = "A delivery validated without a tracking number waits until one is "
                             "added in Odoo (false: it is confirmed with the delivery's reference "
                             "as the tracking number, since Amazon requires one).",
              .default_value = "true"});
    spec.add({.name = "tracking_recheck",
              .type = ConfigType::duration,
              .description = "How often a delivery waiting for its tracking number is read again "
                             "when neither the watcher nor the webhook reports a change.",
              .default_value = "10m"});
    spec.add({.name = "ship_from_supply_source_id",
              .type = ConfigType::string,
              .description = "Amazon supply source id of the ship-from address "
                             "(shipFromSupplySourceId of confirmShipment); unset: none."});
    spec.add({.name = "cancel_on_amazon",
              .type = ConfigType::boolean,
              .description = "Cancel on Amazon the merchant-fulfilled Amazon orders cancelled in "
                             "Odoo before they shipped (order acknowledgement feed).",
              .default_value = "false"});
    spec.add({.name = "cancel_reason",
              .type = ConfigType::string,
              .description = "The cancellation-reason-code Amazon is given (the buyer sees it).",
              .default_value = "NoInventory",
              .allowed = amazon::cancellation_reason_codes()});
    spec.add({.name = "cancel_check_interval",
              .type = ConfigType::duration,
              .description = "How often a sent cancellation is checked until Amazon has processed "
                             "its feed (usually minutes).",
              .default_value = "1m"});
    return spec;
}

FulfillmentStatusOptions fulfillment_status_options_from_config(const core::ConfigNode& node) {
    FulfillmentStatusOptions o;
    o.require_tracking = node.get_bool("require_tracking");
    o.tracking_recheck = node.get_duration("tracking_recheck");
    if (o.tracking_recheck < std::chrono::seconds(1))
        node.fail("tracking_recheck", "must be at least 1s");
    if (node.has("ship_from_supply_source_id"))
        o.ship_from_supply_source_id = node.get_string("ship_from_supply_source_id");
    o.cancel_on_amazon = node.get_bool("cancel_on_amazon");
    o.cancel_reason = node.get_string("cancel_reason");
    o.cancel_check_interval = node.get_duration("cancel_check_interval");
    if (o.cancel_check_interval < std::chrono::seconds(1))
        node.fail("cancel_check_interval", "must be at least 1s");
    return o;
}

std::string shipment_job_payload(std::int64_t picking_id, std::string_view source) {
    return nlohmann::json{{"picking", picking_id}, {"source", source}}.dump();
}

std::string cancellation_job_payload(std::int64_t sale_order_id, std::string_view source) {
    return nlohmann::json{{"sale_order", sale_order_id}, {"source", source}}.dump();
}

FulfillmentStatusFlow::Impl::Impl(FulfillmentStatusDeps d, FulfillmentStatusOptions o)
    : deps(std::move(d)),
      opt(std::move(o)),
      dead_letter(deps.metrics,
                  opt.connection,
                  "clarity_shipments_failed_total",
                  "Deliveries dead-lettered by the shipment confirmation, by reason (a person "
                  "must act).",
                  "flows.fulfillment_status") {}

FulfillmentStatusFlow::Impl::~Impl() = default;

core::Counter& FulfillmentStatusFlow::Impl::counter(const std::string& name,
                                                    const std::string& help,
                                                    core::Labels extra) {
    core::Labels labels{{"connection", opt.connection}};
    for (auto& l : extra) labels.push_back(std::move(l));
    return deps.metrics.counter(name, help, labels);
}

FulfillmentStatusFlow::FulfillmentStatusFlow(FulfillmentStatusDeps deps,
                                             FulfillmentStatusOptions options) {
    if (!deps.shipment_template)
        throw std::invalid_argument("FulfillmentStatusFlow needs a shipment_confirm template");
    impl_ = std::make_shared<Impl>(std::move(deps), std::move(options));
    fulfillment_status::make_coalescers(*impl_);
}

FulfillmentStatusFlow::~FulfillmentStatusFlow() = default;

std::string_view FulfillmentStatusFlow::name() const { return kFulfillmentStatusFlow; }

asio::awaitable<Result<void>> FulfillmentStatusFlow::run(JobContext& context) {
    return fulfillment_status::run_job(impl_, &context);
}

std::size_t FulfillmentStatusFlow::default_cohort() const { return fulfillment_status::kCohort; }

namespace {

/// The job of one changed record of `model` (entity "<model>:<id>"), `payload` from its id. Saved,
/// then validated (or cancelled) in the same second are two changes: the state joins the key.
OdooWatch watch(std::string model,
                std::string (*payload)(std::int64_t, std::string_view),
                bool hurry) {
    OdooWatch w;
    w.flow = std::string(kFulfillmentStatusFlow);
    w.model = model;
    w.key_fields = {"state"};
    w.make_job = [model, payload, hurry](const OdooChange& c) {
        store::NewJob job;
        job.connection = c.connection;
        job.flow = std::string(kFulfillmentStatusFlow);
        job.idempotency_key = odoo_change_key(c);
        job.entity_key = model + ":" + std::to_string(c.id);
        job.payload = payload(c.id, c.source);
        job.hurry_entity = hurry;
        return job;
    };
    return w;
}

}  // namespace

std::vector<OdooWatch> FulfillmentStatusFlow::odoo_watches() const {
    // A delivery waiting for its tracking number runs again at once when it changes.
    OdooWatch deliveries = watch("stock.picking", shipment_job_payload, /*hurry=*/true);
    deliveries.domain.where("state", "=", "done");
    deliveries.domain.where("picking_type_code", "=", "outgoing");
    deliveries.domain.where("sale_id", "!=", false);
    std::vector<OdooWatch> out{std::move(deliveries)};
    if (impl_->opt.cancel_on_amazon) {
        OdooWatch cancelled = watch("sale.order", cancellation_job_payload, /*hurry=*/false);
        cancelled.domain.where("state", "=", "cancel");
        cancelled.domain.where("client_order_ref", "!=", false);
        out.push_back(std::move(cancelled));
    }
    return out;
}

namespace fulfillment_status {

asio::awaitable<Result<void>> prepare_flow(std::shared_ptr<Impl> impl) {
    {
        std::lock_guard lock(impl->mu);
        if (impl->prepared) co_return Result<void>{};
    }
    auto& odoo = impl->deps.odoo;
    int major = odoo.schema().version.major;
    if (major == 0) {
        auto v = co_await odoo.version();
        if (!v) co_return v.error();
        major = v->major;
    }
    auto fields = co_await odoo.fields_get("stock.picking");
    if (!fields) co_return fields.error();
    std::lock_guard lock(impl->mu);
    impl->major = major;
    impl->has_carrier = fields->has("carrier_id");
    impl->has_tracking_ref = fields->has("carrier_tracking_ref");
    impl->has_packages_field = fields->has("has_packages");
    impl->prepared = true;
    co_return Result<void>{};
}

}  // namespace fulfillment_status

asio::awaitable<Result<void>> FulfillmentStatusFlow::prepare() {
    return fulfillment_status::prepare_flow(impl_);
}

asio::awaitable<Result<std::vector<std::string>>> FulfillmentStatusFlow::check_odoo() {
    auto impl = impl_;
    std::vector<std::string> out;
    auto prepared = co_await fulfillment_status::prepare_flow(impl);
    if (!prepared) co_return prepared.error();
    if (!impl->has_tracking_ref) {
        out.push_back(
            "flows.fulfillment_status: Odoo's deliveries (stock.picking) have no "
            "carrier_tracking_ref: install the module stock_delivery (Odoo 17+; 'delivery' on "
            "16), or every delivery waits for a tracking number it can never get" +
            std::string(impl->opt.require_tracking ? ""
                                                   : " (require_tracking is off: each is "
                                                     "confirmed with its reference instead)"));
    }
    if (!impl->has_carrier) {
        out.push_back(
            "flows.fulfillment_status: Odoo's deliveries have no carrier (carrier_id, module "
            "stock_delivery): every delivery is dead-lettered as having no carrier");
    }
    co_return out;
}

}  // namespace clarity::flows
