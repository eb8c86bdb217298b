#pragma once
/// \file
/// Configuration: each component declares its keys in a `ConfigSpec` (name, type, default,
/// description, secret); the loader (app/config_loader) validates the YAML file against the specs
/// and produces a `ConfigNode` tree from which components read typed values. Components read their
/// node once, in their factory (`from_config`), into a plain options struct.

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "clarity/core/secret.hpp"

namespace clarity::core {

enum class ConfigType {
    string,
    integer,
    boolean,
    duration,      ///< "250ms", "30s", "10m", "2h", "30d"
    decimal,       ///< exact decimal text, e.g. "0.01"
    secret,        ///< "${ENV}", "file:/path" or a literal; printed as ***
    string_list,   ///< YAML sequence of scalars
    string_map,    ///< YAML mapping of scalar to scalar (free keys, e.g. a value map)
    /// YAML mapping whose values are scalars or mappings of scalar to scalar (free keys at both
    /// levels), e.g. `{A1PA6795UKMFR9: {FR: "FR VAT 20%", default: "DE VAT 19%"}, default: x}`.
    string_tree,
    section,       ///< nested mapping with its own keys
    section_list,  ///< sequence of nested mappings with the same keys
};

std::string_view to_string(ConfigType type) noexcept;

/// One declared key. Use designated initializers:
/// `spec.add({.name = "path", .type = ConfigType::string, .description = "...", .default_value = "x"})`.
struct ConfigKey {
    std::string name;
    ConfigType type = ConfigType::string;
    std::string description;
    /// YAML text of the default; nullopt and !required = may be absent (`has()` is false).
    std::optional<std::string> default_value;
    bool required = false;
    std::vector<std::string> allowed;  ///< allowed values of a string key (empty = any)
    std::vector<ConfigKey> children;   ///< keys of a section / section_list
};

/// One value of a `string_tree` key: a string, or (is_map) a mapping of strings to strings.
struct StringTreeValue {
    std::string text;                        ///< the string (when !is_map)
    std::map<std::string, std::string> map;  ///< the mapping (when is_map)
    bool is_map = false;
    friend bool operator==(const StringTreeValue&, const StringTreeValue&) = default;
};
using StringTree = std::map<std::string, StringTreeValue>;

/// The keys of one component's section.
class ConfigSpec {
public:
    ConfigSpec& add(ConfigKey key);
    /// A nested section whose keys are `children`' keys.
    ConfigSpec& add_section(std::string name, std::string description, const ConfigSpec& children,
                            bool required = false);
    /// A list of sections (e.g. connections), each with `children`' keys.
    ConfigSpec& add_section_list(std::string name, std::string description,
                                 const ConfigSpec& children, bool required = false);
    const std::vector<ConfigKey>& keys() const noexcept { return keys_; }
    const ConfigKey* find(std::string_view name) const noexcept;

private:
    std::vector<ConfigKey> keys_;
};

/// Thrown by the loader and by typed parsing: a message of the form
/// `file:line:column: key.path: reason`.
class ConfigError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Parses "250ms", "30s", "10m", "2h", "1d" (and a bare integer of seconds). Throws ConfigError.
std::chrono::milliseconds parse_duration(std::string_view text);
/// true/false/yes/no/on/off (any case). Throws ConfigError.
bool parse_bool(std::string_view text);
/// Decimal integer with optional sign. Throws ConfigError.
std::int64_t parse_int(std::string_view text);

/// A validated, immutable configuration subtree; cheap to copy (shared). Reading a key that the
/// spec does not declare, or of the wrong type, is a programmer error and throws std::logic_error.
class ConfigNode {
public:
    ConfigNode();
    /// Dotted path of this node from the root ("connections[0].odoo"), for messages.
    const std::string& path() const noexcept;

    bool has(std::string_view key) const;
    std::string get_string(std::string_view key) const;
    std::int64_t get_int(std::string_view key) const;
    bool get_bool(std::string_view key) const;
    std::chrono::milliseconds get_duration(std::string_view key) const;
    std::string get_decimal(std::string_view key) const;
    Secret get_secret(std::string_view key) const;
    std::vector<std::string> get_string_list(std::string_view key) const;
    std::map<std::string, std::string> get_string_map(std::string_view key) const;
    StringTree get_string_tree(std::string_view key) const;
    ConfigNode section(std::string_view key) const;
    std::vector<ConfigNode> sections(std::string_view key) const;

    /// Where `key` was written, for the messages of checks made after loading:
    /// "file:line:column: path.key" with the position of the key's value. `key` may name a list
    /// item or a map entry ("marketplaces[1]", "pricelists.DE"). For a key left to its default
    /// (or unknown here) the position is this section's; a node built in code has none, and the
    /// result is just "path.key". An empty `key` names the section itself.
    std::string where(std::string_view key) const;
    /// Throws ConfigError("<where(key)>: <reason>").
    [[noreturn]] void fail(std::string_view key, const std::string& reason) const;

    // Building (used by the loader and by tests).
    explicit ConfigNode(std::string path);
    ConfigNode& set(std::string key, std::string scalar_text);
    ConfigNode& set_secret(std::string key, Secret value);
    ConfigNode& set_list(std::string key, std::vector<std::string> values);
    ConfigNode& set_map(std::string key, std::map<std::string, std::string> values);
    ConfigNode& set_tree(std::string key, StringTree values);
    ConfigNode& set_section(std::string key, ConfigNode child);
    ConfigNode& add_to_section_list(std::string key, ConfigNode child);
    /// Records where `key` (or "key[i]", "key.entry") was written: "file:line:column".
    ConfigNode& set_position(std::string key, std::string position);
    /// Records where this section was written (or, for a section left to its defaults, the
    /// position of its parent).
    ConfigNode& set_own_position(std::string position);
    /// Keys present in this node (scalars, lists, maps, sections), sorted.
    std::vector<std::string> keys() const;

private:
    struct Data;
    std::shared_ptr<Data> data_;
    const std::string& scalar(std::string_view key) const;
};

}  // namespace clarity::core
