#pragma once
// Each command group registers its subcommands on the CLI11 app. A subcommand's callback signals
// its exit code by throwing CLI::RuntimeError(code) (0 ok, 1 runtime failure, 2 usage/config).

#include <CLI/CLI.hpp>

namespace clarity::app {

inline constexpr int kExitOk = 0;
inline constexpr int kExitRuntime = 1;
inline constexpr int kExitUsage = 2;

void add_version_command(CLI::App& app);

}  // namespace clarity::app
