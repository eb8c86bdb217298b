#pragma once
/// \file
/// A flow is one kind of job (order import, fulfillment status, ...): the engine claims its jobs
/// from the store and calls `run` for each, then acks, retries or dead-letters by the kind of the
/// error it returns. A flow must be idempotent: a job may run again after a crash or a lost ack,
/// so every write first looks its entity up by a stable reference.

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "clarity/core/result.hpp"
#include "clarity/flows/cohort.hpp"
#include "clarity/store/store.hpp"

namespace clarity::flows {

struct OdooWatch;  // odoo_watch.hpp

/// What a job run sees, and what it asks the engine to commit together with the ack.
struct JobContext {
    store::ClaimedJob job;
    /// Id mappings (external id ↔ Odoo record) written in the same transaction as the ack.
    std::vector<store::IdMapping> id_mappings;
    /// Cursor updates written in the same transaction as the ack (connection = the job's).
    std::vector<std::pair<std::string, std::string>> cursors;
    /// When the triggering event happened (for the lag metric); defaults to the enqueue time.
    std::optional<Clock::time_point> event_time;
    /// The jobs claimed with this one that run step by step with it (FlowSettings::cohort);
    /// none when the job runs alone.
    std::shared_ptr<Cohort> cohort;

    /// "job=12 flow=order_import connection=eu entity=403-…": the fields every log line of a job
    /// carries.
    std::string log_fields() const;
};

class Flow {
  public:
    virtual ~Flow() = default;
    /// Stable name, as used in the store's `flow` column and the configuration.
    virtual std::string_view name() const = 0;
    /// Does the job's work. Returns an Error classified by kind: transient / rate_limited /
    /// conflict are retried with backoff, auth is retried slowly and alerted, permanent goes to
    /// the dead letters with its message. Cancellation (deadline, shutdown) aborts the run; the job
    /// is then retried.
    virtual boost::asio::awaitable<Result<void>> run(JobContext& context) = 0;
    /// The start-up hook: called once per connection after Odoo is connected, before
    /// check_odoo() and before any job runs. Reads what the flow's configuration names in the
    /// live Odoo and keeps it for the runs. A permanent Error refuses the start: the daemon
    /// stops with its message, which names the setting and the fix; a transient one makes the
    /// daemon connect again. Default: nothing to prepare.
    virtual boost::asio::awaitable<Result<void>> prepare();
    /// The connection check: called once per connection after Odoo is connected and before any
    /// job runs. Reads what the flow depends on in the live Odoo and returns findings a person
    /// should know about (the daemon logs each as a start-up warning). An error is returned only
    /// when Odoo could not be asked (transient: the daemon connects again). Default: none.
    virtual boost::asio::awaitable<Result<std::vector<std::string>>> check_odoo();
    /// How many of its jobs the flow runs step by step together by default (FlowSettings::cohort;
    /// the engine's `flow_cohort` overrides it). 1: each job alone. A flow above 1 calls
    /// step_together() between its steps.
    virtual std::size_t default_cohort() const;
    /// What the flow watches in Odoo (odoo_watch.hpp): the watcher polls these models and the
    /// webhook accepts them. Default: nothing.
    virtual std::vector<OdooWatch> odoo_watches() const;
};

/// Waits for the other jobs of the context's cohort to reach the same point (at once when the
/// job runs alone): a flow's steps then send their Odoo calls together, batched.
boost::asio::awaitable<void> step_together(JobContext& context);

}  // namespace clarity::flows
