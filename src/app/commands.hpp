#pragma once
// Each command group registers its subcommands on the CLI11 app. A subcommand's callback signals
// its exit code by throwing CLI::RuntimeError(code) (0 ok, 1 runtime failure, 2 usage/config),
// after printing its one-line error to stderr (fail() does both).

#include <CLI/CLI.hpp>
#include <string>

namespace clarity::app {

inline constexpr int kExitOk = 0;
inline constexpr int kExitRuntime = 1;
inline constexpr int kExitUsage = 2;

/// Prints "clarity-connect: <message>" (one line) to stderr and throws CLI::RuntimeError(code).
[[noreturn]] void fail(int code, const std::string& message);

void add_version_command(CLI::App& app);
/// `config check -c FILE [--print]` and `config schema`.
void add_config_commands(CLI::App& app);
/// `run -c FILE`: the daemon.
void add_run_command(CLI::App& app);
/// `sync orders -c FILE --connection NAME --since TIME [--until TIME] [--run]`: backfill.
void add_sync_commands(CLI::App& app);

}  // namespace clarity::app
