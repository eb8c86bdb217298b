#pragma once
// `clarity-connect queue stats|list|show ID|dead|replay|purge -c FILE`: inspect and repair the
// durable queue. Works while the daemon runs (a second process on the same database file).

#include <CLI/CLI.hpp>
#include <functional>
#include <string>

#include "clarity/core/config.hpp"

namespace clarity::app {

/// Registers the `queue` command group. `load_config` reads and validates the file given with -c
/// and returns the root node (its `store` section configures the store). Subcommand callbacks
/// print to stdout/stderr and exit via CLI::RuntimeError(code) (1 runtime failure, 2 bad usage).
void add_queue_commands(
    CLI::App& app, std::function<core::ConfigNode(const std::string& config_path)> load_config);

}  // namespace clarity::app
