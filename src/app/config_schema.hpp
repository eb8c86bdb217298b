#pragma once
// The root configuration schema: process-wide sections (store, admin, log, daemon) plus the
// `connections` list, composed from the components' own specs. `config schema` renders it as the
// Markdown reference committed as docs/configuration.md.

#include <string>

#include "clarity/core/config.hpp"
#include "clarity/flows/registry.hpp"

namespace clarity::app {

/// `daemon`: process-wide run settings (shutdown deadline, systemd watchdog).
core::ConfigSpec daemon_config_spec();

/// One entry of `connections`: name, odoo, amazon, marketplaces, flows.
core::ConfigSpec connection_config_spec();

/// `connections[].flows`: a section per flow of `registry`.
core::ConfigSpec flows_config_spec(const flows::FlowRegistry& registry);

/// The whole file.
core::ConfigSpec root_config_spec();

/// The Markdown reference of `spec` (docs/configuration.md is `render_config_reference(root)`).
std::string render_config_reference(const core::ConfigSpec& spec);

}  // namespace clarity::app
