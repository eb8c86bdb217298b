// clarity-connect: the integration daemon and its administration commands.
#include <iostream>

#include "commands.hpp"

int main(int argc, char** argv) {
    CLI::App app{"Clarity Connect: Odoo <-> Amazon SP-API integration daemon", "clarity-connect"};
    app.require_subcommand(1);
    clarity::app::add_run_command(app);
    clarity::app::add_config_commands(app);
    clarity::app::add_version_command(app);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        // CLI11 maps --help to 0 and usage errors to non-zero; usage errors exit 2 by our contract.
        // A RuntimeError carries a command's own exit code (its message was already printed).
        const int code = app.exit(e);
        if (code == 0 || dynamic_cast<const CLI::RuntimeError*>(&e) != nullptr) return code;
        return clarity::app::kExitUsage;
    } catch (const std::exception& e) {
        std::cerr << "clarity-connect: " << e.what() << "\n";
        return clarity::app::kExitRuntime;
    }
    return clarity::app::kExitOk;
}
