#include <iostream>

#include "clarity/core/version.hpp"
#include "commands.hpp"

namespace clarity::app {

void add_version_command(CLI::App& app) {
    auto* cmd = app.add_subcommand("version", "Print the version and exit");
    cmd->callback([] { std::cout << kProductName << " " << kVersion << "\n"; });
}

}  // namespace clarity::app
