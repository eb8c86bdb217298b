#pragma once
// The admin HTTP endpoints every deployment has: /healthz, /readyz, /metrics, and the process
// metrics behind /metrics.

#include <chrono>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "clarity/core/metrics.hpp"
#include "clarity/net/http_server.hpp"

namespace clarity::app {

/// Named readiness checks; /readyz is 200 when every check passes, 503 otherwise. Info lines
/// tell more (e.g. a circuit breaker's state) without deciding readiness. Thread-safe.
class Readiness {
  public:
    /// A check returns nullopt when ready, or a short reason when not ("store not open").
    using Check = std::function<std::optional<std::string>()>;
    void add(std::string name, Check check);
    /// An info line "info NAME: TEXT" after the checks, when `info` returns a text.
    using Info = std::function<std::optional<std::string>()>;
    void add_info(std::string name, Info info);

    struct Report {
        bool ready = true;
        /// One line per check: "ok store" / "fail odoo[eu]: timeout", then one per info:
        /// "info circuit odoo[eu]: closed".
        std::string text;
    };
    Report evaluate() const;

  private:
    mutable std::mutex mutex_;
    std::vector<std::pair<std::string, Check>> checks_;
    std::vector<std::pair<std::string, Info>> infos_;
};

/// Registers build info, start time, uptime, resident memory, CPU seconds and open fds.
void register_process_metrics(core::MetricsRegistry& registry);

/// GET /healthz (open), GET /readyz (open), GET /metrics (token when admin.token is set).
void add_health_routes(net::HttpServer& server,
                       const Readiness& readiness,
                       const core::MetricsRegistry& registry);

}  // namespace clarity::app
