#include "clarity/mapping/options.hpp"

namespace clarity::mapping {

std::filesystem::path MappingOptions::template_for(const std::string& flow,
                                                   const std::filesystem::path& base_dir) const {
    std::filesystem::path p;
    if (auto it = templates.find(flow); it != templates.end()) {
        p = it->second;
    } else {
        p = std::filesystem::path(directory) / (flow + ".yaml");
    }
    return p.is_absolute() ? p : base_dir / p;
}

core::ConfigSpec mapping_config_spec() {
    core::ConfigSpec spec;
    spec.add({.name = "directory",
              .type = core::ConfigType::string,
              .description = "Directory of the default mapping templates (<flow>.yaml)",
              .default_value = "config/mapping"});
    spec.add({.name = "templates",
              .type = core::ConfigType::string_map,
              .description = "Per-flow template files overriding the defaults (flow: file)"});
    return spec;
}

MappingOptions mapping_options_from_config(const core::ConfigNode& node) {
    MappingOptions o;
    if (node.has("directory")) o.directory = node.get_string("directory");
    if (node.has("templates")) o.templates = node.get_string_map("templates");
    return o;
}

MappingOptions merge_options(const MappingOptions& defaults, const MappingOptions& connection) {
    MappingOptions out = defaults;
    if (!connection.directory.empty() && connection.directory != MappingOptions{}.directory) {
        out.directory = connection.directory;
    }
    for (const auto& [flow, file] : connection.templates) out.templates[flow] = file;
    return out;
}

}  // namespace clarity::mapping
