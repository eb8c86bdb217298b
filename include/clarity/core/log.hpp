#pragma once
/// \file
/// Logging facade: one named spdlog logger per component ("store", "amazon.orders[eu]").
/// Include <spdlog/spdlog.h> in the .cpp that logs; this header keeps spdlog out of others.

#include <memory>
#include <string>

namespace spdlog {
class logger;
}

namespace clarity::core {

struct LogOptions {
    std::string level = "info";  ///< trace, debug, info, warn, error, critical, off
    std::string format = "text";  ///< text (human, for a terminal) or json (one object per line)
};

/// Configures every logger made so far and later. Call once at start-up; safe to call again.
void configure_logging(const LogOptions& options);

/// The logger named `name`, created on first use with the configured sinks. Thread-safe.
std::shared_ptr<spdlog::logger> logger(const std::string& name);

}  // namespace clarity::core
