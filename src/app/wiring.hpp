#pragma once
// Wiring: builds every connection's components from the settings (HTTP clients, LWA, quota
// limiter, SP-API and Odoo clients, mapping templates, the enabled flows, the SQS consumer and
// the order sweep) and runs them with one workflow engine. `run` uses it for the daemon and
// `sync orders` for a backfill; the integration tests use it with a registry of test flows.

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "admin_routes.hpp"
#include "clarity/amazon/sp_api_client.hpp"
#include "clarity/core/clock.hpp"
#include "clarity/core/metrics.hpp"
#include "clarity/core/random.hpp"
#include "clarity/flows/engine.hpp"
#include "clarity/flows/order_triggers.hpp"
#include "clarity/flows/registry.hpp"
#include "clarity/odoo/client.hpp"
#include "clarity/store/async_store.hpp"
#include "settings.hpp"

namespace clarity::app {

struct ConnectionRuntime;

class Wiring {
  public:
    struct Deps {
        boost::asio::io_context& io;  ///< run by one thread (the engine is not locked)
        const Settings& settings;
        const flows::FlowRegistry& registry;
        store::AsyncStore& store;
        core::MetricsRegistry& metrics;
        Clock& clock;
        Random& random;
        /// Build only this connection (empty = all): `sync orders --connection`.
        std::string only_connection;
    };

    /// Builds the clients and loads the mapping templates of the enabled flows (no network yet).
    /// Throws core::ConfigError (bad option values), mapping::TemplateError or
    /// std::runtime_error (TLS set-up).
    explicit Wiring(Deps deps);
    ~Wiring();
    Wiring(const Wiring&) = delete;
    Wiring& operator=(const Wiring&) = delete;

    /// Called once when start-up cannot succeed without a person (a mapped Odoo field is missing,
    /// wrong credentials): exit code and one-line message. Set before start().
    void on_fatal(std::function<void(int, std::string)> hook);
    /// Adds /readyz checks: Odoo connected (when flows need it), LWA credentials healthy; and an
    /// info line per circuit breaker with its state (an open circuit alone is not unready).
    void add_readiness(Readiness& readiness);

    /// Daemon mode: starts the triggers at once, connects Odoo (retrying transient failures),
    /// builds the flows, then runs the engine until stop().
    void start();
    /// Stops triggers and the engine; completes when they have finished, or after `deadline`.
    boost::asio::awaitable<void> stop(std::chrono::milliseconds deadline);

    /// One-shot mode: connects Odoo and registers the flows of every built connection (no retry:
    /// the first error is returned).
    boost::asio::awaitable<Result<void>> prepare_flows();

    /// The job of an Odoo webhook body for `connection` (POST /hooks/odoo/<connection>):
    /// enqueued (true) or a duplicate of a job already made (false); `permanent` for a body that
    /// names no watched record, `unavailable` while the connection's flows are not built yet.
    boost::asio::awaitable<Result<bool>> enqueue_odoo_hook(std::string connection,
                                                           std::string body);

    flows::Engine& engine();
    amazon::SpApiClient* amazon(const std::string& connection);
    /// Names of enabled flows that this build cannot run (warned about at start-up).
    std::vector<std::string> unavailable_flows() const;
    /// How the engine runs `flow` (concurrency, deadline, connections) once the flows are
    /// registered (every connection connected); nullopt before or for a flow not running.
    std::optional<flows::FlowSettings> flow_settings(std::string_view flow) const;

    struct State;

  private:
    std::shared_ptr<State> state_;
};

}  // namespace clarity::app
