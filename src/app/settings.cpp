#include "settings.hpp"

#include "config_loader.hpp"
#include "clarity/amazon/config.hpp"
#include "clarity/net/http_client.hpp"
#include "clarity/odoo/client.hpp"
#include "config_schema.hpp"

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
    s.mapping = mapping::mapping_options_from_config(root.section("mapping"));
    s.settlement = mapping::settlement_options_from_config(root.section("settlement"));
    // MERGE: per connection, odoo/amazon/flows options are read here (from_config) so that
    // `config check` reports their errors without connecting anywhere.
    s.connections = root.sections("connections");
    (void)net::http_client_options_from_config(root.section("http"));
    for (const auto& connection : s.connections) {
        // Read (and so validate) each connector's options offline, for `config check`.
        (void)odoo::from_config(connection.section("odoo"));
        (void)amazon::from_config(connection.section("amazon"));
        const auto flows = connection.section("flows");
        for (const auto& flow : flows.keys()) {
            const auto retry = flows.section(flow).section("retry");
            if (retry.keys().empty()) continue;
            // Keys left out keep store.retry's values.
            core::ConfigNode merged(retry.path());
            const auto defaults = root.section("store").section("retry");
            for (const auto& key : {"base", "cap", "max_attempts"}) {
                merged.set(key, retry.has(key) ? retry.get_string(key) : defaults.get_string(key));
            }
            s.store.retry_by_flow[flow] = store::retry_policy_from_config(merged);
        }
    }
    return s;
}

Settings load_settings(const std::filesystem::path& file) {
    return read_settings(load_config(file, root_config_spec()));
}

}  // namespace clarity::app
