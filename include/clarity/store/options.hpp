#pragma once
/// \file
/// Store configuration (`store:` section of the YAML file) and the per-flow retry policy, with
/// their specs and readers, and the factory that opens the configured store.

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>

#include "clarity/core/backoff.hpp"
#include "clarity/core/clock.hpp"
#include "clarity/core/config.hpp"
#include "clarity/core/metrics.hpp"
#include "clarity/core/random.hpp"
#include "clarity/store/store.hpp"

namespace clarity::store {

/// How hard a commit waits for the disk (SQLite `synchronous`).
enum class Durability {
    full,    ///< every commit survives power loss (fsync per commit)
    normal,  ///< commits survive a process crash; the last ones may be lost on power loss
};

struct StoreOptions {
    std::string path = "clarity.db";  ///< database file
    Durability durability = Durability::full;
    std::chrono::milliseconds busy_timeout{5000};
    std::chrono::milliseconds retention{std::chrono::hours{24 * 30}};  ///< ledger + audit
    std::chrono::milliseconds done_retention{std::chrono::hours{1}};   ///< done job rows
    std::chrono::milliseconds lease{std::chrono::minutes{5}};          ///< default claim lease
    std::int64_t max_size_mb = 0;       ///< 0 = unlimited; otherwise writes fail as "disk full"
    bool read_only = false;             ///< open without write access (admin views)
    core::BackoffPolicy default_retry;  ///< jobs of every flow
    std::map<std::string, core::BackoffPolicy> retry_by_flow;  ///< flow name -> policy
};

/// Keys of the `store:` section: path, durability, busy_timeout, retention, done_retention,
/// lease, max_size_mb, and `retry:` (a retry policy section, the default for every flow).
core::ConfigSpec store_config_spec();
/// Keys of a job retry policy section (core::backoff_config_spec with the store's defaults: 1s,
/// 15m, 10 attempts). Flows put one under their own section (e.g. `flows.order_import.retry`);
/// read it with core::backoff_from_config.
core::ConfigSpec retry_policy_spec();

/// Reads a validated `store:` node. Throws core::ConfigError on inconsistent values.
StoreOptions store_options_from_config(const core::ConfigNode& node);

/// Thrown when a store cannot be opened (missing directory, schema from a newer version, not a
/// database). The message says what to do.
class StoreOpenError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

/// What an opened store uses. `metrics` may be null.
struct StoreDeps {
    Clock& clock;
    Random& random;
    core::MetricsRegistry* metrics = nullptr;
};

/// Opens (creating and migrating when needed) the store at `options.path`. Throws StoreOpenError.
std::unique_ptr<Store> open_store(const StoreOptions& options, StoreDeps deps);

}  // namespace clarity::store
