// The sandbox scenario through the real order import flow (in process: the real SP-API and Odoo
// clients over loopback, the real SQLite store and engine): every order reaches exactly the
// outcome the scenario expects, so the checker that `make demo` and the end-to-end tests rely on
// agrees with the flow. The unknown SKU is dead-lettered and imports after the product exists.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <optional>

#include "clarity/flows/engine.hpp"
#include "clarity/flows/order_import.hpp"
#include "clarity/flows/order_jobs.hpp"
#include "clarity/net/http_client.hpp"
#include "clarity/store/options.hpp"
#include "sandbox/scenario.hpp"
#include "support/temp_dir.hpp"
#include "support/test_env.hpp"

namespace clarity::flows {
namespace {

namespace asio = boost::asio;
namespace sb = fakes::sandbox;
using namespace std::chrono_literals;

constexpr const char* kConnection = "sandbox";

struct World {
    explicit World(int orders, int major)
        : amazon_fake(clock, amazon_options()),
          quota(SystemClock::instance(), 1000),
          odoo_server(fakes::odoo::FakeOdooOptions{.major = major}) {
        http = net::make_http_client(io.get_executor(), net::HttpClientOptions{});
        amazon::AmazonOptions a = amazon_fake.client_options({"ATVPDKIKX0DER"});
        lwa.emplace(*http, clock, fakes::sp_api::FakeSpApi::lwa_options(a), &metrics);
        sp.emplace(*http, *lwa, quota, clock, random, metrics, a);

        fakes::odoo::FakeOdooOptions f;
        odoo::OdooOptions o;
        o.url = odoo_server.base_url();
        o.database = f.database;
        o.username = f.admin_login;
        o.api_key = Secret(f.admin_api_key);
        o.retry_delay = 1ms;
        odoo_client = std::make_unique<odoo::OdooClient>(*http, o);

        sb::ScenarioOptions so;
        so.orders = orders;
        so.seed = 3;
        so.start = clock.now();
        scenario = sb::generate(so);
        sb::seed_odoo(scenario, odoo_server.odoo());
        sb::seed_amazon(scenario, amazon_fake);
        EXPECT_TRUE(run(odoo_client->connect()));

        store::StoreOptions st;
        st.path = (dir / "store.db").string();
        st.default_retry = {1s, 60s, 5};
        store = store::open_store(st, {clock, random, &metrics});
        async_store = std::make_unique<store::AsyncStore>(*store);
        auto tpl =
            std::make_shared<const mapping::MappingTemplate>(mapping::MappingTemplate::load_file(
                test::source_dir() / "config/mapping/order_import.yaml"));
        OrderImportOptions options;
        options.connection = kConnection;
        options.taxes = {{"ATVPDKIKX0DER", {"15%"}}};
        options.shipping_product = "SHIP";
        options.discount_product = "PROMO";
        options.afn_tracking_report = false;
        flow = std::make_shared<OrderImportFlow>(
            OrderImportDeps{*sp, *odoo_client, tpl, metrics, clock}, options);
        engine = std::make_unique<Engine>(io.get_executor(), *async_store, metrics, clock);
        engine->add_flow(flow, {.concurrency = 2, .connections = {kConnection}});
    }

    static fakes::sp_api::FakeOptions amazon_options() {
        fakes::sp_api::FakeOptions fo;
        fo.speed_up = 1000;
        return fo;
    }

    template <class T>
    T run(asio::awaitable<T> aw) {
        auto fut = asio::co_spawn(io, std::move(aw), asio::use_future);
        io.restart();
        io.run();
        return fut.get();
    }

    /// One job per order for its current state, as a sweep would enqueue it.
    void enqueue_all() {
        for (const auto& e : scenario.expected) {
            auto o = amazon_fake.order(e.order_id);
            if (!o) continue;  // not created yet
            OrderJob j;
            j.amazon_order_id = e.order_id;
            j.marketplace_id = "ATVPDKIKX0DER";
            j.change_time = o->last_updated_time;
            j.source = "sweep";
            auto job = make_order_job(kConnection, j);
            ASSERT_TRUE(job) << job.error().describe();
            ASSERT_TRUE(store->enqueue(*job));
        }
    }

    test::TempDir dir;
    asio::io_context io;
    core::MetricsRegistry metrics;
    ManualClock clock;
    DefaultRandom random{5};
    std::shared_ptr<net::HttpClient> http;
    fakes::sp_api::FakeSpApi amazon_fake;
    amazon::QuotaLimiter quota;
    std::optional<amazon::LwaTokenSource> lwa;
    std::optional<amazon::SpApiClient> sp;
    fakes::odoo::FakeOdooServer odoo_server;
    std::unique_ptr<odoo::OdooClient> odoo_client;
    sb::Scenario scenario;
    std::unique_ptr<store::Store> store;
    std::unique_ptr<store::AsyncStore> async_store;
    std::shared_ptr<OrderImportFlow> flow;
    std::unique_ptr<Engine> engine;
};

class ScenarioThroughTheFlow : public ::testing::TestWithParam<int> {};

TEST_P(ScenarioThroughTheFlow, EveryOrderReachesItsExpectedOutcomeAndTheUnknownSkuAfterReplay) {
    World w(30, GetParam());
    // A third of the way: part of the orders exist, many still pending; import what there is.
    w.clock.set(w.scenario.options.start + (w.scenario.last_change - w.scenario.options.start) / 3);
    w.amazon_fake.advance();
    w.enqueue_all();
    w.run(w.engine->run_until_idle());
    auto mid = sb::check(w.scenario, w.odoo_server.odoo(), w.clock.now());
    EXPECT_GT(mid.in_odoo, 5);
    EXPECT_EQ(mid.duplicates, 0);
    EXPECT_TRUE(mid.mismatches.empty()) << sb::to_json(mid);

    // Every change has happened: the orders are re-imported (confirmed, cancelled, shipped).
    w.clock.set(w.scenario.last_change + 1s);
    w.amazon_fake.advance();
    w.enqueue_all();
    w.run(w.engine->run_until_idle());
    auto st = sb::check(w.scenario, w.odoo_server.odoo(), w.clock.now());
    EXPECT_EQ(st.final_state, 29) << sb::to_json(st);
    EXPECT_EQ(st.in_odoo + st.cancelled_absent, 29);
    EXPECT_EQ(st.duplicates, 0);
    EXPECT_EQ(st.dead_letter_expected, 1);
    EXPECT_TRUE(st.mismatches.empty()) << sb::to_json(st);
    auto stats = w.store->stats();
    ASSERT_TRUE(stats);
    std::int64_t dead = 0;
    for (const auto& row : stats->by_flow_state) {
        if (row.state == store::JobState::dead) dead += row.count;
    }
    EXPECT_EQ(dead, 1) << "only the unknown SKU is dead-lettered";

    // The operator's fix: the product, then a replay of the dead letters.
    sb::add_unknown_product(w.scenario, w.odoo_server.odoo());
    ASSERT_TRUE(w.store->replay_dead_matching(store::JobFilter{}));
    w.run(w.engine->run_until_idle());
    st = sb::check(w.scenario, w.odoo_server.odoo(), w.clock.now());
    EXPECT_EQ(st.final_state, 30) << sb::to_json(st);
    EXPECT_EQ(st.sale_orders + st.cancelled_absent, 30);
    EXPECT_EQ(st.dead_letter_expected, 0);
}

INSTANTIATE_TEST_SUITE_P(OdooVersions, ScenarioThroughTheFlow, ::testing::Values(18));

}  // namespace
}  // namespace clarity::flows
