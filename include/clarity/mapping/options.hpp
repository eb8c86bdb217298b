#pragma once
/// \file
/// Configuration of the mapping templates, as a `mapping:` section at the root (defaults for
/// every connection) and optionally inside each connection (its overrides):
///
///     mapping:
///       directory: /etc/clarity-connect/mapping   # default templates: <directory>/<flow>.yaml
///       templates:                                # per-flow override files
///         order_import: mapping/acme_orders.yaml
///
/// Relative paths are resolved against the configuration file's directory. Without
/// `directory`, each flow's template is looked up in order (the first that exists wins):
/// `<config dir>/mapping/`, `<config dir>/config/mapping/` (a configuration at the repository's
/// root), then the installed directories the application passes (next to the executable,
/// `<exe dir>/../share/clarity-connect/mapping/`, then the build's install prefix).

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "clarity/core/config.hpp"

namespace clarity::mapping {

struct MappingOptions {
    std::string directory;                         ///< empty: the default look-up (above)
    std::map<std::string, std::string> templates;  ///< flow → template file

    /// The template file for `flow`: its `templates` entry, or `<directory>/<flow>.yaml`, resolved
    /// against `base_dir` when relative; without `directory`, the first existing file among
    /// default_template_dirs(base_dir, installed_dirs). Throws TemplateError naming every
    /// directory looked in when the default look-up finds none.
    std::filesystem::path template_for(
        const std::string& flow,
        const std::filesystem::path& base_dir,
        const std::vector<std::filesystem::path>& installed_dirs = {}) const;
};

/// The directories searched, in order, for `<flow>.yaml` when `mapping.directory` is not set:
/// `base_dir/mapping`, `base_dir/config/mapping`, then `installed_dirs`.
std::vector<std::filesystem::path> default_template_dirs(
    const std::filesystem::path& base_dir,
    const std::vector<std::filesystem::path>& installed_dirs);

/// Keys of a `mapping:` section.
core::ConfigSpec mapping_config_spec();

/// Reads a `mapping:` section (validated against mapping_config_spec()).
MappingOptions mapping_options_from_config(const core::ConfigNode& node);

/// `connection` overrides `defaults` flow by flow (and its directory, when set).
MappingOptions merge_options(const MappingOptions& defaults, const MappingOptions& connection);

}  // namespace clarity::mapping
