#pragma once
// `clarity-connect settlement inspect FILE [--map MAP] [--events JSON]... [--orders]`: parses a
// settlement report (plain or gzip), prints its summary, the journal lines it would post, unmapped
// amount types, issues, and the differences with Finances API events. What an accountant runs
// before trusting the automation. Exit code 0 = postable, 1 = quarantined or not postable,
// 2 = unreadable input or bad account map.

#include <CLI/CLI.hpp>
#include <ostream>
#include <string>
#include <vector>

namespace clarity::app {

struct SettlementInspectArgs {
    std::string file;
    std::string map;                  ///< "" = built-in default account map
    std::vector<std::string> events;  ///< Finances v0 / 2024-06-19 response bodies (JSON files)
    bool list_orders = false;
    std::string decimal = "automatic";      ///< automatic | point | comma
    std::string slash_dates = "automatic";  ///< automatic | month_first | day_first
};

/// Runs the inspection, writing the report to `out` and errors to `err`; returns the exit code.
int run_settlement_inspect(const SettlementInspectArgs& args, std::ostream& out, std::ostream& err);

/// Registers `settlement inspect` on the app (the lead wires it in main.cpp).
void add_settlement_commands(CLI::App& app);

}  // namespace clarity::app
