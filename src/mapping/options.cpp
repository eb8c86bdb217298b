#include "clarity/mapping/options.hpp"

#include <system_error>

#include "clarity/mapping/template.hpp"

namespace clarity::mapping {

namespace fs = std::filesystem;

std::vector<fs::path> default_template_dirs(const fs::path& base_dir,
                                            const std::vector<fs::path>& installed_dirs) {
    std::vector<fs::path> dirs{base_dir / "mapping", base_dir / "config" / "mapping"};
    for (const auto& d : installed_dirs) {
        bool seen = false;
        for (const auto& known : dirs)
            seen = seen || known.lexically_normal() == d.lexically_normal();
        if (!seen) dirs.push_back(d);
    }
    return dirs;
}

fs::path MappingOptions::template_for(const std::string& flow,
                                      const fs::path& base_dir,
                                      const std::vector<fs::path>& installed_dirs) const {
    fs::path p;
    if (auto it = templates.find(flow); it != templates.end()) {
        p = it->second;
    } else if (!directory.empty()) {
        p = fs::path(directory) / (flow + ".yaml");
    } else {
        const auto file = flow + ".yaml";
        std::string looked;
        for (const auto& dir : default_template_dirs(base_dir, installed_dirs)) {
            std::error_code ec;
            const auto candidate = dir / file;
            if (fs::is_regular_file(candidate, ec)) return candidate;
            looked += (looked.empty() ? "" : ", ") + dir.lexically_normal().string();
        }
        throw TemplateError({file + ": no mapping template found (looked in " + looked +
                             "); install the default templates or set mapping.directory"});
    }
    return p.is_absolute() ? p : base_dir / p;
}

core::ConfigSpec mapping_config_spec() {
    core::ConfigSpec spec;
    spec.add(
        {.name = "directory",
         .type = core::ConfigType::string,
         .description =
             "Directory of the default mapping templates (<flow>.yaml), relative to the "
             "config file; unset: the first of <config dir>/mapping, <config dir>/config/mapping "
             "and the installed share/clarity-connect/mapping that holds the flow's template"});
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
    if (!connection.directory.empty()) out.directory = connection.directory;
    for (const auto& [flow, file] : connection.templates) out.templates[flow] = file;
    return out;
}

}  // namespace clarity::mapping
