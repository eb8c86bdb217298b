#pragma once
// Settings: every component's options read from a validated ConfigNode, without any I/O. `config
// check` builds it to catch what the schema alone cannot (e.g. a malformed host:port); `run`
// builds it before starting anything.

#include <chrono>
#include <filesystem>
#include <optional>
#include <vector>

#include "clarity/amazon/config.hpp"
#include "clarity/core/config.hpp"
#include "clarity/core/log.hpp"
#include "clarity/flows/engine.hpp"
#include "clarity/flows/odoo_watch.hpp"
#include "clarity/flows/order_jobs.hpp"
#include "clarity/flows/order_triggers.hpp"
#include "clarity/flows/registry.hpp"
#include "clarity/mapping/options.hpp"
#include "clarity/mapping/settlement_accounts.hpp"
#include "clarity/net/circuit_breaker.hpp"
#include "clarity/net/http_client.hpp"
#include "clarity/net/http_server.hpp"
#include "clarity/odoo/client.hpp"
#include "clarity/store/options.hpp"

namespace clarity::app {

struct DaemonOptions {
    std::chrono::milliseconds shutdown_timeout{std::chrono::seconds(30)};
    std::optional<std::chrono::milliseconds> watchdog_interval;
};

/// One entry of `connections`, read.
struct ConnectionSettings {
    std::string name;
    core::ConfigNode node;  ///< connections[i]
    odoo::OdooOptions odoo;
    amazon::AmazonOptions amazon;
    mapping::MappingOptions mapping;         ///< root defaults merged with the connection's
    std::vector<std::string> enabled_flows;  ///< flows.<name>.enabled, in registry order
    flows::OrderTriggerOptions order_triggers;
    flows::OdooWatchOptions odoo_watch;  ///< triggers.odoo

    bool flow_enabled(std::string_view flow) const;
    /// triggers.orders.enabled, or (unset) whether order_import is enabled.
    bool order_triggers_on() const;
};

struct Settings {
    core::ConfigNode root;  ///< the whole validated tree, for components read later in wiring
    core::LogOptions log;
    net::HttpServerOptions admin;
    DaemonOptions daemon;
    store::StoreOptions store;
    flows::EngineOptions engine;
    mapping::MappingOptions mapping;
    mapping::SettlementOptions settlement;
    std::vector<core::ConfigNode> connections;
    std::vector<ConnectionSettings> connection_settings;  ///< the same entries, read
    net::HttpClientOptions http;
    net::CircuitBreakerOptions circuit_breaker;
    /// Directory of the configuration file (relative mapping paths resolve against it).
    std::filesystem::path base_dir = ".";
    /// Installed template directories searched after base_dir's when `mapping.directory` is not
    /// set (load_settings fills them: install_dirs.hpp).
    std::vector<std::filesystem::path> installed_template_dirs;

    const ConnectionSettings* connection(std::string_view name) const;
};

/// Loads `file` against root_config_spec() and reads every component's options. Throws
/// core::ConfigError (one line).
Settings load_settings(const std::filesystem::path& file);
/// Reads every component's options from an already validated tree. Throws core::ConfigError.
Settings read_settings(const core::ConfigNode& root);

/// What `run` needs from the file system, checked without creating anything, so `config check`
/// (systemd's ExecStartPre) refuses what `run` would: the store's directory exists and new files
/// can be created in it, an existing database file opens for writing, every configured mapping
/// directory and template file exists, and the template of each enabled flow loads. Throws
/// core::ConfigError (with the key's file:line:column) or mapping::TemplateError.
void check_files(const Settings& settings);

}  // namespace clarity::app
