#include "settings.hpp"

#include "config_loader.hpp"
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
    // MERGE: store::StoreOptions::from_config(root.section("store")) replaces this.
    s.store_path = root.section("store").get_string("path");
    // MERGE: per connection, odoo/amazon/flows options are read here (from_config) so that
    // `config check` reports their errors without connecting anywhere.
    s.connections = root.sections("connections");
    return s;
}

Settings load_settings(const std::filesystem::path& file) {
    return read_settings(load_config(file, root_config_spec()));
}

}  // namespace clarity::app
