#include <iostream>
#include <memory>

#include "clarity/core/config.hpp"
#include "commands.hpp"
#include "config_loader.hpp"
#include "config_schema.hpp"
#include "settings.hpp"
#include "terminal_output.hpp"

namespace clarity::app {

void fail(int code, const std::string& message) {
    std::cerr << "clarity-connect: " << safe(message) << "\n";
    throw CLI::RuntimeError(code);
}

namespace {

struct CheckArgs {
    std::string file;
    bool print = false;
};

void run_check(const CheckArgs& args) {
    try {
        const auto spec = root_config_spec();
        const auto root = load_config(args.file, spec);
        const auto settings = read_settings(root);
        if (args.print) {
            std::cout << dump_config(root, spec);
        } else {
            std::cout << args.file << ": ok (" << settings.connections.size() << " connection"
                      << (settings.connections.size() == 1 ? "" : "s") << ")\n";
        }
    } catch (const core::ConfigError& e) {
        fail(kExitUsage, e.what());
    }
}

}  // namespace

void add_config_commands(CLI::App& app) {
    auto* config = app.add_subcommand("config", "Check the configuration or print its reference");
    config->require_subcommand(1);

    auto args = std::make_shared<CheckArgs>();
    auto* check = config->add_subcommand(
        "check", "Validate a configuration file offline (exit 0 when valid, 2 when not)");
    check->add_option("-c,--config", args->file, "YAML configuration file")->required();
    check->add_flag("--print", args->print,
                    "Print the effective configuration (defaults applied, secrets as ***)");
    check->callback([args] { run_check(*args); });

    auto* schema = config->add_subcommand(
        "schema", "Print the configuration reference (Markdown; docs/configuration.md)");
    schema->callback([] { std::cout << render_config_reference(root_config_spec()); });
}

}  // namespace clarity::app
