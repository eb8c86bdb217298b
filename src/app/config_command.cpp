#include <iostream>
#include <memory>

#include "clarity/core/config.hpp"
#include "clarity/mapping/template.hpp"
#include "clarity/net/url.hpp"
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

// A string value as `config check --print` shows it: a URL without its user info (a password
// may be in it) and with secret-looking query values as ***, as the logs show it
// (net::redact_url).
std::string printable(const std::string& value) {
    if (value.find("://") == std::string::npos) return value;
    const auto url = net::parse_url(value);
    if (!url) {
        // Not a URL we can take apart: hide what could be user info rather than guess.
        return value.find('@') == std::string::npos ? value : "*** (a URL that does not parse)";
    }
    if (url->userinfo.empty() && value.find('?') == std::string::npos) return value;
    return net::redact_url(value);
}

// Refuses what `run` refuses before it connects anywhere (systemd runs this as ExecStartPre):
// the same load_settings and check_files, the same messages and exit code.
void run_check(const CheckArgs& args) {
    try {
        const auto settings = load_settings(args.file);
        check_files(settings);
        if (args.print) {
            std::cout << dump_config(settings.root, root_config_spec(), printable);
        } else {
            std::cout << args.file << ": ok (" << settings.connections.size() << " connection"
                      << (settings.connections.size() == 1 ? "" : "s") << ")\n";
        }
    } catch (const core::ConfigError& e) {
        fail(kExitUsage, e.what());
    } catch (const mapping::TemplateError& e) {
        fail(kExitUsage, std::string("mapping template: ") + e.what());
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
