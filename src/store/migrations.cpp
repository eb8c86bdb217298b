#include "migrations.hpp"

#include <stdexcept>
#include <string>

namespace clarity::store::sqlite {
namespace {

// Times are milliseconds since the Unix epoch (UTC). Job ids are never reused (AUTOINCREMENT): a
// stale claim (id, attempt) of a purged job must not match a later job. Job states: 0 ready, 1
// leased, 2 waiting (behind an earlier job of its entity), 3 done, 4 dead. The partial indexes keep
// the claim path small however many done rows wait for purging.
constexpr std::string_view kV1 = R"sql(
CREATE TABLE jobs (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    connection      TEXT    NOT NULL,
    flow            TEXT    NOT NULL,
    idempotency_key TEXT    NOT NULL,
    entity_key      TEXT    NOT NULL,
    payload         TEXT    NOT NULL,
    state           INTEGER NOT NULL,
    priority        INTEGER NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    run_after       INTEGER NOT NULL,
    lease_until     INTEGER,
    enqueued_at     INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    last_error      TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX jobs_ready  ON jobs (priority DESC, run_after, id) WHERE state = 0;
CREATE INDEX jobs_leased ON jobs (lease_until) WHERE state = 1;
CREATE INDEX jobs_entity ON jobs (connection, entity_key, id) WHERE state < 3;
CREATE INDEX jobs_done   ON jobs (updated_at) WHERE state = 3;

CREATE TABLE ledger (
    connection      TEXT    NOT NULL,
    flow            TEXT    NOT NULL,
    idempotency_key TEXT    NOT NULL,
    job_id          INTEGER NOT NULL,
    done_at         INTEGER,
    PRIMARY KEY (connection, flow, idempotency_key)
) WITHOUT ROWID;
CREATE INDEX ledger_done ON ledger (done_at) WHERE done_at IS NOT NULL;

CREATE TABLE attempts (
    id         INTEGER PRIMARY KEY,
    job_id     INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    attempt    INTEGER NOT NULL,
    at         INTEGER NOT NULL,
    error_kind TEXT    NOT NULL,
    message    TEXT    NOT NULL
);
CREATE INDEX attempts_job ON attempts (job_id);

CREATE TABLE dead_letters (
    job_id     INTEGER PRIMARY KEY REFERENCES jobs (id) ON DELETE CASCADE,
    flow       TEXT    NOT NULL,
    error_kind TEXT    NOT NULL,
    message    TEXT    NOT NULL,
    dead_at    INTEGER NOT NULL
);
CREATE INDEX dead_letters_flow ON dead_letters (flow, error_kind);

CREATE TABLE cursors (
    connection TEXT    NOT NULL,
    name       TEXT    NOT NULL,
    value      TEXT    NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (connection, name)
) WITHOUT ROWID;

CREATE TABLE id_map (
    connection  TEXT    NOT NULL,
    kind        TEXT    NOT NULL,
    external_id TEXT    NOT NULL,
    odoo_model  TEXT    NOT NULL,
    odoo_id     INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    PRIMARY KEY (connection, kind, external_id)
) WITHOUT ROWID;
CREATE INDEX id_map_odoo ON id_map (connection, odoo_model, odoo_id);

CREATE TABLE audit (
    id     INTEGER PRIMARY KEY,
    at     INTEGER NOT NULL,
    job_id INTEGER,
    action TEXT    NOT NULL,
    detail TEXT    NOT NULL
);
CREATE INDEX audit_at ON audit (at);
)sql";

// SP-API usage-plan buckets (amazon::QuotaLimiter) as last saved, so a restarted daemon resumes
// from the levels it left instead of a full burst Amazon's buckets no longer hold. tokens may be
// negative (tokens reserved by calls waiting to be sent); rate is unscaled requests per second.
constexpr std::string_view kV2 = R"sql(
CREATE TABLE quota_levels (
    seller    TEXT    NOT NULL,
    operation TEXT    NOT NULL,
    tokens    REAL    NOT NULL,
    rate      REAL    NOT NULL,
    at        INTEGER NOT NULL,
    PRIMARY KEY (seller, operation)
) WITHOUT ROWID;
)sql";

// Quota levels keyed by (seller, region, operation): Amazon keeps one bucket per selling partner,
// region and operation, and connections sharing a seller in one region share one limiter. The
// version 2 rows do not say their region; they are dropped (a daemon upgraded mid-burst starts once
// with full buckets, as before version 2).
constexpr std::string_view kV3 = R"sql(
CREATE TABLE quota_levels_v3 (
    seller    TEXT    NOT NULL,
    region    TEXT    NOT NULL,
    operation TEXT    NOT NULL,
    tokens    REAL    NOT NULL,
    rate      REAL    NOT NULL,
    at        INTEGER NOT NULL,
    PRIMARY KEY (seller, region, operation)
) WITHOUT ROWID;
DROP TABLE quota_levels;
ALTER TABLE quota_levels_v3 RENAME TO quota_levels;
)sql";

// Claims that ended because the service the job needs was known to be down (its circuit breaker
// open, ErrorKind::unavailable): the job waited instead of using up an attempt. max_attempts
// compares attempts - waits; `attempts` stays the claim token.
constexpr std::string_view kV4 = R"sql(
ALTER TABLE jobs ADD COLUMN waits INTEGER NOT NULL DEFAULT 0;
)sql";

constexpr Migration kMigrations[] = {
    {1, "initial schema: jobs, ledger, attempts, dead letters, cursors, id map, audit", kV1},
    {2, "SP-API quota levels", kV2},
    {3, "SP-API quota levels per region", kV3},
    {4, "jobs.waits: claims that waited for a service to come back", kV4},
};

std::string newer_message(const std::string& path, std::int64_t found) {
    return "database " + path + " has schema version " + std::to_string(found) +
           ", newer than this build of clarity-connect understands (" +
           std::to_string(latest_schema_version()) +
           "): run the newer clarity-connect that wrote it, or restore a backup made before the "
           "upgrade";
}

}  // namespace

std::span<const Migration> migrations() { return kMigrations; }

int latest_schema_version() { return kMigrations[std::size(kMigrations) - 1].version; }

void migrate(Db& db, const std::string& path) {
    Transaction tx(db, Behavior::immediate);
    const auto current = db.query_int("PRAGMA user_version");
    if (current > latest_schema_version()) throw std::runtime_error(newer_message(path, current));
    if (current == latest_schema_version()) return;  // nothing written: rollback is a no-op
    for (const auto& m : kMigrations) {
        if (m.version <= current) continue;
        db.exec(m.sql);
        db.exec("PRAGMA user_version = " + std::to_string(m.version));
    }
    tx.commit();
}

void require_latest(Db& db, const std::string& path) {
    const auto current = db.query_int("PRAGMA user_version");
    if (current > latest_schema_version()) throw std::runtime_error(newer_message(path, current));
    if (current < latest_schema_version()) {
        throw std::runtime_error("database " + path + " has schema version " +
                                 std::to_string(current) + " but version " +
                                 std::to_string(latest_schema_version()) +
                                 " is needed: start the daemon (or any read-write command) once "
                                 "to migrate it");
    }
}

}  // namespace clarity::store::sqlite
