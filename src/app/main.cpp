// clarity-connect: the integration daemon and its administration commands.
#include <iostream>

#include "commands.hpp"
#include "config_loader.hpp"
#include "config_schema.hpp"
#include "mapping_command.hpp"
#include "queue_command.hpp"
#include "settlement_command.hpp"
#include "terminal_output.hpp"

int main(int argc, char** argv) {
    // Whatever a command prints (data from files, notifications, Odoo, Amazon; error messages that
    // echo a value), the terminal gets no raw control character.
    const clarity::app::TerminalSafeOutput safe_out(std::cout);
    const clarity::app::TerminalSafeOutput safe_err(std::cerr);
    CLI::App app{"Clarity Connect: Odoo <-> Amazon SP-API integration daemon", "clarity-connect"};
    app.require_subcommand(1);
    clarity::app::add_run_command(app);
    clarity::app::add_sync_commands(app);
    clarity::app::add_config_commands(app);
    clarity::app::add_version_command(app);
    const auto load = [](const std::string& path) {
        return clarity::app::load_config(path, clarity::app::root_config_spec());
    };
    clarity::app::add_queue_commands(app, load);
    clarity::app::add_mapping_commands(app, load);
    clarity::app::add_settlement_commands(app);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        // CLI11 maps --help to 0 and usage errors to non-zero; usage errors exit 2 by our contract.
        // A RuntimeError carries a command's own exit code (its message was already printed).
        const int code = app.exit(e);
        if (code == 0 || dynamic_cast<const CLI::RuntimeError*>(&e) != nullptr) return code;
        return clarity::app::kExitUsage;
    } catch (const std::exception& e) {
        std::cerr << "clarity-connect: " << clarity::app::safe(e.what()) << "\n";
        return clarity::app::kExitRuntime;
    }
    return clarity::app::kExitOk;
}
