#pragma once
/// \file
/// Logging facade: one named spdlog logger per component ("store", "amazon.orders[eu]").
/// Two output formats: `text` (human, coloured levels on a terminal) and `json` (one object per
/// line: time, level, logger, message, then job_id/flow/connection/entity_key when present).
///
/// Two ways to log:
/// - `core::logger(name)` returns the spdlog logger (include <spdlog/spdlog.h> in that .cpp);
/// - `core::Log` (this header only, no spdlog): a logger with attached fields, e.g.
///   `Log log("flows"); auto job = log.with({.job_id = id, .flow = "order_import"});
///    job.info("imported {} lines", n);` — the fields travel with the value, so they stay right
///   across `co_await` (no thread-local context to leak between coroutines).
/// `Secret` formats as `***` in both.

#include <fmt/format.h>

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "clarity/core/config.hpp"

namespace spdlog {
class logger;
}

namespace clarity::core {

struct LogOptions {
    std::string level = "info";   ///< trace, debug, info, warn, error, critical, off
    std::string format = "text";  ///< text (human, for a terminal) or json (one object per line)
    /// Where finished lines go (one call per line, without the newline). Default: stderr. Tests
    /// capture lines here.
    std::function<void(std::string_view line)> output;
};

/// Keys of the `log` section: level, format.
ConfigSpec log_config_spec();
/// Reads a node validated against log_config_spec().
LogOptions log_options_from_config(const ConfigNode& node);

/// Configures every logger made so far and later. Call once at start-up; safe to call again.
/// Throws ConfigError on an unknown level or format.
void configure_logging(const LogOptions& options);

/// The logger named `name`, created on first use with the configured sinks. Thread-safe.
std::shared_ptr<spdlog::logger> logger(const std::string& name);

enum class LogLevel { trace, debug, info, warn, error, critical };

/// Structured fields of a log line; empty ones are left out.
struct LogFields {
    std::string job_id;
    std::string flow;
    std::string connection;
    std::string entity_key;
    std::vector<std::pair<std::string, std::string>> extra;  ///< any other key/value pairs
};

/// A named logger plus fields attached to each line. Cheap to copy; thread-safe.
class Log {
  public:
    explicit Log(std::string name);
    /// A copy whose lines also carry `fields` (non-empty ones override this logger's).
    Log with(const LogFields& fields) const;
    const std::string& name() const noexcept { return name_; }
    const LogFields& fields() const noexcept { return fields_; }
    bool should_log(LogLevel level) const;

    template <class... Args>
    void log(LogLevel level, fmt::format_string<Args...> format, Args&&... args) const {
        if (should_log(level)) emit(level, fmt::format(format, std::forward<Args>(args)...));
    }
    template <class... Args>
    void trace(fmt::format_string<Args...> f, Args&&... a) const {
        log(LogLevel::trace, f, std::forward<Args>(a)...);
    }
    template <class... Args>
    void debug(fmt::format_string<Args...> f, Args&&... a) const {
        log(LogLevel::debug, f, std::forward<Args>(a)...);
    }
    template <class... Args>
    void info(fmt::format_string<Args...> f, Args&&... a) const {
        log(LogLevel::info, f, std::forward<Args>(a)...);
    }
    template <class... Args>
    void warn(fmt::format_string<Args...> f, Args&&... a) const {
        log(LogLevel::warn, f, std::forward<Args>(a)...);
    }
    template <class... Args>
    void error(fmt::format_string<Args...> f, Args&&... a) const {
        log(LogLevel::error, f, std::forward<Args>(a)...);
    }
    template <class... Args>
    void critical(fmt::format_string<Args...> f, Args&&... a) const {
        log(LogLevel::critical, f, std::forward<Args>(a)...);
    }

  private:
    void emit(LogLevel level, std::string message) const;
    std::string name_;
    std::shared_ptr<spdlog::logger> logger_;
    LogFields fields_;
};

}  // namespace clarity::core
