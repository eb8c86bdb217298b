// Order import end to end: the built clarity-connect runs as a child process (its CPU and memory
// figures exclude the fakes); the fake SP-API and the fake Odoo run in this process on loopback,
// seeded by the sandbox scenario (tests/fakes/sandbox). `make bench BENCH=orders`.
//
// 1. Quotas off in the fake (daemon rate_scale huge): 5,000 orders that all exist before the
//    daemon starts, enqueued by its start-up sweep; orders/s until every sale.order is in its final
//    state, daemon CPU per order, Odoo calls per order, peak RSS (VmHWM) and idle RSS (VmRSS).
// 2. Warm caches: batches of 3-line MFN orders of one known customer (ORDER_CHANGE via SQS);
//    Odoo calls per order, median of the batches.
// 3. Published quotas ×50 (fake speed_up = daemon rate_scale = 50): the time to import 500 orders
//    against the minimum the usage plans allow for the calls the import must make.
// 4. The same through Orders v0 (`api: v0`, buyer and address data with Restricted Data Tokens),
//    150 orders at ×20: getOrder + getOrderItems per order (0.5/s, burst 30 each) bound it.
// 5. A 1,000-order backlog of new customers against a fake Odoo with a cost model (a fixed time
//    per call plus a time per record, two workers), compared in the same run with a bare client
//    sending the batched calls a skilled direct integration would make.
#include <sched.h>
#include <unistd.h>

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "clarity/amazon/operations.hpp"
#include "clarity/core/clock.hpp"
#include "clarity/net/http_client.hpp"
#include "clarity/odoo/client.hpp"
#include "daemon_process.hpp"
#include "sandbox/daemon_config.hpp"
#include "sandbox/scenario.hpp"

namespace fs = std::filesystem;
namespace sb = clarity::fakes::sandbox;
namespace sp = clarity::fakes::sp_api;
namespace od = clarity::fakes::odoo;
using clarity::SystemClock;
using namespace std::chrono_literals;
using Seconds = std::chrono::duration<double>;

namespace {

// BENCH_ORDERS / BENCH_LOG_LEVEL override the order count and the daemon's log level (debugging).
const int kThroughputOrders =
    std::getenv("BENCH_ORDERS") ? std::atoi(std::getenv("BENCH_ORDERS")) : 5000;
// The small backlog whose CPU per order the large one is compared with (the import must not slow
// down as the backlog grows).
constexpr int kSmallBacklogOrders = 300;
constexpr int kWarmBatches = 5;
constexpr int kWarmBatchOrders = 20;
constexpr int kQuotaOrders = 500;
constexpr int kQuotaRounds = 3;
constexpr double kQuotaScale = 50;
constexpr int kV0Orders = 150;
constexpr int kV0Rounds = 3;
constexpr double kV0Scale = 20;

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

// ---- /proc of the daemon ------------------------------------------------------------------

/// A "VmHWM:" / "VmRSS:" line of /proc/<pid>/status in MB (MiB).
double status_mb(pid_t pid, const std::string& key) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind(key + ":", 0) == 0) {
            return std::stod(line.substr(key.size() + 1)) / 1024.0;  // kB
        }
    }
    return 0;
}

/// Sets the CPU affinity of every thread of `pid` to `cpus`. The daemon's CPU per order is measured
/// with the daemon on a core of its own: sharing cores with this process's fakes (whose cost grows
/// with the records they hold) inflates a process's CPU time through cache and scheduler effects,
/// which would be charged to the daemon. Threads created later inherit a pinned creator's set.
void pin_threads(pid_t pid, const std::vector<int>& cpus) {
    cpu_set_t set;
    CPU_ZERO(&set);
    for (int c : cpus) CPU_SET(c, &set);
    std::error_code ec;
    for (const auto& t : fs::directory_iterator("/proc/" + std::to_string(pid) + "/task", ec)) {
        ::sched_setaffinity(std::atoi(t.path().filename().c_str()), sizeof set, &set);
    }
}

std::vector<int> all_cpus() {
    std::vector<int> all;
    for (long c = 0; c < ::sysconf(_SC_NPROCESSORS_ONLN); ++c) all.push_back(static_cast<int>(c));
    return all;
}

/// Gives the daemon CPU 0 and this process the others, on a machine with at least two CPUs.
void separate_cpus(pid_t daemon) {
    const long n = ::sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 2) return;
    std::vector<int> rest;
    for (int c = 1; c < n; ++c) rest.push_back(c);
    pin_threads(::getpid(), rest);
    pin_threads(daemon, {0});
}

// ---- one world: fakes, config, daemon -------------------------------------------------------

struct World {
    World(double speed_up,
          bool quota,
          bool sqs,
          double rate_scale,
          const std::string& order_import_extra = {},
          std::optional<od::FakeOdooOptions> odoo_opt = {},
          const std::string& engine_extra = {})
        : odoo_options(odoo_opt ? *odoo_opt : default_odoo_options()),
          odoo(odoo_options),
          dir(fs::temp_directory_path() / ("clarity-bench-orders-" + std::to_string(::getpid()) +
                                           "-" + std::to_string(counter++))),
          amazon(SystemClock::instance(), amazon_options(speed_up, quota)) {
        fs::create_directories(dir);
        sb::DaemonConfigOptions dc;
        dc.store_path = (dir / "clarity.db").string();
        dc.mapping_dir = CLARITY_MAPPING_DIR;
        dc.rate_scale = rate_scale;
        dc.sqs = sqs;
        dc.sqs_wait = "1s";
        dc.log_level = std::getenv("BENCH_LOG_LEVEL") ? std::getenv("BENCH_LOG_LEVEL") : "warn";
        dc.poll_interval = "200ms";
        dc.order_import_extra += order_import_extra;
        dc.engine_extra = engine_extra;
        config = (dir / "clarity-connect.yaml").string();
        std::ofstream(config) << sb::daemon_config(dc, amazon, odoo.base_url(), odoo_options);
        log = (dir / "daemon.log").string();
    }
    ~World() {
        daemon.reset();
        std::error_code ec;
        fs::remove_all(dir, ec);
    }

    static sp::FakeOptions amazon_options(double speed_up, bool quota) {
        sp::FakeOptions o;
        o.speed_up = speed_up;
        o.enforce_quota = quota;
        return o;
    }

    void start() {
        daemon = std::make_unique<clarity::e2e::Process>(
            std::vector<std::string>{CLARITY_CONNECT_BINARY, "run", "-c", config}, log);
    }

    /// Polls until `done()` (the daemon is another process: there is nothing to join).
    void wait_until(const std::function<bool()>& done,
                    std::chrono::seconds limit,
                    const char* what,
                    std::chrono::milliseconds every = 100ms) {
        const auto deadline = std::chrono::steady_clock::now() + limit;
        while (!done()) {
            if (!daemon->running()) {
                throw std::runtime_error(std::string(what) + ": the daemon exited; log:\n" +
                                         clarity::e2e::read_file(log).substr(0, 4000));
            }
            if (std::chrono::steady_clock::now() > deadline) {
                throw std::runtime_error(std::string(what) + ": not done in time; log:\n" +
                                         clarity::e2e::read_file(log).substr(0, 4000));
            }
            std::this_thread::sleep_for(every);
        }
    }

    static od::FakeOdooOptions default_odoo_options() {
        od::FakeOdooOptions o;
        o.verify_journal = false;  // thousands of records: no full copy per call
        return o;
    }
    static inline int counter = 0;
    od::FakeOdooOptions odoo_options;
    od::FakeOdooServer odoo;
    fs::path dir;
    sp::FakeSpApi amazon;
    std::string config, log;
    std::unique_ptr<clarity::e2e::Process> daemon;
};

/// A scenario whose orders are all created and in their final Amazon state before the daemon
/// starts (no timeline waits, no notifications: the start-up sweep enqueues one job per order).
sb::Scenario settled_scenario(int orders, std::uint64_t seed) {
    sb::ScenarioOptions so;
    so.orders = orders;
    so.seed = seed;
    so.speed = 1000;  // the whole timeline within ~2 s of scenario start ...
    // ... which lies in the past, inside the daemon's first sweep window (initial_lookback 1h,
    // up to now - 2 min).
    so.start = SystemClock::instance().now() - 30min;
    so.unknown_sku = false;
    so.notifications = false;
    so.duplicate_every = 0;
    return sb::generate(so);
}

bool all_final(const World& w, const sb::Scenario& sc) {
    auto st = sb::check(sc, const_cast<World&>(w).odoo.odoo(), SystemClock::instance().now(), 0);
    return st.final_state == st.seeded && st.duplicates == 0;
}

// ---- 1. throughput, CPU, memory, Odoo calls (quotas off) -----------------------------------

struct Throughput {
    double orders_per_s = 0, cpu_ms_per_order = 0, odoo_calls_per_order = 0, peak_rss_mb = 0,
           idle_rss_mb = 0, seconds = 0, idle_cpu_ms_per_s = 0;
};

Throughput throughput(int orders) {
    // The fake announces its (scaled) rates in x-amzn-RateLimit-Limit, which the daemon adopts:
    // fake speed_up and daemon rate_scale must agree (with 1 here, searchOrders' 0.0056/s
    // announced after the first page stalled the start-up sweep after its burst of 20 pages).
    World w(100000, /*quota=*/false, /*sqs=*/false, /*rate_scale=*/100000);
    const auto sc = settled_scenario(orders, 5);
    sb::seed_odoo(sc, w.odoo.odoo());
    sb::seed_amazon(sc, w.amazon);
    w.amazon.advance();
    w.odoo.odoo().clear_calls();
    const auto t0 = std::chrono::steady_clock::now();
    w.start();
    separate_cpus(w.daemon->pid());
    std::this_thread::sleep_for(100ms);
    separate_cpus(w.daemon->pid());  // threads the daemon started meanwhile
    w.wait_until([&] { return all_final(w, sc); }, 900s, "throughput orders", 2000ms);
    const Seconds took = std::chrono::steady_clock::now() - t0;
    const pid_t pid = w.daemon->pid();
    Throughput r;
    r.seconds = took.count();
    r.orders_per_s = orders / took.count();
    r.cpu_ms_per_order = clarity::e2e::cpu_seconds(pid) * 1000.0 / orders;
    r.odoo_calls_per_order = static_cast<double>(w.odoo.odoo().calls().size()) / orders;
    if (std::getenv("BENCH_ORDERS_CALLS")) {  // which Odoo calls, per order (profiling)
        std::map<std::string, int> by;
        for (const auto& c : w.odoo.odoo().calls()) ++by[c.model + "." + c.method];
        for (const auto& [k, v] : by) std::printf("  %s: %.3f\n", k.c_str(), double(v) / orders);
    }
    r.peak_rss_mb = status_mb(pid, "VmHWM");
    const double busy_cpu = clarity::e2e::cpu_seconds(pid);
    std::this_thread::sleep_for(5s);  // idle: the queue is empty, nothing arrives
    r.idle_rss_mb = status_mb(pid, "VmRSS");
    r.idle_cpu_ms_per_s = (clarity::e2e::cpu_seconds(pid) - busy_cpu) * 1000.0 / 5.0;
    pin_threads(::getpid(), all_cpus());
    return r;
}

// ---- 2. Odoo calls per warm 3-line order of a known customer --------------------------------

/// An unshipped MFN order of `lines` lines to New York: id "<prefix>-<2000000+n>-<3000000+n>",
/// quantities 1, 2, 3…, Amazon's 15 % tax per line.
sp::SeedOrder mfn_order(const sb::Scenario& sc,
                        int n,
                        const char* prefix,
                        int lines,
                        const std::string& buyer,
                        const std::string& email,
                        const std::string& street) {
    sp::SeedOrder o;
    char id[32];
    std::snprintf(id, sizeof id, "%s-%07d-%07d", prefix, 2000000 + n, 3000000 + n);
    o.order_id = id;
    o.status = "UNSHIPPED";
    o.buyer_name = o.address_name = buyer;
    o.buyer_email = email;
    o.address_line1 = street;
    o.city = "New York";
    o.state = "NY";
    o.postal_code = "10001";
    o.country_code = "US";
    for (int l = 0; l < lines; ++l) {
        const auto& p = sc.products[static_cast<std::size_t>((n + l * 7) % 40)];
        sp::SeedItem it;
        it.order_item_id = std::to_string(20000000000000LL + n * 10LL + l);
        it.seller_sku = p.sku;
        it.asin = p.asin;
        it.title = p.name;
        it.quantity = 1 + l;
        it.unit_price = sb::cents_text(p.list_price_cents);
        it.item_tax = sb::cents_text((p.list_price_cents * it.quantity * 15 + 50) / 100);
        o.items.push_back(std::move(it));
    }
    return o;
}

/// A 3-line order of one known customer.
sp::SeedOrder three_line_order(const sb::Scenario& sc, int n) {
    return mfn_order(sc, n, "113", 3, "Grace Hopper", "grace@marketplace.amazon.com",
                     "12 Market St");
}

int confirmed_orders(World& w, const std::string& prefix) {
    int n = 0;
    for (const auto& so : w.odoo.odoo().records("sale.order")) {
        auto ref = so.at("client_order_ref").as_string();
        if (ref && ref->rfind(prefix, 0) == 0 && so.at("state") == od::Value("sale")) ++n;
    }
    return n;
}

double warm_calls_per_order() {
    World w(100000, /*quota=*/false, /*sqs=*/true, /*rate_scale=*/100000);
    const auto sc = settled_scenario(1, 7);  // products, warehouses, Studio fields
    sb::seed_odoo(sc, w.odoo.odoo());
    // The warm-up order (same customer, same products) is found by the start-up sweep.
    int n = 0;
    auto warm = three_line_order(sc, n++);
    w.amazon.schedule_order(warm, SystemClock::instance().now() - 1min, {}, 0);
    w.amazon.advance();
    w.start();
    w.wait_until([&] { return confirmed_orders(w, "113-") == 1; }, 60s, "warm-up order");
    std::this_thread::sleep_for(500ms);  // let the warm-up job's ack and any start-up calls pass
    std::vector<double> per_order;
    for (int b = 0; b < kWarmBatches; ++b) {
        const auto before = w.odoo.odoo().calls().size();
        const int target = confirmed_orders(w, "113-") + kWarmBatchOrders;
        for (int i = 0; i < kWarmBatchOrders; ++i) {
            w.amazon.schedule_order(three_line_order(sc, n++), SystemClock::instance().now(), {},
                                    1);
        }
        w.amazon.advance();
        w.wait_until([&] { return confirmed_orders(w, "113-") == target; }, 60s, "warm batch");
        std::this_thread::sleep_for(300ms);  // the batch's last job finishes its calls
        per_order.push_back(static_cast<double>(w.odoo.odoo().calls().size() - before) /
                            kWarmBatchOrders);
    }
    return median(per_order);
}

// ---- 3. quota-bound import time ------------------------------------------------------------

/// The least time the usage plans allow for `n` calls of `op` at `scale`: the burst is free, the
/// rest arrives at the refill rate.
double quota_seconds(std::string_view op, int n, double scale) {
    const auto* info = clarity::amazon::find_operation(op);
    if (info == nullptr) throw std::runtime_error("unknown operation");
    return std::max(0, n - info->burst) / (info->rate * scale);
}

struct QuotaRound {
    double seconds = 0, minimum = 0;
    int throttled = 0;  ///< 429s the fake served (v0 case)
};

QuotaRound quota_round(std::uint64_t seed) {
    World w(kQuotaScale, /*quota=*/true, /*sqs=*/false, kQuotaScale);
    const auto sc = settled_scenario(kQuotaOrders, seed);
    sb::seed_odoo(sc, w.odoo.odoo());
    sb::seed_amazon(sc, w.amazon);
    w.amazon.advance();
    const auto t0 = std::chrono::steady_clock::now();
    w.start();
    w.wait_until([&] { return all_final(w, sc); }, 120s, "500 orders under quota", 50ms);
    QuotaRound r;
    r.seconds = Seconds(std::chrono::steady_clock::now() - t0).count();
    // Per order the import must call getOrder once; the sweep reads 100 orders per searchOrders
    // page; the FBA tracking report is listed once. The slowest plan bounds the import.
    const int pages = (kQuotaOrders + 99) / 100;
    r.minimum = std::max({quota_seconds("getOrder", w.amazon.calls("getOrder"), kQuotaScale),
                          quota_seconds("searchOrders", pages, kQuotaScale),
                          quota_seconds("getReports", w.amazon.calls("getReports"), kQuotaScale)});
    std::printf(
        "  quota round: %.2f s, getOrder %d, searchOrders %d, getReports %d, throttled "
        "getOrder %d\n",
        r.seconds, w.amazon.calls("getOrder"), w.amazon.calls("searchOrders"),
        w.amazon.calls("getReports"), w.amazon.throttled("getOrder"));
    return r;
}

// ---- 4. v0 quota-bound import time ---------------------------------------------------------

QuotaRound v0_quota_round(std::uint64_t seed) {
    World w(kV0Scale, /*quota=*/true, /*sqs=*/false, kV0Scale, "        api: v0\n");
    const auto sc = settled_scenario(kV0Orders, seed);
    sb::seed_odoo(sc, w.odoo.odoo());
    sb::seed_amazon(sc, w.amazon);
    w.amazon.advance();
    const auto t0 = std::chrono::steady_clock::now();
    w.start();
    // Imported once and in their Amazon state; FBA deliveries need the shipment report under v0,
    // which the sandbox configuration leaves off.
    w.wait_until(
        [&] {
            auto st = sb::check(sc, w.odoo.odoo(), SystemClock::instance().now(), 0);
            return st.in_odoo + st.cancelled_absent == st.seeded && st.duplicates == 0 &&
                   st.confirmed + st.cancelled == st.in_odoo;
        },
        120s, "v0 orders under quota", 50ms);
    QuotaRound r;
    r.seconds = Seconds(std::chrono::steady_clock::now() - t0).count();
    // Whatever the client does, v0 has no way to read an order's items but one getOrderItems per
    // order (getOrders batches orders, not items), and the sweep reads 100 orders per
    // searchOrders page: those plans bound the import.
    const int pages = (kV0Orders + 99) / 100;
    r.minimum = std::max(quota_seconds("getOrderItems", kV0Orders, kV0Scale),
                         quota_seconds("searchOrders", pages, kV0Scale));
    int throttled = 0;
    for (const auto* op : {"getOrderV0", "getOrderItems", "createRestrictedDataToken", "getOrders",
                           "searchOrders"}) {
        throttled += w.amazon.throttled(op);
    }
    std::printf(
        "  v0 quota round: %.2f s (minimum %.2f s), getOrderV0 %d, getOrderItems %d, "
        "createRestrictedDataToken %d, getOrders %d, throttled %d\n",
        r.seconds, r.minimum, w.amazon.calls("getOrderV0"), w.amazon.calls("getOrderItems"),
        w.amazon.calls("createRestrictedDataToken"), w.amazon.calls("getOrders"), throttled);
    std::fflush(stdout);
    r.throttled = throttled;
    return r;
}

/// The v0 rounds; prints the time line and answers the median ratio minimum / time.
double v0_quota_bound() {
    std::vector<double> ratios, secs;
    int throttled = 0;
    for (int r = 0; r < kV0Rounds; ++r) {
        const auto q = v0_quota_round(200 + static_cast<std::uint64_t>(r));
        secs.push_back(q.seconds);
        ratios.push_back(q.minimum / q.seconds);
        throttled += q.throttled;
    }
    std::printf("orders_v0_429s: %d (all rounds)\n", throttled);
    std::printf(
        "orders_v0_quota_bound_time: %.2f s (%d orders, api v0, quotas x%g, median of %d)\n",
        median(secs), kV0Orders, kV0Scale, kV0Rounds);
    return median(ratios);
}

// ---- 5. a backlog against an Odoo whose cost is per call ----------------------------------
//
// The fake Odoo with a cost model (each call holds one of two workers for a fixed time plus a
// time per record it creates, changes or returns; FakeOdooOptions::cost_per_call): the daemon
// imports a backlog of MFN orders, each of a new customer; then, on a fresh fake with the same
// cost model, a bare client (the daemon's own OdooClient, no flow) sends what a skilled direct
// integration would: per 20 orders one look-up, one load of the customers, one of their
// addresses, one create of the orders, one confirm, one date write and one read of the totals.

const int kBacklogOrders =
    std::getenv("BENCH_BACKLOG_ORDERS") ? std::atoi(std::getenv("BENCH_BACKLOG_ORDERS")) : 1000;
constexpr int kDirectBatch = 20;

od::FakeOdooOptions cost_model_odoo() {
    od::FakeOdooOptions o = World::default_odoo_options();
    o.cost_per_call = std::chrono::milliseconds(10);
    o.cost_per_record = std::chrono::microseconds(500);
    o.workers = 2;
    return o;
}

/// A 2-line order of a new customer.
sp::SeedOrder backlog_order(const sb::Scenario& sc, int n) {
    const auto k = std::to_string(n);
    return mfn_order(sc, n, "114", 2, "Backlog Buyer " + k, "buyer" + k + "@marketplace.amazon.com",
                     k + " Market St");
}

struct Backlog {
    double seconds = 0, calls_per_order = 0;
};

Backlog daemon_backlog(const std::string& engine_extra) {
    World w(100000, /*quota=*/false, /*sqs=*/false, /*rate_scale=*/100000, {}, cost_model_odoo(),
            engine_extra);
    const auto sc = settled_scenario(1, 9);  // products, warehouses, Studio fields
    sb::seed_odoo(sc, w.odoo.odoo());
    for (int n = 0; n < kBacklogOrders; ++n) {
        w.amazon.schedule_order(backlog_order(sc, n), SystemClock::instance().now() - 30min, {}, 0);
    }
    w.amazon.advance();
    w.odoo.odoo().clear_calls();
    const auto t0 = std::chrono::steady_clock::now();
    w.start();
    w.wait_until([&] { return confirmed_orders(w, "114-") == kBacklogOrders; }, 900s,
                 "backlog orders", 200ms);
    Backlog b;
    b.seconds = Seconds(std::chrono::steady_clock::now() - t0).count();
    b.calls_per_order = static_cast<double>(w.odoo.odoo().calls().size()) / kBacklogOrders;
    if (std::getenv("BENCH_ORDERS_CALLS")) {  // which Odoo calls, per order (profiling)
        std::map<std::string, int> by;
        for (const auto& c : w.odoo.odoo().calls()) ++by[c.model + "." + c.method];
        for (const auto& [k, v] : by) {
            std::printf("  %s: %.3f\n", k.c_str(), double(v) / kBacklogOrders);
        }
    }
    return b;
}

namespace direct {

namespace asio = boost::asio;
using clarity::odoo::Array;
using clarity::odoo::Struct;
using OValue = clarity::odoo::Value;

template <class T>
T run(asio::io_context& ctx, asio::awaitable<T> aw) {
    auto fut = asio::co_spawn(ctx, std::move(aw), asio::use_future);
    ctx.restart();
    ctx.run();
    return fut.get();
}

template <class T>
T ok(clarity::Result<T> r, const char* what) {
    if (!r) throw std::runtime_error(std::string(what) + ": " + r.error().describe());
    return std::move(*r);
}

/// One batch of orders, as a skilled direct client writes them: seven calls.
asio::awaitable<void> batch(clarity::odoo::OdooClient* c,
                            const std::vector<sp::SeedOrder>* orders,
                            const std::map<std::string, std::int64_t>* products,
                            int first) {
    using clarity::odoo::Domain;
    Array refs;
    for (const auto& o : *orders) refs.emplace_back(o.order_id);
    Domain existing;
    existing.where("client_order_ref", "in", OValue(std::move(refs)));
    clarity::odoo::SearchOptions so;
    so.fields = {"id"};
    ok(co_await c->search_read("sale.order", std::move(existing), std::move(so)), "look-up");
    std::vector<Array> customers, addresses;
    for (std::size_t i = 0; i < orders->size(); ++i) {
        const auto& o = (*orders)[i];
        const auto n = std::to_string(first + static_cast<int>(i));
        customers.push_back(
            Array{OValue("__bench__.buyer_" + n), OValue(o.buyer_name), OValue(o.buyer_email)});
    }
    // Arguments named before co_await: g++ 12 rejects braced lists of literals there.
    std::vector<std::string> customer_fields{"id", "name", "email"};
    auto cust = ok(co_await c->load("res.partner", std::move(customer_fields), customers), "load");
    for (std::size_t i = 0; i < orders->size(); ++i) {
        const auto& o = (*orders)[i];
        const auto n = std::to_string(first + static_cast<int>(i));
        addresses.push_back(Array{OValue("__bench__.ship_" + n), OValue(o.address_name),
                                  OValue("delivery"), OValue(*cust.ids[i]), OValue(o.address_line1),
                                  OValue(o.city), OValue(o.postal_code),
                                  OValue(std::int64_t{233})});
    }
    std::vector<std::string> address_fields{"id",     "name", "type", "parent_id/.id",
                                            "street", "city", "zip",  "country_id/.id"};
    auto ship =
        ok(co_await c->load("res.partner", std::move(address_fields), addresses), "addresses");
    std::vector<Struct> vals;
    for (std::size_t i = 0; i < orders->size(); ++i) {
        const auto& o = (*orders)[i];
        Array lines;
        for (const auto& it : o.items) {
            lines.emplace_back(
                Array{OValue(0), OValue(0),
                      OValue(Struct{{"product_id", OValue(products->at(it.seller_sku))},
                                    {"product_uom_qty", OValue(static_cast<double>(it.quantity))},
                                    {"price_unit", OValue(std::stod(it.unit_price))}})});
        }
        vals.push_back(Struct{{"partner_id", OValue(*cust.ids[i])},
                              {"partner_shipping_id", OValue(*ship.ids[i])},
                              {"client_order_ref", OValue(o.order_id)},
                              {"order_line", OValue(std::move(lines))}});
    }
    auto ids = ok(co_await c->create("sale.order", std::move(vals)), "create");
    ok(co_await c->call_action("sale.order", "action_confirm", ids), "confirm");
    std::vector<Array> dates;
    for (auto id : ids) dates.push_back(Array{OValue(id), OValue("2026-12-01 10:00:00")});
    std::vector<std::string> date_fields{".id", "date_order"};
    ok(co_await c->load("sale.order", std::move(date_fields), dates), "dates");
    std::vector<std::string> total_fields{"state", "amount_total", "amount_tax"};
    ok(co_await c->read("sale.order", ids, std::move(total_fields)), "totals");
}

/// Two batches in flight at once (Odoo has two workers here).
Backlog import(const std::vector<sp::SeedOrder>& orders, const sb::Scenario& sc) {
    od::FakeOdooServer server(cost_model_odoo());
    sb::seed_odoo(sc, server.odoo());
    std::map<std::string, std::int64_t> products;
    for (const auto& p : sc.products) {
        for (const auto& row : server.odoo().records("product.product")) {
            if (row.at("default_code") == od::Value(p.sku)) {
                products[p.sku] = row.at("id").as_int().value_or(0);
            }
        }
    }
    asio::io_context ctx;
    auto http =
        clarity::net::make_http_client(ctx.get_executor(), clarity::net::HttpClientOptions{});
    clarity::odoo::OdooOptions o;
    o.url = server.base_url();
    o.database = server.odoo().database();
    o.username = "admin";
    o.api_key = clarity::Secret(od::FakeOdooOptions{}.admin_api_key);
    o.protocol = clarity::odoo::Protocol::json_rpc;
    clarity::odoo::OdooClient client(*http, o);
    ok(run(ctx, client.authenticate()), "authenticate");
    server.odoo().clear_calls();
    const auto t0 = std::chrono::steady_clock::now();
    std::vector<std::vector<sp::SeedOrder>> batches;
    for (std::size_t i = 0; i < orders.size(); i += kDirectBatch) {
        batches.emplace_back(orders.begin() + static_cast<std::ptrdiff_t>(i),
                             orders.begin() + static_cast<std::ptrdiff_t>(
                                                  std::min(orders.size(), i + kDirectBatch)));
    }
    std::size_t next = 0;
    auto worker = [&]() -> asio::awaitable<void> {
        while (next < batches.size()) {
            const std::size_t b = next++;
            co_await batch(&client, &batches[b], &products, static_cast<int>(b * kDirectBatch));
        }
    };
    auto first = asio::co_spawn(ctx, worker(), asio::use_future);
    auto second = asio::co_spawn(ctx, worker(), asio::use_future);
    ctx.restart();
    ctx.run();
    first.get();
    second.get();
    Backlog r;
    r.seconds = Seconds(std::chrono::steady_clock::now() - t0).count();
    r.calls_per_order =
        static_cast<double>(server.odoo().calls().size()) / static_cast<double>(orders.size());
    return r;
}

}  // namespace direct

constexpr int kBacklogRounds = 3;

/// Each round: the bare client, then the daemon, on fresh fakes; medians of the rounds.
void backlog_vs_direct() {
    const auto sc = settled_scenario(1, 9);
    std::vector<sp::SeedOrder> orders;
    for (int n = 0; n < kBacklogOrders; ++n) orders.push_back(backlog_order(sc, n));
    const char* extra = std::getenv("BENCH_BACKLOG_ENGINE");  // e.g. "  max_in_flight: 32\n"
    std::vector<double> direct_s, daemon_s, ratios;
    Backlog b, d;
    for (int round = 0; round < kBacklogRounds; ++round) {
        d = direct::import(orders, sc);
        b = daemon_backlog(extra ? extra : "");
        std::printf("  backlog round: daemon %.2f s, bare client %.2f s\n", b.seconds, d.seconds);
        direct_s.push_back(d.seconds);
        daemon_s.push_back(b.seconds);
        ratios.push_back(d.seconds / b.seconds);
    }
    std::printf(
        "orders_backlog_time: %.2f s (%d new-customer MFN orders, Odoo cost model, median "
        "of %d)\n",
        median(daemon_s), kBacklogOrders, kBacklogRounds);
    std::printf("orders_batched_direct_time: %.2f s (bare client, batches of %d, median of %d)\n",
                median(direct_s), kDirectBatch, kBacklogRounds);
    std::printf("odoo_calls_per_order_backlog: %.2f calls (direct: %.2f)\n", b.calls_per_order,
                d.calls_per_order);
    std::printf("ratio orders_backlog_vs_batched_direct: %.3f (target ≥ 0.8)\n", median(ratios));
    std::fflush(stdout);
}

}  // namespace

int main() {
    try {
        // BENCH_ORDERS_ONLY=v0: only case 4 (a quick look while working on the v0 path).
        if (const char* only = std::getenv("BENCH_ORDERS_ONLY");
            only && std::string(only) == "v0") {
            std::printf("ratio orders_v0_quota_bound: %.3f (target ≥ 0.8)\n", v0_quota_bound());
            return 0;
        }
        // BENCH_ORDERS_ONLY=backlog: only case 5.
        if (const char* only = std::getenv("BENCH_ORDERS_ONLY");
            only && std::string(only) == "backlog") {
            backlog_vs_direct();
            return 0;
        }
        // BENCH_ORDERS_ONLY=throughput: only case 1 at BENCH_ORDERS (profiling the import).
        if (const char* only = std::getenv("BENCH_ORDERS_ONLY");
            only && std::string(only) == "throughput") {
            const auto t = throughput(kThroughputOrders);
            std::printf("daemon_cpu_per_order: %.3f ms (%d orders, %.1f orders/s)\n",
                        t.cpu_ms_per_order, kThroughputOrders, t.orders_per_s);
            std::printf("daemon_idle_cpu: %.2f ms/s\n", t.idle_cpu_ms_per_s);
            return 0;
        }
        const auto t = throughput(kThroughputOrders);
        std::vector<double> small_cpu;
        for (int r = 0; r < 3; ++r)
            small_cpu.push_back(throughput(kSmallBacklogOrders).cpu_ms_per_order);
        std::printf("orders_imported_per_s: %.1f orders/s (%d orders in %.1f s, quotas off)\n",
                    t.orders_per_s, kThroughputOrders, t.seconds);
        std::printf("daemon_cpu_per_order: %.3f ms\n", t.cpu_ms_per_order);
        std::printf("daemon_cpu_per_order_%d: %.3f ms (median of 3)\n", kSmallBacklogOrders,
                    median(small_cpu));
        std::printf("daemon_idle_cpu: %.2f ms/s\n", t.idle_cpu_ms_per_s);
        std::printf("odoo_calls_per_order: %.2f calls (mixed scenario, cold caches)\n",
                    t.odoo_calls_per_order);
        std::printf("daemon_peak_rss: %.1f MB\n", t.peak_rss_mb);
        std::printf("daemon_idle_rss: %.1f MB\n", t.idle_rss_mb);
        std::fflush(stdout);

        const double warm = warm_calls_per_order();
        std::printf(
            "odoo_calls_per_order_warm: %.2f calls (3-line MFN order, known customer, "
            "median of %d batches of %d)\n",
            warm, kWarmBatches, kWarmBatchOrders);
        std::fflush(stdout);

        std::vector<double> ratios, secs, mins;
        for (int r = 0; r < kQuotaRounds; ++r) {
            const auto q = quota_round(100 + static_cast<std::uint64_t>(r));
            secs.push_back(q.seconds);
            mins.push_back(q.minimum);
            ratios.push_back(q.seconds / q.minimum);
        }
        std::printf("quota_bound_import_time: %.2f s (%d orders, quotas x%g, median of %d)\n",
                    median(secs), kQuotaOrders, kQuotaScale, kQuotaRounds);
        std::printf("quota_minimum_import_time: %.2f s\n", median(mins));

        const double v0 = v0_quota_bound();

        backlog_vs_direct();

        std::printf("ratio orders_cpu_per_order_%d_over_%d: %.3f (target ≥ 0.8)\n",
                    kSmallBacklogOrders, kThroughputOrders, median(small_cpu) / t.cpu_ms_per_order);
        std::printf("ratio odoo_calls_per_order_warm: %.2f (target ≤ 3)\n", warm);
        std::printf("ratio daemon_peak_rss_mb: %.1f (target ≤ 64)\n", t.peak_rss_mb);
        std::printf("ratio daemon_idle_rss_mb: %.1f (target ≤ 30)\n", t.idle_rss_mb);
        std::printf("ratio quota_bound_import_time: %.3f (target ≤ 1.05)\n", median(ratios));
        std::printf("ratio orders_v0_quota_bound: %.3f (target ≥ 0.8)\n", v0);
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_orders: %s\n", e.what());
        return 1;
    }
}
