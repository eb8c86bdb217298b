#pragma once
// Settings: every component's options read from a validated ConfigNode, without any I/O. `config
// check` builds it to catch what the schema alone cannot (e.g. a malformed host:port); `run`
// builds it before starting anything.

#include <chrono>
#include <filesystem>
#include <optional>
#include <vector>

#include "clarity/core/config.hpp"
#include "clarity/core/log.hpp"
#include "clarity/flows/engine.hpp"
#include "clarity/mapping/options.hpp"
#include "clarity/mapping/settlement_accounts.hpp"
#include "clarity/net/http_server.hpp"
#include "clarity/store/options.hpp"

namespace clarity::app {

struct DaemonOptions {
    std::chrono::milliseconds shutdown_timeout{std::chrono::seconds(30)};
    std::optional<std::chrono::milliseconds> watchdog_interval;
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
};

/// Loads `file` against root_config_spec() and reads every component's options. Throws
/// core::ConfigError (one line).
Settings load_settings(const std::filesystem::path& file);
/// Reads every component's options from an already validated tree. Throws core::ConfigError.
Settings read_settings(const core::ConfigNode& root);

}  // namespace clarity::app
