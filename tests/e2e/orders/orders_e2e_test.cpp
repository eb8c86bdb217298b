// End to end (issue #8 point 7): the clarity-connect binary as a child process, a real SQLite
// store file, the fake SP-API (LWA, SQS, order timelines) and the fake Odoo on loopback sockets,
// seeded by the sandbox scenario (tests/fakes/sandbox). Every test checks the fake Odoo against the
// scenario's expected outcomes: lines, quantities, prices, taxes, addresses and custom fields to
// the cent, no duplicates, nothing lost.
#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <thread>

#include "clarity/core/random.hpp"
#include "daemon_process.hpp"
#include "sandbox/daemon_config.hpp"
#include "sandbox/scenario.hpp"
#include "support/temp_dir.hpp"
#include "support/test_env.hpp"

namespace clarity::e2e {
namespace {

namespace fs = std::filesystem;
namespace sb = fakes::sandbox;
using namespace std::chrono_literals;

std::string binary() { return (test::binary_dir() / "src/app/clarity-connect").string(); }

std::string mapping_dir() { return (test::source_dir() / "config/mapping").string(); }

constexpr int kOrders = 500;
// Scenario time runs 120x: orders appear over 5 s, their last changes land within ~15 s.
constexpr double kSpeed = 120;

struct World {
    explicit World(std::uint64_t seed,
                   std::function<void(sb::ScenarioOptions&)> tune_scenario = {},
                   std::function<void(sb::DaemonConfigOptions&)> tune_daemon = {})
        : amazon(SystemClock::instance(), amazon_options()) {
        sb::ScenarioOptions so;
        so.orders = kOrders;
        so.seed = seed;
        so.speed = kSpeed;
        so.start = SystemClock::instance().now() + 1s;
        if (tune_scenario) tune_scenario(so);
        // European orders come from the eu region's endpoint: a second fake SP-API, a second
        // connection of the daemon (one per region), the same Odoo.
        if (so.de_every > 0 || so.fr_every > 0 || so.uk_every > 0) {
            europe = std::make_unique<fakes::sp_api::FakeSpApi>(SystemClock::instance(),
                                                                amazon_options());
        }
        scenario = sb::generate(so);
        sb::seed_odoo(scenario, odoo.odoo());
        sb::seed_amazon(scenario, amazon, europe.get());

        sb::DaemonConfigOptions dc;
        dc.store_path = (dir / "clarity.db").string();
        dc.mapping_dir = fs::absolute(mapping_dir()).string();
        dc.rate_scale = amazon.options().speed_up;
        dc.log_level = "info";
        dc.sweep_interval = "2s";  // sweeps overlap each other and the notifications
        // Fast retries so outages are ridden out within the test; generous attempts so a
        // transient outage never dead-letters a job.
        dc.store_extra = "  retry:\n    base: 100ms\n    cap: 2s\n    max_attempts: 60\n";
        // An open circuit probes again after 2 s (30 s in production), for the same reason.
        dc.top_level_extra = "circuit_breaker:\n  failure_threshold: 5\n  open_for: 2s\n";
        dc.europe = europe.get();
        if (tune_daemon) tune_daemon(dc);
        config = (dir / "clarity-connect.yaml").string();
        const std::string yaml = sb::daemon_config(dc, amazon, odoo.base_url(), odoo_options);
        std::ofstream(config) << yaml;
        log = (dir / "daemon.log").string();
        EXPECT_EQ(run({binary(), "config", "check", "-c", config}, log), 0) << read_file(log);
    }

    static fakes::sp_api::FakeOptions amazon_options() {
        fakes::sp_api::FakeOptions o;
        o.speed_up = 100;  // the published usage plans, 100x
        o.enforce_quota = true;
        return o;
    }

    std::unique_ptr<Process> start() {
        return std::make_unique<Process>(std::vector<std::string>{binary(), "run", "-c", config},
                                         log);
    }

    sb::Status status() const {
        return sb::check(scenario, odoo.odoo(), SystemClock::instance().now());
    }

    /// Waits (bounded) until `done(status)`; returns the last status.
    sb::Status wait_for(const std::function<bool(const sb::Status&)>& done,
                        std::chrono::seconds limit) const {
        const auto deadline = std::chrono::steady_clock::now() + limit;
        auto st = status();
        // Polling the fakes' state: the daemon is another process, there is nothing to join.
        while (!done(st) && std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(100ms);
            st = status();
        }
        return st;
    }

    int queue(const std::vector<std::string>& args) const {
        std::vector<std::string> argv{binary(), "queue"};
        argv.insert(argv.end(), args.begin(), args.end());
        argv.insert(argv.end(), {"-c", config});
        return run(argv, (dir / "cli.log").string());
    }

    test::TempDir dir;
    fakes::odoo::FakeOdooOptions odoo_options = [] {
        fakes::odoo::FakeOdooOptions o;
        o.verify_journal = false;  // thousands of records: no full copy per call
        return o;
    }();
    mutable fakes::odoo::FakeOdooServer odoo{odoo_options};  // odoo() is non-const
    fakes::sp_api::FakeSpApi amazon;
    std::unique_ptr<fakes::sp_api::FakeSpApi> europe;  ///< the eu region, for European orders
    sb::Scenario scenario;
    std::string config, log;
};

bool all_but_unknown_final(const sb::Status& st) {
    return st.awaiting_amazon == 0 && st.final_state == st.seeded - 1;
}

std::string describe(const sb::Status& st) {
    std::string out = sb::to_json(st);
    return out;
}

// 500 orders (AFN and MFN, 1-4 lines, gifts, personalization, promotions, cancellations, partial
// FBA shipments), every 7th change notified twice, polling sweeps overlapping the notifications:
// exactly one sale.order per order, all matching; the unknown SKU is dead-lettered, then imports
// after the product exists and the job is replayed.
TEST(OrdersEndToEnd, FiveHundredOrdersArriveExactlyOnceAndTheUnknownSkuAfterReplay) {
    World w(11);
    auto daemon = w.start();
    auto st = w.wait_for(all_but_unknown_final, 150s);
    ASSERT_TRUE(all_but_unknown_final(st)) << describe(st) << "\n"
                                           << read_file(w.log).substr(0, 4000);
    EXPECT_EQ(st.duplicates, 0);
    // Cancelled orders the daemon never saw before their cancellation have no sale.order.
    EXPECT_EQ(st.in_odoo + st.cancelled_absent, kOrders - 1);
    EXPECT_EQ(st.sale_orders + st.cancelled_absent, kOrders - 1);
    EXPECT_EQ(st.dead_letter_expected, 1);
    EXPECT_TRUE(st.mismatches.empty()) << describe(st);

    // The operator's fix: create the product, replay the dead letter.
    const sb::ExpectedOrder* unknown = nullptr;
    for (const auto& e : w.scenario.expected) {
        if (e.unknown_sku) unknown = &e;
    }
    ASSERT_NE(unknown, nullptr);
    EXPECT_EQ(w.queue({"dead"}), 0);
    EXPECT_NE(read_file((w.dir / "cli.log").string()).find(unknown->order_id), std::string::npos)
        << read_file((w.dir / "cli.log").string());
    sb::add_unknown_product(w.scenario, w.odoo.odoo());
    EXPECT_EQ(w.queue({"replay", "--all"}), 0) << read_file((w.dir / "cli.log").string());
    st = w.wait_for([](const sb::Status& s) { return s.final_state == s.seeded; }, 30s);
    EXPECT_EQ(st.final_state, kOrders) << describe(st);
    EXPECT_EQ(st.sale_orders + st.cancelled_absent, kOrders);
    EXPECT_EQ(st.duplicates, 0);

    daemon->signal(SIGTERM);
    EXPECT_EQ(daemon->wait(30s), 0);
}

// SIGKILL at 20 random moments during the import, a restart after each: still exactly one
// sale.order per order, none missing.
TEST(OrdersEndToEnd, TwentySigkillsDuringTheImportLoseNothingAndDoubleNothing) {
    World w(23);
    DefaultRandom random(23);
    int kills = 0;
    for (int i = 0; i < 20; ++i) {
        auto daemon = w.start();
        const auto alive = std::chrono::milliseconds(200 + random.uniform(0, 800));
        std::this_thread::sleep_for(alive);  // a random moment of the import, not a sync
        daemon->signal(SIGKILL);
        EXPECT_EQ(daemon->wait(10s), 128 + SIGKILL);
        ++kills;
    }
    EXPECT_EQ(kills, 20);
    const auto mid = w.status();
    EXPECT_EQ(mid.duplicates, 0) << describe(mid);

    auto daemon = w.start();
    auto st = w.wait_for(all_but_unknown_final, 150s);
    EXPECT_TRUE(all_but_unknown_final(st)) << describe(st);
    EXPECT_EQ(st.duplicates, 0);
    EXPECT_EQ(st.sale_orders + st.cancelled_absent, kOrders - 1);
    EXPECT_TRUE(st.mismatches.empty()) << describe(st);
    daemon->signal(SIGTERM);
    EXPECT_EQ(daemon->wait(30s), 0);
}

// Odoo answers 503 for a long stretch while SP-API throttles getOrder with 429s: Odoo's circuit
// opens, jobs wait through failed probes, the circuit closes once Odoo is back; everything
// arrives, nothing is dead-lettered except the unknown SKU.
TEST(OrdersEndToEnd, OdooOutageAndAmazonThrottlingDelayButLoseNothing) {
    World w(37);
    for (int k = 1; k <= 60; k += 2) {
        w.amazon.fail_nth("getOrder", k,
                          fakes::sp_api::Fault{fakes::sp_api::Fault::Kind::status, 429});
    }
    auto daemon = w.start();
    // Once the import is under way, Odoo goes down (503 from its proxy) until its circuit has
    // opened and two probes found it still down (at least 4 s; bounded), then comes back.
    auto started = w.wait_for([](const sb::Status& s) { return s.in_odoo >= 50; }, 60s);
    ASSERT_GE(started.in_odoo, 50) << describe(started);
    fakes::odoo::FaultSpec down;
    down.http_status = 503;
    down.body = "<html><body><h1>503 Service Unavailable</h1></body></html>";
    w.odoo.odoo().set_outage(down);
    const auto count = [](const std::string& text, const std::string& what) {
        std::size_t n = 0;
        for (auto pos = text.find(what); pos != std::string::npos; pos = text.find(what, pos + 1))
            ++n;
        return n;
    };
    const auto outage_until = std::chrono::steady_clock::now() + 60s;
    // Polling the daemon's log: it is another process, there is nothing to join.
    while (count(read_file(w.log), "open: the probe call failed") < 2 &&
           std::chrono::steady_clock::now() < outage_until) {
        std::this_thread::sleep_for(100ms);
    }
    w.odoo.odoo().set_outage(std::nullopt);
    const auto during = read_file(w.log);
    EXPECT_GE(count(during, "circuit odoo[sandbox] open: "), 3u) << "opened, then two probes";
    auto st = w.wait_for(all_but_unknown_final, 150s);
    EXPECT_TRUE(all_but_unknown_final(st)) << describe(st);
    EXPECT_EQ(st.duplicates, 0);
    EXPECT_TRUE(st.mismatches.empty()) << describe(st);
    EXPECT_GT(w.amazon.throttled("getOrder"), 0);
    // Exactly one dead letter: the unknown SKU.
    EXPECT_EQ(w.queue({"dead"}), 0);
    const auto dead = read_file((w.dir / "cli.log").string());
    std::size_t rows = 0;
    for (const auto& e : w.scenario.expected) {
        if (dead.find(e.order_id) != std::string::npos) {
            ++rows;
            EXPECT_TRUE(e.unknown_sku) << e.order_id << " was dead-lettered:\n" << dead;
        }
    }
    EXPECT_EQ(rows, 1u) << dead;
    daemon->signal(SIGTERM);
    EXPECT_EQ(daemon->wait(30s), 0);
    const auto log = read_file(w.log);
    EXPECT_NE(log.find("circuit odoo[sandbox] closed: the probe call succeeded"),
              std::string::npos);
    EXPECT_LT(w.odoo.odoo().outage_requests(), 200u)
        << "while the circuit was open, only probes reached Odoo";
}

// Issue #18 item 3: while the import runs, SP-API answers a burst of damaged responses — 10 %
// cut short (invalid JSON with a matching length, a Content-Length never reached, a reset
// mid-body), 10 % dropped connections, 30 % 5xx — then heals. Every order reaches Odoo exactly
// once with nothing dead-lettered and no manual step (no queue replay).
TEST(OrdersEndToEnd, ABurstOfTruncatedDroppedAnd5xxAnswersLeavesNoOrderBehind) {
    World w(53, [](sb::ScenarioOptions& so) {
        so.orders = 40;
        so.unknown_sku = false;
        so.speed = 600;  // every change within ~3 s
    });
    using fakes::sp_api::Fault;
    DefaultRandom random(53);
    int damaged = 0;
    std::vector<int> cut_calls;  // getOrder call numbers scripted with a cut answer
    const auto script = [&](const std::string& op, int calls) {
        for (int n = 1; n <= calls; ++n) {
            const auto roll = random.uniform(0, 99);
            if (roll < 10) {
                static constexpr Fault::Kind kCuts[] = {Fault::Kind::truncated_body,
                                                        Fault::Kind::cut_mid_body,
                                                        Fault::Kind::reset_mid_body};
                w.amazon.fail_nth(op, n, Fault{kCuts[random.uniform(0, 2)]});
                ++damaged;
                if (op == "getOrder") cut_calls.push_back(n);
            } else if (roll < 20) {
                w.amazon.fail_nth(op, n, Fault{Fault::Kind::drop_connection});
            } else if (roll < 50) {
                w.amazon.fail_nth(op, n, Fault{Fault::Kind::status, roll % 2 ? 500 : 503});
            }
        }
    };
    script("getOrder", 150);  // more than the import's getOrder calls of the burst
    script("searchOrders", 12);
    ASSERT_GT(damaged, 5);
    auto daemon = w.start();
    const auto all_final = [](const sb::Status& s) {
        return s.awaiting_amazon == 0 && s.final_state == s.seeded;
    };
    auto st = w.wait_for(all_final, 90s);
    ASSERT_TRUE(all_final(st)) << describe(st) << "\n" << read_file(w.log).substr(0, 4000);
    // How many getOrder calls the import makes depends on how the orders' changes fall into jobs
    // (changes of an order that wait merge into one job), so count the cut answers it was served.
    const int served = w.amazon.calls("getOrder");
    const auto cuts_served =
        std::count_if(cut_calls.begin(), cut_calls.end(), [&](int n) { return n <= served; });
    EXPECT_GE(cuts_served, 5) << served << " getOrder calls served";
    EXPECT_EQ(st.duplicates, 0);
    EXPECT_EQ(st.sale_orders + st.cancelled_absent, st.seeded);
    EXPECT_TRUE(st.mismatches.empty()) << describe(st);
    EXPECT_EQ(w.queue({"dead"}), 0);
    const auto dead = read_file((w.dir / "cli.log").string());
    EXPECT_NE(dead.find("\n0 jobs\n"), std::string::npos) << "nothing dead-lettered:\n" << dead;
    daemon->signal(SIGTERM);
    EXPECT_EQ(daemon->wait(30s), 0);
    const auto log = read_file(w.log);
    EXPECT_NE(log.find("not complete JSON"), std::string::npos) << "the cut answers were seen";
}

// Issue #25: 200 orders across amazon.com, amazon.de (a third of them shipped to France),
// amazon.fr and amazon.co.uk, one connection per region (na, eu) into one Odoo whose products
// carry a 15 % default tax. Every sale order is in the Amazon order's currency (USD, or EUR and
// GBP through their pricelists), every line carries Amazon's tax — added on top in the US,
// included in the price in Europe, never the product's default — and amount_total and
// amount_tax are Amazon's to the cent, with no adjustment line (status.cpp checks each order).
TEST(OrdersEndToEnd, AmericanAndEuropeanOrdersInTheirCurrencyWithAmazonsTaxesAndTotals) {
    World w(41, [](sb::ScenarioOptions& so) {
        so.orders = 200;
        so.uk_every = 4;
        so.fr_every = 3;
        so.de_every = 2;
    });
    std::map<std::string, int> by_marketplace;
    int european_kept = 0;  // European orders that end in Odoo (not cancelled)
    for (const auto& e : w.scenario.expected) {
        ++by_marketplace[e.marketplace_id];
        if (e.vat_inclusive && e.amazon_final_status != "CANCELLED") ++european_kept;
    }
    ASSERT_EQ(by_marketplace.size(), 4u);
    for (const auto& [m, n] : by_marketplace) EXPECT_GE(n, 25) << m;
    auto daemon = w.start();
    auto st = w.wait_for(all_but_unknown_final, 120s);
    ASSERT_TRUE(all_but_unknown_final(st)) << describe(st) << "\n"
                                           << read_file(w.log).substr(0, 4000);
    EXPECT_EQ(st.duplicates, 0);
    EXPECT_TRUE(st.mismatches.empty()) << describe(st);
    EXPECT_GE(st.european, european_kept) << describe(st);
    EXPECT_EQ(st.sale_orders + st.cancelled_absent, 199);
    daemon->signal(SIGTERM);
    EXPECT_EQ(daemon->wait(30s), 0);
    const auto log = read_file(w.log);
    EXPECT_NE(log.find("connection=sandbox-eu"), std::string::npos);
    EXPECT_EQ(log.find("differs from Amazon's"), std::string::npos) << "a tax or total mismatch";
}

// The connection check refuses to start when the currency of a marketplace has several
// pricelists and none is named: the daemon exits with the message naming marketplace, currency
// and the fix, before any order is imported.
TEST(OrdersEndToEnd, TheDaemonRefusesToStartWhenAMarketplacesPricelistIsAmbiguous) {
    World w(43, [](sb::ScenarioOptions& so) {
        so.orders = 4;
        so.de_every = 2;
    });
    w.odoo.odoo().create("product.pricelist",
                         odoo::Struct{{"name", "Retail EUR"}, {"currency_id", 2}});
    auto daemon = w.start();
    EXPECT_EQ(daemon->wait(30s), 2);
    const auto log = read_file(w.log);
    EXPECT_NE(log.find("connection sandbox-eu: Odoo: flow order_import: flows.order_import: "
                       "several active pricelists in EUR (\"Amazon EUR\", \"Retail EUR\") "
                       "could serve amazon.de (A1PA6795UKMFR9): choose one under "
                       "flows.order_import.pricelists"),
              std::string::npos)
        << log.substr(0, 4000);
    EXPECT_EQ(w.status().in_odoo, 0);
}

}  // namespace
}  // namespace clarity::e2e
