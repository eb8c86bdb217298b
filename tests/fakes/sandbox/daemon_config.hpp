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
    /// YAML appended under `store:` (indented 2 spaces), e.g. a retry section.
    std::string store_extra;
    /// YAML appended at the top level.
    std::string top_level_extra;
};

std::string daemon_config(const DaemonConfigOptions& options,
                          const sp_api::FakeSpApi& amazon,
                          const std::string& odoo_url,
                          const odoo::FakeOdooOptions& odoo);

}  // namespace clarity::fakes::sandbox
