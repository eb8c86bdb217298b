#pragma once
// `clarity-connect mapping ...`: preview what a mapping template produces, writing nothing.
#include <CLI/CLI.hpp>
#include <functional>
#include <string>

#include "clarity/core/config.hpp"

namespace clarity::app {

/// Registers `mapping preview -c FILE --flow FLOW --input FILE [--connection NAME]
/// [--template FILE] [--schema FILE]`. `load_config` loads and validates a configuration file
/// (throwing core::ConfigError). Exit codes: 0 mapped cleanly, 1 the entity has mapping errors,
/// 2 configuration/template/input problems.
void add_mapping_commands(CLI::App& app,
                          std::function<core::ConfigNode(const std::string&)> load_config);

}  // namespace clarity::app
