// Queue benchmark (issue 3, "Performance"): the store against a raw sqlite3 program doing the
// same statements on the same schema with the same pragmas, in the same run. Each figure is the
// median of kRounds rounds; raw and store alternate within a round, each on a fresh file.
//
// Prints `name: value unit` lines and `ratio name: X (target ≥ Y)` lines.
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <iostream>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "clarity/core/log.hpp"
#include "clarity/core/metrics.hpp"
#include "clarity/store/options.hpp"
#include "migrations.hpp"

namespace {

namespace fs = std::filesystem;
using namespace clarity;
using Clock = std::chrono::steady_clock;

constexpr int kRounds = 5;

std::string payload_for(int i) {
    // ~1 KiB of JSON, like an order notification.
    std::string p = R"({"NotificationType":"ORDER_CHANGE","AmazonOrderId":"403-)" +
                    std::to_string(1000000 + i) + R"(","lines":[)";
    for (int l = 0; l < 12; ++l) {
        if (l > 0) p += ',';
        p += R"({"SellerSKU":"SKU-)" + std::to_string(l) +
             R"(","QuantityOrdered":1,"ItemPrice":{"CurrencyCode":"EUR","Amount":"19.99"}})";
    }
    p += "]}";
    return p;
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

void check(sqlite3* db, int rc, const char* what) {
    if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
        throw std::runtime_error(std::string(what) + ": " + sqlite3_errmsg(db));
    }
}

// ---- the raw baseline: plain sqlite3 calls, the statements the store issues --------------------

class Raw {
  public:
    Raw(const std::string& path, bool full) {
        check(db_, sqlite3_open(path.c_str(), &db_), "open");
        exec("PRAGMA journal_mode = WAL");
        exec("PRAGMA foreign_keys = ON");
        exec("PRAGMA cache_size = -16384");
        exec(full ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL");
        sqlite3_busy_timeout(db_, 5000);
        exec("BEGIN IMMEDIATE");
        if (query_int("PRAGMA user_version") == 0) {
            exec(std::string(store::sqlite::migrations()[0].sql).c_str());
            exec("PRAGMA user_version = 1");
        }
        exec("COMMIT");
        probe_ = prep(
            "SELECT job_id FROM ledger WHERE connection = ?1 AND flow = ?2 AND idempotency_key = "
            "?3");
        entity_ = prep(
            "SELECT 1 FROM jobs WHERE connection = ?1 AND entity_key = ?2 AND state < 3 LIMIT 1");
        insert_job_ = prep(
            "INSERT INTO jobs (connection, flow, idempotency_key, entity_key, payload, state, "
            "priority, run_after, enqueued_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
            "?9, ?9)");
        insert_ledger_ = prep(
            "INSERT INTO ledger (connection, flow, idempotency_key, job_id) VALUES (?1, ?2, ?3, "
            "?4)");
        expired_ = prep(
            "SELECT id, flow, attempts, connection, entity_key FROM jobs WHERE state = 1 AND "
            "lease_until <= ?1");
        ready_ = prep(
            "SELECT id, attempts, connection, flow, idempotency_key, entity_key, payload, "
            "priority, enqueued_at FROM jobs WHERE state = 0 AND run_after <= ?1 ORDER BY "
            "priority DESC, run_after, id LIMIT ?2");
        lease_ = prep(
            "UPDATE jobs SET state = 1, attempts = attempts + 1, lease_until = ?2, updated_at = ?3 "
            "WHERE id = ?1");
        ack_ = prep(
            "UPDATE jobs SET state = 3, lease_until = NULL, updated_at = ?3 WHERE id = ?1 AND "
            "state = 1 AND attempts = ?2 RETURNING connection, entity_key");
        promote_ = prep(
            "UPDATE jobs SET state = 0, updated_at = ?3 WHERE state = 2 AND id = (SELECT id FROM "
            "jobs WHERE connection = ?1 AND entity_key = ?2 AND state < 3 ORDER BY id LIMIT 1)");
    }
    ~Raw() {
        for (auto* s : {probe_, entity_, insert_job_, insert_ledger_, expired_, ready_, lease_,
                        ack_, promote_}) {
            sqlite3_finalize(s);
        }
        sqlite3_close(db_);
    }

    bool is_duplicate(const std::string& key) {
        bind3(probe_, key);
        const bool dup = sqlite3_step(probe_) == SQLITE_ROW;
        sqlite3_reset(probe_);
        return dup;
    }

    void enqueue(const std::string& key, const std::string& entity, const std::string& payload) {
        if (is_duplicate(key)) return;
        exec("BEGIN IMMEDIATE");
        enqueue_in_tx(key, entity, payload);
        exec("COMMIT");
    }

    void enqueue_in_tx(const std::string& key,
                       const std::string& entity,
                       const std::string& payload) {
        if (is_duplicate(key)) return;
        sqlite3_bind_text(entity_, 1, "eu", -1, SQLITE_STATIC);
        sqlite3_bind_text(entity_, 2, entity.c_str(), -1, SQLITE_TRANSIENT);
        const int state = sqlite3_step(entity_) == SQLITE_ROW ? 2 : 0;
        sqlite3_reset(entity_);
        const auto now = now_ms();
        sqlite3_bind_text(insert_job_, 1, "eu", -1, SQLITE_STATIC);
        sqlite3_bind_text(insert_job_, 2, "order_import", -1, SQLITE_STATIC);
        sqlite3_bind_text(insert_job_, 3, key.c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(insert_job_, 4, entity.c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(insert_job_, 5, payload.c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_bind_int(insert_job_, 6, state);
        sqlite3_bind_int(insert_job_, 7, 0);
        sqlite3_bind_int64(insert_job_, 8, now);
        sqlite3_bind_int64(insert_job_, 9, now);
        step_reset(insert_job_);
        const auto id = sqlite3_last_insert_rowid(db_);
        bind3(insert_ledger_, key);
        sqlite3_bind_int64(insert_ledger_, 4, id);
        step_reset(insert_ledger_);
    }

    struct Claimed {
        std::int64_t id;
        int attempt;
        std::string payload;
    };
    std::vector<Claimed> claim(int n) {
        std::vector<Claimed> out;
        exec("BEGIN IMMEDIATE");
        const auto now = now_ms();
        sqlite3_bind_int64(expired_, 1, now);
        while (sqlite3_step(expired_) == SQLITE_ROW) {
        }
        sqlite3_reset(expired_);
        sqlite3_bind_int64(ready_, 1, now);
        sqlite3_bind_int(ready_, 2, n);
        while (sqlite3_step(ready_) == SQLITE_ROW) {
            out.push_back({sqlite3_column_int64(ready_, 0), sqlite3_column_int(ready_, 1) + 1,
                           reinterpret_cast<const char*>(sqlite3_column_text(ready_, 6))});
        }
        sqlite3_reset(ready_);
        for (const auto& c : out) {
            sqlite3_bind_int64(lease_, 1, c.id);
            sqlite3_bind_int64(lease_, 2, now + 300000);
            sqlite3_bind_int64(lease_, 3, now);
            step_reset(lease_);
        }
        exec("COMMIT");
        return out;
    }

    void ack(const std::vector<Claimed>& jobs) {
        exec("BEGIN IMMEDIATE");
        const auto now = now_ms();
        for (const auto& c : jobs) {
            sqlite3_bind_int64(ack_, 1, c.id);
            sqlite3_bind_int(ack_, 2, c.attempt);
            sqlite3_bind_int64(ack_, 3, now);
            if (sqlite3_step(ack_) != SQLITE_ROW) throw std::runtime_error("raw ack lost");
            std::string conn = reinterpret_cast<const char*>(sqlite3_column_text(ack_, 0));
            std::string entity = reinterpret_cast<const char*>(sqlite3_column_text(ack_, 1));
            while (sqlite3_step(ack_) == SQLITE_ROW) {
            }
            sqlite3_reset(ack_);
            sqlite3_bind_text(promote_, 1, conn.c_str(), -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(promote_, 2, entity.c_str(), -1, SQLITE_TRANSIENT);
            sqlite3_bind_int64(promote_, 3, now);
            step_reset(promote_);
        }
        exec("COMMIT");
    }

    void exec(const char* sql) {
        check(db_, sqlite3_exec(db_, sql, nullptr, nullptr, nullptr), sql);
    }
    void exec(const std::string& sql) { exec(sql.c_str()); }
    std::int64_t query_int(const char* sql) {
        sqlite3_stmt* s = prep(sql);
        sqlite3_step(s);
        const auto v = sqlite3_column_int64(s, 0);
        sqlite3_finalize(s);
        return v;
    }
    sqlite3* handle() { return db_; }

  private:
    sqlite3_stmt* prep(const char* sql) {
        sqlite3_stmt* s = nullptr;
        check(db_, sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, nullptr), sql);
        return s;
    }
    void bind3(sqlite3_stmt* s, const std::string& key) {
        sqlite3_bind_text(s, 1, "eu", -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 2, "order_import", -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 3, key.c_str(), -1, SQLITE_TRANSIENT);
    }
    void step_reset(sqlite3_stmt* s) {
        const int rc = sqlite3_step(s);
        sqlite3_reset(s);
        check(db_, rc, "step");
    }
    static std::int64_t now_ms() {
        return std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::system_clock::now().time_since_epoch())
            .count();
    }

    sqlite3* db_ = nullptr;
    sqlite3_stmt *probe_ = nullptr, *entity_ = nullptr, *insert_job_ = nullptr,
                 *insert_ledger_ = nullptr, *expired_ = nullptr, *ready_ = nullptr,
                 *lease_ = nullptr, *ack_ = nullptr, *promote_ = nullptr;
};

// ---- the store ---------------------------------------------------------------------------------

struct StoreUnderTest {
    StoreUnderTest(const std::string& path, bool full) {
        store::StoreOptions o;
        o.path = path;
        o.durability = full ? store::Durability::full : store::Durability::normal;
        s = store::open_store(o, {SystemClock::instance(), random, &metrics});
    }
    DefaultRandom random;
    core::MetricsRegistry metrics;
    std::unique_ptr<store::Store> s;
};

store::NewJob new_job(const std::string& key,
                      const std::string& entity,
                      const std::string& payload) {
    return {.connection = "eu",
            .flow = "order_import",
            .idempotency_key = key,
            .entity_key = entity,
            .payload = payload};
}

void must(bool ok, const char* what) {
    if (!ok) throw std::runtime_error(std::string("store failed: ") + what);
}

// ---- scenarios ---------------------------------------------------------------------------------

class Files {
  public:
    Files() {
        dir_ = fs::temp_directory_path() / ("clarity-bench-queue-" + std::to_string(::getpid()));
        fs::create_directories(dir_);
    }
    ~Files() {
        std::error_code ec;
        fs::remove_all(dir_, ec);
    }
    std::string fresh() {
        const auto p = dir_ / ("db" + std::to_string(++n_) + ".db");
        return p.string();
    }
    void drop(const std::string& p) {
        for (auto suffix : {"", "-wal", "-shm"}) fs::remove(p + suffix);
    }

  private:
    fs::path dir_;
    int n_ = 0;
};

std::vector<std::string> payloads(int n) {
    std::vector<std::string> out;
    for (int i = 0; i < n; ++i) out.push_back(payload_for(i));
    return out;
}

// One job at a time: enqueue, claim(1), ack, each its own transaction. `batch` > 1: enqueue
// `batch` jobs one by one, claim them in one call, ack them in one transaction. `backlog` jobs
// are queued first (they are claimed ahead of the new ones: the queue length stays constant).
double run_raw(Files& files, bool full, int jobs, int batch, int backlog) {
    const auto path = files.fresh();
    double rate = 0;
    {
        Raw raw(path, full);
        const auto p = payloads(64);
        raw.exec("BEGIN IMMEDIATE");
        for (int i = 0; i < backlog; ++i) {
            raw.enqueue_in_tx("backlog-" + std::to_string(i), "bo-" + std::to_string(i), p[i % 64]);
        }
        raw.exec("COMMIT");
        const auto start = Clock::now();
        for (int i = 0; i < jobs; i += batch) {
            for (int b = 0; b < batch; ++b) {
                const auto k = std::to_string(i + b);
                raw.enqueue("job-" + k, "order-" + k, p[(i + b) % 64]);
            }
            auto c = raw.claim(batch);
            if (static_cast<int>(c.size()) != batch) throw std::runtime_error("raw claim short");
            raw.ack(c);
        }
        rate = jobs / std::chrono::duration<double>(Clock::now() - start).count();
    }
    files.drop(path);
    return rate;
}

double run_store(Files& files, bool full, int jobs, int batch, int backlog) {
    const auto path = files.fresh();
    double rate = 0;
    {
        StoreUnderTest st(path, full);
        const auto p = payloads(64);
        std::vector<store::NewJob> pre;
        for (int i = 0; i < backlog; ++i) {
            pre.push_back(
                new_job("backlog-" + std::to_string(i), "bo-" + std::to_string(i), p[i % 64]));
        }
        if (!pre.empty()) must(st.s->enqueue_batch(pre).has_value(), "backlog");
        const auto start = Clock::now();
        std::vector<std::pair<store::JobId, int>> acks;
        for (int i = 0; i < jobs; i += batch) {
            for (int b = 0; b < batch; ++b) {
                const auto k = std::to_string(i + b);
                must(st.s->enqueue(new_job("job-" + k, "order-" + k, p[(i + b) % 64])).has_value(),
                     "enqueue");
            }
            auto c = st.s->claim(static_cast<std::size_t>(batch));
            must(c && static_cast<int>(c->size()) == batch, "claim");
            if (batch == 1) {
                must(st.s->ack(c->front().id, c->front().attempt).has_value(), "ack");
            } else {
                acks.clear();
                for (const auto& j : *c) acks.emplace_back(j.id, j.attempt);
                must(st.s->ack_batch(acks).has_value(), "ack_batch");
            }
        }
        rate = jobs / std::chrono::duration<double>(Clock::now() - start).count();
    }
    files.drop(path);
    return rate;
}

struct Pair {
    double raw;
    double store;
};

Pair compare(Files& files, const char* name, bool full, int jobs, int batch) {
    std::vector<double> raw, st;
    for (int r = 0; r < kRounds; ++r) {
        if (r % 2 == 0) {
            raw.push_back(run_raw(files, full, jobs, batch, 0));
            st.push_back(run_store(files, full, jobs, batch, 0));
        } else {
            st.push_back(run_store(files, full, jobs, batch, 0));
            raw.push_back(run_raw(files, full, jobs, batch, 0));
        }
    }
    Pair out{median(raw), median(st)};
    std::printf("%s_raw: %.0f jobs/s\n", name, out.raw);
    std::printf("%s_store: %.0f jobs/s\n", name, out.store);
    std::fflush(stdout);
    return out;
}

// A ledger of 1M keys built in one transaction, then duplicate enqueues of random known keys.
void duplicates(Files& files) {
    constexpr int kKeys = 1'000'000;
    constexpr int kProbes = 100'000;
    const auto path = files.fresh();
    {
        Raw raw(path, true);
        const auto start = Clock::now();
        raw.exec("PRAGMA cache_size = -262144");  // setup only: 256 MiB so the build is fast
        raw.exec("BEGIN IMMEDIATE");
        sqlite3_stmt* ins = nullptr;
        sqlite3_prepare_v2(
            raw.handle(),
            "INSERT INTO ledger (connection, flow, idempotency_key, job_id, done_at) "
            "VALUES ('eu', 'order_import', ?1, ?2, ?2)",
            -1, &ins, nullptr);
        char key[32];
        for (int i = 0; i < kKeys; ++i) {
            const int n = std::snprintf(key, sizeof key, "key-%07d", i);
            sqlite3_bind_text(ins, 1, key, n, SQLITE_STATIC);
            sqlite3_bind_int64(ins, 2, i + 1);
            sqlite3_step(ins);
            sqlite3_reset(ins);
        }
        sqlite3_finalize(ins);
        raw.exec("COMMIT");
        raw.exec("PRAGMA wal_checkpoint(TRUNCATE)");
        std::printf("duplicate_setup_1M_keys: %.2f s\n",
                    std::chrono::duration<double>(Clock::now() - start).count());
    }
    std::mt19937 rng(42);
    std::vector<std::string> keys;
    for (int i = 0; i < kProbes; ++i) {
        char key[32];
        std::snprintf(key, sizeof key, "key-%07d",
                      std::uniform_int_distribution<int>(0, kKeys - 1)(rng));
        keys.emplace_back(key);
    }
    std::vector<double> raw_rates, store_rates;
    std::int64_t commits = 0;
    Raw raw(path, true);
    StoreUnderTest st(path, true);
    // Another connection's data_version changes with every commit by anyone else: a duplicate
    // enqueue must leave it (and so the WAL: no write, no fsync) untouched.
    const auto version_before = raw.query_int("PRAGMA data_version");
    const auto wal_before = fs::exists(path + "-wal") ? fs::file_size(path + "-wal") : 0;
    const auto payload = payload_for(0);
    for (int r = 0; r < kRounds; ++r) {
        auto t0 = Clock::now();
        int dups = 0;
        for (const auto& k : keys) dups += raw.is_duplicate(k) ? 1 : 0;
        raw_rates.push_back(kProbes / std::chrono::duration<double>(Clock::now() - t0).count());
        if (dups != kProbes) throw std::runtime_error("raw probe missed keys");
        t0 = Clock::now();
        dups = 0;
        for (const auto& k : keys) {
            auto res = st.s->enqueue(new_job(k, "order-" + k, payload));
            must(res.has_value(), "duplicate enqueue");
            dups += res->outcome == store::EnqueueOutcome::duplicate ? 1 : 0;
        }
        store_rates.push_back(kProbes / std::chrono::duration<double>(Clock::now() - t0).count());
        if (dups != kProbes) throw std::runtime_error("store enqueued a known key");
    }
    commits = raw.query_int("PRAGMA data_version") - version_before;
    const auto wal_after = fs::exists(path + "-wal") ? fs::file_size(path + "-wal") : 0;
    const double rr = median(raw_rates), sr = median(store_rates);
    std::printf("duplicate_enqueue_raw_probe: %.0f ops/s\n", rr);
    std::printf("duplicate_enqueue_store: %.0f ops/s\n", sr);
    std::printf("duplicate_enqueue_commits: %lld commits\n", static_cast<long long>(commits));
    std::printf("duplicate_enqueue_wal_growth: %lld bytes\n",
                static_cast<long long>(wal_after) - static_cast<long long>(wal_before));
    std::printf("ratio duplicate_enqueue_1M_keys: %.2f (target ≥ 0.5)\n", sr / rr);
    std::fflush(stdout);
}

}  // namespace

int main() {
    try {
        core::configure_logging({.level = "off"});
        Files files;
        std::printf("sqlite_version: %s\n", sqlite3_libversion());
        std::printf("rounds: %d (median)\n", kRounds);

        const auto normal = compare(files, "lifecycle_normal", false, 2000, 1);
        std::printf("ratio lifecycle_normal: %.2f (target ≥ 0.8)\n", normal.store / normal.raw);
        const auto full = compare(files, "lifecycle_full", true, 200, 1);
        std::printf("ratio lifecycle_full: %.2f (target ≥ 0.9)\n", full.store / full.raw);
        const auto batched = compare(files, "batched32_normal", false, 4096, 32);
        std::printf("ratio batched32_normal: %.2f (target ≥ 0.8)\n", batched.store / batched.raw);
        std::fflush(stdout);

        duplicates(files);

        std::vector<double> small, large;
        for (int r = 0; r < kRounds; ++r) {
            small.push_back(run_store(files, false, 2000, 1, 2'000));
            large.push_back(run_store(files, false, 2000, 1, 20'000));
        }
        const double s2k = median(small), s20k = median(large);
        std::printf("lifecycle_normal_2k_queued: %.0f jobs/s\n", s2k);
        std::printf("lifecycle_normal_20k_queued: %.0f jobs/s\n", s20k);
        std::printf("ratio queued_20k_vs_2k: %.2f (target ≥ 0.9)\n", s20k / s2k);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_queue: %s\n", e.what());
        return 1;
    }
    return 0;
}
