// libFuzzer target: the YAML configuration loader with its validation (types, allowed values,
// required keys, defaults, duplicates, secrets by reference). The spec has the shape of the
// daemon's own (a store section, a list of connections with nested sections, every key type), so
// every validation path runs; a file is untrusted input. The loader must answer with a value or a
// core::ConfigError naming a place, never crash or throw anything else.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "clarity/core/config.hpp"
#include "config_loader.hpp"

using namespace clarity;
using core::ConfigType;

namespace {

core::ConfigSpec spec() {
    core::ConfigSpec store;
    store.add({.name = "path", .type = ConfigType::string, .default_value = "state.db"});
    store.add({.name = "lease", .type = ConfigType::duration, .default_value = "5m"});
    core::ConfigSpec odoo;
    odoo.add({.name = "url", .type = ConfigType::string, .required = true});
    odoo.add({.name = "api_key", .type = ConfigType::secret});
    odoo.add({.name = "protocol",
              .type = ConfigType::string,
              .default_value = "auto",
              .allowed = {"auto", "json-rpc", "xml-rpc", "json-2"}});
    core::ConfigSpec amazon;
    amazon.add({.name = "marketplaces", .type = ConfigType::string_list, .required = true});
    amazon.add({.name = "rate_scale", .type = ConfigType::decimal, .default_value = "1"});
    amazon.add({.name = "sandbox", .type = ConfigType::boolean, .default_value = "false"});
    core::ConfigSpec flow;
    flow.add({.name = "enabled", .type = ConfigType::boolean, .default_value = "true"});
    flow.add({.name = "concurrency", .type = ConfigType::integer, .default_value = "4"});
    flow.add({.name = "taxes", .type = ConfigType::string_map});
    core::ConfigSpec connection;
    connection.add({.name = "name", .type = ConfigType::string, .required = true});
    connection.add_section("odoo", "", odoo, true);
    connection.add_section("amazon", "", amazon, true);
    connection.add_section("order_import", "", flow);
    core::ConfigSpec root;
    root.add_section("store", "", store);
    root.add_section_list("connections", "", connection, true);
    return root;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const core::ConfigSpec root = spec();
    const std::string_view yaml(reinterpret_cast<const char*>(data), size);
    try {
        auto node = app::load_config_text(yaml, "fuzz.yaml", root);
        (void)app::dump_config(node, root);
    } catch (const core::ConfigError& e) {
        if (std::string_view(e.what()).empty()) std::abort();
    }
    return 0;
}
