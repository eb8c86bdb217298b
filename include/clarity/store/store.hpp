#pragma once
/// \file
/// The durable store: job queue with idempotency keys, per-entity ordering, leases, retries and
/// dead letters, plus cursors, an id map and an audit log. This header names no database: the
/// embedded implementation is SQLite (src/store), and a PostgreSQL one can take over later
/// (../shared/docs/ARCHITECTURE.md, "Growing past one machine").
///
/// Thread-safety: every `Store` member function may be called from any thread. Calls block on
/// disk I/O; in the daemon run them through `AsyncStore` (async_store.hpp), never on I/O threads.
/// Errors: run-time failures are `Result` values whose kind is `transient` (database busy or
/// locked, disk full), `permanent` (read-only database, corrupt file, bad argument), or
/// `conflict` (the job's lease was lost to another claim).

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "clarity/core/clock.hpp"
#include "clarity/core/result.hpp"

namespace clarity::store {

using JobId = std::int64_t;
using TimePoint = Clock::time_point;

/// Life-cycle state of a job.
enum class JobState {
    ready,    ///< may be claimed once `run_after` has passed
    leased,   ///< claimed by a worker until `lease_until`
    waiting,  ///< an earlier job with the same entity key is not finished yet
    done,     ///< acked; the row is purged later, the idempotency key stays in the ledger
    dead,     ///< failed permanently or ran out of attempts: a dead letter
};
std::string_view to_string(JobState state) noexcept;
std::optional<JobState> parse_job_state(std::string_view name) noexcept;

/// A job to enqueue.
struct NewJob {
    std::string connection;       ///< integration pair name (config `connections[].name`)
    std::string flow;             ///< flow name, e.g. "order_import"
    std::string idempotency_key;  ///< unique per (connection, flow); redeliveries are duplicates
    std::string entity_key;       ///< jobs sharing it (per connection) run one at a time, in order;
                                  ///< empty = no ordering constraint
    std::string payload;          ///< opaque text (JSON by convention)
    std::optional<TimePoint> run_after;  ///< earliest start; default now
    int priority = 0;                    ///< higher runs first
    /// Make the jobs of the same entity that are queued but not due (waiting out a postpone or a
    /// backoff; not running) due now, whether this job is new or a duplicate: a trigger saying
    /// "this record changed" ends the wait of a job that waits for the change (a delivery
    /// waiting for its tracking number).
    bool hurry_entity = false;
};

enum class EnqueueOutcome { enqueued, duplicate };

struct EnqueueResult {
    EnqueueOutcome outcome = EnqueueOutcome::enqueued;
    JobId id = 0;  ///< the new job, or the job that first used the key (its row may be purged)
};

/// A job handed to a worker. `attempt` identifies this claim: ack/retry/fail/extend with a stale
/// attempt (the lease expired and someone else claimed the job) answer `conflict`.
struct ClaimedJob {
    JobId id = 0;
    int attempt = 0;  ///< 1 on the first claim
    std::string connection;
    std::string flow;
    std::string idempotency_key;
    std::string entity_key;
    std::string payload;
    int priority = 0;
    TimePoint enqueued_at;
    TimePoint lease_until;
};

/// One failed attempt, kept for dead letters and `queue show`.
struct AttemptRecord {
    int attempt = 0;
    TimePoint at;
    std::string error_kind;  ///< to_string(ErrorKind), or "lease_expired"
    std::string message;
};

/// Everything known about one job (admin views).
struct JobInfo {
    JobId id = 0;
    std::string connection;
    std::string flow;
    std::string idempotency_key;
    std::string entity_key;
    std::string payload;
    JobState state = JobState::ready;
    int priority = 0;
    int attempts = 0;
    int waits = 0;  ///< claims that ended in postpone(): they do not count against max_attempts
    TimePoint enqueued_at;
    TimePoint updated_at;
    TimePoint run_after;
    std::optional<TimePoint> lease_until;
    std::string last_error;
    std::optional<std::string> dead_error_kind;  ///< set for dead letters
    std::vector<AttemptRecord> history;          ///< filled by show_job only
};

/// Filter for listing jobs and selecting dead letters. Empty fields match everything.
struct JobFilter {
    std::optional<JobState> state;
    std::string connection;
    std::string flow;
    std::string error_kind;  ///< dead letters only
    std::size_t limit = 100;
};

/// Counts per (flow, state) and age of the oldest ready job.
struct QueueStats {
    struct Row {
        std::string flow;
        JobState state = JobState::ready;
        std::int64_t count = 0;
    };
    std::vector<Row> by_flow_state;
    struct DeadRow {
        std::string flow;
        std::string error_kind;
        std::int64_t count = 0;
    };
    std::vector<DeadRow> dead_by_flow_kind;
    std::optional<std::chrono::milliseconds> oldest_ready_age;  ///< nullopt when none is due
    std::int64_t ledger_keys = 0;
};

/// A mapping between an external id (e.g. an Amazon order id) and an Odoo record.
struct IdMapping {
    std::string connection;
    std::string kind;         ///< external id namespace, e.g. "amazon_order"
    std::string external_id;  ///< e.g. "403-1234567-1234567"
    std::string odoo_model;   ///< e.g. "sale.order"
    std::int64_t odoo_id = 0;
};

/// Store health for /readyz: not ready after a disk-full or read-only failure until a write
/// succeeds again.
struct Health {
    bool ready = true;
    std::string reason;  ///< why not ready (empty when ready)
};

/// Result of a maintenance pass (`Store::purge_expired`).
struct PurgeReport {
    std::int64_t done_jobs = 0;
    std::int64_t ledger_keys = 0;
    std::int64_t audit_entries = 0;
};

/// One audit log entry: a state change that is not routine (retry, lease expiry, dead letter,
/// replay, purge).
struct AuditEntry {
    std::int64_t id = 0;
    TimePoint at;
    JobId job_id = 0;
    std::string action;  ///< "retry", "lease_expired", "dead", "replay", "purge"
    std::string detail;
};

/// The writes of one transaction. Valid only inside `Store::transact`; everything done through it
/// commits together when the body returns success, or not at all.
class WriteTx {
  public:
    virtual ~WriteTx() = default;
    /// Inserts the job unless its (connection, flow, idempotency key) is known: then `duplicate`
    /// and nothing is written.
    virtual Result<EnqueueResult> enqueue(const NewJob& job) = 0;
    /// Sets the named position of a connection (e.g. "orders.last_updated_after").
    virtual Result<void> set_cursor(const std::string& connection,
                                    const std::string& name,
                                    const std::string& value) = 0;
    /// Reads a cursor inside this transaction (sees this transaction's writes).
    virtual Result<std::optional<std::string>> cursor(const std::string& connection,
                                                      const std::string& name) = 0;
    /// Inserts or replaces an id mapping.
    virtual Result<void> put_id(const IdMapping& mapping) = 0;
    /// Marks the claimed job done. `conflict` if the claim is stale.
    virtual Result<void> ack(JobId id, int attempt) = 0;
};

/// One SP-API usage-plan bucket as last saved (amazon::QuotaLimiter's level; see docs/amazon.md).
struct QuotaLevel {
    std::string seller;     ///< selling partner id
    std::string region;     ///< SP-API region ("na", "eu", "fe")
    std::string operation;  ///< the model's operationId
    double tokens = 0;      ///< tokens left at `at` (negative: reserved by waiting calls)
    double rate = 0;        ///< unscaled refill rate, requests per second
    TimePoint at;           ///< when the level was read
};

/// The abstract store. Implementations: SQLite (open_store with a file path).
class Store {
  public:
    virtual ~Store() = default;

    /// Runs `body` in one write transaction: commits when it returns success, rolls back when it
    /// returns an error (which is returned) or throws (which propagates).
    virtual Result<void> transact(const std::function<Result<void>(WriteTx&)>& body) = 0;

    /// One job in its own transaction. A duplicate costs a read only (no write, no fsync).
    virtual Result<EnqueueResult> enqueue(const NewJob& job) = 0;
    /// Many jobs in one transaction; results in input order.
    virtual Result<std::vector<EnqueueResult>> enqueue_batch(const std::vector<NewJob>& jobs) = 0;

    /// Claims up to `max` ready jobs (optionally only of `flows`), leasing them for `lease` (the
    /// configured lease duration when nullopt). Expired leases are returned to the queue first,
    /// each counted as a failed attempt (dead-lettered when attempts run out). Claims none when
    /// fewer than `at_least` are ready (a whole cohort or nothing).
    virtual Result<std::vector<ClaimedJob>> claim(
        std::size_t max,
        const std::vector<std::string>& flows = {},
        std::optional<std::chrono::milliseconds> lease = std::nullopt,
        std::size_t at_least = 1) = 0;
    /// Pushes the lease of a claimed job to now + `lease`; `conflict` when the claim is stale.
    virtual Result<TimePoint> extend_lease(JobId id,
                                           int attempt,
                                           std::chrono::milliseconds lease) = 0;

    /// Marks a claimed job done (own transaction). For writes that must commit with the ack use
    /// `transact` and `WriteTx::ack`.
    virtual Result<void> ack(JobId id, int attempt) = 0;
    /// Acks several claimed jobs in one transaction (all or none).
    virtual Result<void> ack_batch(const std::vector<std::pair<JobId, int>>& claims) = 0;
    /// Schedules another attempt after the flow's backoff (core::BackoffPolicy: full jitter, the
    /// error's retry_after wins when larger), or dead-letters the job when attempts are used up.
    /// Answers the job's new state (ready or dead).
    virtual Result<JobState> retry(JobId id, int attempt, const Error& error) = 0;
    /// The service the job needs is known to be down (`ErrorKind::unavailable`): the job waits
    /// for `error.retry_after` (at least a second) without using up an attempt (the claim is
    /// counted in `waits`, and max_attempts compares attempts - waits). Never dead-letters.
    virtual Result<void> postpone(JobId id, int attempt, const Error& error) = 0;
    /// Moves the job to the dead letters with the error's kind and message.
    virtual Result<void> fail(JobId id, int attempt, const Error& error) = 0;

    /// Admin views (reader connections: never block the writer).
    virtual Result<QueueStats> stats() = 0;
    virtual Result<std::vector<JobInfo>> list_jobs(const JobFilter& filter) = 0;
    virtual Result<std::optional<JobInfo>> show_job(JobId id) = 0;
    virtual Result<std::vector<AuditEntry>> audit(std::size_t limit) = 0;

    /// Dead letters back to the queue (attempts and waits reset, run now). Answer: how many.
    virtual Result<std::int64_t> replay_dead(JobId id) = 0;
    virtual Result<std::int64_t> replay_dead_matching(const JobFilter& filter) = 0;
    /// Deletes dead letters (their keys stay in the ledger until the retention ends).
    virtual Result<std::int64_t> purge_dead(JobId id) = 0;
    virtual Result<std::int64_t> purge_dead_matching(const JobFilter& filter) = 0;

    virtual Result<std::optional<std::string>> cursor(const std::string& connection,
                                                      const std::string& name) = 0;
    virtual Result<void> set_cursor(const std::string& connection,
                                    const std::string& name,
                                    const std::string& value) = 0;
    virtual Result<std::optional<IdMapping>> find_by_external(const std::string& connection,
                                                              const std::string& kind,
                                                              const std::string& external_id) = 0;
    virtual Result<std::optional<IdMapping>> find_by_odoo(const std::string& connection,
                                                          const std::string& odoo_model,
                                                          std::int64_t odoo_id) = 0;
    virtual Result<void> put_id(const IdMapping& mapping) = 0;

    /// Replaces the saved levels of these buckets (one transaction).
    virtual Result<void> save_quota_levels(const std::vector<QuotaLevel>& levels) = 0;
    /// The saved levels of one seller's buckets in one SP-API region.
    virtual Result<std::vector<QuotaLevel>> quota_levels(const std::string& seller,
                                                         const std::string& region) = 0;

    /// Maintenance: deletes done jobs older than the done-job retention, ledger keys and audit
    /// entries older than the retention. Run it periodically (e.g. every few minutes).
    virtual Result<PurgeReport> purge_expired() = 0;
    /// Returns every leased job to the queue at once, as if its lease had expired (the attempt
    /// is recorded as `lease_expired`). Only for the one process that owns the store, at its
    /// start: the jobs it finds leased were being run by an earlier process that died (crash,
    /// SIGKILL, power loss), and waiting out their leases would delay them by minutes.
    /// Returns how many jobs were recovered.
    virtual Result<std::int64_t> recover_leases() = 0;

    /// Ready for work? False after disk-full / read-only write failures.
    virtual Health health() const = 0;
};

}  // namespace clarity::store
