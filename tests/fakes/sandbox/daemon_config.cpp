#include "sandbox/daemon_config.hpp"

#include <sstream>

// Keys as declared by the components' ConfigSpecs (docs/configuration.md): store, engine, admin,
// log, mapping, connections[].odoo (src/odoo/config.cpp), connections[].amazon with its sqs
// section (src/amazon/config.cpp), connections[].flows (src/app/config_schema.cpp).

namespace clarity::fakes::sandbox {

namespace {

// Double-quoted YAML scalar (our values are printable ASCII).
std::string q(const std::string& s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}

}  // namespace

namespace {

/// One entry of `connections`: the Odoo, the Amazon account of `amazon` (one fake per region)
/// and the order import with its triggers.
void connection(std::ostringstream& y,
                const DaemonConfigOptions& o,
                const std::string& name,
                const char* region,
                const char* marketplaces,
                const sp_api::FakeSpApi& amazon,
                const std::string& odoo_url,
                const odoo::FakeOdooOptions& odoo,
                const std::string& order_import_extra) {
    const auto& ao = amazon.options();
    y << "  - name: " << name << "\n"
      << "    odoo:\n"
      << "      url: " << odoo_url << "\n"
      << "      database: " << q(odoo.database) << "\n"
      << "      username: " << q(odoo.admin_login) << "\n"
      << "      api_key: " << q(odoo.admin_api_key) << "\n"
      << "    amazon:\n"
      << "      region: " << region << "\n"
      << "      seller_id: " << ao.seller_id << "\n"
      << "      marketplaces: [" << marketplaces << "]\n"
      << "      lwa_client_id: " << q(ao.client_id) << "\n"
      << "      lwa_client_secret: " << q(ao.client_secret) << "\n"
      << "      refresh_token: " << q(ao.refresh_token) << "\n"
      << "      endpoint: " << amazon.base_url() << "\n"
      << "      lwa_endpoint: " << amazon.lwa_url() << "\n"
      << "      rate_scale: " << o.rate_scale << "\n";
    if (o.sqs) {
        y << "      sqs:\n"
          << "        queue_url: " << amazon.queue_url() << "\n"
          << "        endpoint: " << amazon.sqs_url() << "\n"
          << "        region: " << ao.aws_region << "\n"
          << "        access_key_id: " << ao.aws_access_key_id << "\n"
          << "        secret_access_key: " << q(ao.aws_secret_access_key) << "\n"
          << "        wait_time: " << o.sqs_wait << "\n";
    }
    // flows.order_import options: the extra YAML (by default the scenario's taxes, shipping and
    // promotion products).
    y << "    flows:\n"
      << "      order_import:\n"
      << "        enabled: true\n"
      << order_import_extra << o.flows_extra << "    triggers:\n"
      << o.triggers_extra << "      orders:\n"
      << "        notifications: " << (o.sqs ? "true" : "false") << "\n"
      << "        sweep: true\n"
      << "        sweep_interval: " << o.sweep_interval << "\n"
      << "        sweep_overlap: 5m\n"
      << "        sweep_retry_delay: 1s\n"
      << "        initial_lookback: 1h\n";
}

}  // namespace

std::string daemon_config(const DaemonConfigOptions& o,
                          const sp_api::FakeSpApi& amazon,
                          const std::string& odoo_url,
                          const odoo::FakeOdooOptions& odoo) {
    std::ostringstream y;
    y << "# Written by clarity-sandbox: the daemon against the sandbox's fake Odoo and fake "
         "SP-API.\n"
      << "# Check it: clarity-connect config check -c <this file>\n"
      << "store:\n  path: " << q(o.store_path) << "\n"
      << o.store_extra << "engine:\n  poll_interval: " << o.poll_interval << "\n"
      << o.engine_extra << "admin:\n  listen: " << o.admin_listen
      << "\n  token: " << q(o.admin_token) << "\n"
      << "log:\n  level: " << o.log_level << "\n"
      << (o.mapping_dir.empty() ? std::string{}
                                : "mapping:\n  directory: " + q(o.mapping_dir) + "\n")
      << o.top_level_extra << "connections:\n";
    connection(y, o, "sandbox", "na", "ATVPDKIKX0DER", amazon, odoo_url, odoo,
               o.order_import_extra);
    if (o.europe != nullptr) {
        connection(y, o, "sandbox-eu", "eu", "A1PA6795UKMFR9, A13V1IB3VIYZZH, A1F83G8C2ARO7P",
                   *o.europe, odoo_url, odoo, o.europe_order_import_extra);
    }
    return y.str();
}

}  // namespace clarity::fakes::sandbox
