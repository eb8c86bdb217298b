#include "clarity/flows/engine.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cstdio>
#include <stdexcept>
#include <vector>

#include "clarity/core/log.hpp"
#include "clarity/flows/odoo_watch.hpp"

namespace clarity::flows {

namespace asio = boost::asio;
using namespace asio::experimental::awaitable_operators;

std::string JobContext::log_fields() const {
    std::string out =
        "job=" + std::to_string(job.id) + " flow=" + job.flow + " connection=" + job.connection;
    if (!job.entity_key.empty()) out += " entity=" + job.entity_key;
    out += " attempt=" + std::to_string(job.attempt);
    return out;
}

asio::awaitable<Result<void>> Flow::prepare() { co_return Result<void>{}; }

asio::awaitable<Result<std::vector<std::string>>> Flow::check_odoo() {
    co_return std::vector<std::string>{};
}

std::size_t Flow::default_cohort() const { return 1; }

std::vector<OdooWatch> Flow::odoo_watches() const { return {}; }

std::string amazon_wait_warning(std::string_view flow,
                                const FlowSettings& settings,
                                double calls_per_second) {
    if (!(calls_per_second > 0)) return {};
    const double wait = static_cast<double>(settings.concurrency) / calls_per_second;
    const double deadline = std::chrono::duration<double>(settings.deadline).count();
    if (wait <= 0.8 * deadline) return {};
    const std::string name(flow);
    char rate[32];
    std::snprintf(rate, sizeof rate, "%g", calls_per_second);
    return "flow " + name + " runs " + std::to_string(settings.concurrency) +
           " jobs at once (cohorts of " + std::to_string(settings.cohort) +
           "); in a backlog the last of them may wait about " +
           std::to_string(static_cast<long long>(wait)) + " s for its Amazon call (" + rate +
           "/s), close to or past its deadline of " +
           std::to_string(static_cast<long long>(deadline)) + " s: lower engine.flow_cohort." +
           name + " or engine.flow_concurrency." + name + ", or raise engine.flow_deadline." +
           name + " (below store.lease)";
}

asio::awaitable<void> step_together(JobContext& context) {
    if (context.cohort) co_await context.cohort->step();
}

core::ConfigSpec engine_config_spec() {
    using core::ConfigType;
    core::ConfigSpec spec;
    spec.add({.name = "max_in_flight",
              .type = ConfigType::integer,
              .description = "Job runs at once, all flows together.",
              .default_value = "64"});
    spec.add({.name = "claim_batch",
              .type = ConfigType::integer,
              .description = "Jobs claimed from the store per round trip at most.",
              .default_value = "16"});
    spec.add({.name = "poll_interval",
              .type = ConfigType::duration,
              .description = "How long an idle engine waits before looking for ready jobs again "
                             "(triggers wake it at once).",
              .default_value = "1s"});
    spec.add({.name = "auth_retry_delay",
              .type = ConfigType::duration,
              .description = "Minimum delay before a job that failed on credentials is retried.",
              .default_value = "5m"});
    spec.add({.name = "shutdown_grace",
              .type = ConfigType::duration,
              .description = "On SIGTERM, how long in-flight job runs may finish before they are "
                             "cancelled and retried after the restart.",
              .default_value = "20s"});
    spec.add({.name = "flow_concurrency",
              .type = ConfigType::string_map,
              .description = "Runs of one flow at once, by flow name (default 4 each), e.g. "
                             "`{order_import: 2}` for an Odoo with few workers."});
    spec.add({.name = "flow_cohort",
              .type = ConfigType::string_map,
              .description = "Jobs of one flow claimed together and run step by step together, "
                             "so that each step's Odoo calls go out as one batched call, by flow "
                             "name (default: order_import 20, others 1), e.g. `{order_import: 1}` "
                             "to run each order alone. Such a flow runs two cohorts at once unless "
                             "flow_concurrency says otherwise."});
    spec.add({.name = "flow_deadline",
              .type = ConfigType::string_map,
              .description = "How long one run of a flow may take before it is cancelled and "
                             "retried, by flow name (default 2m each; must stay below "
                             "store.lease), e.g. `{order_import: 4m}` for very large orders."});
    return spec;
}

EngineOptions engine_options_from_config(const core::ConfigNode& node) {
    EngineOptions o;
    auto positive = [&](const char* key) {
        const auto v = node.get_int(key);
        if (v < 1) node.fail(key, "must be at least 1");
        return static_cast<std::size_t>(v);
    };
    o.max_in_flight = positive("max_in_flight");
    o.claim_batch = positive("claim_batch");
    o.poll_interval = node.get_duration("poll_interval");
    o.auth_retry_delay = node.get_duration("auth_retry_delay");
    o.shutdown_grace = node.get_duration("shutdown_grace");
    const auto map_of = [&node](const char* key) {
        return node.has(key) ? node.get_string_map(key) : std::map<std::string, std::string>{};
    };
    const auto counts_of = [&](const char* key) {
        std::map<std::string, std::size_t> out;
        for (const auto& [flow, text] : map_of(key)) {
            const std::string where = node.where(std::string(key) + "." + flow);
            std::int64_t v = 0;
            try {
                v = core::parse_int(text);
            } catch (const core::ConfigError& e) {
                throw core::ConfigError(where + ": " + e.what());
            }
            if (v < 1) throw core::ConfigError(where + ": must be at least 1");
            out[flow] = static_cast<std::size_t>(v);
        }
        return out;
    };
    o.flow_concurrency = counts_of("flow_concurrency");
    o.flow_cohort = counts_of("flow_cohort");
    for (const auto& [flow, text] : map_of("flow_deadline")) {
        const std::string where = node.where("flow_deadline." + flow);
        std::chrono::milliseconds d{};
        try {
            d = core::parse_duration(text);
        } catch (const core::ConfigError& e) {
            throw core::ConfigError(where + ": " + e.what());
        }
        if (d <= std::chrono::milliseconds::zero()) {
            throw core::ConfigError(where + ": must be greater than 0");
        }
        o.flow_deadline[flow] = d;
    }
    return o;
}

namespace {

struct Registration {
    std::shared_ptr<Flow> flow;
    std::string name;
    FlowSettings settings;
    std::size_t in_flight = 0;
    core::Counter* done = nullptr;
    core::Counter* retried = nullptr;
    core::Counter* waited = nullptr;
    core::Counter* dead = nullptr;
    core::Counter* ack_failed = nullptr;
    core::Histogram* duration = nullptr;
    core::Histogram* lag = nullptr;
    core::Gauge* in_flight_gauge = nullptr;
};

std::vector<double> lag_buckets() {
    return {0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600, 1800, 3600, 4 * 3600.0, 24 * 3600.0};
}

}  // namespace

struct Engine::Impl {
    Impl(asio::any_io_executor ex,
         store::AsyncStore& s,
         core::MetricsRegistry& m,
         const Clock& c,
         EngineOptions o)
        : executor(std::move(ex)),
          store(s),
          metrics(m),
          clock(c),
          options(o),
          wake_timer(executor),
          log(core::logger("flows.engine")) {}

    asio::any_io_executor executor;
    store::AsyncStore& store;
    core::MetricsRegistry& metrics;
    const Clock& clock;
    EngineOptions options;
    std::vector<std::unique_ptr<Registration>> flows;
    std::size_t total_in_flight = 0;
    std::size_t finished = 0;
    bool stopping = false;
    bool wake_pending = false;
    asio::steady_timer wake_timer;
    std::set<asio::steady_timer*> run_timers;  // deadline timers of runs in flight
    std::function<void(const Alert&)> alert_hook;
    std::shared_ptr<spdlog::logger> log;

    void notify() {
        wake_pending = true;
        wake_timer.cancel();
    }

    void alert(Alert a) {
        metrics
            .counter("clarity_alerts_total", "Alerts raised (dead letters, auth failures)",
                     {{"kind", a.kind}, {"flow", a.flow}})
            .inc();
        if (alert_hook) {
            try {
                alert_hook(a);
            } catch (const std::exception& e) {
                log->error("alert hook failed: {}", e.what());
            }
        }
    }
};

namespace {

using ImplPtr = std::shared_ptr<Engine::Impl>;

Error job_error(ErrorKind kind, std::string message) {
    return make_error(kind, std::move(message));
}

asio::awaitable<Result<void>> run_with_deadline(ImplPtr self, Registration* reg, JobContext* ctx) {
    auto timer = std::make_shared<asio::steady_timer>(self->executor);
    timer->expires_after(reg->settings.deadline);
    self->run_timers.insert(timer.get());
    Result<void> result;
    try {
        auto outcome = co_await (reg->flow->run(*ctx) ||
                                 timer->async_wait(asio::as_tuple(asio::use_awaitable)));
        if (outcome.index() == 0) {
            result = std::get<0>(std::move(outcome));
        } else if (self->stopping) {
            result = job_error(ErrorKind::transient, "run interrupted by shutdown; retried later");
        } else {
            result = job_error(ErrorKind::transient,
                               "run exceeded its deadline of " +
                                   std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                                                      reg->settings.deadline)
                                                      .count()) +
                                   "s; retried later");
        }
    } catch (const std::exception& e) {
        result = job_error(ErrorKind::transient, std::string("unexpected failure: ") + e.what());
    }
    self->run_timers.erase(timer.get());
    co_return result;
}

asio::awaitable<void> settle(ImplPtr self, Registration* reg, JobContext ctx, Result<void> result) {
    const store::JobId id = ctx.job.id;
    const int attempt = ctx.job.attempt;
    const std::string fields = ctx.log_fields();
    if (result) {
        std::function<Result<void>(store::Store&)> commit = [ctx](store::Store& s) {
            return s.transact([&ctx](store::WriteTx& tx) -> Result<void> {
                for (const auto& m : ctx.id_mappings) {
                    if (auto r = tx.put_id(m); !r) return r.error();
                }
                for (const auto& [name, value] : ctx.cursors) {
                    if (auto r = tx.set_cursor(ctx.job.connection, name, value); !r) {
                        return r.error();
                    }
                }
                return tx.ack(ctx.job.id, ctx.job.attempt);
            });
        };
        auto acked = co_await self->store.call(std::move(commit));
        if (acked) {
            reg->done->inc();
            const auto event = ctx.event_time.value_or(ctx.job.enqueued_at);
            reg->lag->observe(std::chrono::duration<double>(self->clock.now() - event).count());
            self->log->info("{} done", fields);
        } else if (acked.error().kind == ErrorKind::conflict) {
            reg->ack_failed->inc();
            self->log->warn(
                "{} done, but its lease was lost before the ack ({}); another run "
                "will find the effect and do nothing",
                fields, acked.error().message);
        } else {
            reg->ack_failed->inc();
            self->log->error(
                "{} done, but the ack failed ({}); the job runs again after its "
                "lease expires and finds the effect in place",
                fields, acked.error().describe());
        }
        co_return;
    }

    Error error = result.error();
    if (error.kind == ErrorKind::permanent) {
        std::function<Result<void>(store::Store&)> fail = [id, attempt, error](store::Store& s) {
            return s.fail(id, attempt, error);
        };
        auto failed = co_await self->store.call(std::move(fail));
        if (!failed) {
            self->log->error("{} could not be dead-lettered: {}", fields,
                             failed.error().describe());
            co_return;
        }
        reg->dead->inc();
        self->log->error("{} dead-lettered: {}", fields, error.describe());
        self->alert({"dead_letter", reg->name, ctx.job.connection, ctx.job.entity_key, id,
                     error.describe()});
        co_return;
    }

    if (error.kind == ErrorKind::unavailable) {
        // The service is known to be down (its circuit is open) and nothing was sent: the job
        // waits for retry_after without using up an attempt, however long the outage lasts.
        std::function<Result<void>(store::Store&)> wait = [id, attempt, error](store::Store& s) {
            return s.postpone(id, attempt, error);
        };
        auto waited = co_await self->store.call(std::move(wait));
        if (!waited) {
            self->log->error("{} could not be postponed: {}", fields, waited.error().describe());
            co_return;
        }
        reg->waited->inc();
        self->log->debug("{} waits {} s: {}", fields,
                         error.retry_after.value_or(std::chrono::seconds{}).count(),
                         error.describe());
        co_return;
    }

    if (error.kind == ErrorKind::auth) {
        const auto min_delay =
            std::chrono::duration_cast<std::chrono::seconds>(self->options.auth_retry_delay);
        if (!error.retry_after || *error.retry_after < min_delay) error.retry_after = min_delay;
        self->alert(
            {"auth", reg->name, ctx.job.connection, ctx.job.entity_key, id, error.describe()});
    }
    std::function<Result<store::JobState>(store::Store&)> retry =
        [id, attempt, error](store::Store& s) { return s.retry(id, attempt, error); };
    auto state = co_await self->store.call(std::move(retry));
    if (!state) {
        self->log->error("{} could not be rescheduled: {}", fields, state.error().describe());
        co_return;
    }
    if (*state == store::JobState::dead) {
        reg->dead->inc();
        self->log->error("{} dead-lettered after its last attempt: {}", fields, error.describe());
        self->alert({"dead_letter", reg->name, ctx.job.connection, ctx.job.entity_key, id,
                     "attempts exhausted; last error: " + error.describe()});
    } else {
        reg->retried->inc();
        self->log->warn("{} will be retried: {}", fields, error.describe());
    }
}

asio::awaitable<void> run_job(ImplPtr self,
                              Registration* reg,
                              store::ClaimedJob job,
                              std::shared_ptr<Cohort> cohort) {
    JobContext ctx;
    ctx.job = std::move(job);
    ctx.cohort = cohort;
    const auto started = self->clock.steady_now();
    Result<void> result;
    if (!reg->settings.connections.contains(ctx.job.connection)) {
        result = job_error(ErrorKind::permanent,
                           "flow '" + reg->name + "' is switched off for connection '" +
                               ctx.job.connection +
                               "'; switch it on in the configuration and replay, or purge");
    } else {
        result = co_await run_with_deadline(self, reg, &ctx);
    }
    if (cohort) cohort->leave();  // before settling: the others go on without this run
    ctx.cohort.reset();
    reg->duration->observe(
        std::chrono::duration<double>(self->clock.steady_now() - started).count());
    try {
        co_await settle(self, reg, std::move(ctx), std::move(result));
    } catch (const std::exception& e) {
        self->log->error("settling a job of flow {} failed: {}", reg->name, e.what());
    }
    --reg->in_flight;
    reg->in_flight_gauge->set(static_cast<double>(reg->in_flight));
    --self->total_in_flight;
    ++self->finished;
    self->notify();
}

// Claims what the free slots allow and starts the runs. Answers how many started.
// A cohort flow with runs in flight claims only whole cohorts (the jobs that wait meanwhile make
// the next cohort), unless `partial` (the poll interval passed: a few jobs wait at most that long).
asio::awaitable<std::size_t> claim_and_spawn(ImplPtr self, bool partial) {
    std::size_t started = 0;
    for (auto& reg_ptr : self->flows) {
        Registration* reg = reg_ptr.get();
        if (self->stopping) break;
        const std::size_t total_free = self->options.max_in_flight - self->total_in_flight;
        const std::size_t flow_free = reg->settings.concurrency > reg->in_flight
                                          ? reg->settings.concurrency - reg->in_flight
                                          : 0;
        const std::size_t cohort = reg->settings.cohort;
        const std::size_t n =
            std::min({total_free, flow_free, cohort > 1 ? cohort : self->options.claim_batch});
        if (n == 0) continue;
        // A cohort flow claims whole cohorts: a few free slots wait for the rest of the cohort
        // in flight to end (nothing in flight: whatever fits).
        if (cohort > 1 && n < cohort && reg->in_flight > 0) continue;
        const std::size_t at_least = cohort > 1 && reg->in_flight > 0 && !partial ? cohort : 1;
        std::function<Result<std::vector<store::ClaimedJob>>(store::Store&)> claim =
            [n, at_least, name = reg->name](store::Store& s) {
                return s.claim(n, std::vector<std::string>{name}, std::nullopt, at_least);
            };
        auto jobs = co_await self->store.call(std::move(claim));
        if (!jobs) {
            self->log->warn("claiming jobs of flow {} failed: {}", reg->name,
                            jobs.error().describe());
            continue;
        }
        std::shared_ptr<Cohort> together;
        if (cohort > 1 && jobs->size() > 1) together = std::make_shared<Cohort>(jobs->size());
        for (auto& job : *jobs) {
            ++reg->in_flight;
            ++self->total_in_flight;
            ++started;
            reg->in_flight_gauge->set(static_cast<double>(reg->in_flight));
            asio::co_spawn(self->executor, run_job(self, reg, std::move(job), together),
                           [self, name = reg->name](std::exception_ptr ep) {
                               if (!ep) return;
                               try {
                                   std::rethrow_exception(ep);
                               } catch (const std::exception& e) {
                                   self->log->error("job run of flow {} ended with: {}", name,
                                                    e.what());
                               }
                           });
        }
    }
    co_return started;
}

// Answers true when woken by the time running out, false by notify().
asio::awaitable<bool> wait_for_wake(ImplPtr self, std::chrono::milliseconds at_most) {
    if (self->wake_pending) {
        self->wake_pending = false;
        co_return false;
    }
    self->wake_timer.expires_after(at_most);
    auto [ec] = co_await self->wake_timer.async_wait(asio::as_tuple(asio::use_awaitable));
    self->wake_pending = false;
    co_return !ec;
}

asio::awaitable<std::size_t> work_loop(ImplPtr self, bool until_idle) {
    const std::size_t finished_before = self->finished;
    bool polled = false;
    while (!self->stopping) {
        self->wake_pending = false;
        const std::size_t started = co_await claim_and_spawn(self, polled);
        polled = false;
        if (started > 0) continue;
        // A run ended (or a job came) while claiming: look again (a cohort flow may claim now).
        if (self->wake_pending) continue;
        if (until_idle && self->total_in_flight == 0) break;
        polled = co_await wait_for_wake(self, self->options.poll_interval);
    }
    co_return self->finished - finished_before;
}

asio::awaitable<void> drain(ImplPtr self) {
    const auto deadline = std::chrono::steady_clock::now() + self->options.shutdown_grace;
    while (self->total_in_flight > 0 && std::chrono::steady_clock::now() < deadline) {
        co_await wait_for_wake(self, std::chrono::duration_cast<std::chrono::milliseconds>(
                                         deadline - std::chrono::steady_clock::now()));
    }
    if (self->total_in_flight > 0) {
        self->log->warn("{} job runs still in flight after the shutdown grace; cancelling them",
                        self->total_in_flight);
        for (auto* timer : self->run_timers) timer->cancel();
        while (self->total_in_flight > 0) {
            co_await wait_for_wake(self, std::chrono::milliseconds{100});
        }
    }
}

}  // namespace

Engine::Engine(asio::any_io_executor executor,
               store::AsyncStore& store,
               core::MetricsRegistry& metrics,
               const Clock& clock,
               EngineOptions options)
    : impl_(std::make_shared<Impl>(std::move(executor), store, metrics, clock, options)) {}

Engine::~Engine() = default;

void Engine::add_flow(std::shared_ptr<Flow> flow, FlowSettings settings) {
    const std::string name(flow->name());
    for (const auto& r : impl_->flows) {
        if (r->name == name) throw std::logic_error("flow '" + name + "' registered twice");
    }
    if (settings.concurrency == 0) throw std::logic_error("flow '" + name + "': concurrency 0");
    if (settings.cohort == 0) throw std::logic_error("flow '" + name + "': cohort 0");
    auto reg = std::make_unique<Registration>();
    reg->flow = std::move(flow);
    reg->name = name;
    reg->settings = std::move(settings);
    auto& m = impl_->metrics;
    const std::string help = "Job runs by outcome (done, retried, waited, dead, ack_failed)";
    reg->done = &m.counter("clarity_flow_jobs_total", help, {{"flow", name}, {"outcome", "done"}});
    reg->retried =
        &m.counter("clarity_flow_jobs_total", help, {{"flow", name}, {"outcome", "retried"}});
    reg->waited =
        &m.counter("clarity_flow_jobs_total", help, {{"flow", name}, {"outcome", "waited"}});
    reg->dead = &m.counter("clarity_flow_jobs_total", help, {{"flow", name}, {"outcome", "dead"}});
    reg->ack_failed =
        &m.counter("clarity_flow_jobs_total", help, {{"flow", name}, {"outcome", "ack_failed"}});
    reg->duration =
        &m.histogram("clarity_flow_run_seconds", "Duration of one job run", {{"flow", name}});
    reg->lag = &m.histogram("clarity_flow_lag_seconds",
                            "Time from the triggering event to its effect being acked",
                            {{"flow", name}}, lag_buckets());
    reg->in_flight_gauge =
        &m.gauge("clarity_flow_in_flight", "Job runs in flight", {{"flow", name}});
    impl_->flows.push_back(std::move(reg));
}

void Engine::on_alert(std::function<void(const Alert&)> hook) {
    impl_->alert_hook = std::move(hook);
}

asio::awaitable<void> Engine::run() {
    auto self = impl_;
    self->log->info("engine started with {} flows", self->flows.size());
    co_await work_loop(self, false);
    co_await drain(self);
    self->log->info("engine stopped");
}

asio::awaitable<std::size_t> Engine::run_until_idle() {
    auto self = impl_;
    co_return co_await work_loop(self, true);
}

void Engine::stop() {
    auto self = impl_;
    asio::post(self->executor, [self] {
        self->stopping = true;
        self->notify();
    });
}

void Engine::wake() {
    auto self = impl_;
    asio::post(self->executor, [self] { self->notify(); });
}

std::size_t Engine::in_flight() const noexcept { return impl_->total_in_flight; }

std::optional<FlowSettings> Engine::flow_settings(std::string_view flow) const {
    for (const auto& reg : impl_->flows) {
        if (reg->name == flow) return reg->settings;
    }
    return std::nullopt;
}

}  // namespace clarity::flows
