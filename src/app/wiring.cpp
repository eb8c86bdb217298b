#include "wiring.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <limits>
#include <map>
#include <mutex>
#include <set>

#include "clarity/amazon/lwa.hpp"
#include "clarity/amazon/operations.hpp"
#include "clarity/amazon/quota.hpp"
#include "clarity/amazon/sqs_consumer.hpp"
#include "clarity/core/backoff.hpp"
#include "clarity/core/log.hpp"
#include "clarity/flows/odoo_watch.hpp"
#include "clarity/flows/quota_levels.hpp"
#include "clarity/mapping/schema.hpp"
#include "clarity/net/circuit_breaker.hpp"
#include "clarity/net/http_client.hpp"
#include "commands.hpp"

namespace clarity::app {

namespace asio = boost::asio;
using namespace std::chrono_literals;

// Waits of the loops that reconnect Odoo at start-up and poll SQS after a failure: full jitter,
// the ceiling doubling from 1 s to 60 s, never giving up (the loops end at stop()).
constexpr core::BackoffPolicy kReconnect{
    .base = 1s, .cap = 60s, .max_attempts = std::numeric_limits<int>::max()};

// The SP-API buckets of one seller in one region (Amazon keeps one per seller, region and
// operation), shared by every connection of that seller there: restored from the store at start,
// saved every second while they change and once more at stop.
struct QuotaAccount {
    std::string seller;
    amazon::Region region = amazon::Region::na;
    std::string connections;  ///< names, for messages
    std::unique_ptr<amazon::QuotaLimiter> limiter;
    std::unique_ptr<asio::steady_timer> timer;
    std::uint64_t saved = 0;  ///< QuotaLimiter::changes() at the last save
};

struct ConnectionRuntime {
    const ConnectionSettings* settings = nullptr;
    std::shared_ptr<net::HttpClient> odoo_http, amazon_http;
    // One circuit breaker per service. SQS has its own guarded client over the Amazon HTTP
    // client, so an SQS outage does not stop SP-API calls (nor the other way round). Login with
    // Amazon goes unguarded: it is called rarely and reports its own failures (alert, /readyz).
    std::unique_ptr<net::CircuitBreaker> amazon_breaker, odoo_breaker, sqs_breaker;
    std::shared_ptr<net::HttpClient> amazon_guarded, odoo_guarded, sqs_guarded;
    QuotaAccount* quota = nullptr;
    std::unique_ptr<amazon::LwaTokenSource> lwa;
    std::unique_ptr<amazon::SpApiClient> amazon;
    std::unique_ptr<odoo::OdooClient> odoo;
    std::unique_ptr<amazon::SqsClient> sqs;
    std::unique_ptr<flows::OrderNotificationTrigger> notifications;
    std::unique_ptr<amazon::SqsConsumer> consumer;
    std::unique_ptr<flows::OrderSweep> sweep;
    /// What the connection's flows watch in Odoo (after connect), its watcher and the hook's.
    std::vector<flows::OdooWatch> watches;
    std::unique_ptr<flows::OdooWatcher> watcher;
    std::unique_ptr<flows::ConnectionServices> services;
    std::vector<std::string> flows;  ///< enabled and implemented
    std::map<std::string, std::shared_ptr<const mapping::MappingTemplate>, std::less<>> templates;
    std::unique_ptr<asio::steady_timer> sweep_timer, sqs_timer, connect_timer, watch_timer;

    mutable std::mutex mutex;
    bool odoo_connected = false;
    std::string odoo_status = "connecting to Odoo";
};

struct Wiring::State {
    explicit State(Deps d) : deps(std::move(d)), drained(deps.io) {}
    Deps deps;
    core::Log log{"wiring"};
    std::vector<std::unique_ptr<QuotaAccount>> quotas;
    std::vector<std::unique_ptr<ConnectionRuntime>> connections;
    std::unique_ptr<flows::Engine> engine;
    std::map<std::string, std::shared_ptr<flows::ConnectionFlows>> flows_by_name;
    std::function<void(int, std::string)> fatal;
    std::atomic<bool> stopping{false};
    bool fatal_called = false;
    int tasks = 0;
    asio::steady_timer drained;
    std::size_t connected = 0;
    bool engine_registered = false;
    std::vector<std::string> unavailable;

    // Logs an alert at error level; counts it unless the engine already did.
    void raise_alert(const std::string& kind,
                     const std::string& flow,
                     const std::string& connection,
                     const std::string& message,
                     bool count) {
        if (count) {
            deps.metrics
                .counter("clarity_alerts_total", "Alerts raised (dead letters, auth failures)",
                         {{"kind", kind}, {"flow", flow}})
                .inc();
        }
        log.with({.flow = flow, .connection = connection}).error("ALERT {}: {}", kind, message);
    }
};

namespace {

using StatePtr = std::shared_ptr<Wiring::State>;

struct TaskDone {
    StatePtr state;
    std::string name;
    void operator()(std::exception_ptr e) const {
        if (e) {
            try {
                std::rethrow_exception(e);
            } catch (const std::exception& ex) {
                state->log.critical("task {} failed: {}", name, ex.what());
                state->deps.metrics
                    .counter("clarity_task_failures_total", "Background tasks that threw",
                             {{"task", name}})
                    .inc();
            }
        }
        if (--state->tasks == 0 && state->stopping) state->drained.cancel();
    }
};

void spawn(const StatePtr& s, std::string name, asio::awaitable<void> task) {
    ++s->tasks;
    asio::co_spawn(s->deps.io, std::move(task), TaskDone{s, std::move(name)});
}

// Waits `d` unless stopping; false when the wait was cut short by stop().
asio::awaitable<bool> pause(Wiring::State* s, asio::steady_timer* timer, Clock::duration d) {
    if (s->stopping) co_return false;
    timer->expires_after(d);
    auto [ec] = co_await timer->async_wait(asio::as_tuple(asio::use_awaitable));
    co_return !ec && !s->stopping;
}

// The live schema in the mapping layer's terms (for MappingTemplate::check_schema).
mapping::StaticOdooSchema mapping_schema(const odoo::OdooSchema& schema) {
    mapping::StaticOdooSchema out;
    for (const auto& [model, fields] : schema.models) {
        for (const auto& [name, info] : fields.fields) {
            mapping::OdooField f;
            f.type = info.type;
            f.relation = info.relation;
            for (const auto& [key, label] : info.selection) f.selection.push_back(key);
            f.required = info.required;
            f.readonly = info.readonly;
            out.add(model, name, std::move(f));
        }
    }
    return out;
}

// Connects Odoo (version, authentication, fields_get of every model the templates use), checks
// the templates and builds the connection's flows.
asio::awaitable<Result<void>> connect_odoo(StatePtr s, ConnectionRuntime* c) {
    std::set<std::string> models;
    for (const auto& [name, tmpl] : c->templates) {
        for (auto& m : tmpl->referenced_models()) models.insert(m);
    }
    // The order template's lines (order_line) are checked against sale.order.line, which
    // referenced_models() does not name (it is the relation of the lines field).
    if (models.count("sale.order")) models.insert("sale.order.line");
    auto schema = co_await c->odoo->connect({}, {}, {models.begin(), models.end()});
    if (!schema) co_return schema.error();
    const auto live = mapping_schema(*schema);
    std::string problems;
    for (const auto& [name, tmpl] : c->templates) {
        for (const auto& p : tmpl->check_schema(live))
            problems += (problems.empty() ? "" : "; ") + p;
    }
    if (!problems.empty()) {
        co_return make_error(ErrorKind::permanent,
                             "the mapping does not match Odoo " + schema->version.server_version +
                                 ": " + problems +
                                 " (fix the template or install the module "
                                 "that adds the field)",
                             "odoo");
    }
    const auto& d = s->deps;
    c->services = std::make_unique<flows::ConnectionServices>(
        flows::ConnectionServices{.connection = c->settings->name,
                                  .amazon = *c->amazon,
                                  .odoo = *c->odoo,
                                  .store = d.store,
                                  .metrics = d.metrics,
                                  .clock = d.clock,
                                  .random = d.random,
                                  .flow_config = {},
                                  .connection_config = c->settings->node,
                                  .templates = c->templates});
    c->watches.clear();
    for (const auto& name : c->flows) {
        const auto* entry = d.registry.find(name);
        c->services->flow_config = c->settings->node.section("flows").section(name);
        std::shared_ptr<flows::Flow> flow;
        try {
            flow = entry->make(*c->services);
        } catch (const std::exception& e) {
            co_return make_error(ErrorKind::permanent,
                                 "flow " + name + " cannot start: " + e.what(), name);
        }
        auto prepared = co_await flow->prepare();
        if (!prepared) {
            auto e = prepared.error();
            if (e.kind == ErrorKind::permanent) e.message = "flow " + name + ": " + e.message;
            co_return e;
        }
        auto findings = co_await flow->check_odoo();
        if (!findings) co_return findings.error();
        for (const auto& f : *findings) {
            s->log.with({.flow = name, .connection = c->settings->name}).warn("{}", f);
        }
        for (auto& w : flow->odoo_watches()) c->watches.push_back(std::move(w));
        auto& slot = s->flows_by_name[name];
        if (!slot) slot = std::make_shared<flows::ConnectionFlows>(name);
        slot->add(c->settings->name, std::move(flow));
    }
    {
        std::lock_guard lock(c->mutex);
        c->odoo_connected = true;
        c->odoo_status.clear();
    }
    s->log.with({.connection = c->settings->name})
        .info("Odoo {} connected ({} models checked); flows: {}", schema->version.server_version,
              models.size(), c->flows.size());
    co_return Result<void>{};
}

// Registers the flows with the engine (once every connection is connected).
void register_flows(Wiring::State* s) {
    if (s->engine_registered) return;
    s->engine_registered = true;
    for (const auto& [name, cf] : s->flows_by_name) {
        if (cf->empty()) continue;
        flows::FlowSettings fs;
        const auto& engine = s->deps.settings.engine;
        fs.cohort = cf->default_cohort();
        if (auto it = engine.flow_cohort.find(name); it != engine.flow_cohort.end())
            fs.cohort = it->second;
        // A flow in cohorts runs two at once: one's Odoo calls overlap the other's Amazon calls.
        if (fs.cohort > 1) fs.concurrency = 2 * fs.cohort;
        if (auto it = engine.flow_concurrency.find(name); it != engine.flow_concurrency.end())
            fs.concurrency = it->second;
        if (auto it = engine.flow_deadline.find(name); it != engine.flow_deadline.end())
            fs.deadline = it->second;
        double slowest = 0;  // the connections' getOrder pace (both Orders APIs: 0.5/s)
        for (const auto& c : s->connections) {
            if (std::find(c->flows.begin(), c->flows.end(), name) == c->flows.end()) continue;
            fs.connections.insert(c->settings->name);
            const double rate = amazon::operation_info(amazon::Operation::get_order).rate *
                                (c->quota ? c->quota->limiter->rate_scale() : 1.0);
            if (slowest == 0 || rate < slowest) slowest = rate;
        }
        // The order import's members wait for each other's getOrder (the pace computed above);
        // a delivery's cohort meets only before its Odoo reads, not its confirmShipment.
        if (fs.cohort > 1 && name == flows::kOrderImportFlow) {
            if (auto w = flows::amazon_wait_warning(name, fs, slowest); !w.empty()) {
                s->log.warn("{}", w);
            }
        }
        s->engine->add_flow(cf, fs);
    }
}

asio::awaitable<void> run_engine(StatePtr s) { co_await s->engine->run(); }

void connection_ready(const StatePtr& s) {
    if (++s->connected < s->connections.size()) return;
    register_flows(s.get());
    if (s->flows_by_name.empty()) {
        s->log.debug("no flow to run; the engine is not started");
        return;
    }
    spawn(s, "engine", run_engine(s));
    s->log.info("engine started with {} flows", s->flows_by_name.size());
}

// Polls what the connection's flows watch in Odoo, every interval, until stop().
asio::awaitable<void> run_watcher(StatePtr s, ConnectionRuntime* c) {
    auto log = s->log.with({.connection = c->settings->name});
    while (!s->stopping) {
        auto report = co_await c->watcher->poll_once();
        if (report.enqueued > 0) s->engine->wake();
        if (report.error) log.warn("Odoo watcher: {}", report.error->describe());
        if (!co_await pause(s.get(), c->watch_timer.get(), c->watcher->options().interval)) break;
    }
}

// Starts the Odoo watcher of a connected connection whose flows watch something.
void start_watcher(const StatePtr& s, ConnectionRuntime* c) {
    const auto& o = c->settings->odoo_watch;
    if (!o.enabled || c->watches.empty() || c->watcher) return;
    const auto& d = s->deps;
    c->watcher = std::make_unique<flows::OdooWatcher>(c->settings->name, *c->odoo, d.store,
                                                      d.metrics, d.clock, o, c->watches);
    if (c->watcher->watches().empty()) return;
    std::string models;
    for (const auto& w : c->watcher->watches()) models += (models.empty() ? "" : ", ") + w.model;
    s->log.with({.connection = c->settings->name})
        .info("Odoo watcher: {} every {} ms", models, o.interval.count());
    spawn(s, "watch[" + c->settings->name + "]", run_watcher(s, c));
}

asio::awaitable<void> keep_connecting(StatePtr s, ConnectionRuntime* c) {
    auto log = s->log.with({.connection = c->settings->name});
    if (c->flows.empty()) {
        connection_ready(s);
        co_return;
    }
    int failures = 0;
    while (!s->stopping) {
        auto r = co_await connect_odoo(s, c);
        if (r) {
            start_watcher(s, c);
            connection_ready(s);
            co_return;
        }
        ++failures;
        const auto& e = r.error();
        if (e.kind == ErrorKind::permanent || e.kind == ErrorKind::auth) {
            const std::string msg = "connection " + c->settings->name + ": Odoo: " + e.message;
            log.critical("{}", msg);
            if (!s->fatal_called && s->fatal) {
                s->fatal_called = true;
                s->fatal(kExitUsage, msg);
            }
            co_return;
        }
        {
            std::lock_guard lock(c->mutex);
            c->odoo_status = "Odoo not reachable: " + e.describe();
        }
        const auto delay = kReconnect.delay(failures, s->deps.random, e.retry_after);
        log.warn("Odoo not reachable ({}); retrying in {} ms", e.describe(), delay.count());
        if (!co_await pause(s.get(), c->connect_timer.get(), delay)) co_return;
    }
}

asio::awaitable<void> run_sweeps(StatePtr s, ConnectionRuntime* c) {
    const auto& o = c->sweep->options();
    const auto first = co_await c->sweep->first_delay();
    if (first > Clock::duration::zero()) {
        s->log.with({.connection = c->settings->name})
            .info(
                "last sweep ended {} s ago; next sweep in {} s",
                std::chrono::duration_cast<std::chrono::seconds>(o.sweep_interval - first).count(),
                std::chrono::duration_cast<std::chrono::seconds>(first).count());
        if (!co_await pause(s.get(), c->sweep_timer.get(), first)) co_return;
    }
    while (!s->stopping) {
        auto report = co_await c->sweep->sweep_once();
        if (report.counts.enqueued > 0) s->engine->wake();
        const auto delay = report.error ? o.sweep_retry_delay : o.sweep_interval;
        if (!co_await pause(s.get(), c->sweep_timer.get(), delay)) break;
    }
}

/// Resumes the account's SP-API buckets from the store (an earlier run's levels).
void restore_quota(Wiring::State& s, QuotaAccount& q) {
    auto resumed = flows::restore_quota_levels(s.deps.store.store(), *q.limiter, q.seller);
    if (!resumed) {
        s.log.warn(
            "cannot read the saved SP-API quota levels of {} ({}); starting with full buckets",
            q.connections, resumed.error().describe());
    } else if (*resumed > 0) {
        s.log.info("resumed {} SP-API quota buckets from the store ({})", *resumed, q.connections);
    }
}

/// The quota account of `settings`' seller and region, made (and restored) on first use.
QuotaAccount& quota_account(Wiring::State& s, const ConnectionSettings& settings) {
    const auto& a = settings.amazon;
    for (auto& q : s.quotas) {
        if (q->seller != a.seller_id || q->region != a.region) continue;
        if (q->limiter->rate_scale() != a.rate_scale) {
            throw core::ConfigError("connections " + q->connections + " and " + settings.name +
                                    " share seller " + a.seller_id + " in region " +
                                    std::string(amazon::to_string(a.region)) +
                                    " (one SP-API quota) but set different amazon.rate_scale");
        }
        q->connections += ", " + settings.name;
        return *q;
    }
    auto q = std::make_unique<QuotaAccount>();
    q->seller = a.seller_id;
    q->region = a.region;
    q->connections = settings.name;
    q->limiter = std::make_unique<amazon::QuotaLimiter>(s.deps.clock, a.rate_scale, a.region);
    q->timer = std::make_unique<asio::steady_timer>(s.deps.io);
    restore_quota(s, *q);
    s.quotas.push_back(std::move(q));
    return *s.quotas.back();
}

/// Saves the account's bucket levels when they changed since the last save.
asio::awaitable<void> save_quota_once(StatePtr s, QuotaAccount* q) {
    const auto changes = q->limiter->changes();
    if (changes == q->saved) co_return;
    std::function<Result<void>(store::Store&)> save =
        [levels = flows::to_store_levels(q->limiter->levels())](store::Store& st) {
            return st.save_quota_levels(levels);
        };
    auto r = co_await s->deps.store.call(std::move(save));
    if (r) {
        q->saved = changes;
    } else {
        s->log.warn("cannot save the SP-API quota levels of {}: {}", q->connections,
                    r.error().describe());
    }
}

/// Saves the account's SP-API bucket levels every second while they change (Wiring::stop saves
/// them once more after the last job), so a restarted daemon does not spend a burst Amazon's
/// buckets no longer hold.
asio::awaitable<void> save_quota_levels(StatePtr s, QuotaAccount* q) {
    for (;;) {
        const bool more = co_await pause(s.get(), q->timer.get(), 1s);
        if (!more) co_return;
        co_await save_quota_once(s, q);
    }
}

asio::awaitable<void> run_notifications(StatePtr s, ConnectionRuntime* c) {
    auto log = s->log.with({.connection = c->settings->name});
    int failures = 0;
    while (!s->stopping) {
        auto r = co_await c->consumer->poll_once();
        if (!r) {
            const auto delay = kReconnect.delay(++failures, s->deps.random, r.error().retry_after);
            log.error("SQS receive failed: {}; retrying in {} ms", r.error().describe(),
                      delay.count());
            if (!co_await pause(s.get(), c->sqs_timer.get(), delay)) break;
            continue;
        }
        failures = 0;
        // An empty answer (long poll expired, or a queue that does not long-poll): breathe.
        if (r->received == 0 && !co_await pause(s.get(), c->sqs_timer.get(), 1s)) break;
    }
}

}  // namespace

Wiring::Wiring(Deps deps) : state_(std::make_shared<State>(std::move(deps))) {
    auto& s = *state_;
    auto& d = s.deps;
    s.engine = std::make_unique<flows::Engine>(d.io.get_executor(), d.store, d.metrics, d.clock,
                                               d.settings.engine);
    State* raw = state_.get();
    // Dead letters are counted where they are made (the engine, the notification trigger).
    auto on_dead_letter = [raw](const flows::Alert& a) {
        raw->raise_alert(
            a.kind, a.flow, a.connection,
            "job " + std::to_string(a.job_id) + " entity " + a.entity_key + ": " + a.message,
            /*count=*/false);
    };
    s.engine->on_alert(on_dead_letter);
    for (const auto& cs : d.settings.connection_settings) {
        if (!d.only_connection.empty() && cs.name != d.only_connection) continue;
        auto c = std::make_unique<ConnectionRuntime>();
        c->settings = &cs;
        auto http_options = d.settings.http;
        http_options.name = "sp-api";
        c->amazon_http = net::make_http_client(d.io.get_executor(), http_options, &d.metrics);
        http_options.name = "odoo";
        if (cs.odoo.allow_insecure_http) http_options.allow_insecure_http = true;
        c->odoo_http = net::make_http_client(d.io.get_executor(), http_options, &d.metrics);
        const auto breaker = [&d, &cs](const char* service) {
            return std::make_unique<net::CircuitBreaker>(d.clock, d.settings.circuit_breaker,
                                                         cs.name, service, &d.metrics);
        };
        c->amazon_breaker = breaker("amazon");
        c->odoo_breaker = breaker("odoo");
        c->amazon_guarded = net::make_guarded_client(c->amazon_http, *c->amazon_breaker);
        c->odoo_guarded = net::make_guarded_client(c->odoo_http, *c->odoo_breaker);
        c->quota = &quota_account(s, cs);
        amazon::LwaOptions lwa;
        lwa.token_url = cs.amazon.lwa_token_url();
        lwa.client_id = cs.amazon.lwa_client_id;
        lwa.client_secret = cs.amazon.lwa_client_secret;
        lwa.timeout = std::min<std::chrono::milliseconds>(cs.amazon.timeout, 15s);
        // Login with Amazon behind the amazon circuit too: when it is down, jobs wait instead of
        // using up their attempts on token exchanges that cannot succeed.
        c->lwa =
            std::make_unique<amazon::LwaTokenSource>(*c->amazon_guarded, d.clock, lwa, &d.metrics);
        const std::string name = cs.name;
        c->lwa->on_auth_failure([raw, name](const Error& e) {
            raw->raise_alert("auth", "", name, "Login with Amazon: " + e.describe(),
                             /*count=*/true);
        });
        c->amazon =
            std::make_unique<amazon::SpApiClient>(*c->amazon_guarded, *c->lwa, *c->quota->limiter,
                                                  d.clock, d.random, d.metrics, cs.amazon);
        c->odoo = std::make_unique<odoo::OdooClient>(*c->odoo_guarded, cs.odoo, d.clock);
        for (const auto& flow : cs.enabled_flows) {
            const auto* entry = d.registry.find(flow);
            if (entry == nullptr || !entry->make) {
                s.unavailable.push_back(cs.name + "/" + flow);
                continue;
            }
            c->flows.push_back(flow);
            for (const auto& t : entry->templates) {
                if (c->templates.count(t)) continue;
                const auto file = cs.mapping.template_for(t, d.settings.base_dir,
                                                          d.settings.installed_template_dirs);
                c->templates[t] = std::make_shared<const mapping::MappingTemplate>(
                    mapping::MappingTemplate::load_file(file));
            }
        }
        auto wake = [raw] { raw->engine->wake(); };
        if (cs.order_triggers_on()) {
            const auto& o = cs.order_triggers;
            if (o.notifications && !cs.amazon.sqs.queue_url.empty()) {
                c->sqs_breaker = breaker("sqs");
                c->sqs_guarded = net::make_guarded_client(c->amazon_http, *c->sqs_breaker);
                c->sqs = std::make_unique<amazon::SqsClient>(
                    *c->sqs_guarded, d.clock, amazon::SqsEndpoint::from_options(cs.amazon));
                c->notifications = std::make_unique<flows::OrderNotificationTrigger>(
                    cs.name, d.store, d.metrics, wake);
                c->notifications->on_alert(on_dead_letter);
                c->notifications->set_door({cs.amazon.seller_id, cs.amazon.marketplace_ids},
                                           d.clock);
                c->consumer = std::make_unique<amazon::SqsConsumer>(
                    *c->sqs, d.metrics, c->notifications->handler(),
                    c->notifications->malformed_handler());
            }
            if (o.sweep) {
                c->sweep = std::make_unique<flows::OrderSweep>(cs.name, *c->amazon, d.store,
                                                               d.metrics, d.clock, o);
            }
        }
        c->sweep_timer = std::make_unique<asio::steady_timer>(d.io);
        c->sqs_timer = std::make_unique<asio::steady_timer>(d.io);
        c->connect_timer = std::make_unique<asio::steady_timer>(d.io);
        c->watch_timer = std::make_unique<asio::steady_timer>(d.io);
        s.connections.push_back(std::move(c));
    }
}

Wiring::~Wiring() = default;

void Wiring::on_fatal(std::function<void(int, std::string)> hook) {
    state_->fatal = std::move(hook);
}

void Wiring::add_readiness(Readiness& readiness) {
    for (const auto& c : state_->connections) {
        ConnectionRuntime* raw = c.get();
        readiness.add("amazon[" + c->settings->name + "]", [raw]() -> std::optional<std::string> {
            if (raw->lwa->is_healthy()) return std::nullopt;
            return "Login with Amazon rejected the credentials (see the log)";
        });
        // An open circuit does not make the daemon unready: it is running as designed (jobs
        // wait, nothing is lost) and restarting it would not bring the service back.
        for (const auto* breaker :
             {c->amazon_breaker.get(), c->odoo_breaker.get(), c->sqs_breaker.get()}) {
            if (breaker == nullptr) continue;
            if (breaker == c->odoo_breaker.get() && c->flows.empty()) continue;
            readiness.add_info(
                "circuit " + breaker->name(),
                [breaker]() -> std::optional<std::string> { return breaker->describe(); });
        }
        if (c->flows.empty()) continue;
        readiness.add("odoo[" + c->settings->name + "]", [raw]() -> std::optional<std::string> {
            std::lock_guard lock(raw->mutex);
            if (raw->odoo_connected) return std::nullopt;
            return raw->odoo_status;
        });
    }
}

void Wiring::start() {
    auto& s = state_;
    for (const auto& u : s->unavailable) {
        s->log.warn("flow {} is enabled but not part of this build; its jobs wait in the queue", u);
    }
    for (const auto& c : s->connections) {
        auto log = s->log.with({.connection = c->settings->name});
        if (c->settings->order_triggers_on() &&
            std::find(c->flows.begin(), c->flows.end(), flows::kOrderImportFlow) ==
                c->flows.end()) {
            log.warn(
                "order triggers run but the order_import flow does not; order jobs wait "
                "in the queue");
        }
        if (c->consumer)
            spawn(s, "notifications[" + c->settings->name + "]", run_notifications(s, c.get()));
        if (c->sweep) spawn(s, "sweep[" + c->settings->name + "]", run_sweeps(s, c.get()));
        if (c->consumer || c->sweep) {
            log.info("triggers: notifications {}, sweep {}", c->consumer ? "on" : "off",
                     c->sweep ? "every " +
                                    std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                                                       c->sweep->options().sweep_interval)
                                                       .count()) +
                                    " s"
                              : std::string("off"));
        }
        spawn(s, "connect[" + c->settings->name + "]", keep_connecting(s, c.get()));
    }
    for (const auto& q : s->quotas) {
        spawn(s, "quota[" + q->connections + "]", save_quota_levels(s, q.get()));
    }
    if (s->connections.empty()) connection_ready(s);
}

asio::awaitable<void> Wiring::stop(std::chrono::milliseconds deadline) {
    auto s = state_;
    s->stopping = true;
    for (const auto& c : s->connections) {
        c->sweep_timer->cancel();
        c->sqs_timer->cancel();
        c->connect_timer->cancel();
        c->watch_timer->cancel();
    }
    for (const auto& q : s->quotas) q->timer->cancel();
    s->engine->stop();
    if (s->tasks > 0) {
        s->drained.expires_after(deadline);
        co_await s->drained.async_wait(asio::as_tuple(asio::use_awaitable));
    }
    if (s->tasks > 0) {
        s->log.warn("{} tasks still running after {} ms; stopping anyway", s->tasks,
                    deadline.count());
    }
    for (const auto& q : s->quotas) co_await save_quota_once(s, q.get());
}

asio::awaitable<Result<void>> Wiring::prepare_flows() {
    auto s = state_;
    for (const auto& c : s->connections) {
        if (c->flows.empty()) continue;
        auto r = co_await connect_odoo(s, c.get());
        if (!r) {
            co_return make_error(r.error().kind,
                                 "connection " + c->settings->name + ": Odoo: " + r.error().message,
                                 "odoo");
        }
    }
    register_flows(s.get());
    co_return Result<void>{};
}

asio::awaitable<Result<bool>> Wiring::enqueue_odoo_hook(std::string connection, std::string body) {
    auto s = state_;
    ConnectionRuntime* c = nullptr;
    for (const auto& rt : s->connections) {
        if (rt->settings->name == connection) c = rt.get();
    }
    if (c == nullptr) co_return make_error(ErrorKind::permanent, "no connection " + connection);
    bool connected = false;
    {
        std::lock_guard lock(c->mutex);
        connected = c->odoo_connected;
    }
    if (!connected) {
        co_return make_error(ErrorKind::unavailable,
                             "the connection's flows are not running yet (connecting to Odoo); "
                             "the watcher picks the change up");
    }
    auto job = flows::job_from_odoo_hook(c->watches, connection, body);
    if (!job) co_return job.error();
    std::function<Result<store::EnqueueResult>(store::Store&)> fn =
        [j = std::move(*job)](store::Store& st) { return st.enqueue(j); };
    auto r = co_await s->deps.store.call(std::move(fn));
    if (!r) co_return r.error();
    const bool fresh = r->outcome == store::EnqueueOutcome::enqueued;
    if (fresh) s->engine->wake();
    co_return fresh;
}

flows::Engine& Wiring::engine() { return *state_->engine; }

amazon::SpApiClient* Wiring::amazon(const std::string& connection) {
    for (const auto& c : state_->connections) {
        if (c->settings->name == connection) return c->amazon.get();
    }
    return nullptr;
}

std::vector<std::string> Wiring::unavailable_flows() const { return state_->unavailable; }

std::optional<flows::FlowSettings> Wiring::flow_settings(std::string_view flow) const {
    return state_->engine->flow_settings(flow);
}

}  // namespace clarity::app
