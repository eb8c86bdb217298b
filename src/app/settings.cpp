#include "settings.hpp"

#include "builtin_flows.hpp"
#include "clarity/amazon/config.hpp"
#include "clarity/flows/order_import.hpp"
#include "clarity/net/http_client.hpp"
#include "clarity/odoo/client.hpp"
#include "config_loader.hpp"
#include "config_schema.hpp"
#include "install_dirs.hpp"

namespace clarity::app {

Settings read_settings(const core::ConfigNode& root) {
    Settings s;
    s.root = root;
    s.log = core::log_options_from_config(root.section("log"));
    s.admin = net::http_server_options_from_config(root.section("admin"));
    const auto daemon = root.section("daemon");
    s.daemon.shutdown_timeout = daemon.get_duration("shutdown_timeout");
    if (daemon.has("watchdog_interval")) {
        s.daemon.watchdog_interval = daemon.get_duration("watchdog_interval");
        if (*s.daemon.watchdog_interval <= std::chrono::milliseconds::zero()) {
            throw core::ConfigError("daemon.watchdog_interval: must be greater than 0");
        }
    }
    s.store = store::store_options_from_config(root.section("store"));
    s.engine = flows::engine_options_from_config(root.section("engine"));
    auto known_flow = [](const std::string& key, const std::string& flow) {
        if (builtin_flows().find(flow) != nullptr) return;
        std::string names;
        for (const auto& e : builtin_flows().entries())
            names += (names.empty() ? "" : ", ") + e.name;
        throw core::ConfigError("engine." + key + "." + flow + ": no flow named '" + flow +
                                "' (flows: " + names + ")");
    };
    for (const auto& [flow, n] : s.engine.flow_concurrency) known_flow("flow_concurrency", flow);
    for (const auto& [flow, d] : s.engine.flow_deadline) {
        known_flow("flow_deadline", flow);
        if (d >= s.store.lease) {
            throw core::ConfigError("engine.flow_deadline." + flow +
                                    ": must be below store.lease (" +
                                    std::to_string(s.store.lease.count() / 1000) +
                                    "s): a run outliving its lease could be claimed twice");
        }
    }
    s.mapping = mapping::mapping_options_from_config(root.section("mapping"));
    s.settlement = mapping::settlement_options_from_config(root.section("settlement"));
    // MERGE: per connection, odoo/amazon/flows options are read here (from_config) so that
    // `config check` reports their errors without connecting anywhere.
    s.connections = root.sections("connections");
    s.http = net::http_client_options_from_config(root.section("http"));
    for (const auto& connection : s.connections) {
        // Read (and so validate) each connector's options offline, for `config check`.
        ConnectionSettings c;
        c.node = connection;
        c.name = connection.get_string("name");
        for (const auto& other : s.connection_settings) {
            if (other.name == c.name) {
                throw core::ConfigError(connection.path() + ".name: '" + c.name +
                                        "' is used by another connection");
            }
        }
        c.odoo = odoo::from_config(connection.section("odoo"));
        c.amazon = amazon::from_config(connection.section("amazon"));
        c.mapping = mapping::merge_options(
            s.mapping, mapping::mapping_options_from_config(connection.section("mapping")));
        c.order_triggers = flows::order_trigger_options_from_config(
            connection.section("triggers").section("orders"));
        const auto flows = connection.section("flows");
        for (const auto& entry : builtin_flows().entries()) {
            if (flows.has(entry.name) && flows.section(entry.name).get_bool("enabled")) {
                c.enabled_flows.push_back(entry.name);
            }
        }
        // The order import's own keys (tax map, pricelists, ...), as `run` reads them.
        if (c.flow_enabled(flows::kOrderImportFlow)) {
            (void)flows::order_import_options_from_config(
                flows.section(std::string(flows::kOrderImportFlow)));
        }
        s.connection_settings.push_back(std::move(c));
        for (const auto& flow : flows.keys()) {
            const auto retry = flows.section(flow).section("retry");
            if (retry.keys().empty()) continue;
            // Keys left out keep store.retry's values.
            core::ConfigNode merged(retry.path());
            const auto defaults = root.section("store").section("retry");
            for (const auto& key : {"base", "cap", "max_attempts"}) {
                merged.set(key, retry.has(key) ? retry.get_string(key) : defaults.get_string(key));
            }
            s.store.retry_by_flow[flow] = core::backoff_from_config(merged);
        }
    }
    return s;
}

Settings load_settings(const std::filesystem::path& file) {
    Settings s = read_settings(load_config(file, root_config_spec()));
    s.base_dir = std::filesystem::absolute(file).parent_path();
    s.installed_template_dirs = installed_template_dirs();
    return s;
}

bool ConnectionSettings::flow_enabled(std::string_view flow) const {
    for (const auto& f : enabled_flows) {
        if (f == flow) return true;
    }
    return false;
}

bool ConnectionSettings::order_triggers_on() const {
    if (order_triggers.enabled) return *order_triggers.enabled;
    return flow_enabled(flows::kOrderImportFlow);
}

const ConnectionSettings* Settings::connection(std::string_view name) const {
    for (const auto& c : connection_settings) {
        if (c.name == name) return &c;
    }
    return nullptr;
}

}  // namespace clarity::app
