#include "clarity/store/options.hpp"

#include <algorithm>

#include "sqlite_store.hpp"

namespace clarity::store {

std::string_view to_string(JobState state) noexcept {
    switch (state) {
        case JobState::ready:
            return "ready";
        case JobState::leased:
            return "leased";
        case JobState::waiting:
            return "waiting";
        case JobState::done:
            return "done";
        case JobState::dead:
            return "dead";
    }
    return "unknown";
}

std::optional<JobState> parse_job_state(std::string_view name) noexcept {
    for (auto s :
         {JobState::ready, JobState::leased, JobState::waiting, JobState::done, JobState::dead}) {
        if (to_string(s) == name) return s;
    }
    return std::nullopt;
}

core::ConfigSpec retry_policy_spec() {
    return core::backoff_config_spec(
        core::BackoffPolicy{},
        "Attempts before the job becomes a dead letter (including the first)");
}

core::ConfigSpec store_config_spec() {
    using core::ConfigType;
    core::ConfigSpec spec;
    spec.add({.name = "path",
              .type = ConfigType::string,
              .description = "Database file (created on first start; its directory must exist)",
              .default_value = "clarity.db"});
    spec.add({.name = "durability",
              .type = ConfigType::string,
              .description = "full: every commit survives power loss (fsync per commit); normal: "
                             "commits survive a crash of the process, the last ones may be lost "
                             "on power loss, about 4x faster",
              .default_value = "full",
              .allowed = {"full", "normal"}});
    spec.add({.name = "busy_timeout",
              .type = ConfigType::duration,
              .description = "How long a write waits for another process's lock before failing "
                             "as transient",
              .default_value = "5s"});
    spec.add({.name = "retention",
              .type = ConfigType::duration,
              .description = "How long idempotency keys of finished jobs and audit entries are "
                             "kept (late redeliveries within it are duplicates)",
              .default_value = "30d"});
    spec.add({.name = "done_retention",
              .type = ConfigType::duration,
              .description = "How long finished job rows (with payload) are kept for inspection",
              .default_value = "1h"});
    spec.add({.name = "lease",
              .type = ConfigType::duration,
              .description = "Default lease of a claimed job; a worker that does not ack, retry "
                             "or extend within it is presumed dead and the job runs again",
              .default_value = "5m"});
    spec.add({.name = "max_size_mb",
              .type = ConfigType::integer,
              .description = "Largest database size in MiB (0 = unlimited); beyond it writes fail "
                             "as 'disk full' and the daemon reports not ready",
              .default_value = "0"});
    spec.add_section("retry", "Default retry policy of every flow (flows may override)",
                     retry_policy_spec());
    return spec;
}

StoreOptions store_options_from_config(const core::ConfigNode& node) {
    StoreOptions o;
    if (node.has("path")) o.path = node.get_string("path");
    if (o.path.empty()) node.fail("path", "must not be empty");
    if (node.has("durability")) {
        const auto d = node.get_string("durability");
        if (d == "full") {
            o.durability = Durability::full;
        } else if (d == "normal") {
            o.durability = Durability::normal;
        } else {
            node.fail("durability", "'" + d + "' is not full or normal");
        }
    }
    if (node.has("busy_timeout")) o.busy_timeout = node.get_duration("busy_timeout");
    if (node.has("retention")) o.retention = node.get_duration("retention");
    if (node.has("done_retention")) o.done_retention = node.get_duration("done_retention");
    if (node.has("lease")) o.lease = node.get_duration("lease");
    if (node.has("max_size_mb")) o.max_size_mb = node.get_int("max_size_mb");
    if (node.has("retry")) o.default_retry = core::backoff_from_config(node.section("retry"));
    if (o.lease.count() <= 0) node.fail("lease", "must be more than 0");
    if (o.max_size_mb < 0) node.fail("max_size_mb", "must be 0 or more");
    return o;
}

std::unique_ptr<Store> open_store(const StoreOptions& options, StoreDeps deps) {
    return sqlite::open_sqlite_store(options, deps);
}

}  // namespace clarity::store
