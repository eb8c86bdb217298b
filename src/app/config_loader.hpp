#pragma once
// The YAML configuration loader: validates one file against the root ConfigSpec and builds the
// ConfigNode tree that components read their options from. Private to src/app (yaml-cpp stays
// here).

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

#include "clarity/core/config.hpp"

namespace clarity::app {

/// Loads, validates and resolves `file` against `root`:
/// - rejects malformed YAML, unknown keys (with a "did you mean" hint), duplicate keys, wrong
///   types, values outside a key's allowed set, missing required keys;
/// - applies declared defaults (absent sections are created with their defaults);
/// - resolves secrets: `${ENV_VAR}`, `file:/path` (trailing newline removed) or a literal.
/// Throws core::ConfigError whose message is `file:line:column: key.path: reason` (one line; a
/// secret's value never appears in it).
core::ConfigNode load_config(const std::filesystem::path& file, const core::ConfigSpec& root);

/// Same as load_config, from YAML text; `source_name` stands for the file name in messages.
core::ConfigNode load_config_text(std::string_view yaml,
                                  const std::string& source_name,
                                  const core::ConfigSpec& root);

/// The effective configuration as YAML (defaults applied), secrets printed as ***, every other
/// string value as `show` returns it (unset: as it is). For `config check --print` and support
/// requests.
std::string dump_config(const core::ConfigNode& node,
                        const core::ConfigSpec& spec,
                        const std::function<std::string(const std::string&)>& show = {});

}  // namespace clarity::app
