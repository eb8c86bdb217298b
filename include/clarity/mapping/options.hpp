#pragma once
/// \file
/// Configuration of the mapping templates, as a `mapping:` section at the root (defaults for
/// every connection) and optionally inside each connection (its overrides):
///
///     mapping:
///       directory: config/mapping          # default templates: <directory>/<flow>.yaml
///       templates:                         # per-flow override files
///         order_import: mapping/acme_orders.yaml
///
/// Relative paths are resolved against the configuration file's directory.

#include <filesystem>
#include <map>
#include <string>

#include "clarity/core/config.hpp"

namespace clarity::mapping {

struct MappingOptions {
    std::string directory = "config/mapping";
    std::map<std::string, std::string> templates;  ///< flow → template file

    /// The template file for `flow`, resolved against `base_dir` when relative.
    std::filesystem::path template_for(const std::string& flow,
                                       const std::filesystem::path& base_dir) const;
};

/// Keys of a `mapping:` section.
core::ConfigSpec mapping_config_spec();

/// Reads a `mapping:` section (validated against mapping_config_spec()).
MappingOptions mapping_options_from_config(const core::ConfigNode& node);

/// `connection` overrides `defaults` flow by flow (and its directory, when set).
MappingOptions merge_options(const MappingOptions& defaults, const MappingOptions& connection);

}  // namespace clarity::mapping
