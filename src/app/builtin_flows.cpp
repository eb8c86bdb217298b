#include "builtin_flows.hpp"

#include "clarity/flows/fulfillment_status.hpp"
#include "clarity/flows/order_import.hpp"

namespace clarity::app {

namespace {

flows::FlowRegistry make_registry() {
    flows::FlowRegistry r;
    // Declared flows: the config accepts their keys; a flow without a factory is not run (the
    // daemon logs a warning when it is enabled).
    r.add({.name = "order_import",
           .description = "Amazon orders into Odoo sale orders.",
           .spec = flows::order_import_config_spec(),
           .templates = {"order_import"},
           .make = [](flows::ConnectionServices& s) -> std::shared_ptr<flows::Flow> {
               auto options = flows::order_import_options_from_config(s.flow_config);
               options.connection = s.connection;
               return std::make_shared<flows::OrderImportFlow>(
                   flows::OrderImportDeps{s.amazon, s.odoo, s.template_for("order_import"),
                                          s.metrics, s.clock, &s.store},
                   std::move(options));
           }});
    r.add({.name = "fulfillment_status",
           .description = "Odoo deliveries of merchant-fulfilled Amazon orders confirmed on "
                          "Amazon as shipments (docs/shipments.md).",
           .spec = flows::fulfillment_status_config_spec(),
           .templates = {"shipment_confirm"},
           .make = [](flows::ConnectionServices& s) -> std::shared_ptr<flows::Flow> {
               auto options = flows::fulfillment_status_options_from_config(s.flow_config);
               options.connection = s.connection;
               return std::make_shared<flows::FulfillmentStatusFlow>(
                   flows::FulfillmentStatusDeps{s.amazon, s.odoo, s.store,
                                                s.template_for("shipment_confirm"), s.metrics,
                                                s.clock},
                   std::move(options));
           }});
    r.add({.name = "inventory",
           .description = "Odoo stock levels to Amazon (merchant-fulfilled offers)."});
    r.add({.name = "settlement", .description = "Amazon settlement reports into Odoo accounting."});
    // Implemented flows replace their declaration here.
    return r;
}

}  // namespace

const flows::FlowRegistry& builtin_flows() {
    static const flows::FlowRegistry registry = make_registry();
    return registry;
}

}  // namespace clarity::app
