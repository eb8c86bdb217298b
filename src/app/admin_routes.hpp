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

/// Named readiness checks; /readyz is 200 when every check passes, 503 otherwise. Thread-safe.
class Readiness {
  public:
    /// A check returns nullopt when ready, or a short reason when not ("store not open").
    using Check = std::function<std::optional<std::string>()>;
    void add(std::string name, Check check);

    struct Report {
        bool ready = true;
        std::string text;  ///< one line per check: "ok store" / "fail odoo[eu]: timeout"
    };
    Report evaluate() const;

  private:
    mutable std::mutex mutex_;
    std::vector<std::pair<std::string, Check>> checks_;
};

/// Registers build info, start time, uptime, resident memory, CPU seconds and open fds.
void register_process_metrics(core::MetricsRegistry& registry);

/// GET /healthz (open), GET /readyz (open), GET /metrics (token when admin.token is set).
void add_health_routes(net::HttpServer& server,
                       const Readiness& readiness,
                       const core::MetricsRegistry& registry);

}  // namespace clarity::app
