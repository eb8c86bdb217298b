#pragma once
/// \file
/// The daemon configuration (YAML) that points clarity-connect at a fake SP-API (LWA, SQS) and a
/// fake Odoo: written by clarity-sandbox and by the end-to-end tests. Valid for
/// `clarity-connect config check`.

#include <string>

#include "odoo/fake_odoo.hpp"
#include "sp_api/fake_sp_api.hpp"

namespace clarity::fakes::sandbox {

struct DaemonConfigOptions {
    std::string store_path;  ///< absolute SQLite path
    std::string
        mapping_dir;  ///< absolute directory of the templates; empty: no `mapping:` (look-up)
    std::string admin_listen = "127.0.0.1:0";
    std::string admin_token = "sandbox-admin-token";
    double rate_scale = 1;        ///< amazon.rate_scale (the fake's speed_up)
    std::string sqs_wait = "1s";  ///< amazon.sqs.wait_time
    std::string log_level = "info";
    std::string poll_interval = "200ms";  ///< engine.poll_interval
    bool sqs = true;                      ///< configure the SQS queue (notifications)
    std::string sweep_interval = "30s";   ///< triggers.orders.sweep_interval
    /// YAML appended under the order_import flow (indented 8 spaces), e.g. trigger settings.
    std::string order_import_extra =
        "        taxes: {ATVPDKIKX0DER: \"15%\"}\n"
        "        shipping_product: SHIP\n"
        "        discount_product: PROMO\n"
        "        afn_tracking_report: false\n";
    /// A second fake SP-API serving the European orders (seed_amazon's `europe`): adds the
    /// connection `sandbox-eu` (region eu: amazon.de, amazon.fr, amazon.co.uk) with its own SQS
    /// queue, against the same Odoo. nullptr: one connection.
    const sp_api::FakeSpApi* europe = nullptr;
    /// YAML appended under the eu connection's order_import flow (indented 8 spaces): the
    /// price-included VAT by marketplace and, for amazon.de, by ship-to country (EU one-stop
    /// shop); pricelists are the one active pricelist per currency (scenario.hpp seed_odoo).
    std::string europe_order_import_extra =
        "        taxes:\n"
        "          A1PA6795UKMFR9: {FR: \"FR VAT 20% incl\", default: \"DE VAT 19% incl\"}\n"
        "          A13V1IB3VIYZZH: \"FR VAT 20% incl\"\n"
        "          A1F83G8C2ARO7P: \"UK VAT 20% incl\"\n"
        "        shipping_product: SHIP\n"
        "        discount_product: PROMO\n"
        "        afn_tracking_report: false\n";
    /// YAML appended under each connection's `flows:` (indented 6 spaces), e.g. the
    /// fulfillment_status flow, and under its `triggers:` (indented 6 spaces), e.g. `odoo:`.
    std::string flows_extra;
    std::string triggers_extra;
    /// YAML appended under `store:` (indented 2 spaces), e.g. a retry section.
    std::string store_extra;
    /// YAML appended under `engine:` (indented 2 spaces), e.g. max_in_flight.
    std::string engine_extra;
    /// YAML appended at the top level.
    std::string top_level_extra;
};

std::string daemon_config(const DaemonConfigOptions& options,
                          const sp_api::FakeSpApi& amazon,
                          const std::string& odoo_url,
                          const odoo::FakeOdooOptions& odoo);

}  // namespace clarity::fakes::sandbox
