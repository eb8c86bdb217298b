#include <memory>

#include "clarity/mapping/template.hpp"
#include "commands.hpp"
#include "settings.hpp"

namespace clarity::app {

int run_daemon(const Settings& settings);

namespace {
struct RunArgs {
    std::string file;
};
}  // namespace

void add_run_command(CLI::App& app) {
    auto args = std::make_shared<RunArgs>();
    auto* run = app.add_subcommand("run", "Run the daemon (stops on SIGTERM or SIGINT)");
    run->add_option("-c,--config", args->file, "YAML configuration file")->required();
    run->callback([args] {
        Settings settings;
        try {
            settings = load_settings(args->file);
            check_files(settings);  // the same refusals as `config check`
        } catch (const core::ConfigError& e) {
            fail(kExitUsage, e.what());
        } catch (const mapping::TemplateError& e) {
            fail(kExitUsage, std::string("mapping template: ") + e.what());
        }
        const int code = run_daemon(settings);
        if (code != kExitOk) throw CLI::RuntimeError(code);
    });
}

}  // namespace clarity::app
