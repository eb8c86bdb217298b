#include "clarity/core/config.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <variant>

namespace clarity::core {

std::string_view to_string(ConfigType type) noexcept {
    switch (type) {
        case ConfigType::string:
            return "string";
        case ConfigType::integer:
            return "integer";
        case ConfigType::boolean:
            return "boolean";
        case ConfigType::duration:
            return "duration";
        case ConfigType::decimal:
            return "decimal";
        case ConfigType::secret:
            return "secret";
        case ConfigType::string_list:
            return "list of strings";
        case ConfigType::string_map:
            return "map of strings";
        case ConfigType::string_tree:
            return "map of strings or of maps of strings";
        case ConfigType::section:
            return "section";
        case ConfigType::section_list:
            return "list of sections";
    }
    return "unknown";
}

ConfigSpec& ConfigSpec::add(ConfigKey key) {
    if (find(key.name) != nullptr) {
        throw std::logic_error("config spec declares '" + key.name + "' twice");
    }
    keys_.push_back(std::move(key));
    return *this;
}

ConfigSpec& ConfigSpec::add_section(std::string name,
                                    std::string description,
                                    const ConfigSpec& children,
                                    bool required) {
    return add({.name = std::move(name),
                .type = ConfigType::section,
                .description = std::move(description),
                .required = required,
                .children = children.keys()});
}

ConfigSpec& ConfigSpec::add_section_list(std::string name,
                                         std::string description,
                                         const ConfigSpec& children,
                                         bool required) {
    return add({.name = std::move(name),
                .type = ConfigType::section_list,
                .description = std::move(description),
                .required = required,
                .children = children.keys()});
}

const ConfigKey* ConfigSpec::find(std::string_view name) const noexcept {
    auto it = std::find_if(keys_.begin(), keys_.end(),
                           [&](const ConfigKey& k) { return k.name == name; });
    return it == keys_.end() ? nullptr : &*it;
}

std::chrono::milliseconds parse_duration(std::string_view text) {
    if (text.empty()) throw ConfigError("empty duration");
    std::int64_t n = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (ec != std::errc{} || n < 0) {
        throw ConfigError("'" + std::string(text) +
                          "' is not a duration (e.g. 250ms, 30s, 10m, 2h, 1d)");
    }
    std::string_view unit(ptr, text.data() + text.size() - ptr);
    std::int64_t ms_per_unit = 0;
    if (unit.empty() || unit == "s") ms_per_unit = 1000;
    if (unit == "ms") ms_per_unit = 1;
    if (unit == "m" || unit == "min") ms_per_unit = 60'000;
    if (unit == "h") ms_per_unit = 3'600'000;
    if (unit == "d") ms_per_unit = 86'400'000;
    if (ms_per_unit == 0) {
        throw ConfigError("'" + std::string(text) +
                          "' is not a duration (e.g. 250ms, 30s, 10m, 2h, 1d)");
    }
    // At most 100 years: every use of a duration (deadlines, sums, backoff growth) stays far from
    // overflowing, and no setting needs more. A huge number is refused, never wrapped.
    constexpr std::int64_t kMaxMs = 36'500LL * 86'400'000;
    if (n > kMaxMs / ms_per_unit) {
        throw ConfigError("'" + std::string(text) + "' is too long a duration (at most 36500d)");
    }
    return std::chrono::milliseconds{n * ms_per_unit};
}

bool parse_bool(std::string_view text) {
    std::string t(text);
    std::transform(t.begin(), t.end(), t.begin(), [](unsigned char c) { return std::tolower(c); });
    if (t == "true" || t == "yes" || t == "on") return true;
    if (t == "false" || t == "no" || t == "off") return false;
    throw ConfigError("'" + std::string(text) + "' is not a boolean (true or false)");
}

std::int64_t parse_int(std::string_view text) {
    std::int64_t n = 0;
    const char* begin = text.data();
    if (!text.empty() && text.front() == '+') ++begin;
    auto [ptr, ec] = std::from_chars(begin, text.data() + text.size(), n);
    if (text.empty() || ec != std::errc{} || ptr != text.data() + text.size()) {
        throw ConfigError("'" + std::string(text) + "' is not an integer");
    }
    return n;
}

struct ConfigNode::Data {
    std::string path;
    std::map<std::string, std::string, std::less<>> scalars;
    std::map<std::string, Secret, std::less<>> secrets;
    std::map<std::string, std::vector<std::string>, std::less<>> lists;
    std::map<std::string, std::map<std::string, std::string>, std::less<>> maps;
    std::map<std::string, StringTree, std::less<>> trees;
    std::map<std::string, ConfigNode, std::less<>> sections;
    std::map<std::string, std::vector<ConfigNode>, std::less<>> section_lists;
    std::map<std::string, std::string, std::less<>> positions;  // key -> "file:line:column"
    std::string own_position;
};

ConfigNode::ConfigNode() : ConfigNode(std::string{}) {}
ConfigNode::ConfigNode(std::string path) : data_(std::make_shared<Data>()) {
    data_->path = std::move(path);
}

const std::string& ConfigNode::path() const noexcept { return data_->path; }

namespace {
[[noreturn]] void missing(const std::string& path, std::string_view key, std::string_view what) {
    throw std::logic_error("config: " + (path.empty() ? std::string{} : path + ".") +
                           std::string(key) + " is not a " + std::string(what) +
                           " that the loader set (undeclared key?)");
}
std::string sub_path(const std::string& path, std::string_view key) {
    return path.empty() ? std::string(key) : path + "." + std::string(key);
}
}  // namespace

bool ConfigNode::has(std::string_view key) const {
    const auto& d = *data_;
    return d.scalars.contains(key) || d.secrets.contains(key) || d.lists.contains(key) ||
           d.maps.contains(key) || d.trees.contains(key) || d.sections.contains(key) ||
           d.section_lists.contains(key);
}

const std::string& ConfigNode::scalar(std::string_view key) const {
    auto it = data_->scalars.find(key);
    if (it == data_->scalars.end()) missing(data_->path, key, "value");
    return it->second;
}

std::string ConfigNode::get_string(std::string_view key) const { return scalar(key); }

std::int64_t ConfigNode::get_int(std::string_view key) const {
    try {
        return parse_int(scalar(key));
    } catch (const ConfigError& e) {
        fail(key, e.what());
    }
}

bool ConfigNode::get_bool(std::string_view key) const {
    try {
        return parse_bool(scalar(key));
    } catch (const ConfigError& e) {
        fail(key, e.what());
    }
}

std::chrono::milliseconds ConfigNode::get_duration(std::string_view key) const {
    try {
        return parse_duration(scalar(key));
    } catch (const ConfigError& e) {
        fail(key, e.what());
    }
}

std::string ConfigNode::get_decimal(std::string_view key) const { return scalar(key); }

Secret ConfigNode::get_secret(std::string_view key) const {
    auto it = data_->secrets.find(key);
    if (it == data_->secrets.end()) missing(data_->path, key, "secret");
    return it->second;
}

std::vector<std::string> ConfigNode::get_string_list(std::string_view key) const {
    auto it = data_->lists.find(key);
    if (it == data_->lists.end()) missing(data_->path, key, "list");
    return it->second;
}

std::map<std::string, std::string> ConfigNode::get_string_map(std::string_view key) const {
    auto it = data_->maps.find(key);
    if (it == data_->maps.end()) missing(data_->path, key, "map");
    return it->second;
}

StringTree ConfigNode::get_string_tree(std::string_view key) const {
    auto it = data_->trees.find(key);
    if (it == data_->trees.end()) missing(data_->path, key, "tree");
    return it->second;
}

ConfigNode ConfigNode::section(std::string_view key) const {
    auto it = data_->sections.find(key);
    if (it == data_->sections.end()) missing(data_->path, key, "section");
    return it->second;
}

std::vector<ConfigNode> ConfigNode::sections(std::string_view key) const {
    auto it = data_->section_lists.find(key);
    if (it == data_->section_lists.end()) return {};
    return it->second;
}

std::string ConfigNode::where(std::string_view key) const {
    const auto& d = *data_;
    const std::string name = key.empty() ? d.path : sub_path(d.path, key);
    const auto it = key.empty() ? d.positions.end() : d.positions.find(key);
    const std::string& position = it != d.positions.end() ? it->second : d.own_position;
    if (position.empty()) return name;
    return name.empty() ? position : position + ": " + name;
}

void ConfigNode::fail(std::string_view key, const std::string& reason) const {
    throw ConfigError(where(key) + ": " + reason);
}

ConfigNode& ConfigNode::set_position(std::string key, std::string position) {
    data_->positions.insert_or_assign(std::move(key), std::move(position));
    return *this;
}

ConfigNode& ConfigNode::set_own_position(std::string position) {
    data_->own_position = std::move(position);
    return *this;
}

ConfigNode& ConfigNode::set(std::string key, std::string scalar_text) {
    data_->scalars.insert_or_assign(std::move(key), std::move(scalar_text));
    return *this;
}
ConfigNode& ConfigNode::set_secret(std::string key, Secret value) {
    data_->secrets.insert_or_assign(std::move(key), std::move(value));
    return *this;
}
ConfigNode& ConfigNode::set_list(std::string key, std::vector<std::string> values) {
    data_->lists.insert_or_assign(std::move(key), std::move(values));
    return *this;
}
ConfigNode& ConfigNode::set_map(std::string key, std::map<std::string, std::string> values) {
    data_->maps.insert_or_assign(std::move(key), std::move(values));
    return *this;
}
ConfigNode& ConfigNode::set_tree(std::string key, StringTree values) {
    data_->trees.insert_or_assign(std::move(key), std::move(values));
    return *this;
}
ConfigNode& ConfigNode::set_section(std::string key, ConfigNode child) {
    data_->sections.insert_or_assign(std::move(key), std::move(child));
    return *this;
}
ConfigNode& ConfigNode::add_to_section_list(std::string key, ConfigNode child) {
    data_->section_lists[std::move(key)].push_back(std::move(child));
    return *this;
}

std::vector<std::string> ConfigNode::keys() const {
    std::vector<std::string> out;
    const auto& d = *data_;
    for (const auto& [k, v] : d.scalars) out.push_back(k);
    for (const auto& [k, v] : d.secrets) out.push_back(k);
    for (const auto& [k, v] : d.lists) out.push_back(k);
    for (const auto& [k, v] : d.maps) out.push_back(k);
    for (const auto& [k, v] : d.trees) out.push_back(k);
    for (const auto& [k, v] : d.sections) out.push_back(k);
    for (const auto& [k, v] : d.section_lists) out.push_back(k);
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace clarity::core
