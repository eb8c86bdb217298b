#include "queue_command.hpp"

#include <ctime>
#include <iomanip>
#include <iostream>
#include <memory>
#include <sstream>

#include "clarity/core/clock.hpp"
#include "clarity/core/random.hpp"
#include "clarity/store/options.hpp"
#include "commands.hpp"
#include "terminal_output.hpp"

namespace clarity::app {
namespace {

struct QueueArgs {
    std::string config_path;
    std::string state;
    std::string flow;
    std::string connection;
    std::string error_kind;
    std::size_t limit = 50;
    std::int64_t id = 0;
    bool all = false;
};

std::string iso(store::TimePoint t) {
    const auto secs = std::chrono::system_clock::to_time_t(
        std::chrono::time_point_cast<std::chrono::system_clock::duration>(t));
    std::tm tm{};
    gmtime_r(&secs, &tm);
    std::ostringstream out;
    out << std::put_time(&tm, "%Y-%m-%dT%H:%M:%SZ");
    return out.str();
}

[[noreturn]] void fail_with(int code, const std::string& message) {
    std::cerr << "clarity-connect queue: " << safe(message) << "\n";
    throw CLI::RuntimeError(code);
}

template <class T>
T value_or_exit(Result<T> r) {
    if (!r) fail_with(kExitRuntime, r.error().describe());
    return std::move(*r);
}

class Session {
  public:
    Session(const QueueArgs& args,
            const std::function<core::ConfigNode(const std::string&)>& load,
            bool read_only) {
        core::ConfigNode root;
        try {
            root = load(args.config_path);
        } catch (const std::exception& e) {
            fail_with(kExitUsage, e.what());
        }
        try {
            options_ = root.has("store")
                           ? store::store_options_from_config(root.section("store"))
                           : store::store_options_from_config(core::ConfigNode("store"));
            options_.read_only = read_only;
            store_ = store::open_store(options_, {SystemClock::instance(), random_, nullptr});
        } catch (const core::ConfigError& e) {
            fail_with(kExitUsage, e.what());
        } catch (const std::exception& e) {
            fail_with(kExitRuntime, e.what());
        }
    }
    store::Store& operator*() { return *store_; }
    store::Store* operator->() { return store_.get(); }

  private:
    store::StoreOptions options_;
    DefaultRandom random_;
    std::unique_ptr<store::Store> store_;
};

store::JobFilter filter_of(const QueueArgs& a) {
    store::JobFilter f;
    f.flow = a.flow;
    f.connection = a.connection;
    f.error_kind = a.error_kind;
    f.limit = a.limit;
    if (!a.state.empty()) {
        f.state = store::parse_job_state(a.state);
        if (!f.state) {
            fail_with(kExitUsage,
                      "--state '" + a.state + "' is not one of ready, leased, waiting, done, dead");
        }
    }
    if (!a.error_kind.empty() && !parse_error_kind(a.error_kind) &&
        a.error_kind != "lease_expired") {
        fail_with(kExitUsage, "--error-kind '" + a.error_kind +
                                  "' is not one of transient, rate_limited, auth, permanent, "
                                  "conflict, lease_expired");
    }
    return f;
}

void print_table(const std::vector<store::JobInfo>& jobs, bool dead) {
    std::cout << std::left << std::setw(8) << "ID" << std::setw(8) << "STATE" << std::setw(18)
              << "FLOW" << std::setw(10) << "CONN" << std::setw(28) << "KEY" << std::setw(22)
              << "ENTITY" << std::setw(5) << "TRY" << (dead ? "ERROR" : "UPDATED") << "\n";
    for (const auto& j : jobs) {
        std::cout << std::left << std::setw(8) << j.id << std::setw(8) << store::to_string(j.state)
                  << std::setw(18) << safe(j.flow) << std::setw(10) << safe(j.connection)
                  << std::setw(28) << safe(j.idempotency_key) << std::setw(22) << safe(j.entity_key)
                  << std::setw(5) << j.attempts;
        if (dead) {
            std::cout << safe(j.dead_error_kind.value_or("?")) << ": " << safe(j.last_error);
        } else {
            std::cout << iso(j.updated_at);
        }
        std::cout << "\n";
    }
    std::cout << jobs.size() << (jobs.size() == 1 ? " job\n" : " jobs\n");
}

void run_stats(const QueueArgs& a,
               const std::function<core::ConfigNode(const std::string&)>& load) {
    Session s(a, load, true);
    const auto st = value_or_exit(s->stats());
    std::cout << "jobs by flow and state:\n";
    if (st.by_flow_state.empty()) std::cout << "  (none)\n";
    for (const auto& r : st.by_flow_state) {
        std::cout << "  " << std::left << std::setw(20) << safe(r.flow) << std::setw(9)
                  << store::to_string(r.state) << r.count << "\n";
    }
    std::cout << "dead letters by flow and error kind:\n";
    if (st.dead_by_flow_kind.empty()) std::cout << "  (none)\n";
    for (const auto& r : st.dead_by_flow_kind) {
        std::cout << "  " << std::left << std::setw(20) << safe(r.flow) << std::setw(14)
                  << safe(r.error_kind) << r.count << "\n";
    }
    std::cout << "oldest ready job age: ";
    if (st.oldest_ready_age) {
        std::cout << std::chrono::duration<double>(*st.oldest_ready_age).count() << " s\n";
    } else {
        std::cout << "none due\n";
    }
    std::cout << "idempotency keys in ledger: " << st.ledger_keys << "\n";
    const auto health = s->health();
    std::cout << "store: " << (health.ready ? "ready" : "NOT READY: " + safe(health.reason))
              << "\n";
}

void run_list(const QueueArgs& a, const std::function<core::ConfigNode(const std::string&)>& load) {
    auto f = filter_of(a);
    Session s(a, load, true);
    print_table(value_or_exit(s->list_jobs(f)), false);
}

void run_dead(const QueueArgs& a, const std::function<core::ConfigNode(const std::string&)>& load) {
    auto f = filter_of(a);
    f.state = store::JobState::dead;
    Session s(a, load, true);
    print_table(value_or_exit(s->list_jobs(f)), true);
}

void run_show(const QueueArgs& a, const std::function<core::ConfigNode(const std::string&)>& load) {
    Session s(a, load, true);
    const auto job = value_or_exit(s->show_job(a.id));
    if (!job) fail_with(kExitRuntime, "no job with id " + std::to_string(a.id));
    const auto& j = *job;
    std::cout << "id:              " << j.id << "\n"
              << "state:           " << store::to_string(j.state) << "\n"
              << "connection:      " << safe(j.connection) << "\n"
              << "flow:            " << safe(j.flow) << "\n"
              << "idempotency key: " << safe(j.idempotency_key) << "\n"
              << "entity key:      " << safe(j.entity_key) << "\n"
              << "priority:        " << j.priority << "\n"
              << "attempts:        " << j.attempts;
    // Claims refused by an open circuit: they do not count against max_attempts.
    if (j.waits > 0) std::cout << " (" << j.waits << " of them waited for a service to come back)";
    std::cout << "\n"
              << "enqueued:        " << iso(j.enqueued_at) << "\n"
              << "updated:         " << iso(j.updated_at) << "\n"
              << "run after:       " << iso(j.run_after) << "\n";
    if (j.lease_until) std::cout << "lease until:     " << iso(*j.lease_until) << "\n";
    if (j.dead_error_kind) std::cout << "dead because:    " << safe(*j.dead_error_kind) << "\n";
    if (!j.last_error.empty()) std::cout << "last error:      " << safe(j.last_error) << "\n";
    std::cout << "history:\n";
    if (j.history.empty()) std::cout << "  (no failed attempt)\n";
    for (const auto& h : j.history) {
        std::cout << "  attempt " << h.attempt << " at " << iso(h.at) << ": " << safe(h.error_kind)
                  << ": " << safe(h.message) << "\n";
    }
    std::cout << "payload:\n" << safe(j.payload) << "\n";
}

// replay and purge: one ID, or every dead letter matching --flow / --error-kind, or --all.
void run_bulk(const QueueArgs& a,
              const std::function<core::ConfigNode(const std::string&)>& load,
              bool purge) {
    const bool by_filter = !a.flow.empty() || !a.error_kind.empty() || !a.connection.empty();
    const int ways = (a.id != 0 ? 1 : 0) + (by_filter ? 1 : 0) + (a.all ? 1 : 0);
    if (ways != 1) {
        fail_with(kExitUsage, std::string(purge ? "purge" : "replay") +
                                  " needs exactly one of: a job ID, --flow/--error-kind/"
                                  "--connection, or --all");
    }
    auto f = filter_of(a);
    Session s(a, load, false);
    std::int64_t n = 0;
    if (a.id != 0) {
        n = value_or_exit(purge ? s->purge_dead(a.id) : s->replay_dead(a.id));
        if (n == 0) {
            // Nothing changed: say whether the id is unknown or names a job that is not dead.
            const auto job = value_or_exit(s->show_job(a.id));
            if (!job) fail_with(kExitRuntime, "no such job " + std::to_string(a.id));
            fail_with(kExitRuntime, "job " + std::to_string(a.id) +
                                        " is not a dead letter (state " +
                                        std::string(store::to_string(job->state)) + ")");
        }
    } else {
        n = value_or_exit(purge ? s->purge_dead_matching(f) : s->replay_dead_matching(f));
    }
    std::cout << (purge ? "purged " : "replayed ") << n
              << (n == 1 ? " dead letter\n" : " dead letters\n");
}

void add_config_option(CLI::App* cmd, QueueArgs& args) {
    cmd->add_option("-c,--config", args.config_path, "Configuration file")->required();
}

void add_filter_options(CLI::App* cmd, QueueArgs& args) {
    cmd->add_option("--flow", args.flow, "Only jobs of this flow");
    cmd->add_option("--connection", args.connection, "Only jobs of this connection");
    cmd->add_option("--error-kind", args.error_kind,
                    "Only dead letters of this error kind (transient, rate_limited, auth, "
                    "permanent, conflict, lease_expired)");
}

}  // namespace

void add_queue_commands(
    CLI::App& app, std::function<core::ConfigNode(const std::string& config_path)> load_config) {
    auto args = std::make_shared<QueueArgs>();
    auto load = std::make_shared<std::function<core::ConfigNode(const std::string&)>>(
        std::move(load_config));
    auto* queue = app.add_subcommand("queue", "Inspect and repair the durable job queue");
    queue->require_subcommand(1);

    auto* stats =
        queue->add_subcommand("stats", "Jobs by flow and state, dead letters, oldest age");
    add_config_option(stats, *args);
    stats->callback([args, load] { run_stats(*args, *load); });

    auto* list = queue->add_subcommand("list", "List jobs");
    add_config_option(list, *args);
    add_filter_options(list, *args);
    list->add_option("--state", args->state, "ready, leased, waiting, done or dead");
    list->add_option("--limit", args->limit, "At most this many rows")->capture_default_str();
    list->callback([args, load] { run_list(*args, *load); });

    auto* show =
        queue->add_subcommand("show", "Everything about one job, with its attempt history");
    add_config_option(show, *args);
    show->add_option("id", args->id, "Job id")->required();
    show->callback([args, load] { run_show(*args, *load); });

    auto* dead = queue->add_subcommand("dead", "List dead letters");
    add_config_option(dead, *args);
    add_filter_options(dead, *args);
    dead->add_option("--limit", args->limit, "At most this many rows")->capture_default_str();
    dead->callback([args, load] { run_dead(*args, *load); });

    auto* replay = queue->add_subcommand("replay", "Put dead letters back in the queue");
    add_config_option(replay, *args);
    add_filter_options(replay, *args);
    replay->add_option("id", args->id, "Job id of one dead letter");
    replay->add_flag("--all", args->all, "Every dead letter");
    replay->callback([args, load] { run_bulk(*args, *load, false); });

    auto* purge = queue->add_subcommand("purge", "Delete dead letters");
    add_config_option(purge, *args);
    add_filter_options(purge, *args);
    purge->add_option("id", args->id, "Job id of one dead letter");
    purge->add_flag("--all", args->all, "Every dead letter");
    purge->callback([args, load] { run_bulk(*args, *load, true); });
}

}  // namespace clarity::app
