#pragma once
/// \file
/// The workflow engine: a pool of job runs on one strand. It claims ready jobs of the registered
/// flows from the store (respecting each flow's concurrency and the engine's total), runs each with
/// a deadline, and acks, retries or dead-letters by the error's kind. Metrics per flow: jobs by
/// outcome, run duration, lag from event to effect, runs in flight.

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "clarity/core/clock.hpp"
#include "clarity/core/config.hpp"
#include "clarity/core/metrics.hpp"
#include "clarity/flows/flow.hpp"
#include "clarity/store/async_store.hpp"

namespace clarity::flows {

struct EngineOptions {
    std::size_t max_in_flight = 64;                 ///< job runs at once, all flows together
    std::size_t claim_batch = 16;                   ///< jobs claimed per store round trip at most
    std::chrono::milliseconds poll_interval{1000};  ///< idle wait before looking again
    /// Minimum delay before an `auth` failure is retried (credentials need a person).
    std::chrono::milliseconds auth_retry_delay{std::chrono::minutes{5}};
    /// How long stop() lets in-flight runs finish before cancelling them.
    std::chrono::milliseconds shutdown_grace{std::chrono::seconds{20}};
    /// Per-flow overrides of FlowSettings::concurrency and ::deadline, by flow name.
    std::map<std::string, std::size_t> flow_concurrency;
    std::map<std::string, std::chrono::milliseconds> flow_deadline;
    /// Per-flow overrides of Flow::default_cohort(), by flow name.
    std::map<std::string, std::size_t> flow_cohort;
};

/// The `engine` config section.
core::ConfigSpec engine_config_spec();
EngineOptions engine_options_from_config(const core::ConfigNode& node);

/// How one flow runs.
struct FlowSettings {
    std::size_t concurrency = 4;                  ///< runs of this flow at once
    std::chrono::milliseconds deadline{120'000};  ///< per run; must be below the store lease
    /// Connections the flow is switched on for. A job of another connection is dead-lettered with
    /// a message saying so (it can be replayed after the flow is switched on).
    std::set<std::string> connections;
    /// Jobs claimed together and run step by step together (Cohort), so that each step's Odoo
    /// calls go out batched. Claims of such a flow wait until this many of its slots are free
    /// (or none of its runs is in flight), and while some of its runs are in flight claim only
    /// as many ready jobs as a cohort (fewer after the poll interval). 1: each job alone.
    std::size_t cohort = 1;
};

/// A start-up warning when a flow's runs may wait for Amazon longer than their deadline allows:
/// `concurrency` runs that each need one call of an operation allowing `calls_per_second` (its
/// bucket empty, as in a backlog) wait up to concurrency / calls_per_second for it, and cohort
/// members wait for each other. Above 80 % of the deadline the last runs risk `run exceeded its
/// deadline`; the warning names the settings to change. Empty when it fits.
std::string amazon_wait_warning(std::string_view flow,
                                const FlowSettings& settings,
                                double calls_per_second);

/// Something a person must look at: a dead letter, an auth failure.
struct Alert {
    std::string kind;  ///< "dead_letter" or "auth"
    std::string flow;
    std::string connection;
    std::string entity_key;
    store::JobId job_id = 0;
    std::string message;
};

class Engine {
  public:
    /// `executor` should be a strand (or a one-thread io_context): the engine's state is not
    /// locked. `store`, `metrics` and `clock` must outlive the engine.
    Engine(boost::asio::any_io_executor executor,
           store::AsyncStore& store,
           core::MetricsRegistry& metrics,
           const Clock& clock,
           EngineOptions options = {});
    ~Engine();
    Engine(const Engine&) = delete;
    Engine& operator=(const Engine&) = delete;

    /// Registers a flow before run(). Throws std::logic_error on a duplicate name.
    void add_flow(std::shared_ptr<Flow> flow, FlowSettings settings);
    /// Called for every dead letter and auth failure (e.g. the alert webhook). Runs on the engine's
    /// executor; must not block.
    void on_alert(std::function<void(const Alert&)> hook);

    /// Claims and runs jobs until stop(); then waits up to shutdown_grace for in-flight runs.
    boost::asio::awaitable<void> run();
    /// Runs jobs until none is ready and none is in flight; answers how many runs finished.
    /// (Backfills, the `sync` command, tests.)
    boost::asio::awaitable<std::size_t> run_until_idle();
    /// Asks run() to stop; thread-safe.
    void stop();
    /// Looks for work now instead of after the poll interval (a trigger enqueued something);
    /// thread-safe.
    void wake();

    /// Runs in flight now (for tests and /readyz).
    std::size_t in_flight() const noexcept;
    /// How a registered flow runs; nullopt when no flow of that name was added.
    std::optional<FlowSettings> flow_settings(std::string_view flow) const;

    struct Impl;  ///< shared with the engine's coroutines (defined in engine.cpp)

  private:
    std::shared_ptr<Impl> impl_;
};

}  // namespace clarity::flows
