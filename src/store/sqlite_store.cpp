#include "sqlite_store.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <mutex>
#include <set>

#include "clarity/core/log.hpp"
#include "migrations.hpp"
#include "sqlite_db.hpp"

namespace clarity::store::sqlite {
namespace {

using std::chrono::milliseconds;

std::int64_t to_ms(TimePoint t) {
    return std::chrono::duration_cast<milliseconds>(t.time_since_epoch()).count();
}
TimePoint from_ms(std::int64_t ms) {
    return TimePoint{std::chrono::duration_cast<TimePoint::duration>(milliseconds{ms})};
}

// Statements of the hot path. Claim is SELECT then UPDATE inside BEGIN IMMEDIATE (measured 3x
// faster than UPDATE ... RETURNING on SQLite 3.40); ack marks done and maintenance purges later.
constexpr const char* kLedgerProbe =
    "SELECT job_id FROM ledger WHERE connection = ?1 AND flow = ?2 AND idempotency_key = ?3";
constexpr const char* kHurryEntity =
    "UPDATE jobs SET run_after = ?3, updated_at = ?3 WHERE connection = ?1 AND entity_key = ?2 "
    "AND state = 0 AND run_after > ?3";
constexpr const char* kEntityActive =
    "SELECT 1 FROM jobs WHERE connection = ?1 AND entity_key = ?2 AND state < 3 LIMIT 1";
constexpr const char* kInsertJob =
    "INSERT INTO jobs (connection, flow, idempotency_key, entity_key, payload, state, priority, "
    "run_after, enqueued_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)";
constexpr const char* kInsertLedger =
    "INSERT INTO ledger (connection, flow, idempotency_key, job_id) VALUES (?1, ?2, ?3, ?4)";
constexpr const char* kExpiredLeases =
    "SELECT id, flow, attempts, connection, entity_key, waits FROM jobs "
    "WHERE state = 1 AND lease_until <= ?1";
constexpr const char* kLeasesEndNow = "UPDATE jobs SET lease_until = ?1 WHERE state = 1";
constexpr const char* kSelectReady =
    "SELECT id, attempts, connection, flow, idempotency_key, entity_key, payload, priority, "
    "enqueued_at FROM jobs WHERE state = 0 AND run_after <= ?1 "
    "ORDER BY priority DESC, run_after, id LIMIT ?2";
constexpr const char* kSelectReadyFlows =
    "SELECT id, attempts, connection, flow, idempotency_key, entity_key, payload, priority, "
    "enqueued_at FROM jobs WHERE state = 0 AND run_after <= ?1 "
    "AND flow IN (SELECT value FROM json_each(?3)) "
    "ORDER BY priority DESC, run_after, id LIMIT ?2";
constexpr const char* kLeaseJob =
    "UPDATE jobs SET state = 1, attempts = attempts + 1, lease_until = ?2, updated_at = ?3 "
    "WHERE id = ?1";
constexpr const char* kExtendLease =
    "UPDATE jobs SET lease_until = ?3 WHERE id = ?1 AND state = 1 AND attempts = ?2";
constexpr const char* kAckJob =
    "UPDATE jobs SET state = 3, lease_until = NULL, updated_at = ?3 "
    "WHERE id = ?1 AND state = 1 AND attempts = ?2 RETURNING connection, entity_key";
constexpr const char* kPromoteNext =
    "UPDATE jobs SET state = 0, updated_at = ?3 WHERE state = 2 AND id = (SELECT id FROM jobs "
    "WHERE connection = ?1 AND entity_key = ?2 AND state < 3 ORDER BY id LIMIT 1)";
constexpr const char* kLeasedJob =
    "SELECT flow, attempts, connection, entity_key, waits FROM jobs "
    "WHERE id = ?1 AND state = 1 AND attempts = ?2";
constexpr const char* kRequeue =
    "UPDATE jobs SET state = 0, lease_until = NULL, run_after = ?2, updated_at = ?3, "
    "last_error = ?4 WHERE id = ?1";
constexpr const char* kPostpone =
    "UPDATE jobs SET state = 0, lease_until = NULL, waits = waits + 1, run_after = ?2, "
    "updated_at = ?3, last_error = ?4 WHERE id = ?1";
constexpr const char* kMarkDead =
    "UPDATE jobs SET state = 4, lease_until = NULL, updated_at = ?2, last_error = ?3 WHERE id = ?1";
constexpr const char* kInsertDead =
    "INSERT OR REPLACE INTO dead_letters (job_id, flow, error_kind, message, dead_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5)";
constexpr const char* kInsertAttempt =
    "INSERT INTO attempts (job_id, attempt, at, error_kind, message) VALUES (?1, ?2, ?3, ?4, ?5)";
constexpr const char* kInsertAudit =
    "INSERT INTO audit (at, job_id, action, detail) VALUES (?1, ?2, ?3, ?4)";
constexpr const char* kSetCursor =
    "INSERT INTO cursors (connection, name, value, updated_at) VALUES (?1, ?2, ?3, ?4) "
    "ON CONFLICT (connection, name) DO UPDATE SET value = excluded.value, "
    "updated_at = excluded.updated_at";
constexpr const char* kSaveQuota =
    "INSERT INTO quota_levels (seller, region, operation, tokens, rate, at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
    "ON CONFLICT (seller, region, operation) DO UPDATE SET tokens = excluded.tokens, "
    "rate = excluded.rate, at = excluded.at";
constexpr const char* kQuotaLevels =
    "SELECT operation, tokens, rate, at FROM quota_levels WHERE seller = ?1 AND region = ?2 "
    "ORDER BY operation";
constexpr const char* kGetCursor = "SELECT value FROM cursors WHERE connection = ?1 AND name = ?2";
constexpr const char* kPutId =
    "INSERT INTO id_map (connection, kind, external_id, odoo_model, odoo_id, updated_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (connection, kind, external_id) DO UPDATE SET "
    "odoo_model = excluded.odoo_model, odoo_id = excluded.odoo_id, updated_at = "
    "excluded.updated_at";
constexpr const char* kFindByExternal =
    "SELECT odoo_model, odoo_id FROM id_map WHERE connection = ?1 AND kind = ?2 AND external_id = "
    "?3";
constexpr const char* kFindByOdoo =
    "SELECT kind, external_id FROM id_map WHERE connection = ?1 AND odoo_model = ?2 AND "
    "odoo_id = ?3 ORDER BY kind, external_id LIMIT 1";
constexpr const char* kDeadJob =
    "SELECT connection, entity_key FROM jobs WHERE id = ?1 AND state = 4";
constexpr const char* kReplay =
    "UPDATE jobs SET state = ?2, attempts = 0, waits = 0, run_after = ?3, updated_at = ?3, "
    "lease_until = NULL WHERE id = ?1";
constexpr const char* kDeleteDeadLetter = "DELETE FROM dead_letters WHERE job_id = ?1";
constexpr const char* kDeadKeys =
    "SELECT connection, flow, idempotency_key FROM jobs WHERE id = ?1 AND state = 4";
constexpr const char* kLedgerDone =
    "UPDATE ledger SET done_at = ?5 WHERE connection = ?1 AND flow = ?2 AND idempotency_key = ?3 "
    "AND job_id = ?4";
constexpr const char* kDeleteJob = "DELETE FROM jobs WHERE id = ?1";
constexpr const char* kExpiredDone =
    "SELECT id, connection, flow, idempotency_key, updated_at FROM jobs "
    "WHERE state = 3 AND updated_at < ?1 LIMIT 500";
constexpr const char* kPurgeLedger = "DELETE FROM ledger WHERE done_at < ?1";
constexpr const char* kPurgeAudit = "DELETE FROM audit WHERE at < ?1";

constexpr const char* kJobColumns =
    "SELECT j.id, j.connection, j.flow, j.idempotency_key, j.entity_key, j.payload, j.state, "
    "j.priority, j.attempts, j.enqueued_at, j.updated_at, j.run_after, j.lease_until, "
    "j.last_error, d.error_kind, j.waits FROM jobs j LEFT JOIN dead_letters d ON d.job_id = j.id";

std::string json_array(const std::vector<std::string>& items) {
    std::string out = "[";
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i > 0) out += ',';
        out += '"';
        for (char c : items[i]) {
            if (c == '"' || c == '\\') out += '\\';
            out += c;
        }
        out += '"';
    }
    return out + "]";
}

JobInfo read_job(const Stmt& s) {
    JobInfo j;
    j.id = s.int64(0);
    j.connection = s.text(1);
    j.flow = s.text(2);
    j.idempotency_key = s.text(3);
    j.entity_key = s.text(4);
    j.payload = s.text(5);
    j.state = static_cast<JobState>(s.int32(6));
    j.priority = s.int32(7);
    j.attempts = s.int32(8);
    j.enqueued_at = from_ms(s.int64(9));
    j.updated_at = from_ms(s.int64(10));
    j.run_after = from_ms(s.int64(11));
    if (!s.is_null(12)) j.lease_until = from_ms(s.int64(12));
    j.last_error = s.text(13);
    if (!s.is_null(14)) j.dead_error_kind = s.text(14);
    j.waits = s.int32(15);
    return j;
}

// Dynamic WHERE for admin filters; binds in order of appearance.
struct FilterSql {
    std::string where;
    std::vector<std::string> binds;
};
FilterSql filter_sql(const JobFilter& f, bool dead_only) {
    FilterSql out;
    auto add = [&](const std::string& clause, const std::string& value) {
        out.where += out.where.empty() ? " WHERE " : " AND ";
        out.where += clause;
        out.binds.push_back(value);
    };
    if (dead_only) {
        out.where = " WHERE j.state = 4";
    } else if (f.state) {
        out.where = " WHERE j.state = " + std::to_string(static_cast<int>(*f.state));
    }
    if (!f.connection.empty()) add("j.connection = ?", f.connection);
    if (!f.flow.empty()) add("j.flow = ?", f.flow);
    if (!f.error_kind.empty()) add("d.error_kind = ?", f.error_kind);
    return out;
}

class SqliteStore;

class SqliteWriteTx final : public WriteTx {
  public:
    SqliteWriteTx(SqliteStore& store, std::int64_t now) : store_(store), now_(now) {}
    Result<EnqueueResult> enqueue(const NewJob& job) override;
    Result<void> set_cursor(const std::string& connection,
                            const std::string& name,
                            const std::string& value) override;
    Result<std::optional<std::string>> cursor(const std::string& connection,
                                              const std::string& name) override;
    Result<void> put_id(const IdMapping& mapping) override;
    Result<void> ack(JobId id, int attempt) override;

  private:
    SqliteStore& store_;
    std::int64_t now_;
};

// Lets the metrics collector outlive the store safely.
struct MetricsBridge {
    std::mutex mutex;
    SqliteStore* store = nullptr;
    std::set<core::Labels> job_labels;
    std::set<core::Labels> dead_labels;
};

class SqliteStore final : public Store {
  public:
    SqliteStore(const StoreOptions& options, StoreDeps deps)
        : options_(options),
          clock_(deps.clock),
          random_(deps.random),
          metrics_(deps.metrics),
          log_(core::logger("store")) {
        const auto mode = options.read_only ? OpenMode::read_only : OpenMode::read_write;
        writer_ = std::make_unique<Db>(options.path, mode);
        writer_->busy_timeout(options.busy_timeout);
        writer_->exec("PRAGMA foreign_keys = ON");
        if (options.read_only) {
            require_latest(*writer_, options.path);
        } else {
            const auto journal = writer_->query_text("PRAGMA journal_mode = WAL");
            if (journal != "wal") {
                throw std::runtime_error("could not switch " + options.path +
                                         " to WAL journal mode (got '" + journal +
                                         "'): the file system must support shared memory "
                                         "(not a network share)");
            }
            // 16 MiB page cache (default 2 MiB): keeps the ready/entity indexes and the ledger's
            // upper levels in memory however long the queue grows.
            writer_->exec("PRAGMA cache_size = -16384");
            writer_->exec(options.durability == Durability::full ? "PRAGMA synchronous = FULL"
                                                                 : "PRAGMA synchronous = NORMAL");
            if (options.max_size_mb > 0) {
                const auto page = writer_->query_int("PRAGMA page_size");
                const auto pages =
                    options.max_size_mb * 1024 * 1024 / std::max<std::int64_t>(page, 512);
                writer_->exec("PRAGMA max_page_count = " + std::to_string(pages));
            }
            migrate(*writer_, options.path);
        }
        if (metrics_ != nullptr) register_metrics();
    }

    ~SqliteStore() override {
        if (bridge_) {
            std::lock_guard lock(bridge_->mutex);
            bridge_->store = nullptr;
        }
    }

    // ---- writes -------------------------------------------------------------------------------

    Result<void> transact(const std::function<Result<void>(WriteTx&)>& body) override {
        std::lock_guard lock(write_mutex_);
        try {
            Transaction tx(*writer_, Behavior::immediate);
            SqliteWriteTx wtx(*this, now_ms());
            auto r = body(wtx);
            if (!r) return r;
            tx.commit();
            mark_ready();
            return {};
        } catch (const SqliteFailure& f) {
            return classify(f, "transaction");
        }
    }

    Result<EnqueueResult> enqueue(const NewJob& job) override {
        if (auto bad = validate(job)) return *bad;
        std::lock_guard lock(write_mutex_);
        try {
            // A known key costs one indexed read: no write transaction, hence no fsync (unless
            // it hurries its entity's jobs: enqueue_in_tx does that).
            if (!job.hurry_entity) {
                Use probe(writer_->cached(kLedgerProbe));
                probe->bind(1, job.connection).bind(2, job.flow).bind(3, job.idempotency_key);
                if (probe->step()) return EnqueueResult{EnqueueOutcome::duplicate, probe->int64(0)};
            }
            Transaction tx(*writer_, Behavior::immediate);
            auto r = enqueue_in_tx(job, now_ms());
            tx.commit();
            mark_ready();
            return r;
        } catch (const SqliteFailure& f) {
            return classify(f, "enqueue");
        }
    }

    Result<std::vector<EnqueueResult>> enqueue_batch(const std::vector<NewJob>& jobs) override {
        for (const auto& job : jobs) {
            if (auto bad = validate(job)) return *bad;
        }
        std::lock_guard lock(write_mutex_);
        try {
            Transaction tx(*writer_, Behavior::immediate);
            const auto now = now_ms();
            std::vector<EnqueueResult> out;
            out.reserve(jobs.size());
            for (const auto& job : jobs) out.push_back(enqueue_in_tx(job, now));
            tx.commit();
            mark_ready();
            return out;
        } catch (const SqliteFailure& f) {
            return classify(f, "enqueue_batch");
        }
    }

    Result<std::vector<ClaimedJob>> claim(std::size_t max,
                                          const std::vector<std::string>& flows,
                                          std::optional<milliseconds> lease,
                                          std::size_t at_least) override {
        const auto started = clock_.steady_now();
        std::lock_guard lock(write_mutex_);
        try {
            std::vector<ClaimedJob> out;
            if (max == 0) return out;
            Transaction tx(*writer_, Behavior::immediate);
            const auto now = now_ms();
            expire_leases(now);
            const auto lease_until = now + lease.value_or(options_.lease).count();
            {
                Use sel(writer_->cached(flows.empty() ? kSelectReady : kSelectReadyFlows));
                sel->bind(1, now).bind(2, static_cast<std::int64_t>(max));
                if (!flows.empty()) sel->bind(3, json_array(flows));
                while (sel->step()) {
                    ClaimedJob j;
                    j.id = sel->int64(0);
                    j.attempt = sel->int32(1) + 1;
                    j.connection = sel->text(2);
                    j.flow = sel->text(3);
                    j.idempotency_key = sel->text(4);
                    j.entity_key = sel->text(5);
                    j.payload = sel->text(6);
                    j.priority = sel->int32(7);
                    j.enqueued_at = from_ms(sel->int64(8));
                    j.lease_until = from_ms(lease_until);
                    out.push_back(std::move(j));
                }
            }
            if (out.size() < at_least) out.clear();  // not a whole cohort: none
            {
                Stmt& upd = writer_->cached(kLeaseJob);
                for (const auto& j : out) {
                    Use u(upd);
                    u->bind(1, j.id).bind(2, lease_until).bind(3, now);
                    u->run();
                }
            }
            tx.commit();
            mark_ready();
            observe(claim_seconds_, started);
            return out;
        } catch (const SqliteFailure& f) {
            return classify(f, "claim");
        }
    }

    Result<TimePoint> extend_lease(JobId id, int attempt, milliseconds lease) override {
        std::lock_guard lock(write_mutex_);
        try {
            const auto until = now_ms() + lease.count();
            Use u(writer_->cached(kExtendLease));
            u->bind(1, id).bind(2, attempt).bind(3, until);
            u->run();
            if (writer_->changes() == 0) return lost_lease(id, attempt);
            mark_ready();
            return from_ms(until);
        } catch (const SqliteFailure& f) {
            return classify(f, "extend_lease");
        }
    }

    Result<void> ack(JobId id, int attempt) override { return ack_batch({{id, attempt}}); }

    Result<void> ack_batch(const std::vector<std::pair<JobId, int>>& claims) override {
        const auto started = clock_.steady_now();
        std::lock_guard lock(write_mutex_);
        try {
            Transaction tx(*writer_, Behavior::immediate);
            const auto now = now_ms();
            for (const auto& [id, attempt] : claims) {
                if (!ack_in_tx(id, attempt, now)) return lost_lease(id, attempt);
            }
            tx.commit();
            mark_ready();
            observe(ack_seconds_, started);
            return {};
        } catch (const SqliteFailure& f) {
            return classify(f, "ack");
        }
    }

    Result<JobState> retry(JobId id, int attempt, const Error& error) override {
        std::lock_guard lock(write_mutex_);
        try {
            Transaction tx(*writer_, Behavior::immediate);
            const auto now = now_ms();
            auto job = leased_job(id, attempt);
            if (!job) return lost_lease(id, attempt);
            const auto& policy = policy_for(job->flow);
            const std::string kind(to_string(error.kind));
            JobState state = JobState::ready;
            if (job->tried() >= policy.max_attempts) {
                kill_in_tx(id, *job, kind,
                           error.message + " (gave up after " + std::to_string(job->tried()) +
                               " attempts)",
                           now);
                state = JobState::dead;
            } else {
                const auto delay = policy.delay(job->tried(), random_, error.retry_after);
                record_attempt(id, job->attempts, now, kind, error.message);
                Use u(writer_->cached(kRequeue));
                u->bind(1, id).bind(2, now + delay.count()).bind(3, now).bind(4, error.message);
                u->run();
                audit_in_tx(now, id, "retry",
                            "attempt " + std::to_string(job->attempts) + " failed (" + kind +
                                "): " + error.message + "; next in " +
                                std::to_string(delay.count()) + " ms");
            }
            tx.commit();
            mark_ready();
            return state;
        } catch (const SqliteFailure& f) {
            return classify(f, "retry");
        }
    }

    Result<void> postpone(JobId id, int attempt, const Error& error) override {
        std::lock_guard lock(write_mutex_);
        try {
            Transaction tx(*writer_, Behavior::immediate);
            const auto now = now_ms();
            auto job = leased_job(id, attempt);
            if (!job) return lost_lease(id, attempt);
            const std::chrono::milliseconds wait = std::max<std::chrono::milliseconds>(
                std::chrono::seconds{1}, error.retry_after.value_or(std::chrono::seconds{1}));
            Use u(writer_->cached(kPostpone));
            u->bind(1, id).bind(2, now + wait.count()).bind(3, now).bind(4, error.message);
            u->run();
            audit_in_tx(now, id, "wait",
                        "claim " + std::to_string(job->attempts) + " waits " +
                            std::to_string(wait.count()) + " ms (" +
                            std::string(to_string(error.kind)) + "): " + error.message);
            tx.commit();
            mark_ready();
            return {};
        } catch (const SqliteFailure& f) {
            return classify(f, "postpone");
        }
    }

    Result<void> fail(JobId id, int attempt, const Error& error) override {
        std::lock_guard lock(write_mutex_);
        try {
            Transaction tx(*writer_, Behavior::immediate);
            const auto now = now_ms();
            auto job = leased_job(id, attempt);
            if (!job) return lost_lease(id, attempt);
            kill_in_tx(id, *job, std::string(to_string(error.kind)), error.message, now);
            tx.commit();
            mark_ready();
            return {};
        } catch (const SqliteFailure& f) {
            return classify(f, "fail");
        }
    }

    Result<std::int64_t> replay_dead(JobId id) override {
        return with_write("replay", [&](std::int64_t now) {
            return std::int64_t{replay_in_tx(id, now) ? 1 : 0};
        });
    }

    Result<std::int64_t> replay_dead_matching(const JobFilter& filter) override {
        return with_write("replay", [&](std::int64_t now) {
            std::int64_t n = 0;
            for (auto id : dead_ids(filter)) n += replay_in_tx(id, now) ? 1 : 0;
            return n;
        });
    }

    Result<std::int64_t> purge_dead(JobId id) override {
        return with_write(
            "purge", [&](std::int64_t now) { return std::int64_t{purge_in_tx(id, now) ? 1 : 0}; });
    }

    Result<std::int64_t> purge_dead_matching(const JobFilter& filter) override {
        return with_write("purge", [&](std::int64_t now) {
            std::int64_t n = 0;
            for (auto id : dead_ids(filter)) n += purge_in_tx(id, now) ? 1 : 0;
            return n;
        });
    }

    Result<void> set_cursor(const std::string& connection,
                            const std::string& name,
                            const std::string& value) override {
        return transact([&](WriteTx& tx) { return tx.set_cursor(connection, name, value); });
    }

    Result<void> put_id(const IdMapping& mapping) override {
        return transact([&](WriteTx& tx) { return tx.put_id(mapping); });
    }

    Result<void> save_quota_levels(const std::vector<QuotaLevel>& levels) override {
        if (levels.empty()) return {};
        std::lock_guard lock(write_mutex_);
        try {
            Transaction tx(*writer_, Behavior::immediate);
            for (const auto& l : levels) {
                Use u(writer_->cached(kSaveQuota));
                u->bind(1, l.seller)
                    .bind(2, l.region)
                    .bind(3, l.operation)
                    .bind(4, l.tokens)
                    .bind(5, l.rate)
                    .bind(6, to_ms(l.at));
                u->run();
            }
            tx.commit();
            mark_ready();
            return {};
        } catch (const SqliteFailure& f) {
            return classify(f, "quota levels");
        }
    }

    Result<std::vector<QuotaLevel>> quota_levels(const std::string& seller,
                                                 const std::string& region) override {
        return with_reader("quota levels", [&](Db& db) {
            Stmt s(db.handle(), kQuotaLevels);
            s.bind(1, seller).bind(2, region);
            std::vector<QuotaLevel> out;
            while (s.step()) {
                out.push_back(QuotaLevel{seller, region, s.text(0), s.real(1), s.real(2),
                                         from_ms(s.int64(3))});
            }
            return out;
        });
    }

    Result<std::int64_t> recover_leases() override {
        std::lock_guard lock(write_mutex_);
        try {
            const auto now = now_ms();
            Transaction tx(*writer_, Behavior::immediate);
            {
                Use u(writer_->cached(kLeasesEndNow));
                u->bind(1, now);
                u->run();
            }
            const auto recovered = static_cast<std::int64_t>(writer_->changes());
            expire_leases(now,
                          "the daemon stopped while the job ran (crash or kill); "
                          "requeued at restart");
            tx.commit();
            mark_ready();
            if (recovered > 0) {
                log_->warn("{} job(s) were running when the daemon last stopped; requeued",
                           recovered);
            }
            return recovered;
        } catch (const SqliteFailure& f) {
            return classify(f, "recover_leases");
        }
    }

    Result<PurgeReport> purge_expired() override {
        std::lock_guard lock(write_mutex_);
        try {
            PurgeReport report;
            const auto now = now_ms();
            // Done rows in chunks, each its own short transaction, so claims are not held up.
            for (;;) {
                Transaction tx(*writer_, Behavior::immediate);
                std::vector<std::tuple<JobId, std::string, std::string, std::string, std::int64_t>>
                    rows;
                {
                    Use sel(writer_->cached(kExpiredDone));
                    sel->bind(1, now - options_.done_retention.count());
                    while (sel->step()) {
                        rows.emplace_back(sel->int64(0), sel->text(1), sel->text(2), sel->text(3),
                                          sel->int64(4));
                    }
                }
                for (const auto& [id, conn, flow, key, done_at] : rows) {
                    ledger_done(conn, flow, key, id, done_at);
                    Use del(writer_->cached(kDeleteJob));
                    del->bind(1, id);
                    del->run();
                }
                tx.commit();
                report.done_jobs += static_cast<std::int64_t>(rows.size());
                if (rows.size() < 500) break;
            }
            Transaction tx(*writer_, Behavior::immediate);
            const auto cutoff = now - options_.retention.count();
            {
                Use del(writer_->cached(kPurgeLedger));
                del->bind(1, cutoff);
                del->run();
                report.ledger_keys = writer_->changes();
            }
            {
                Use del(writer_->cached(kPurgeAudit));
                del->bind(1, cutoff);
                del->run();
                report.audit_entries = writer_->changes();
            }
            tx.commit();
            mark_ready();
            return report;
        } catch (const SqliteFailure& f) {
            return classify(f, "purge_expired");
        }
    }

    // ---- reads (reader connections) -----------------------------------------------------------

    Result<QueueStats> stats() override {
        return with_reader("stats", [&](Db& db) {
            QueueStats st;
            {
                Stmt s(db.handle(),
                       "SELECT flow, state, count(*) FROM jobs GROUP BY flow, state ORDER BY 1, 2");
                while (s.step()) {
                    st.by_flow_state.push_back(
                        {s.text(0), static_cast<JobState>(s.int32(1)), s.int64(2)});
                }
            }
            {
                Stmt s(db.handle(),
                       "SELECT flow, error_kind, count(*) FROM dead_letters GROUP BY 1, 2 "
                       "ORDER BY 1, 2");
                while (s.step()) st.dead_by_flow_kind.push_back({s.text(0), s.text(1), s.int64(2)});
            }
            {
                const auto now = now_ms();
                Stmt s(db.handle(),
                       "SELECT min(run_after) FROM jobs WHERE state = 0 AND run_after <= ?1");
                s.bind(1, now);
                if (s.step() && !s.is_null(0)) st.oldest_ready_age = milliseconds{now - s.int64(0)};
            }
            st.ledger_keys = db.query_int("SELECT count(*) FROM ledger");
            return st;
        });
    }

    Result<std::vector<JobInfo>> list_jobs(const JobFilter& filter) override {
        return with_reader("list", [&](Db& db) {
            const auto f = filter_sql(filter, false);
            Stmt s(db.handle(), std::string(kJobColumns) + f.where + " ORDER BY j.id LIMIT " +
                                    std::to_string(filter.limit));
            for (std::size_t i = 0; i < f.binds.size(); ++i)
                s.bind(static_cast<int>(i + 1), f.binds[i]);
            std::vector<JobInfo> out;
            while (s.step()) out.push_back(read_job(s));
            return out;
        });
    }

    Result<std::optional<JobInfo>> show_job(JobId id) override {
        return with_reader("show", [&](Db& db) {
            std::optional<JobInfo> out;
            Stmt s(db.handle(), std::string(kJobColumns) + " WHERE j.id = ?1");
            s.bind(1, id);
            if (!s.step()) return out;
            out = read_job(s);
            Stmt h(db.handle(),
                   "SELECT attempt, at, error_kind, message FROM attempts WHERE job_id = ?1 "
                   "ORDER BY id");
            h.bind(1, id);
            while (h.step()) {
                out->history.push_back({h.int32(0), from_ms(h.int64(1)), h.text(2), h.text(3)});
            }
            return out;
        });
    }

    Result<std::vector<AuditEntry>> audit(std::size_t limit) override {
        return with_reader("audit", [&](Db& db) {
            Stmt s(db.handle(),
                   "SELECT id, at, job_id, action, detail FROM audit ORDER BY id DESC LIMIT ?1");
            s.bind(1, static_cast<std::int64_t>(limit));
            std::vector<AuditEntry> out;
            while (s.step()) {
                out.push_back({s.int64(0), from_ms(s.int64(1)), s.int64(2), s.text(3), s.text(4)});
            }
            return out;
        });
    }

    Result<std::optional<std::string>> cursor(const std::string& connection,
                                              const std::string& name) override {
        return with_reader("cursor", [&](Db& db) {
            Stmt s(db.handle(), kGetCursor);
            s.bind(1, connection).bind(2, name);
            return s.step() ? std::optional<std::string>(s.text(0)) : std::nullopt;
        });
    }

    Result<std::optional<IdMapping>> find_by_external(const std::string& connection,
                                                      const std::string& kind,
                                                      const std::string& external_id) override {
        return with_reader("id_map", [&](Db& db) {
            std::optional<IdMapping> out;
            Stmt s(db.handle(), kFindByExternal);
            s.bind(1, connection).bind(2, kind).bind(3, external_id);
            if (s.step()) out = IdMapping{connection, kind, external_id, s.text(0), s.int64(1)};
            return out;
        });
    }

    Result<std::optional<IdMapping>> find_by_odoo(const std::string& connection,
                                                  const std::string& odoo_model,
                                                  std::int64_t odoo_id) override {
        return with_reader("id_map", [&](Db& db) {
            std::optional<IdMapping> out;
            Stmt s(db.handle(), kFindByOdoo);
            s.bind(1, connection).bind(2, odoo_model).bind(3, odoo_id);
            if (s.step()) out = IdMapping{connection, s.text(0), s.text(1), odoo_model, odoo_id};
            return out;
        });
    }

    Health health() const override {
        std::lock_guard lock(health_mutex_);
        return health_;
    }

    // ---- used by SqliteWriteTx (writer lock held, transaction open) ---------------------------

    // NewJob::hurry_entity: the entity's queued jobs that are not due become due now.
    void hurry_entity(const NewJob& job, std::int64_t now) {
        if (job.entity_key.empty()) return;
        Use hurry(writer_->cached(kHurryEntity));
        hurry->bind(1, job.connection).bind(2, job.entity_key).bind(3, now);
        hurry->run();
    }

    EnqueueResult enqueue_in_tx(const NewJob& job, std::int64_t now) {
        {
            Use probe(writer_->cached(kLedgerProbe));
            probe->bind(1, job.connection).bind(2, job.flow).bind(3, job.idempotency_key);
            if (probe->step()) {
                const JobId existing = probe->int64(0);
                if (job.hurry_entity) hurry_entity(job, now);
                return {EnqueueOutcome::duplicate, existing};
            }
        }
        if (job.hurry_entity) hurry_entity(job, now);
        int state = kReady;
        if (!job.entity_key.empty()) {
            Use active(writer_->cached(kEntityActive));
            active->bind(1, job.connection).bind(2, job.entity_key);
            if (active->step()) state = kWaiting;
        }
        {
            Use ins(writer_->cached(kInsertJob));
            ins->bind(1, job.connection)
                .bind(2, job.flow)
                .bind(3, job.idempotency_key)
                .bind(4, job.entity_key)
                .bind(5, job.payload)
                .bind(6, state)
                .bind(7, job.priority)
                .bind(8, job.run_after ? to_ms(*job.run_after) : now)
                .bind(9, now);
            ins->run();
        }
        const JobId id = writer_->last_insert_rowid();
        Use led(writer_->cached(kInsertLedger));
        led->bind(1, job.connection).bind(2, job.flow).bind(3, job.idempotency_key).bind(4, id);
        led->run();
        return {EnqueueOutcome::enqueued, id};
    }

    bool ack_in_tx(JobId id, int attempt, std::int64_t now) {
        std::string connection, entity;
        {
            Use u(writer_->cached(kAckJob));
            u->bind(1, id).bind(2, attempt).bind(3, now);
            if (!u->step()) return false;
            connection = u->text(0);
            entity = u->text(1);
            u->run();
        }
        promote_next(connection, entity, now);
        return true;
    }

    void set_cursor_in_tx(const std::string& connection,
                          const std::string& name,
                          const std::string& value,
                          std::int64_t now) {
        Use u(writer_->cached(kSetCursor));
        u->bind(1, connection).bind(2, name).bind(3, value).bind(4, now);
        u->run();
    }

    std::optional<std::string> cursor_in_tx(const std::string& connection,
                                            const std::string& name) {
        Use s(writer_->cached(kGetCursor));
        s->bind(1, connection).bind(2, name);
        if (s->step()) return s->text(0);
        return std::nullopt;
    }

    void put_id_in_tx(const IdMapping& m, std::int64_t now) {
        Use u(writer_->cached(kPutId));
        u->bind(1, m.connection)
            .bind(2, m.kind)
            .bind(3, m.external_id)
            .bind(4, m.odoo_model)
            .bind(5, m.odoo_id)
            .bind(6, now);
        u->run();
    }

    Error classify(const SqliteFailure& f, std::string_view operation) {
        Error e;
        e.context = "store " + std::string(operation) + " (" + options_.path + ")";
        switch (f.primary()) {
            case SQLITE_BUSY:
            case SQLITE_LOCKED:
                e.kind = ErrorKind::transient;
                e.message =
                    "database is busy: another process held the write lock longer than "
                    "store.busy_timeout; the operation can be retried (" +
                    std::string(f.what()) + ")";
                break;
            case SQLITE_FULL:
                e.kind = ErrorKind::transient;
                e.message =
                    "database or disk is full: free space on the volume holding " + options_.path +
                    (options_.max_size_mb > 0 ? " or raise store.max_size_mb (now " +
                                                    std::to_string(options_.max_size_mb) + ")"
                                              : std::string{}) +
                    ", then the store is ready again";
                mark_not_ready(e.message);
                break;
            case SQLITE_READONLY:
                e.kind = ErrorKind::permanent;
                e.message = "database is read-only: " + options_.path +
                            " (and its directory, for the -wal and -shm files) must be writable "
                            "by the daemon's user on a read-write mount (" +
                            std::string(f.what()) + ")";
                mark_not_ready(e.message);
                break;
            case SQLITE_IOERR:
                e.kind = ErrorKind::transient;
                e.message = "disk I/O error on " + options_.path +
                            ": check the disk and the kernel log (" + std::string(f.what()) + ")";
                mark_not_ready(e.message);
                break;
            case SQLITE_CORRUPT:
            case SQLITE_NOTADB:
                e.kind = ErrorKind::permanent;
                e.message = "database file " + options_.path +
                            " is damaged: stop the daemon and restore it from a backup (" +
                            std::string(f.what()) + ")";
                mark_not_ready(e.message);
                break;
            default:
                e.kind = ErrorKind::permanent;
                e.message = std::string("unexpected database error: ") + f.what();
                break;
        }
        log_->error("{}: {}", e.context, e.message);
        return e;
    }

  private:
    struct LeasedJob {
        std::string flow;
        int attempts = 0;  ///< claims so far (the claim token)
        std::string connection;
        std::string entity_key;
        int waits = 0;  ///< claims that ended in postpone()
        /// Attempts that count against max_attempts: claims that were not waits.
        int tried() const noexcept { return attempts - waits; }
    };

    std::int64_t now_ms() const { return to_ms(clock_.now()); }

    std::optional<Error> validate(const NewJob& job) const {
        if (job.flow.empty() || job.idempotency_key.empty()) {
            return make_error(ErrorKind::permanent,
                              "a job needs a flow and an idempotency key (flow='" + job.flow +
                                  "', key='" + job.idempotency_key + "')",
                              "store enqueue");
        }
        return std::nullopt;
    }

    const core::BackoffPolicy& policy_for(const std::string& flow) const {
        auto it = options_.retry_by_flow.find(flow);
        return it == options_.retry_by_flow.end() ? options_.default_retry : it->second;
    }

    Error lost_lease(JobId id, int attempt) const {
        return make_error(ErrorKind::conflict,
                          "job " + std::to_string(id) + " is no longer leased by attempt " +
                              std::to_string(attempt) +
                              " (its lease expired and it was claimed again, or it was already "
                              "acked): drop this result; the other claim owns the job",
                          "store");
    }

    void mark_ready() {
        std::lock_guard lock(health_mutex_);
        if (!health_.ready) log_->info("store is writable again: ready");
        health_ = Health{};
    }
    void mark_not_ready(const std::string& reason) {
        std::lock_guard lock(health_mutex_);
        health_ = Health{false, reason};
    }

    template <class F>
    auto with_write(std::string_view op, F f) -> Result<decltype(f(std::int64_t{}))> {
        std::lock_guard lock(write_mutex_);
        try {
            Transaction tx(*writer_, Behavior::immediate);
            auto out = f(now_ms());
            tx.commit();
            mark_ready();
            return out;
        } catch (const SqliteFailure& fl) {
            return classify(fl, op);
        }
    }

    template <class F>
    auto with_reader(std::string_view op, F f) -> Result<decltype(f(std::declval<Db&>()))> {
        std::unique_ptr<Db> db;
        try {
            {
                std::lock_guard lock(readers_mutex_);
                if (!readers_.empty()) {
                    db = std::move(readers_.back());
                    readers_.pop_back();
                }
            }
            if (!db) {
                db = std::make_unique<Db>(options_.path, OpenMode::read_only);
                db->busy_timeout(options_.busy_timeout);
            }
            // A read transaction gives a consistent snapshot; WAL readers never block the writer.
            Transaction tx(*db, Behavior::deferred);
            auto out = f(*db);
            tx.commit();
            std::lock_guard lock(readers_mutex_);
            if (readers_.size() < 4) readers_.push_back(std::move(db));
            return out;
        } catch (const SqliteFailure& fl) {
            return classify(fl, op);
        }
    }

    std::optional<LeasedJob> leased_job(JobId id, int attempt) {
        Use s(writer_->cached(kLeasedJob));
        s->bind(1, id).bind(2, attempt);
        if (!s->step()) return std::nullopt;
        return LeasedJob{s->text(0), s->int32(1), s->text(2), s->text(3), s->int32(4)};
    }

    void promote_next(const std::string& connection, const std::string& entity, std::int64_t now) {
        if (entity.empty()) return;
        Use p(writer_->cached(kPromoteNext));
        p->bind(1, connection).bind(2, entity).bind(3, now);
        p->run();
    }

    void record_attempt(JobId id,
                        int attempt,
                        std::int64_t now,
                        const std::string& kind,
                        const std::string& message) {
        Use u(writer_->cached(kInsertAttempt));
        u->bind(1, id).bind(2, attempt).bind(3, now).bind(4, kind).bind(5, message);
        u->run();
    }

    void audit_in_tx(std::int64_t now, JobId id, const char* action, const std::string& detail) {
        Use u(writer_->cached(kInsertAudit));
        u->bind(1, now).bind(2, id).bind(3, action).bind(4, detail);
        u->run();
    }

    void kill_in_tx(JobId id,
                    const LeasedJob& job,
                    const std::string& kind,
                    const std::string& message,
                    std::int64_t now) {
        record_attempt(id, job.attempts, now, kind, message);
        {
            Use u(writer_->cached(kMarkDead));
            u->bind(1, id).bind(2, now).bind(3, message);
            u->run();
        }
        {
            Use u(writer_->cached(kInsertDead));
            u->bind(1, id).bind(2, job.flow).bind(3, kind).bind(4, message).bind(5, now);
            u->run();
        }
        audit_in_tx(now, id, "dead", kind + ": " + message);
        log_->warn("job {} ({}, entity '{}') dead-lettered: {}: {}", id, job.flow, job.entity_key,
                   kind, message);
        // A dead letter no longer holds up later jobs of its entity; they re-read the entity.
        promote_next(job.connection, job.entity_key, now);
    }

    void expire_leases(
        std::int64_t now,
        const std::string& message = "lease expired: the worker crashed, hung or was too slow") {
        std::vector<std::pair<JobId, LeasedJob>> expired;
        {
            Use s(writer_->cached(kExpiredLeases));
            s->bind(1, now);
            while (s->step()) {
                expired.emplace_back(s->int64(0), LeasedJob{s->text(1), s->int32(2), s->text(3),
                                                            s->text(4), s->int32(5)});
            }
        }
        for (const auto& [id, job] : expired) {
            if (job.tried() >= policy_for(job.flow).max_attempts) {
                kill_in_tx(
                    id, job, "lease_expired",
                    message + " (gave up after " + std::to_string(job.tried()) + " attempts)", now);
                continue;
            }
            record_attempt(id, job.attempts, now, "lease_expired", message);
            Use u(writer_->cached(kRequeue));
            u->bind(1, id).bind(2, now).bind(3, now).bind(4, message);
            u->run();
            audit_in_tx(now, id, "lease_expired", "attempt " + std::to_string(job.attempts));
            log_->warn("job {} ({}): {}", id, job.flow, message);
        }
    }

    std::vector<JobId> dead_ids(const JobFilter& filter) {
        const auto f = filter_sql(filter, true);
        Stmt s(writer_->handle(),
               "SELECT j.id FROM jobs j LEFT JOIN dead_letters d ON d.job_id = "
               "j.id" +
                   f.where + " ORDER BY j.id");
        for (std::size_t i = 0; i < f.binds.size(); ++i)
            s.bind(static_cast<int>(i + 1), f.binds[i]);
        std::vector<JobId> out;
        while (s.step()) out.push_back(s.int64(0));
        return out;
    }

    bool replay_in_tx(JobId id, std::int64_t now) {
        std::string connection, entity;
        {
            Use s(writer_->cached(kDeadJob));
            s->bind(1, id);
            if (!s->step()) return false;
            connection = s->text(0);
            entity = s->text(1);
        }
        int state = kReady;
        if (!entity.empty()) {
            Use active(writer_->cached(kEntityActive));
            active->bind(1, connection).bind(2, entity);
            if (active->step()) state = kWaiting;
        }
        {
            Use u(writer_->cached(kReplay));
            u->bind(1, id).bind(2, state).bind(3, now);
            u->run();
        }
        {
            Use d(writer_->cached(kDeleteDeadLetter));
            d->bind(1, id);
            d->run();
        }
        audit_in_tx(now, id, "replay", "dead letter back to the queue");
        return true;
    }

    bool purge_in_tx(JobId id, std::int64_t now) {
        std::string connection, flow, key;
        {
            Use s(writer_->cached(kDeadKeys));
            s->bind(1, id);
            if (!s->step()) return false;
            connection = s->text(0);
            flow = s->text(1);
            key = s->text(2);
        }
        ledger_done(connection, flow, key, id, now);
        {
            Use d(writer_->cached(kDeleteJob));
            d->bind(1, id);
            d->run();
        }
        audit_in_tx(now, id, "purge", "dead letter deleted (" + flow + ", key " + key + ")");
        return true;
    }

    void ledger_done(const std::string& connection,
                     const std::string& flow,
                     const std::string& key,
                     JobId id,
                     std::int64_t at) {
        Use u(writer_->cached(kLedgerDone));
        u->bind(1, connection).bind(2, flow).bind(3, key).bind(4, id).bind(5, at);
        u->run();
    }

    void observe(core::Histogram* h, std::chrono::steady_clock::time_point started) {
        if (h == nullptr) return;
        h->observe(std::chrono::duration<double>(clock_.steady_now() - started).count());
    }

    void register_metrics() {
        claim_seconds_ = &metrics_->histogram("clarity_store_claim_seconds",
                                              "Time to claim a batch of jobs (one transaction)");
        ack_seconds_ = &metrics_->histogram("clarity_store_ack_seconds",
                                            "Time to ack one job or a batch (one transaction)");
        bridge_ = std::make_shared<MetricsBridge>();
        bridge_->store = this;
        std::weak_ptr<MetricsBridge> weak = bridge_;
        core::MetricsRegistry* registry = metrics_;
        registry->add_collector([weak, registry] {
            auto bridge = weak.lock();
            if (!bridge) return;
            std::lock_guard lock(bridge->mutex);
            if (bridge->store == nullptr) return;
            auto st = bridge->store->stats();
            if (!st) return;
            for (const auto& labels : bridge->job_labels) {
                registry->gauge("clarity_store_jobs", "Jobs by flow and state", labels).set(0);
            }
            for (const auto& row : st->by_flow_state) {
                core::Labels labels{{"flow", row.flow},
                                    {"state", std::string(to_string(row.state))}};
                registry->gauge("clarity_store_jobs", "Jobs by flow and state", labels)
                    .set(static_cast<double>(row.count));
                bridge->job_labels.insert(labels);
            }
            for (const auto& labels : bridge->dead_labels) {
                registry
                    ->gauge("clarity_store_dead_letters", "Dead letters by flow and error kind",
                            labels)
                    .set(0);
            }
            for (const auto& row : st->dead_by_flow_kind) {
                core::Labels labels{{"flow", row.flow}, {"error_kind", row.error_kind}};
                registry
                    ->gauge("clarity_store_dead_letters", "Dead letters by flow and error kind",
                            labels)
                    .set(static_cast<double>(row.count));
                bridge->dead_labels.insert(labels);
            }
            registry
                ->gauge("clarity_store_oldest_ready_age_seconds",
                        "Age of the oldest job that is due and not yet claimed (0 when none)")
                .set(st->oldest_ready_age
                         ? std::chrono::duration<double>(*st->oldest_ready_age).count()
                         : 0.0);
            registry->gauge("clarity_store_ready", "1 when the store accepts writes, 0 otherwise")
                .set(bridge->store->health().ready ? 1.0 : 0.0);
        });
    }

    StoreOptions options_;
    Clock& clock_;
    Random& random_;
    core::MetricsRegistry* metrics_;
    std::shared_ptr<spdlog::logger> log_;
    std::mutex write_mutex_;
    std::unique_ptr<Db> writer_;
    std::mutex readers_mutex_;
    std::vector<std::unique_ptr<Db>> readers_;
    mutable std::mutex health_mutex_;
    Health health_;
    core::Histogram* claim_seconds_ = nullptr;
    core::Histogram* ack_seconds_ = nullptr;
    std::shared_ptr<MetricsBridge> bridge_;
};

Result<EnqueueResult> SqliteWriteTx::enqueue(const NewJob& job) {
    if (job.flow.empty() || job.idempotency_key.empty()) {
        return make_error(ErrorKind::permanent, "a job needs a flow and an idempotency key",
                          "store enqueue");
    }
    try {
        return store_.enqueue_in_tx(job, now_);
    } catch (const SqliteFailure& f) {
        return store_.classify(f, "enqueue");
    }
}

Result<void> SqliteWriteTx::set_cursor(const std::string& connection,
                                       const std::string& name,
                                       const std::string& value) {
    try {
        store_.set_cursor_in_tx(connection, name, value, now_);
        return {};
    } catch (const SqliteFailure& f) {
        return store_.classify(f, "set_cursor");
    }
}

Result<std::optional<std::string>> SqliteWriteTx::cursor(const std::string& connection,
                                                         const std::string& name) {
    try {
        return store_.cursor_in_tx(connection, name);
    } catch (const SqliteFailure& f) {
        return store_.classify(f, "cursor");
    }
}

Result<void> SqliteWriteTx::put_id(const IdMapping& mapping) {
    try {
        store_.put_id_in_tx(mapping, now_);
        return {};
    } catch (const SqliteFailure& f) {
        return store_.classify(f, "put_id");
    }
}

Result<void> SqliteWriteTx::ack(JobId id, int attempt) {
    try {
        if (!store_.ack_in_tx(id, attempt, now_)) {
            return make_error(ErrorKind::conflict,
                              "job " + std::to_string(id) + " is no longer leased by attempt " +
                                  std::to_string(attempt) +
                                  ": drop this result; the other claim owns the job",
                              "store ack");
        }
        return {};
    } catch (const SqliteFailure& f) {
        return store_.classify(f, "ack");
    }
}

}  // namespace

std::unique_ptr<Store> open_sqlite_store(const StoreOptions& options, StoreDeps deps) {
    try {
        return std::make_unique<SqliteStore>(options, deps);
    } catch (const SqliteFailure& f) {
        const int primary = f.primary();
        if (primary == SQLITE_CANTOPEN) {
            throw StoreOpenError("cannot open the store database " + options.path + " (" +
                                 f.what() +
                                 "): check that its directory exists and is writable by the "
                                 "daemon's user, or set store.path");
        }
        if (primary == SQLITE_NOTADB || primary == SQLITE_CORRUPT) {
            throw StoreOpenError(options.path + " is not a usable clarity-connect database (" +
                                 f.what() +
                                 "): point store.path at another file, or restore a backup");
        }
        if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) {
            throw StoreOpenError("the store database " + options.path +
                                 " stayed locked by another process for longer than "
                                 "store.busy_timeout while opening: try again (" +
                                 f.what() + ")");
        }
        if (primary == SQLITE_READONLY) {
            throw StoreOpenError("the store database " + options.path +
                                 " is read-only but must be created or migrated: make the file "
                                 "and its directory writable (" +
                                 f.what() + ")");
        }
        if (primary == SQLITE_FULL) {
            throw StoreOpenError("no space left to open " + options.path +
                                 ": free disk space or raise store.max_size_mb (" + f.what() + ")");
        }
        throw StoreOpenError("cannot open the store database " + options.path + ": " + f.what());
    } catch (const StoreOpenError&) {
        throw;
    } catch (const std::runtime_error& e) {
        throw StoreOpenError(e.what());
    }
}

}  // namespace clarity::store::sqlite
