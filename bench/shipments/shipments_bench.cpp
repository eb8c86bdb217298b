// Shipment confirmation end to end (fulfillment_status, docs/shipments.md): the built
// clarity-connect runs as a child process; the fake SP-API (usage plans enforced, ×kScale) and the
// fake Odoo run in this process on loopback. `make bench BENCH=shipments`.
//
// Per round, on fresh fakes and a fresh daemon:
// 1. Set-up (not timed): 500 merchant-fulfilled orders of 1 or 2 lines, imported by the daemon
//    until their 500 deliveries are open in Odoo and every import job is done.
// 2. Timed: the 500 deliveries validated as fast as this process can, each followed at once by
//    Odoo's webhook (posted by 4 threads, as Odoo's workers would, so the daemon's answer time
//    does not pace the validations); until the fake SP-API has received 500 confirmShipment
//    calls. Latency per shipment = receipt at the fake - validation; the total against the least
//    time the usage plan allows (confirmShipment 2/s, burst 10, ×kScale: (500 - 10) / (2 ×
//    kScale)); Odoo calls per confirmed shipment (every call the fake Odoo logged, the watcher's
//    included).
// 3. Idle: once every job is done, the watcher's Odoo calls per round (per interval), and the
//    daemon's CPU meanwhile; in the first round also before any delivery is done.
// The rounds' medians are printed. BENCH_SHIPMENTS_ROUNDS: rounds (default 3);
// BENCH_SHIPMENTS_SCALE: the speed-up (default 50); BENCH_LOG_LEVEL: the daemon's log level;
// BENCH_SHIPMENTS_KEEP: keep each round's directory (store, config, daemon log).
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "clarity/amazon/operations.hpp"
#include "clarity/core/clock.hpp"
#include "clarity/model/timestamp.hpp"
#include "daemon_process.hpp"
#include "sandbox/daemon_config.hpp"
#include "sandbox/scenario.hpp"

namespace fs = std::filesystem;
namespace sb = clarity::fakes::sandbox;
namespace sp = clarity::fakes::sp_api;
namespace od = clarity::fakes::odoo;
using clarity::SystemClock;
using json = nlohmann::json;
using od::Struct;
using od::Value;
using namespace std::chrono_literals;
using Seconds = std::chrono::duration<double>;

namespace {

constexpr int kPickings = 500;
/// The fake's speed_up and the daemon's rate_scale: confirmShipment allows 2 × kScale per second.
/// The import before each round needs one getOrder per order (0.5/s, burst 30): ~19 s at ×50.
const double kScale =
    std::getenv("BENCH_SHIPMENTS_SCALE") ? std::atof(std::getenv("BENCH_SHIPMENTS_SCALE")) : 50;
const int kRounds =
    std::getenv("BENCH_SHIPMENTS_ROUNDS") ? std::atoi(std::getenv("BENCH_SHIPMENTS_ROUNDS")) : 3;
constexpr auto kWatchInterval = 500ms;
constexpr int kIdleIntervals = 5;
constexpr const char* kSecret = "benchHookSecret0123456789abcdef";
constexpr const char* kAdminToken = "bench-admin-token";

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

/// The `q` quantile (0..1) of `v`, nearest rank.
double quantile(std::vector<double> v, double q) {
    std::sort(v.begin(), v.end());
    const auto rank = static_cast<std::size_t>(q * static_cast<double>(v.size()) + 0.999999);
    return v[std::clamp<std::size_t>(rank, 1, v.size()) - 1];
}

/// The least time the usage plan allows for `n` calls of `op` at `scale`: the burst is free, the
/// rest arrives at the refill rate.
double quota_seconds(std::string_view op, int n, double scale) {
    const auto* info = clarity::amazon::find_operation(op);
    if (info == nullptr) throw std::runtime_error("unknown operation");
    return std::max(0, n - info->burst) / (info->rate * scale);
}

// ---- HTTP to the daemon's admin port --------------------------------------------------------

/// The sum of the samples of `metric` whose labels contain every one of `labels` (Prometheus
/// text, e.g. labels `flow="order_import"`, `outcome="done"`).
double metric_sum(const std::string& text,
                  const std::string& metric,
                  const std::vector<std::string>& labels) {
    double sum = 0;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        if (line.rfind(metric + "{", 0) != 0) continue;
        const auto close = line.find('}');
        if (close == std::string::npos) continue;
        const std::string set = line.substr(0, close);
        if (!std::all_of(labels.begin(), labels.end(),
                         [&](const std::string& l) { return set.find(l) != std::string::npos; }))
            continue;
        sum += std::atof(line.c_str() + close + 1);
    }
    return sum;
}

// ---- one world: fakes, config, daemon -------------------------------------------------------

struct Delivery {
    std::int64_t id = 0;
    std::vector<std::pair<std::int64_t, double>> moves;  ///< stock.move id, quantity
};

struct World {
    explicit World(std::uint64_t seed)
        : dir(fs::temp_directory_path() / ("clarity-bench-shipments-" + std::to_string(::getpid()) +
                                           "-" + std::to_string(counter++))),
          amazon(SystemClock::instance(), amazon_options()) {
        fs::create_directories(dir);
        // Products, taxes, warehouse, Studio fields of a 1-order scenario (its order never
        // appears), and the carrier the deliveries ship with.
        sb::ScenarioOptions so;
        so.orders = 1;
        so.start = SystemClock::instance().now() + 1h;
        scenario = sb::generate(so);
        sb::seed_odoo(scenario, fake());
        ups = fake().create("delivery.carrier", Struct{{"name", "UPS"}});
        // kPickings merchant-fulfilled orders of 1 or 2 lines, bought ten minutes ago, unshipped.
        std::mt19937 rng(static_cast<std::mt19937::result_type>(seed));
        const auto bought = std::chrono::time_point_cast<std::chrono::seconds>(
            SystemClock::instance().now() - 10min);
        for (int i = 0; i < kPickings; ++i) {
            sp::SeedOrder o;
            char id[32];
            std::snprintf(id, sizeof id, "113-%07d-%07d", 4000000 + i, 1000 + i);
            o.order_id = id;
            o.status = "UNSHIPPED";
            o.created_time = clarity::model::format_iso8601(bought);
            o.last_updated_time = o.created_time;
            o.state = "CA";
            o.postal_code = "94105";
            o.city = "San Francisco";
            const int lines = 1 + static_cast<int>(rng() % 2);
            for (int l = 0; l < lines; ++l) {
                const auto& p =
                    scenario
                        .products[(static_cast<std::size_t>(i) + l * 7) % scenario.products.size()];
                sp::SeedItem it;
                it.order_item_id = o.order_id.substr(4, 7) + std::to_string(l + 1);
                it.seller_sku = p.sku;
                it.asin = p.asin;
                it.title = p.name;
                it.quantity = 1 + static_cast<int>(rng() % 3);
                it.unit_price = "10.00";
                it.item_tax = it.quantity == 1 ? "1.50" : it.quantity == 2 ? "3.00" : "4.50";
                o.items.push_back(std::move(it));
            }
            amazon.add_order(o);
        }
        admin_port = clarity::e2e::free_loopback_port();
        sb::DaemonConfigOptions dc;
        dc.store_path = (dir / "clarity.db").string();
        dc.mapping_dir = CLARITY_MAPPING_DIR;
        dc.rate_scale = amazon.options().speed_up;
        dc.sqs = false;
        // The start-up sweep imports the orders; no later sweep falls in the round.
        dc.sweep_interval = "10m";
        dc.admin_listen = "127.0.0.1:" + std::to_string(admin_port);
        dc.admin_token = kAdminToken;
        dc.log_level = std::getenv("BENCH_LOG_LEVEL") ? std::getenv("BENCH_LOG_LEVEL") : "warn";
        dc.store_extra = "  retry:\n    base: 100ms\n    cap: 2s\n    max_attempts: 60\n";
        dc.flows_extra = "      fulfillment_status:\n        enabled: true\n";
        dc.triggers_extra =
            "      odoo:\n        interval: " + std::to_string(kWatchInterval.count()) +
            "ms\n        overlap: 30s\n        webhook_secret: " + kSecret + "\n";
        config = (dir / "clarity-connect.yaml").string();
        std::ofstream(config) << sb::daemon_config(dc, amazon, odoo.base_url(), odoo_options);
        log = (dir / "daemon.log").string();
    }
    ~World() {
        daemon.reset();
        if (std::getenv("BENCH_SHIPMENTS_KEEP")) {  // the store, config and log (debugging)
            std::fprintf(stderr, "kept %s\n", dir.c_str());
            return;
        }
        std::error_code ec;
        fs::remove_all(dir, ec);
    }

    static sp::FakeOptions amazon_options() {
        sp::FakeOptions o;
        o.speed_up = kScale;
        o.enforce_quota = true;
        return o;
    }

    od::FakeOdoo& fake() { return odoo.odoo(); }

    void start() {
        daemon = std::make_unique<clarity::e2e::Process>(
            std::vector<std::string>{CLARITY_CONNECT_BINARY, "run", "-c", config}, log);
    }

    std::string fail(const std::string& what) const {
        return what + "; log:\n" + clarity::e2e::read_file(log).substr(0, 4000);
    }

    /// Polls until `done()` (the daemon is another process: there is nothing to join).
    void wait_until(const std::function<bool()>& done,
                    std::chrono::seconds limit,
                    const std::string& what,
                    std::chrono::milliseconds every = 100ms) {
        const auto deadline = std::chrono::steady_clock::now() + limit;
        while (!done()) {
            if (!daemon->running()) throw std::runtime_error(fail(what + ": the daemon exited"));
            if (std::chrono::steady_clock::now() > deadline)
                throw std::runtime_error(fail(what + ": not done in time"));
            std::this_thread::sleep_for(every);
        }
    }

    /// Runs of `flow` that ended with `outcome` (the daemon's clarity_flow_jobs_total).
    double jobs(const std::string& flow, const std::string& outcome) {
        const auto r = clarity::e2e::loopback_request(
            admin_port, "GET", "/metrics",
            std::string("Authorization: Bearer ") + kAdminToken + "\r\n", "");
        if (r.status != 200) return -1;
        return metric_sum(r.body, "clarity_flow_jobs_total",
                          {"flow=\"" + flow + "\"", "outcome=\"" + outcome + "\""});
    }

    /// The open outgoing deliveries of sale orders, with their moves.
    std::vector<Delivery> open_deliveries() {
        std::vector<Delivery> out;
        for (auto& p : fake().records("stock.picking")) {
            if (p["state"] == Value("assigned") && p["sale_id"].m2o_id()) {
                out.push_back({p["id"].as_int().value_or(0), {}});
            }
        }
        return out;
    }

    /// `deliveries` with their moves filled in (one pass over stock.move).
    void add_moves(std::vector<Delivery>& deliveries) {
        std::map<std::int64_t, Delivery*> by_id;
        for (auto& d : deliveries) by_id[d.id] = &d;
        for (auto& m : fake().records("stock.move")) {
            auto it = by_id.find(m["picking_id"].m2o_id().value_or(0));
            if (it == by_id.end()) continue;
            it->second->moves.emplace_back(m["id"].as_int().value_or(0),
                                           m["product_uom_qty"].as_double().value_or(0));
        }
    }

    /// Validates delivery `d` in full, with UPS and a tracking number, as a warehouse does.
    void validate(const Delivery& d) {
        for (const auto& [move, qty] : d.moves) {
            fake().write("stock.move", move, Struct{{"quantity", qty}, {"picked", true}});
        }
        fake().write(
            "stock.picking", d.id,
            Struct{{"carrier_id", ups}, {"carrier_tracking_ref", "1Z" + std::to_string(d.id)}});
        fake().call("stock.picking", "button_validate", {d.id},
                    Struct{{"skip_sms", true}, {"skip_backorder", true}});
    }

    /// The body of Odoo's "Send Webhook Notification" for delivery `id` as it is now.
    std::string webhook_body(std::int64_t id) {
        auto after = fake().record("stock.picking", id);
        return json{{"_action", "Notify daemon(#454)"},
                    {"_id", id},
                    {"_model", "stock.picking"},
                    {"id", id},
                    {"state", "done"},
                    {"write_date", after ? (*after)["write_date"].as_string().value_or("") : ""}}
            .dump();
    }

    static inline int counter = 0;
    fs::path dir;
    od::FakeOdooOptions odoo_options = [] {
        od::FakeOdooOptions o;
        o.verify_journal = false;  // thousands of records: no full copy per call
        return o;
    }();
    od::FakeOdooServer odoo{odoo_options};
    sp::FakeSpApi amazon;
    sb::Scenario scenario;
    std::int64_t ups = 0;
    std::uint16_t admin_port = 0;
    std::string config, log;
    std::unique_ptr<clarity::e2e::Process> daemon;
};

/// Object calls by "model.method".
std::map<std::string, int> calls_by_method(const od::FakeOdoo& fake) {
    std::map<std::string, int> by;
    for (const auto& c : fake.calls()) ++by[c.model.empty() ? c.method : c.model + "." + c.method];
    return by;
}

std::string describe(const std::map<std::string, int>& by) {
    std::string s;
    for (const auto& [k, v] : by) s += (s.empty() ? "" : ", ") + k + " " + std::to_string(v);
    return s.empty() ? "none" : s;
}

struct Idle {
    double calls_per_round = 0;      ///< stock.picking search_read calls per watcher round
    double rounds_per_interval = 0;  ///< watcher rounds per `interval` of wall time
    double cpu_ms_per_s = 0;         ///< the daemon's
    std::map<std::string, int> calls;
};

/// The daemon idle for `intervals` watcher intervals from now: the watcher's calls per round (a
/// round's first search_read has no offset; a full page is followed by the next), every call
/// seen meanwhile, the daemon's CPU.
Idle idle(World& w, int intervals) {
    w.fake().clear_calls();
    const double cpu0 = clarity::e2e::cpu_seconds(w.daemon->pid());
    const auto t0 = std::chrono::steady_clock::now();
    std::this_thread::sleep_for(kWatchInterval * intervals);
    const Seconds took = std::chrono::steady_clock::now() - t0;
    Idle r;
    r.cpu_ms_per_s = (clarity::e2e::cpu_seconds(w.daemon->pid()) - cpu0) * 1000.0 / took.count();
    int searches = 0, rounds = 0;
    for (const auto& c : w.fake().calls()) {
        if (c.model != "stock.picking" || c.method != "search_read") continue;
        ++searches;
        auto offset = c.kwargs.find("offset");
        if (offset == c.kwargs.end() || offset->second.as_int().value_or(0) == 0) ++rounds;
    }
    r.calls = calls_by_method(w.fake());
    r.calls_per_round = rounds > 0 ? static_cast<double>(searches) / rounds : 0;
    r.rounds_per_interval = rounds / (took / Seconds(kWatchInterval));
    return r;
}

/// Odoo's webhooks, posted as Odoo's workers do: each from the worker that validated the
/// delivery, while the other workers go on validating. kHookSenders threads post the bodies
/// handed to them in order, each on its own connection; every answer's status and time is kept.
class HookSenders {
  public:
    static constexpr int kHookSenders = 4;

    explicit HookSenders(std::uint16_t port) : port_(port) {
        for (int i = 0; i < kHookSenders; ++i) threads_.emplace_back([this] { run(); });
    }
    ~HookSenders() { finish(); }

    void post(std::string body) {
        {
            std::lock_guard lock(mu_);
            queue_.push_back(std::move(body));
        }
        cv_.notify_one();
    }

    /// Waits until every body is posted.
    void finish() {
        {
            std::lock_guard lock(mu_);
            closing_ = true;
        }
        cv_.notify_all();
        for (auto& t : threads_) {
            if (t.joinable()) t.join();
        }
    }

    int refused() const { return refused_; }
    /// Seconds from sending each webhook to the daemon's answer.
    const std::vector<double>& answer_times() const { return answer_times_; }

  private:
    void run() {
        static const std::string target = std::string("/hooks/odoo/sandbox?secret=") + kSecret;
        for (;;) {
            std::string body;
            {
                std::unique_lock lock(mu_);
                cv_.wait(lock, [this] { return closing_ || !queue_.empty(); });
                if (queue_.empty()) return;
                body = std::move(queue_.front());
                queue_.pop_front();
            }
            const auto t0 = std::chrono::steady_clock::now();
            const int status =
                clarity::e2e::loopback_request(
                    port_, "POST", target,
                    "User-Agent: python-requests/2.31\r\nContent-Type: application/json\r\n", body)
                    .status;
            const Seconds took = std::chrono::steady_clock::now() - t0;
            std::lock_guard lock(mu_);
            answer_times_.push_back(took.count());
            if (status != 202) ++refused_;
        }
    }

    std::uint16_t port_;
    std::mutex mu_;
    std::condition_variable cv_;
    std::deque<std::string> queue_;
    bool closing_ = false;
    int refused_ = 0;
    std::vector<double> answer_times_;
    std::vector<std::thread> threads_;
};

struct Round {
    double p50 = 0, p95 = 0, total = 0, bound = 0, odoo_calls_per_shipment = 0;
    double idle_calls_per_round = 0, idle_cpu_ms_per_s = 0;
    int throttled = 0;
};

Round round(int number) {
    World w(100 + static_cast<std::uint64_t>(number));
    w.start();
    // Set-up: every order imported, its delivery open, its import job done (the job records the
    // links of its lines to the Amazon items when it acknowledges: a delivery validated before
    // that would not be an Amazon MFN delivery to the daemon).
    w.wait_until([&] { return w.open_deliveries().size() == kPickings; }, 180s,
                 "500 deliveries open", 500ms);
    w.wait_until([&] { return w.jobs("order_import", "done") >= kPickings; }, 60s,
                 "500 import jobs done", 200ms);
    auto deliveries = w.open_deliveries();
    w.add_moves(deliveries);
    if (number == 0) {
        const auto before = idle(w, kIdleIntervals);
        std::printf(
            "  idle before the round (no delivery done yet): %.2f watcher calls per round, %.2f "
            "rounds per interval, daemon CPU %.1f ms/s (%s)\n",
            before.calls_per_round, before.rounds_per_interval, before.cpu_ms_per_s,
            describe(before.calls).c_str());
    }

    // Timed: validate every delivery, each followed at once by its webhook.
    std::map<std::int64_t, clarity::Clock::time_point> validated;
    HookSenders hooks(w.admin_port);
    w.fake().clear_calls();
    const auto t0 = SystemClock::instance().now();
    for (const auto& d : deliveries) {
        w.validate(d);
        validated[d.id] = SystemClock::instance().now();
        hooks.post(w.webhook_body(d.id));
    }
    const Seconds validating = SystemClock::instance().now() - t0;
    hooks.finish();
    const Seconds hooked = SystemClock::instance().now() - t0;
    w.wait_until([&] { return w.amazon.shipment_confirmation_times().size() >= kPickings; }, 120s,
                 "500 shipments confirmed", 5ms);
    const auto calls = calls_by_method(w.fake());
    const auto bodies = w.amazon.shipment_confirmations();
    const auto times = w.amazon.shipment_confirmation_times();

    Round r;
    std::vector<double> latencies;
    clarity::Clock::time_point last = t0;
    std::map<std::int64_t, int> seen;
    for (std::size_t i = 0; i < bodies.size() && i < times.size(); ++i) {
        const auto b = json::parse(bodies[i]);
        const std::int64_t id =
            std::stoll(b["packageDetail"]["packageReferenceId"].get<std::string>());
        auto v = validated.find(id);
        if (v == validated.end() || ++seen[id] > 1) continue;  // not one of ours, or a double
        latencies.push_back(Seconds(times[i] - v->second).count());
        last = std::max(last, times[i]);
    }
    if (latencies.size() != kPickings) {
        throw std::runtime_error(w.fail(std::to_string(bodies.size()) + " confirmations for " +
                                        std::to_string(latencies.size()) + " of the deliveries"));
    }
    r.p50 = quantile(latencies, 0.50);
    r.p95 = quantile(latencies, 0.95);
    r.total = Seconds(last - t0).count();
    r.bound = quota_seconds("confirmShipment", kPickings, kScale);
    int total_calls = 0;
    for (const auto& [k, v] : calls) total_calls += v;
    r.odoo_calls_per_shipment = static_cast<double>(total_calls) / kPickings;
    r.throttled = w.amazon.throttled("confirmShipment");
    std::printf(
        "  shipments round: %.2f s (bound %.2f s), p50 %.2f s, p95 %.2f s, validating %.2f s, "
        "webhooks sent %.2f s (answers p50 %.1f ms, p95 %.1f ms, %d not 202), confirmShipment "
        "%d (429: %d)\n",
        r.total, r.bound, r.p50, r.p95, validating.count(), hooked.count(),
        quantile(hooks.answer_times(), 0.5) * 1000, quantile(hooks.answer_times(), 0.95) * 1000,
        hooks.refused(), w.amazon.calls("confirmShipment"), r.throttled);
    std::printf("  odoo calls in the round: %s\n", describe(calls).c_str());
    std::fflush(stdout);

    // Idle: every job done, nothing changes in Odoo any more.
    w.wait_until([&] { return w.jobs("fulfillment_status", "done") >= kPickings; }, 60s,
                 "500 shipment jobs done", 100ms);
    std::this_thread::sleep_for(kWatchInterval * 2);
    const auto after = idle(w, kIdleIntervals);
    r.idle_calls_per_round = after.calls_per_round;
    r.idle_cpu_ms_per_s = after.cpu_ms_per_s;
    std::printf(
        "  idle after the round: %.2f watcher calls per round, %.2f rounds per interval, daemon "
        "CPU %.1f ms/s (%s)\n",
        after.calls_per_round, after.rounds_per_interval, after.cpu_ms_per_s,
        describe(after.calls).c_str());
    std::fflush(stdout);
    return r;
}

}  // namespace

int main() {
    try {
        if (kRounds < 1 || !(kScale > 0)) throw std::runtime_error("bad round count or scale");
        std::vector<double> p50, p95, total, bound, ratio, calls, idle, idle_cpu;
        int throttled = 0;
        for (int n = 0; n < kRounds; ++n) {
            const auto r = round(n);
            p50.push_back(r.p50);
            p95.push_back(r.p95);
            total.push_back(r.total);
            bound.push_back(r.bound);
            ratio.push_back(r.bound / r.total);
            calls.push_back(r.odoo_calls_per_shipment);
            idle.push_back(r.idle_calls_per_round);
            idle_cpu.push_back(r.idle_cpu_ms_per_s);
            throttled += r.throttled;
        }
        std::printf("shipments_latency_p50: %.3f s (%d pickings, quotas x%g, median of %d)\n",
                    median(p50), kPickings, kScale, kRounds);
        std::printf("shipments_latency_p95: %.3f s\n", median(p95));
        std::printf("shipments_total_time: %.3f s\n", median(total));
        std::printf("shipments_quota_bound_time: %.3f s (confirmShipment 2/s, burst 10, x%g)\n",
                    median(bound), kScale);
        std::printf("shipments_confirm_429s: %d (all rounds)\n", throttled);
        std::printf("odoo_calls_per_shipment: %.3f calls (target ≤ 2)\n", median(calls));
        std::printf(
            "odoo_watch_calls_per_idle_interval: %.2f calls (per watcher round, interval %lld ms, "
            "after the 500 shipments)\n",
            median(idle), static_cast<long long>(kWatchInterval.count()));
        std::printf("daemon_idle_cpu_after_shipments: %.1f ms/s\n", median(idle_cpu));
        std::printf("ratio shipments_quota_bound: %.3f (target ≥ 0.9)\n", median(ratio));
        std::printf("ratio odoo_calls_per_shipment: %.3f (target ≤ 2)\n", median(calls));
        std::printf("ratio odoo_watch_calls_per_idle_interval: %.2f (target ≤ 1)\n", median(idle));
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_shipments: %s\n", e.what());
        return 1;
    }
}
